import type { CsvTable } from '../../evidence/csv';
import { type Agreement, agreementStatus, partyLabel, STATUS_LABELS, TYPE_LABELS } from './model';

/** One row per agreement shown, with its status as of `today`. */
export function agreementsCsv(
  agreements: readonly Agreement[],
  nameOf: (personId: string) => string,
  policyTitle: (policyId: string) => string,
  today: string,
  stamp: string,
): CsvTable {
  return {
    name: `muster-agreements-${stamp}`,
    columns: ['Party', 'Party is', 'Type', 'Signed on', 'Expires on', 'Status', 'Security clauses', 'Policies referenced', 'Document reference', 'Notes', 'Archived', 'Agreement id'],
    rows: agreements.map((a) => [
      partyLabel(a, nameOf),
      a.partyPersonId ? 'Person of the workspace' : 'External party',
      TYPE_LABELS[a.type],
      a.signedOn,
      a.expiresOn || 'No expiry',
      STATUS_LABELS[agreementStatus(a, today)],
      a.securityClauses ? 'Yes' : 'No',
      [...a.policyIds.map((id) => policyTitle(id) || id), ...(a.policyRefs ? [a.policyRefs] : [])].join('; '),
      a.documentRef,
      a.notes,
      a.archived ? 'Yes' : 'No',
      a.id,
    ]),
  };
}
