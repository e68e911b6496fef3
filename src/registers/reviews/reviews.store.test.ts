import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { computeKpis } from './kpis';
import { entriesOf } from '../../store/records';
import type { Signer } from '../../store/signoffs';
import { PERIOD_END_BEFORE_START, previousActions, type ReviewInputs } from './model';
import { createReviewStore } from './store';

const cleo: Signer = { name: 'Cleo Chair', deviceId: 'dev-a', personId: 'cleo' };
const mia: Signer = { name: 'Mia Manager', deviceId: 'dev-b', personId: 'mia' };
const header = { date: '2026-10-15', periodFrom: '2026-07-01', periodTo: '2026-09-30', chairId: 'cleo' };
const kpis = computeKpis({ people: [], rolesByPerson: new Map(), policies: [], publications: [], acks: [], courses: [], completions: [], checklists: [], checklistEntries: [], briefings: [], reviewActions: [], agreements: [] }, { from: '2026-07-01', to: '2026-09-30' });
const shown: ReviewInputs = { previousActions: [], kpis };

function pair() {
  const a = new Y.Doc();
  const b = new Y.Doc();
  const sync = () => {
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
  };
  return { a, b, sync };
}

describe('review store', () => {
  it('keeps both devices’ edits of different sections of one review made offline', () =>
    createRoot((dispose) => {
      const { a, b, sync } = pair();
      const sa = createReviewStore(a);
      const sb = createReviewStore(b);
      const r = sa.create(header, cleo);
      if (!r.ok) throw new Error('create');
      sync();
      // Offline: A writes the changes and an action and ticks Ana; B writes the audit findings, a decision, and ticks Bo.
      const ra = sa.byId().get(r.value.id)!;
      const rb = sb.byId().get(r.value.id)!;
      expect(sa.setHeader(ra, 'changes', 'New office in Leeds')).toBeUndefined();
      expect(sa.addAction(r.value.id, { text: 'Roll out MFA', ownerId: 'ana', due: '2026-12-01', status: 'open' }).ok).toBe(true);
      sa.setAttendee(r.value.id, 'ana', true);
      expect(sb.setHeader(rb, 'auditFindings', 'Two minor findings')).toBeUndefined();
      expect(sb.addDecision(r.value.id, 'Buy EDR for laptops').ok).toBe(true);
      sb.setAttendee(r.value.id, 'bo', true);
      sync();
      for (const s of [sa, sb]) {
        const merged = s.byId().get(r.value.id)!;
        expect(merged).toMatchObject({ changes: 'New office in Leeds', auditFindings: 'Two minor findings', attendees: ['ana', 'bo', 'cleo'], createdBy: 'Cleo Chair' });
        expect(merged.actions.map((x) => x.text)).toEqual(['Roll out MFA']);
        expect(merged.decisions.map((x) => x.text)).toEqual(['Buy EDR for laptops']);
      }
      dispose();
    }));

  it('stores nothing on bad input', () =>
    createRoot((dispose) => {
      const doc = new Y.Doc();
      const s = createReviewStore(doc);
      expect(s.create({ ...header, date: '' }, cleo)).toEqual({ ok: false, errors: { date: 'Enter the date of the review.' } });
      expect(s.create({ ...header, periodTo: '2026-06-30' }, cleo)).toEqual({ ok: false, errors: { periodTo: PERIOD_END_BEFORE_START } });
      expect(s.create({ ...header, chairId: '' }, cleo).ok).toBe(false);
      expect(s.all()).toHaveLength(0);
      const r = s.create(header, cleo);
      if (!r.ok) throw new Error('create');
      const before = Y.encodeStateAsUpdate(doc);
      const rv = s.byId().get(r.value.id)!;
      expect(s.setHeader(rv, 'periodTo', '2026-01-01')).toBe(PERIOD_END_BEFORE_START);
      expect(s.setHeader(rv, 'date', '2026-02-31')).toMatch(/YYYY-MM-DD/);
      expect(s.addAction(rv.id, { text: '', ownerId: '', due: '', status: 'open' }).ok).toBe(false);
      expect(s.addAction('missing', { text: 'x', ownerId: '', due: '', status: 'open' }).ok).toBe(false);
      expect(s.addDecision(rv.id, '  ').ok).toBe(false);
      expect(s.updateCarried(rv.id, 'a', { status: 'done', ownerId: '', due: 'soon', note: '' }).ok).toBe(false);
      expect(s.approve(rv, shown, mia, 'Cleo Chair', '')).toMatch(/^Only the chair, Cleo Chair/);
      expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
      dispose();
    }));

  it('approvals are append-only: concurrent approvals and a correction are all kept, none edited', () =>
    createRoot((dispose) => {
      const { a, b, sync } = pair();
      const sa = createReviewStore(a);
      const sb = createReviewStore(b);
      const r = sa.create(header, cleo);
      if (!r.ok) throw new Error('create');
      sync();
      expect(sa.approve(sa.byId().get(r.value.id)!, shown, cleo, 'Cleo Chair', 'Approved at the meeting')).toBeUndefined();
      expect(sb.approve(sb.byId().get(r.value.id)!, shown, { ...cleo, deviceId: 'dev-c' }, 'Cleo Chair', '')).toBeUndefined();
      sync();
      expect(sa.history(r.value.id)).toHaveLength(2);
      const snapshot = JSON.stringify(entriesOf(a).toJSON());
      const rv = sa.byId().get(r.value.id)!;
      expect(sa.approvalState(rv).state).toBe('signed');
      const first = sa.history(r.value.id)[0]!;
      expect(sa.correct(rv, shown, first.id, cleo, 'Signed twice', false)).toBeUndefined();
      sync();
      const after = entriesOf(b).toJSON() as Record<string, unknown>;
      expect(Object.keys(after)).toHaveLength(3);
      // The earlier entries are exactly as they were.
      for (const [id, e] of Object.entries(JSON.parse(snapshot) as Record<string, unknown>)) expect(after[id]).toEqual(e);
      // Editing the minutes after approval needs a new approval.
      sa.setHeader(rv, 'incidents', 'Laptop lost in July');
      expect(sa.approvalState(sa.byId().get(r.value.id)!).state).toBe('changed');
      dispose();
    }));

  it('updates an earlier review’s action in the later review, leaving the approved earlier one unchanged', () =>
    createRoot((dispose) => {
      const doc = new Y.Doc();
      const s = createReviewStore(doc);
      const q2 = s.create({ ...header, date: '2026-07-10', periodFrom: '2026-04-01', periodTo: '2026-06-30' }, cleo);
      if (!q2.ok) throw new Error('q2');
      s.addAction(q2.value.id, { text: 'Roll out MFA', ownerId: 'ana', due: '2026-08-31', status: 'open' });
      expect(s.approve(s.byId().get(q2.value.id)!, shown, cleo, 'Cleo Chair', '')).toBeUndefined();
      const q3 = s.create(header, cleo);
      if (!q3.ok) throw new Error('q3');
      const pulled = previousActions(s.all(), s.byId().get(q3.value.id)!);
      expect(pulled.map((x) => [x.text, x.status])).toEqual([['Roll out MFA', 'open']]);
      expect(s.updateCarried(q3.value.id, pulled[0]!.id, { status: 'done', ownerId: 'ana', due: '2026-08-31', note: 'Done in September' }).ok).toBe(true);
      expect(s.byId().get(q3.value.id)!.carried[pulled[0]!.id]?.status).toBe('done');
      expect(s.approvalState(s.byId().get(q2.value.id)!).state).toBe('signed');
      dispose();
    }));
});
