import { describe, expect, it } from 'vitest';
import { computeKpis } from './kpis';
import type { SignOffEntry } from '../../domain/signoff';
import {
  approvalBlocked,
  approvalState,
  type ManagementReview,
  latestReview,
  nextReviewDue,
  openActions,
  PERIOD_END_BEFORE_START,
  pinnedInputs,
  previousActions,
  previousQuarter,
  type ReviewInputs,
  reviewFromFields,
  reviewSnapshot,
  validateAction,
  validateReviewHeader,
  withUpdates,
} from './model';

const review = (id: string, date: string, fields: Record<string, unknown> = {}): ManagementReview =>
  reviewFromFields(id, { date, periodFrom: '2026-07-01', periodTo: '2026-09-30', chairId: 'cleo', createdAt: `${date}T09:00:00.000Z`, ...fields });
const noKpis = computeKpis({ people: [], rolesByPerson: new Map(), policies: [], publications: [], acks: [], courses: [], completions: [], checklists: [], checklistEntries: [], briefings: [], reviewActions: [], agreements: [] }, { from: '2026-07-01', to: '2026-09-30' });
const inputs = (kpis = noKpis): ReviewInputs => ({ previousActions: [], kpis });
let n = 0;
const approval = (r: ManagementReview, i: ReviewInputs, extra: Partial<SignOffEntry> = {}): SignOffEntry => ({
  id: `e${++n}`, recordId: r.id, kind: 'signoff', byName: 'Cleo', byPersonId: 'cleo', at: `2026-10-0${n}T10:00:00.000Z`, deviceId: 'd', note: '', snapshot: reviewSnapshot(r, i), ...extra,
});

describe('reading a review', () => {
  it('reads attendees, decisions, actions and carried updates from their own fields; removed ones are left out', () => {
    const r = review('r1', '2026-10-15', {
      'attendee.cleo': true,
      'attendee.bo': false,
      'attendee.ana': true,
      'decision.d2': { text: 'Buy EDR', at: '2026-10-15T10:05:00.000Z' },
      'decision.d1': { text: 'Adopt MFA', at: '2026-10-15T10:00:00.000Z' },
      'decision.d3': { text: 'gone', at: '2026-10-15T10:06:00.000Z', deleted: true },
      'action.a2': { text: 'Roll out MFA', ownerId: 'ana', due: '2026-12-01', status: 'in-progress' },
      'action.a1': { text: 'Choose EDR', ownerId: 'bo', due: '2026-11-01', status: 'bogus' },
      'carried.x': { status: 'done', ownerId: 'bo', due: '', note: 'Finished' },
    });
    expect(r.attendees).toEqual(['ana', 'cleo']);
    expect(r.decisions).toEqual([{ id: 'd1', text: 'Adopt MFA' }, { id: 'd2', text: 'Buy EDR' }]);
    expect(r.actions.map((a) => [a.id, a.status])).toEqual([['a1', 'open'], ['a2', 'in-progress']]);
    expect(r.carried).toEqual({ x: { status: 'done', ownerId: 'bo', due: '', note: 'Finished', doneOn: '', doneBy: '' } });
  });

  it('defaults the period to the quarter before the review', () => {
    expect(previousQuarter('2026-11-25')).toEqual({ from: '2026-07-01', to: '2026-09-30' });
    expect(previousQuarter('2026-02-10')).toEqual({ from: '2025-10-01', to: '2025-12-31' });
    expect(previousQuarter('2024-04-01')).toEqual({ from: '2024-01-01', to: '2024-03-31' });
    expect(previousQuarter('2026-07-31')).toEqual({ from: '2026-04-01', to: '2026-06-30' });
  });

  it('finds the latest review and when the next is due', () => {
    const list = [review('a', '2026-04-10'), review('b', '2026-10-15'), review('c', '2026-12-01', { archived: true })];
    expect(latestReview(list)?.id).toBe('b');
    expect(latestReview([])).toBeUndefined();
    expect(nextReviewDue(list)).toBe('2027-01-15');
    expect(nextReviewDue([])).toBeUndefined();
  });
});

describe('validation', () => {
  const ok = { date: '2026-10-15', periodFrom: '2026-07-01', periodTo: '2026-09-30', chairId: 'cleo', changes: '', auditFindings: '', incidents: '' };
  it('refuses an empty date, a bad date, a missing chair and a period that ends before it starts', () => {
    expect(validateReviewHeader(ok).ok).toBe(true);
    expect(validateReviewHeader({ ...ok, date: '' })).toEqual({ ok: false, errors: { date: 'Enter the date of the review.' } });
    expect(validateReviewHeader({ ...ok, date: '2026-02-30' })).toEqual({ ok: false, errors: { date: 'Enter the date as YYYY-MM-DD, e.g. 2026-11-25.' } });
    expect(validateReviewHeader({ ...ok, chairId: '' }).ok).toBe(false);
    expect(validateReviewHeader({ ...ok, periodTo: '2026-06-30' })).toEqual({ ok: false, errors: { periodTo: PERIOD_END_BEFORE_START } });
    expect(validateReviewHeader({ ...ok, periodTo: '2026-07-01', periodFrom: '2026-07-01' }).ok).toBe(true);
  });
  it('needs an action’s text and a real due date', () => {
    expect(validateAction({ text: ' ', ownerId: '', due: '', status: 'open' }).ok).toBe(false);
    expect(validateAction({ text: 'Do it', ownerId: '', due: '2026-13-01', status: 'open' }).ok).toBe(false);
    expect(validateAction({ text: 'Do it', ownerId: 'ana', due: '2026-12-01', status: 'open' })).toEqual({ ok: true, value: { text: 'Do it', ownerId: 'ana', due: '2026-12-01', status: 'open' } });
  });
});

describe('actions from earlier reviews', () => {
  const q2 = review('q2', '2026-07-10', {
    'action.a': { text: 'Roll out MFA', ownerId: 'ana', due: '2026-08-31', status: 'open' },
    'action.b': { text: 'Buy EDR', ownerId: 'bo', due: '2026-09-15', status: 'done' },
    'action.c': { text: 'Train managers', ownerId: 'cy', due: '', status: 'in-progress' },
  });
  it('pulls in every action of the previous review that is not done', () => {
    const q3 = review('q3', '2026-10-15');
    const pulled = previousActions([q3, q2], q3);
    expect(pulled.map((a) => [a.id, a.text, a.ownerId, a.due, a.status, a.reviewId, a.raisedOn])).toEqual([
      ['a', 'Roll out MFA', 'ana', '2026-08-31', 'open', 'q2', '2026-07-10'],
      ['c', 'Train managers', 'cy', '', 'in-progress', 'q2', '2026-07-10'],
    ]);
    // The first review has nothing to pull in, and a review does not pull in its own actions.
    expect(previousActions([q3, q2], q2)).toEqual([]);
  });

  it('carries an action on until a review marks it done; the earlier review is not touched', () => {
    const q3 = review('q3', '2026-10-15', { 'carried.a': { status: 'in-progress', ownerId: 'ana', due: '2026-11-30', note: 'Half the staff done' }, 'carried.c': { status: 'done', ownerId: 'cy', due: '', note: '' } });
    const q4 = review('q4', '2027-01-20', { 'action.d': { text: 'Phishing test', ownerId: 'bo', due: '2027-03-01', status: 'open' } });
    const all = [q4, q3, q2];
    expect(withUpdates(previousActions(all, q3), q3).map((a) => [a.id, a.status, a.due, a.note])).toEqual([
      ['a', 'in-progress', '2026-11-30', 'Half the staff done'],
      ['c', 'done', '', ''],
    ]);
    // The next review pulls in what is still not done, as the last review left it.
    expect(previousActions(all, q4).map((a) => [a.id, a.status, a.due, a.updatedIn])).toEqual([['a', 'in-progress', '2026-11-30', 'q3']]);
    // For the Due list: every action not done at its latest status.
    expect(openActions(all).map((a) => [a.id, a.reviewId, a.updatedIn])).toEqual([['a', 'q2', 'q3'], ['d', 'q4', 'q4']]);
    expect(q2.actions.find((a) => a.id === 'a')?.status).toBe('open');
  });

  it('ignores archived reviews', () => {
    const q3 = review('q3', '2026-10-15');
    expect(previousActions([{ ...q2, archived: true }, q3], q3)).toEqual([]);
    expect(openActions([{ ...q2, archived: true }])).toEqual([]);
  });
});

describe('approval by the chair', () => {
  const r = review('r1', '2026-10-15', { 'attendee.cleo': true });
  it('only the chair may approve; anyone else is told why', () => {
    expect(approvalBlocked(r, { name: 'Cleo Chair', personId: 'cleo' }, 'Cleo Chair')).toBeUndefined();
    expect(approvalBlocked(r, { name: 'cleo  chair' }, 'Cleo Chair')).toBeUndefined();
    expect(approvalBlocked(r, { name: 'Mia Manager', personId: 'mia' }, 'Cleo Chair')).toBe('Only the chair, Cleo Chair, can approve these minutes. This device signs as Mia Manager.');
    expect(approvalBlocked(r, { name: 'Mia Manager' }, 'Cleo Chair')).toMatch(/^Only the chair/);
    expect(approvalBlocked({ ...r, chairId: '' }, { name: 'Cleo Chair', personId: 'cleo' }, '')).toBe('Choose the chair: only the chair can approve the minutes.');
    expect(approvalBlocked(r, { name: ' ' }, 'Cleo Chair')).toMatch(/Settings/);
  });

  it('pins the KPIs: later changes in other registers do not unsettle approved minutes, edits of the review do', () => {
    const shown = inputs();
    const e = approval(r, shown);
    expect(approvalState(r, [e]).state).toBe('signed');
    expect(pinnedInputs(e)?.kpis).toEqual(JSON.parse(JSON.stringify(noKpis)));
    // The figures computed today differ (e.g. a backdated training record): still approved, figures pinned.
    const changedFigures = { ...noKpis, agreementsExpired: 3 };
    expect(reviewSnapshot(r, inputs(changedFigures))).not.toBe(e.snapshot);
    expect(approvalState(r, [e]).state).toBe('signed');
    // An edit of the minutes themselves needs a new approval.
    const edited = { ...r, auditFindings: 'Two minor findings' };
    expect(approvalState(edited, [e]).state).toBe('changed');
    expect(approvalState(edited, [e, approval(edited, shown)]).state).toBe('signed');
    // A withdrawn approval no longer stands.
    expect(approvalState(r, [e, approval(r, shown, { kind: 'correction', corrects: e.id, withdraws: true })]).state).toBe('unsigned');
    expect(approvalState(r, []).state).toBe('unsigned');
  });
});
