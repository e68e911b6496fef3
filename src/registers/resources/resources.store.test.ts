import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { entriesOf } from '../../store/records';
import type { Signer } from '../../store/signoffs';
import { type ResourceInput, UNKNOWN_CURRENCY } from './model';
import { createResourceStore } from './store';

const TODAY = '2026-11-25';
const mia: Signer = { name: 'Mia Manager', deviceId: 'dev-a', personId: 'mia' };
const input: ResourceInput = { kind: 'tool', description: 'EDR for laptops', amount: '2400', currency: 'EUR', hours: '', control: 'A 8.7 malware', reviewId: 'r1' };
const approval = { approvedBy: 'cleo', approvedOn: '2026-10-15' };

describe('resource store', () => {
  it('stores the description as a record and the approval as an append-only entry', () =>
    createRoot((dispose) => {
      const doc = new Y.Doc();
      const s = createResourceStore(doc);
      const r = s.add(input, approval, mia, TODAY);
      if (!r.ok) throw new Error('add');
      expect(r.value).toMatchObject({ kind: 'tool', amount: 2400, currency: 'EUR', approvedBy: 'cleo', approvedOn: '2026-10-15', createdBy: 'Mia Manager' });
      const [entry] = Object.values(entriesOf(doc).toJSON());
      expect(entry).toMatchObject({ kind: 'approval', recordId: r.value.id, approvedBy: 'cleo', approvedOn: '2026-10-15', byName: 'Mia Manager', byPersonId: 'mia', deviceId: 'dev-a' });
      expect(s.forReview('r1').map((x) => x.id)).toEqual([r.value.id]);
      // A correction is a new entry; the first stays as it was.
      const before = JSON.stringify(entriesOf(doc).toJSON());
      expect(s.correctApproval(r.value.id, { approvedBy: 'ceo', approvedOn: '2026-10-16' }, 'It was the CEO', mia, TODAY).ok).toBe(true);
      const after = entriesOf(doc).toJSON() as Record<string, Record<string, unknown>>;
      expect(Object.keys(after)).toHaveLength(2);
      for (const [id, e] of Object.entries(JSON.parse(before) as Record<string, unknown>)) expect(after[id]).toEqual(e);
      expect(s.byId().get(r.value.id)).toMatchObject({ approvedBy: 'ceo', approvedOn: '2026-10-16' });
      expect(s.history(r.value.id).map((e) => e.corrects ?? '')).toEqual(['', Object.keys(JSON.parse(before))[0]]);
      // Editing the description clears an amount no longer given.
      expect(s.update(r.value.id, { ...input, kind: 'staff-time', amount: '', currency: '', hours: '16' }).ok).toBe(true);
      expect(s.byId().get(r.value.id)).toMatchObject({ kind: 'staff-time', hours: 16, currency: '' });
      expect(s.byId().get(r.value.id)!.amount).toBeUndefined();
      dispose();
    }));

  it('stores nothing on bad input', () =>
    createRoot((dispose) => {
      const doc = new Y.Doc();
      const s = createResourceStore(doc);
      expect(s.add({ ...input, currency: 'XYZ' }, approval, mia, TODAY)).toEqual({ ok: false, errors: { currency: UNKNOWN_CURRENCY('XYZ') } });
      expect(s.add(input, { approvedBy: 'cleo', approvedOn: '2026-11-26' }, mia, TODAY).ok).toBe(false);
      expect(s.add({ ...input, description: '' }, { approvedBy: '', approvedOn: '' }, mia, TODAY)).toMatchObject({ ok: false, errors: { description: expect.any(String), approvedBy: expect.any(String), approvedOn: expect.any(String) } });
      expect(s.all()).toHaveLength(0);
      const r = s.add(input, approval, mia, TODAY);
      if (!r.ok) throw new Error('add');
      const before = Y.encodeStateAsUpdate(doc);
      expect(s.update(r.value.id, { ...input, amount: 'a lot' }).ok).toBe(false);
      expect(s.update('missing', input).ok).toBe(false);
      expect(s.correctApproval(r.value.id, approval, '', mia, TODAY).ok).toBe(false);
      expect(s.correctApproval(r.value.id, { approvedBy: 'cleo', approvedOn: '2027-01-01' }, 'why', mia, TODAY).ok).toBe(false);
      expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
      dispose();
    }));

  it('merges two devices: different fields both kept, concurrent corrections both kept', () =>
    createRoot((dispose) => {
      const a = new Y.Doc();
      const b = new Y.Doc();
      const sync = () => {
        Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
        Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
      };
      const sa = createResourceStore(a);
      const sb = createResourceStore(b);
      const r = sa.add(input, approval, mia, TODAY);
      if (!r.ok) throw new Error('add');
      sync();
      expect(sa.update(r.value.id, { ...input, description: 'EDR for all laptops' }).ok).toBe(true);
      expect(sb.update(r.value.id, { ...input, control: 'A 8.7 protection against malware' }).ok).toBe(true);
      sa.correctApproval(r.value.id, { approvedBy: 'ceo', approvedOn: '2026-10-15' }, 'CEO approved', mia, TODAY);
      sb.correctApproval(r.value.id, { approvedBy: 'cfo', approvedOn: '2026-10-15' }, 'CFO approved', { ...mia, deviceId: 'dev-b' }, TODAY);
      sync();
      for (const s of [sa, sb]) {
        expect(s.byId().get(r.value.id)).toMatchObject({ description: 'EDR for all laptops', control: 'A 8.7 protection against malware' });
        expect(s.history(r.value.id)).toHaveLength(3);
      }
      expect(sa.byId().get(r.value.id)!.approvedBy).toBe(sb.byId().get(r.value.id)!.approvedBy);
      dispose();
    }));
});
