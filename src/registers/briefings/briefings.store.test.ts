import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createBriefingStore } from './store';

const signer = { name: 'Mia Manager', deviceId: 'device-a' };

describe('briefing store', () => {
  it('merges attendance, topics and notes recorded on two devices', () =>
    createRoot((dispose) => {
      const a = new Y.Doc();
      const b = new Y.Doc();
      const sync = () => {
        Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
        Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
      };
      const sa = createBriefingStore(a);
      const sb = createBriefingStore(b);
      const r = sa.create({ date: '2026-11-25', team: 'Ops', notes: '' }, signer);
      if (!r.ok) throw new Error('create failed');
      sync();
      const get = (s: typeof sa) => s.byId().get(r.value.id)!;
      sa.setPresent(r.value.id, 'p1', true);
      sa.setTopic(r.value.id, 'Screen locking', true);
      sb.setPresent(r.value.id, 'p2', true);
      sb.setTopic(r.value.id, 'Password manager', true);
      expect(sb.setHeader(get(sb), 'notes', 'Discussed the new MFA rollout')).toBeUndefined();
      sa.addAction(r.value.id, { text: 'Enable MFA', ownerId: 'p1', due: '2026-12-01', done: false });
      sync();
      for (const s of [sa, sb]) {
        expect(get(s).attendees.sort()).toEqual(['p1', 'p2']);
        expect(get(s).topics).toEqual(['Password manager', 'Screen locking']);
        expect(get(s).notes).toBe('Discussed the new MFA rollout');
        expect(get(s).actions.map((x) => x.text)).toEqual(['Enable MFA']);
      }
      dispose();
    }));

  it('rejects bad input without storing anything', () =>
    createRoot((dispose) => {
      const doc = new Y.Doc();
      const s = createBriefingStore(doc);
      expect(s.create({ date: '25/11/2026', team: 'Ops', notes: '' }, signer)).toEqual({ ok: false, errors: { date: 'Enter the date as YYYY-MM-DD, e.g. 2026-11-25.' } });
      expect(s.all()).toHaveLength(0);
      const r = s.create({ date: '2026-11-25', team: 'Ops', notes: '' }, signer);
      if (!r.ok) throw new Error('create failed');
      const before = Y.encodeStateAsUpdate(doc);
      expect(s.setHeader(s.byId().get(r.value.id)!, 'date', '2026-13-01')).toBe('Enter the date as YYYY-MM-DD, e.g. 2026-11-25.');
      expect(s.addAction(r.value.id, { text: '', ownerId: '', due: '', done: false }).ok).toBe(false);
      expect(s.setTopic(r.value.id, '   ', true)).toBe('Type a topic first.');
      expect(s.signOff(s.byId().get(r.value.id)!, signer, '')).toBe('Mark who was present before signing the minutes.');
      expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
      dispose();
    }));
});
