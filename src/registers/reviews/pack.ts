import { formatDate } from '../../domain/dates';
import { computeKpis, kpiLines } from './kpis';
import { kpiInputOf } from './kpi-input';
import type { PackContext } from '../../evidence/context';
import { plural } from '../../evidence/format';
import type { RegisterPack } from '../../evidence/context';
import { speakupRowsOf } from '../speakup/pack';
import { type ReviewRow, reviewsCsv } from './export';
import { approvalLabel, approvalState, type ManagementReview, openActions, pinnedInputs, previousActions, readReviews, reviewKpiActions } from './model';

/**
 * Evidence pack: the management reviews (Clause 9.3) held in the period, with
 * their approval and the figures they showed: pinned by the chair's approval,
 * or computed at export for a review not yet approved.
 */
export const pack: RegisterPack = {
  register: 'reviews',
  title: 'Management reviews',
  requirements: ['reviews'],
  order: 90,
  build(ctx) {
    const held = ctx.read(readReviews).filter((r) => !r.archived && ctx.inPeriod(r.date));
    const rows: ReviewRow[] = held.map((review) => {
      const state = approvalState(review, ctx.historyOf('reviews', review.id));
      const pinned = state.state === 'signed' ? pinnedInputs(state.entry) : undefined;
      return { review, state, inputs: pinned ?? { previousActions: previousActions(ctx.read(readReviews), review), kpis: computeKpis(kpiInputOf(ctx, review, { rolesByPerson: ctx.rolesByPerson, speakUp: ctx.input.registers['speakup'] ? speakupRowsOf(ctx) : undefined }), { from: review.periodFrom, to: review.periodTo }) }, pinned: !!pinned };
    });
    const approved = rows.filter((r) => r.state.state === 'signed');
    const open = openActions(ctx.read(readReviews).filter((r) => r.date <= ctx.period.to)).filter((a) => a.due && a.due <= ctx.asOf);
    const gaps = [
      ...rows.filter((r) => r.state.state !== 'signed').map((r) => `Review of ${formatDate(r.review.date)}: ${approvalLabel(r.state).toLowerCase()}, not approved by the chair`),
      ...open.map((a) => `Action "${a.text}" (review of ${formatDate(a.raisedOn)}) overdue since ${formatDate(a.due)}`),
    ];
    if (!held.length) gaps.unshift('No management review held in the period');
    const quarters = Math.floor((Date.parse(ctx.period.to) - Date.parse(ctx.period.from)) / (91 * 86_400_000));
    if (held.length && held.length < quarters) gaps.unshift(`${plural(held.length, 'review')} in a period of about ${quarters} quarters: reviews are due quarterly`);
    // The minutes of each review, one row per item, so the inputs and outcomes (Clause 9.3.2, 9.3.3) read in the PDF.
    const csv = reviewsCsv(rows, ctx.nameOf, '');
    const MINUTES = ['Period from', 'Period to', 'Chair', 'Attendees', 'Actions from earlier reviews', 'Changes affecting the ISMS', 'Audit findings', 'Incidents', 'Decisions', 'Actions', 'Approval', 'Approved by', 'Approved at'];
    const minutesTables = rows.map((r, i) => ({
      file: '',
      title: `Minutes of the review of ${formatDate(r.review.date)}`,
      columns: ['Item', 'Minutes'],
      rows: MINUTES.map((label) => [label, String(csv.rows[i]![csv.columns.indexOf(label)] ?? '') || '—']),
      pdf: { columns: [0, 1], widths: [1.6, 5.4], style: (_v: unknown, col: number) => (col === 0 ? { bold: true } : undefined) },
    }));
    const kpiTables = rows.map((r) => ({
      file: '',
      title: `Figures of the review of ${formatDate(r.review.date)} (${r.pinned ? 'as approved' : 'computed at export'})`,
      columns: ['Figure', 'Value', 'Detail'],
      rows: kpiLines(r.inputs.kpis).map((l) => [l.label, l.value, l.detail]),
      pdf: { columns: [0, 1, 2], widths: [2, 1.2, 3.5] },
    }));
    return {
      title: 'Management reviews',
      intro: held.length
        ? [`${plural(held.length, 'management review')} held in the period, ${approved.length} approved by the chair. Approved minutes keep the figures they showed when approved.`]
        : ['No management review was held in the period. Hold one under Management reviews (quarterly, Clause 9.3).'],
      tables: [
        { ...csv, file: 'management-reviews', title: 'Reviews held in the period', pdf: { columns: [0, 3, 18, 19], widths: [1, 2, 2, 2] } },
        ...minutesTables.flatMap((m, i) => [m, kpiTables[i]!]),
      ],
      summary: [
        {
          requirement: 'reviews',
          figures: [`${plural(held.length, 'review')} held, ${approved.length} approved`],
          gaps,
          missing: held.length === 0,
        },
      ],
      records: rows.map((r) => ({ ...r.review, approval: approvalLabel(r.state), approvedBy: r.state.state === 'unsigned' ? null : r.state.entry.byName, approvedAt: r.state.state === 'unsigned' ? null : r.state.entry.at, figures: r.inputs.kpis, figuresPinned: r.pinned })),
    };
  },
  // Reviews are the whole organisation's: approvals of reviews held in the period are in full whatever the teams.
  includeEntry(entry, ctx) {
    const e = entry as { recordId?: unknown };
    const r = typeof e.recordId === 'string' ? ctx.read(readReviews).find((x) => x.id === e.recordId) : undefined;
    return !!r && ctx.inPeriod(r.date);
  },
};
