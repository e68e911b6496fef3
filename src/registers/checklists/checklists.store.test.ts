import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Signer } from '../../store/signoffs';
import { entriesOf } from '../../store/records';
import { STANDARD_ITEMS } from './model';
import { createChecklistStore } from './store';

const mia: Signer = { name: 'Mia Manager', deviceId: 'device-a' };
const sam: Signer = { name: 'Sam Staff', deviceId: 'device-b' };

/** Two devices, each with its own document and store; `sync` exchanges everything both ways. */
function twoDevices() {
  const a = new Y.Doc();
  const b = new Y.Doc();
  const sync = () => {
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
  };
  return { a, b, sync };
}

describe('checklist store', () => {
  it('keeps both devices’ edits to different fields of one checklist', () =>
    createRoot((dispose) => {
      const { a, b, sync } = twoDevices();
      const sa = createChecklistStore(a);
      const sb = createChecklistStore(b);
      const created = sa.create({ team: 'Ops', month: '2026-11' }, STANDARD_ITEMS, mia);
      expect(created.ok).toBe(true);
      if (!created.ok) return;
      sync();
      const id = created.value.id;
      // Offline on both devices:
      sa.setItem(id, 'brief', 'status', 'done');
      sa.setItem(id, 'enforce', 'status', 'na');
      sb.setItem(id, 'enforce', 'note', 'Reminded Sam about tailgating');
      sb.setItem(id, 'lead', 'evidence', 'Observed at 10:00 stand-up');
      sync();
      for (const s of [sa, sb]) {
        const c = s.byId().get(id)!;
        expect(c.state['brief']?.status).toBe('done');
        expect(c.state['enforce']).toMatchObject({ status: 'na', note: 'Reminded Sam about tailgating' });
        expect(c.state['lead']?.evidence).toBe('Observed at 10:00 stand-up');
      }
      dispose();
    }));

  it('refuses a sign-off before every item is answered, and stores nothing', () =>
    createRoot((dispose) => {
      const doc = new Y.Doc();
      const s = createChecklistStore(doc);
      const r = s.create({ team: 'Ops', month: '2026-11' }, STANDARD_ITEMS, mia);
      if (!r.ok) throw new Error('create failed');
      s.setItem(r.value.id, 'brief', 'status', 'done');
      expect(s.signOff(s.byId().get(r.value.id)!, mia, '')).toBe('Answer every item (done, not done or N/A) before signing off.');
      expect(entriesOf(doc).size).toBe(0);
      dispose();
    }));

  it('sign-offs are append-only: a correction is a new entry and the original stays intact', () =>
    createRoot((dispose) => {
      const doc = new Y.Doc();
      const s = createChecklistStore(doc);
      const r = s.create({ team: 'Ops', month: '2026-11' }, STANDARD_ITEMS, mia);
      if (!r.ok) throw new Error('create failed');
      for (const i of STANDARD_ITEMS) s.setItem(r.value.id, i.key, 'status', 'done');
      const c = () => s.byId().get(r.value.id)!;
      expect(s.signOff(c(), mia, 'All good')).toBeUndefined();
      expect(s.status(c())).toBe('complete');
      const original = structuredClone(s.history(r.value.id)[0]!);
      expect(original).toMatchObject({ kind: 'signoff', byName: 'Mia Manager', deviceId: 'device-a', note: 'All good' });

      expect(s.correct(c(), original.id, mia, '', true)).toBe('Say what is being corrected and why.');
      expect(s.correct(c(), original.id, mia, 'Enforce rules was not done this month', true)).toBeUndefined();
      const history = s.history(r.value.id);
      expect(history).toHaveLength(2);
      expect(history[0]).toEqual(original);
      expect(history[1]).toMatchObject({ kind: 'correction', corrects: original.id, withdraws: true });
      expect(s.status(c())).toBe('ready');
      dispose();
    }));

  it('concurrent sign-offs on two devices are both kept', () =>
    createRoot((dispose) => {
      const { a, b, sync } = twoDevices();
      const sa = createChecklistStore(a);
      const sb = createChecklistStore(b);
      const r = sa.create({ team: 'Ops', month: '2026-11' }, STANDARD_ITEMS, mia);
      if (!r.ok) throw new Error('create failed');
      for (const i of STANDARD_ITEMS) sa.setItem(r.value.id, i.key, 'status', 'done');
      sync();
      sa.signOff(sa.byId().get(r.value.id)!, mia, '');
      sb.signOff(sb.byId().get(r.value.id)!, sam, '');
      sync();
      expect(sa.history(r.value.id).map((e) => e.byName).sort()).toEqual(['Mia Manager', 'Sam Staff']);
      expect(sb.history(r.value.id)).toEqual(sa.history(r.value.id));
      dispose();
    }));

  it('refuses a duplicate team/month and leaves the stored checklist untouched', () =>
    createRoot((dispose) => {
      const doc = new Y.Doc();
      const s = createChecklistStore(doc);
      const r = s.create({ team: 'Ops', month: '2026-11' }, STANDARD_ITEMS, mia);
      if (!r.ok) throw new Error('create failed');
      s.setItem(r.value.id, 'brief', 'status', 'done');
      const before = Y.encodeStateAsUpdate(doc);
      expect(s.create({ team: 'Ops', month: '2026-11' }, STANDARD_ITEMS, sam).ok).toBe(false);
      expect(s.create({ team: 'Ops', month: '11-2026' }, STANDARD_ITEMS, sam).ok).toBe(false);
      expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
      expect(s.all()).toHaveLength(1);
      dispose();
    }));
});

/** A store on a fresh document with one Ops checklist for November. */
function oneChecklist() {
  const doc = new Y.Doc();
  const s = createChecklistStore(doc);
  const created = s.create({ team: 'Ops', month: '2026-11' }, STANDARD_ITEMS, mia);
  if (!created.ok) throw new Error('not created');
  return { doc, s, id: created.value.id };
}

describe('checklist store: identity and follow-up actions (issue 11)', () => {
  it('saving one field keeps the identity of every unchanged part, so the screen recreates no other input', () =>
    createRoot((dispose) => {
      const { s, id } = oneChecklist();
      const two = s.create({ team: 'Sales', month: '2026-11' }, STANDARD_ITEMS, mia);
      if (!two.ok) throw new Error('not created');
      const before = s.byId().get(id)!;
      const other = s.byId().get(two.value.id)!;
      s.setItem(id, 'brief', 'note', 'Briefed at stand-up');
      const after = s.byId().get(id)!;
      expect(after.state['brief']!.note).toBe('Briefed at stand-up');
      expect(after.items).toBe(before.items);
      for (const key of ['compliance', 'enforce', 'lead']) expect(after.state[key]).toBe(before.state[key]);
      expect(after.state['brief']).not.toBe(before.state['brief']);
      // The other checklist is not even re-read.
      expect(s.byId().get(two.value.id)).toBe(other);
      dispose();
    }));

  it('stores an action per item as action.<id>, refuses bad input, and ticking it off leaves the sign-off standing', () =>
    createRoot((dispose) => {
      const { doc, s, id } = oneChecklist();
      for (const key of ['brief', 'enforce', 'lead']) s.setItem(id, key, 'status', 'done');
      s.setItem(id, 'compliance', 'status', 'not-done');
      const c = () => s.byId().get(id)!;
      expect(s.addAction(c(), { text: ' ', ownerId: '', due: '', done: false, item: 'compliance' })).toEqual({ ok: false, errors: { text: 'Describe the action.' } });
      expect(s.addAction(c(), { text: 'Chase courses', ownerId: '', due: '2026-13-01', done: false, item: 'compliance' }).ok).toBe(false);
      expect(s.addAction(c(), { text: 'Chase courses', ownerId: '', due: '', done: false, item: 'nope' })).toEqual({ ok: false, errors: { text: 'That item is not on this checklist.' } });
      expect(c().actions).toEqual([]);
      expect(s.addAction(c(), { text: 'Chase courses', ownerId: 'p1', due: '2026-12-20', done: false, item: 'compliance' }).ok).toBe(true);
      const [action] = c().actions;
      expect(action).toMatchObject({ text: 'Chase courses', ownerId: 'p1', due: '2026-12-20', done: false, item: 'compliance' });
      const raw = (doc.getMap('records').get(id) as Y.Map<unknown>).get(`action.${action!.id}`);
      expect(raw).toEqual({ text: 'Chase courses', ownerId: 'p1', due: '2026-12-20', done: false, item: 'compliance' });

      expect(s.signOff(c(), mia, '')).toBeUndefined();
      expect(s.status(c())).toBe('signed-with-gaps');
      expect(s.setActionDone(c(), action!.id, true, mia, '2026-12-06')).toBeUndefined();
      expect(c().actions[0]).toMatchObject({ done: true, doneOn: '2026-12-06', doneBy: mia.name });
      expect(s.status(c())).toBe('signed-with-gaps');
      s.removeAction(id, action!.id);
      expect(c().actions).toEqual([]);
      expect(s.status(c())).toBe('signed-with-gaps');
      dispose();
    }));

  it('refuses a 5,000-character note with its length, and keeps the stored one', () =>
    createRoot((dispose) => {
      const { s, id } = oneChecklist();
      s.setItem(id, 'lead', 'note', 'Short');
      expect(s.setItem(id, 'lead', 'note', 'x'.repeat(5000))).toBe('Keep it under 2,000 characters: this has 5,000, so it is not saved yet.');
      expect(s.byId().get(id)!.state['lead']!.note).toBe('Short');
      dispose();
    }));
});
