import { kpiLines } from './kpis';
import type { SignOffState } from '../../domain/signoff';
import type { CsvTable } from '../../evidence/csv';
import { ACTION_STATUS_LABELS, approvalLabel, type ManagementReview, type ReviewInputs, withUpdates } from './model';

export interface ReviewRow {
  review: ManagementReview;
  state: SignOffState;
  /** The figures shown: pinned by the approval when approved, else computed now. */
  inputs: ReviewInputs;
  pinned: boolean;
}

/** One row per review: sections flattened into readable cells, KPIs one column each. */
export function reviewsCsv(rows: readonly ReviewRow[], nameOf: (personId: string) => string, stamp: string): CsvTable {
  const who = (id: string) => (id ? nameOf(id) || 'Unknown person' : '');
  const action = (a: { text: string; ownerId: string; due: string; status: keyof typeof ACTION_STATUS_LABELS }) =>
    `${a.text}${a.ownerId ? ` (owner: ${who(a.ownerId)})` : ''}${a.due ? ` due ${a.due}` : ''} [${ACTION_STATUS_LABELS[a.status]}]`;
  const kpiColumns = ['Policy acknowledgement rate', 'Training completion rate', 'Monthly checklists on time', 'Open actions', 'Agreements expired at period end', 'Speak-up reports'];
  return {
    name: `muster-management-reviews-${stamp}`,
    columns: [
      'Date', 'Period from', 'Period to', 'Chair', 'Attendees', 'Actions from earlier reviews', 'Changes affecting the ISMS',
      ...kpiColumns, 'Checklists on time per team', 'Audit findings', 'Incidents', 'Decisions', 'Actions', 'Approval', 'Approved by', 'Approved at', 'Figures', 'Review id',
    ],
    rows: rows.map(({ review: r, state, inputs, pinned }) => {
      const lines = new Map(kpiLines(inputs.kpis).map((l) => [l.label, l.value]));
      return [
        r.date, r.periodFrom, r.periodTo, who(r.chairId), r.attendees.map(who).filter(Boolean).sort().join('; '),
        withUpdates(inputs.previousActions, r).map(action).join('; '), r.changes,
        ...kpiColumns.map((c) => lines.get(c) ?? ''),
        inputs.kpis.checklists.teams.map((t) => `${t.team}: ${t.onTime} of ${t.due}`).join('; '),
        r.auditFindings, r.incidents, r.decisions.map((d) => d.text).join('; '), r.actions.map(action).join('; '),
        approvalLabel(state), state.state === 'unsigned' ? '' : state.entry.byName, state.state === 'unsigned' ? '' : state.entry.at,
        pinned ? 'As approved' : 'Computed at export', r.id,
      ];
    }),
  };
}
