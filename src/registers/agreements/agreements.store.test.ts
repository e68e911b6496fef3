import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type AgreementInput, EXPIRY_BEFORE_SIGNED } from './model';
import { createAgreementStore } from './store';

const TODAY = '2026-11-25';
const base: AgreementInput = { partyPersonId: 'p1', partyName: '', type: 'employment', signedOn: '2026-01-05', expiresOn: '', securityClauses: true, policyIds: ['pol-a'], policyRefs: '', documentRef: 'HR/contracts/p1.pdf', notes: '' };

describe('agreement store', () => {
  it('merges edits of different fields and policies from two devices', () =>
    createRoot((dispose) => {
      const a = new Y.Doc();
      const b = new Y.Doc();
      const sync = () => {
        Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
        Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
      };
      const sa = createAgreementStore(a);
      const sb = createAgreementStore(b);
      const r = sa.add(base, 'Mia', TODAY);
      if (!r.ok) throw new Error('add');
      sync();
      expect(sa.update(r.value.id, { ...base, expiresOn: '2027-01-04' }, TODAY).ok).toBe(true);
      expect(sb.update(r.value.id, { ...base, policyIds: ['pol-a', 'pol-b'], documentRef: 'DMS-42' }, TODAY).ok).toBe(true);
      sync();
      for (const s of [sa, sb]) expect(s.byId().get(r.value.id)).toMatchObject({ expiresOn: '2027-01-04', policyIds: ['pol-a', 'pol-b'], documentRef: 'DMS-42', createdBy: 'Mia' });
      sa.setArchived(r.value.id, true);
      expect(sa.active()).toHaveLength(0);
      expect(sa.all()).toHaveLength(1);
      dispose();
    }));

  it('another party makes it another record (whose it is decides whose phones receive it), with every field kept', () =>
    createRoot((dispose) => {
      const doc = new Y.Doc();
      const s = createAgreementStore(doc);
      const r = s.add(base, 'Mia', TODAY);
      if (!r.ok) throw new Error('add');
      const same = s.update(r.value.id, { ...base, documentRef: 'DMS-1' }, TODAY);
      expect(same.ok && same.value.id).toBe(r.value.id);
      const moved = s.update(r.value.id, { ...base, partyPersonId: 'p2', documentRef: 'DMS-1' }, TODAY);
      if (!moved.ok) throw new Error('move');
      expect(moved.value.id).not.toBe(r.value.id);
      expect(s.all().map((a) => [a.id, a.partyPersonId, a.documentRef, a.createdBy])).toEqual([[moved.value.id, 'p2', 'DMS-1', 'Mia']]);
      dispose();
    }));

  it('stores nothing on bad input', () =>
    createRoot((dispose) => {
      const doc = new Y.Doc();
      const s = createAgreementStore(doc);
      expect(s.add({ ...base, signedOn: '2026-01-05', expiresOn: '2026-01-04' }, '', TODAY)).toEqual({ ok: false, errors: { expiresOn: EXPIRY_BEFORE_SIGNED } });
      expect(s.add({ ...base, partyPersonId: '' }, '', TODAY).ok).toBe(false);
      expect(s.all()).toHaveLength(0);
      const r = s.add(base, '', TODAY);
      if (!r.ok) throw new Error('add');
      const before = Y.encodeStateAsUpdate(doc);
      expect(s.update(r.value.id, { ...base, signedOn: 'soon' }, TODAY).ok).toBe(false);
      expect(s.update('missing', base, TODAY).ok).toBe(false);
      expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
      dispose();
    }));
});
