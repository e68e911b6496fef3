import type { PackContext, Reader } from '../../evidence/context';
import * as v from 'valibot';
import { isIsoDate } from '../../domain/dates';
import { validateWith, type Validated } from '../../domain/validation';

export interface Person {
  id: string;
  name: string;
  email: string;
  team: string;
  jobTitle: string;
  /** ISO date, or '' when not known. */
  startDate: string;
  /** Person id of their manager, or ''. */
  managerId: string;
  archived: boolean;
}

export type PersonInput = Omit<Person, 'id' | 'archived'>;

const optionalDate = (message: string) =>
  v.pipe(v.string(), v.trim(), v.check((s) => s === '' || isIsoDate(s), message));

const personSchema = v.object({
  name: v.pipe(v.string(), v.trim(), v.minLength(1, 'Enter the person’s name.'), v.maxLength(120, 'Keep the name under 120 characters.')),
  email: v.pipe(
    v.string(),
    v.trim(),
    v.check((s) => s === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s), 'Enter an email like name@example.org, or leave it empty.'),
  ),
  team: v.pipe(v.string(), v.trim(), v.minLength(1, 'Enter a team: checklists and briefings are per team.'), v.maxLength(60, 'Keep the team name under 60 characters.')),
  jobTitle: v.pipe(v.string(), v.trim(), v.maxLength(120, 'Keep the job title under 120 characters.')),
  startDate: optionalDate('Enter the start date as YYYY-MM-DD, e.g. 2026-11-02.'),
  managerId: v.string(),
});

/** Validates a person form; `selfId` stops a person being their own manager. */
export function validatePerson(input: PersonInput, selfId?: string): Validated<PersonInput> {
  const result = validateWith(personSchema, input);
  if (result.ok && selfId && result.value.managerId === selfId) {
    return { ok: false, errors: { managerId: 'A person cannot be their own manager.' } };
  }
  return result;
}

export function personFromFields(id: string, f: Record<string, unknown>): Person {
  const s = (k: string) => (typeof f[k] === 'string' ? (f[k] as string) : '');
  return {
    id,
    name: s('name'),
    email: s('email'),
    team: s('team'),
    jobTitle: s('jobTitle'),
    startDate: s('startDate'),
    managerId: s('managerId'),
    archived: f['archived'] === true,
  };
}

/** Teams are not a register of their own: they are whatever teams people belong to. */
export function teamsOf(people: Iterable<Person>): string[] {
  const teams = new Set<string>();
  for (const p of people) if (!p.archived && p.team) teams.add(p.team);
  return [...teams].sort((a, b) => a.localeCompare(b));
}

export function membersOf(people: Iterable<Person>, team: string): Person[] {
  return [...people].filter((p) => !p.archived && p.team === team).sort((a, b) => a.name.localeCompare(b.name));
}

/** People as the documents hold them, by name (one sort order for every reader). */
export const readPeople: Reader<Person[]> = (src) => src.records('people').map(([id, f]) => personFromFields(id, f)).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));

export const readPeopleById: Reader<Map<string, Person>> = (src) => new Map(src.read(readPeople).map((p) => [p.id, p]));

/** People of the teams in scope of a pack, those who left included. */
export const scopedPeople = (ctx: PackContext): Person[] => ctx.memo('scopedPeople', () => ctx.read(readPeople).filter((p) => ctx.teamInScope(p.team)));

/** The team of a person still here, for duties that belong to their owner's team. */
export function teamOfPerson(people: readonly Person[]): (personId: string) => string | undefined {
  const byId = new Map(people.map((p) => [p.id, p]));
  return (id) => {
    const p = byId.get(id);
    return p && !p.archived && p.team ? p.team : undefined;
  };
}
