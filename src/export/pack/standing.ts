import type { Person } from '../../registers/people/model';
import { type Acknowledgement } from '../../registers/acknowledgements/model';
import { ackRoster, type RosterRow } from '../../registers/acknowledgements/model';
import { currentPublication, type Policy, type Publication } from '../../registers/policies/model';
import { type Course, type TrainingCell, trainingCells, type TrainingInput } from '../../registers/training/model';
import type { PackContext } from './context';
import { activeOn } from './format';

/*
 * Where each person stands on the period's last day, computed once per pack
 * and shared by the acknowledgements and training sections, their matrices,
 * and the new hires' section (so the figures cannot disagree).
 */

export interface PolicyStanding {
  policy: Policy;
  current: Publication;
  roster: RosterRow[];
}

export interface AckStanding {
  people: Person[];
  /** Acknowledgements made by the period's last day. */
  acks: Acknowledgement[];
  publications: Publication[];
  /** Live policies with a published version, in title order. */
  policies: PolicyStanding[];
  /** personId → policyId → roster row (only pairs the policy applies to). */
  byPerson: Map<string, Map<string, RosterRow>>;
}

export function ackStanding(ctx: PackContext): AckStanding {
  return ctx.memo('standing:acks', () => {
    const asOf = ctx.asOf;
    const people = ctx.scopedPeople.filter((p) => activeOn(p, asOf));
    const acks = ctx.acks.filter((a) => ctx.dayOf(a.at) <= asOf);
    const publications = ctx.publications.filter((p) => ctx.dayOf(p.publishedAt) <= asOf);
    const policies: PolicyStanding[] = [];
    const byPerson = new Map<string, Map<string, RosterRow>>();
    for (const policy of ctx.policies) {
      const current = currentPublication(policy.id, publications);
      if (!current || policy.archived) continue;
      const roster = ackRoster(policy, current, people, acks, ctx.rolesByPerson);
      policies.push({ policy, current, roster });
      for (const row of roster) {
        const own = byPerson.get(row.person.id) ?? new Map<string, RosterRow>();
        own.set(policy.id, row);
        byPerson.set(row.person.id, own);
      }
    }
    return { people, acks, publications, policies, byPerson };
  });
}

export interface TrainingStanding {
  input: TrainingInput;
  cells: TrainingCell[];
  /** Active courses, in title order. */
  courses: Course[];
  /** personId → courseId → cell (only required pairs). */
  byPerson: Map<string, Map<string, TrainingCell>>;
}

export function trainingStanding(ctx: PackContext): TrainingStanding {
  return ctx.memo('standing:training', () => {
    const asOf = ctx.asOf;
    const input: TrainingInput = { people: ctx.scopedPeople.filter((p) => activeOn(p, asOf)), courses: ctx.courses, completions: ctx.completions, rolesByPerson: ctx.rolesByPerson, today: asOf };
    const cells = trainingCells(input);
    const byPerson = new Map<string, Map<string, TrainingCell>>();
    for (const c of cells) {
      const own = byPerson.get(c.person.id) ?? new Map<string, TrainingCell>();
      own.set(c.course.id, c);
      byPerson.set(c.person.id, own);
    }
    return { input, cells, courses: ctx.courses.filter((c) => !c.archived), byPerson };
  });
}
