import type { CsvTable } from '../../evidence/csv';
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
