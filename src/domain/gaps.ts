/**
 * The audit's most common failure is a person who has not done what they
 * should: acknowledged the current policies, done (and renewed) the training,
 * signed an in-date agreement, held the competence their security role needs.
 * Each register reports its own gaps in this one shape; the dashboard only
 * aggregates them (src/domain/dashboard.ts).
 */
export type GapKind =
  | 'policy-unacknowledged' // never acknowledged a policy that applies to them
  | 'policy-stale' // acknowledged an earlier version only
  | 'training-missing' // required course never completed
  | 'training-expired' // completed, but the renewal is overdue
  | 'training-expiring' // still valid, expires within 30 days
  | 'agreement-missing' // no agreement on file
  | 'agreement-unsigned'
  | 'agreement-expired'
  | 'competence-missing'; // holds a security role without a required competence

export interface Gap {
  personId: string;
  kind: GapKind;
  /** What is missing, for a person to read: "Acceptable use v3 not acknowledged". */
  label: string;
  /** Hash route of the place to fix it, e.g. "#/policies/abc". */
  href: string;
  /** ISO date the duty fell due (or falls due, for "expiring"), when known. */
  due?: string;
}

export const GAP_LABELS: Record<GapKind, string> = {
  'policy-unacknowledged': 'Policy not acknowledged',
  'policy-stale': 'Acknowledged an old version',
  'training-missing': 'Training not done',
  'training-expired': 'Training overdue',
  'training-expiring': 'Training expiring soon',
  'agreement-missing': 'No agreement',
  'agreement-unsigned': 'Agreement not signed',
  'agreement-expired': 'Agreement expired',
  'competence-missing': 'Role without competence',
};

/** Who a policy, course or requirement applies to. An empty selection means nobody. */
export interface Audience {
  everyone: boolean;
  teams: string[];
  /** Security role ids (roles register). */
  roles: string[];
}

export const EVERYONE: Audience = { everyone: true, teams: [], roles: [] };

/** Does an audience include this person? `roleIds` are the security roles they hold. */
export function inAudience(audience: Audience, person: { team: string }, roleIds: readonly string[]): boolean {
  return audience.everyone || audience.teams.includes(person.team) || audience.roles.some((r) => roleIds.includes(r));
}

/** A rate as a whole percentage, or undefined when there is nothing to count (not 100%, not 0%). */
export function percent(done: number, total: number): number | undefined {
  return total === 0 ? undefined : Math.round((done / total) * 100);
}
