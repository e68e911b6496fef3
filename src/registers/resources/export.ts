import type { CsvTable } from '../../evidence/csv';
import { KIND_LABELS, type ResourceApproval } from './model';

/** One row per approval; amounts as plain numbers so a spreadsheet can add them up. */
export function resourcesCsv(items: readonly ResourceApproval[], nameOf: (personId: string) => string, reviewLabel: (reviewId: string) => string, stamp: string): CsvTable {
  return {
    name: `muster-resource-approvals-${stamp}`,
    columns: ['Approved on', 'Kind', 'Description', 'Amount', 'Currency', 'Hours', 'Control or objective', 'Approved by', 'Management review', 'Recorded by', 'Recorded at', 'Corrections', 'Archived', 'Approval id'],
    rows: items.map((r) => [
      r.approvedOn,
      KIND_LABELS[r.kind],
      r.description,
      r.amount === undefined ? '' : r.amount.toFixed(2),
      r.currency,
      r.hours ?? '',
      r.control,
      r.approvedBy ? nameOf(r.approvedBy) || 'Unknown person' : '',
      r.reviewId ? reviewLabel(r.reviewId) : '',
      r.approval?.byName ?? '',
      r.approval?.at ?? '',
      r.approval?.corrects ? 'Corrected' : '',
      r.archived ? 'Yes' : 'No',
      r.id,
    ]),
  };
}
