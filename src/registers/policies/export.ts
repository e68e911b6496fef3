import type { CsvTable } from '../../evidence/csv';
import type { RosterRow } from '../acknowledgements/model';
import type { Person } from '../people/model';
import type { Policy, Publication } from './model';

export interface PolicyRowFacts {
  current?: Publication | undefined;
  /** Latest evidenced review date (review or approval), or undefined. */
  lastReview?: string | undefined;
  overdue: boolean;
  nextReviewPassed: boolean;
  appliesTo: string;
  rate: { done: number; total: number; percent?: number | undefined };
}

/**
 * One row per policy, as the list shows them. "Acknowledged" is written
 * "3 of 5" (not "3/5", which a spreadsheet would turn into a date).
 */
export function policiesCsv(policies: readonly Policy[], facts: (p: Policy) => PolicyRowFacts, nameOf: (personId: string) => string, stamp: string): CsvTable {
  const rows = policies.map((p) => {
    const f = facts(p);
    const c = f.current;
    const review = p.archived ? 'Archived' : [f.overdue ? 'Review overdue' : '', f.nextReviewPassed ? 'Review date passed' : ''].filter(Boolean).join('; ') || 'In date';
    return [
      p.title,
      nameOf(p.ownerId),
      c?.version ?? 'Not published',
      c?.approvedBy ?? '',
      c?.approvedOn ?? '',
      c?.publishedAt ?? '',
      f.lastReview ?? '',
      p.nextReviewDate,
      review,
      f.appliesTo,
      c ? `${f.rate.done} of ${f.rate.total}` : '',
      c && f.rate.percent !== undefined ? f.rate.percent : '',
      c?.textSha256 ?? '',
      p.id,
    ];
  });
  return {
    name: `muster-policies-${stamp}`,
    columns: ['Title', 'Owner', 'Current version', 'Approved by', 'Approved on', 'Published at', 'Last review', 'Next review', 'Review status', 'Applies to', 'Acknowledged', 'Acknowledged %', 'SHA-256 of current text', 'Policy id'],
    rows,
  };
}

/** Who has and has not acknowledged the current version of one policy, with the evidence of each acknowledgement. */
export function acknowledgementsCsv(policy: Policy, current: Publication, roster: ReadonlyArray<RosterRow<Person>>, stamp: string): CsvTable {
  const label = { current: 'Acknowledged', stale: 'Stale', missing: 'Not acknowledged' } as const;
  const rows = roster.map(({ person, status, ack }) => [
    person.name,
    person.team,
    policy.title,
    current.version,
    status === 'stale' && ack ? `Stale (version ${ack.version})` : label[status],
    ack?.version ?? '',
    ack?.at ?? '',
    ack?.typedName ?? '',
    ack ? (ack.signature ? 'Yes' : 'No') : '',
    ack?.textSha256 ?? '',
    ack?.deviceId ?? '',
    ack?.byName ?? '',
    ack?.id ?? '',
  ]);
  const safe = policy.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'policy';
  return {
    name: `muster-acknowledgements-${safe}-v${current.version}-${stamp}`,
    columns: ['Person', 'Team', 'Policy', 'Current version', 'Status', 'Version acknowledged', 'Acknowledged at', 'Typed name', 'Drawn signature', 'SHA-256 of text read', 'Device', 'Device user', 'Acknowledgement id'],
    rows,
  };
}
