import { daysBetween } from './dates';
import { type Gap, GAP_LABELS, type GapKind } from './gaps';

/** What the dashboard needs of a person. */
export interface PersonLike {
  id: string;
  name: string;
  team: string;
  /** ISO date or ''. */
  startDate: string;
  archived: boolean;
}

export interface PersonGaps<P extends PersonLike = PersonLike> {
  person: P;
  gaps: Gap[];
  newJoiner: boolean;
}

export interface TeamGaps {
  team: string;
  people: number;
  peopleWithGaps: number;
  byKind: Partial<Record<GapKind, number>>;
  gaps: number;
}

export interface Dashboard<P extends PersonLike = PersonLike> {
  /** People with at least one gap, most gaps first. */
  people: Array<PersonGaps<P>>;
  /** Joined in the last `newJoinerDays` days and have a gap: the audit's favourite finding. */
  newJoiners: Array<PersonGaps<P>>;
  teams: TeamGaps[];
  byKind: Partial<Record<GapKind, number>>;
  activePeople: number;
  peopleWithGaps: number;
}

export const NEW_JOINER_DAYS = 30;

/** Started within the last `days` days (a start date in the future has not joined yet). */
export function isNewJoiner(person: Pick<PersonLike, 'startDate'>, today: string, days = NEW_JOINER_DAYS): boolean {
  if (!person.startDate) return false;
  const since = daysBetween(person.startDate, today);
  return since >= 0 && since <= days;
}

/**
 * Rolls the gaps every register reports up per person and per team. People who
 * left are not counted; gaps of unknown people are ignored.
 */
export function buildDashboard<P extends PersonLike>(people: readonly P[], gaps: readonly Gap[], today: string): Dashboard<P> {
  const active = people.filter((p) => !p.archived);
  const byPerson = new Map<string, Gap[]>();
  for (const g of gaps) byPerson.set(g.personId, [...(byPerson.get(g.personId) ?? []), g]);

  const rows: Array<PersonGaps<P>> = [];
  const teams = new Map<string, TeamGaps>();
  const byKind: Partial<Record<GapKind, number>> = {};
  for (const person of active) {
    const own = byPerson.get(person.id) ?? [];
    const team = teams.get(person.team) ?? { team: person.team, people: 0, peopleWithGaps: 0, byKind: {}, gaps: 0 };
    team.people += 1;
    if (own.length) {
      team.peopleWithGaps += 1;
      team.gaps += own.length;
      for (const g of own) {
        team.byKind[g.kind] = (team.byKind[g.kind] ?? 0) + 1;
        byKind[g.kind] = (byKind[g.kind] ?? 0) + 1;
      }
      rows.push({ person, gaps: own, newJoiner: isNewJoiner(person, today) });
    }
    teams.set(person.team, team);
  }
  rows.sort((a, b) => b.gaps.length - a.gaps.length || a.person.name.localeCompare(b.person.name));
  return {
    people: rows,
    newJoiners: rows.filter((r) => r.newJoiner),
    teams: [...teams.values()].sort((a, b) => b.gaps - a.gaps || a.team.localeCompare(b.team)),
    byKind,
    activePeople: active.length,
    peopleWithGaps: rows.length,
  };
}

/** "3 training overdue, 1 policy not acknowledged" */
export function describeKinds(byKind: Partial<Record<GapKind, number>>): string {
  return (Object.entries(byKind) as Array<[GapKind, number]>)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, n]) => `${n} × ${GAP_LABELS[kind].toLowerCase()}`)
    .join(', ');
}
