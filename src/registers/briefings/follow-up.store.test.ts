import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { buildLogSection, summariseLog, verifyLog } from '../../domain/evidence-log';
import { canonicalJson } from '../../domain/signoff';
import { appendEntry, createRecord, entriesOf } from '../../store/records';
import { actionField, attendeeField } from './model';
import { createBriefingStore } from './store';

const mia = { name: 'Mia Manager', deviceId: 'device-a', personId: 'p-mia' };
const verify = (doc: Y.Doc) => {
  const registers = { briefings: [...entriesOf(doc).values()] };
  return verifyLog(buildLogSection(registers, () => true), summariseLog(registers));
};

/**
 * Minutes signed off before follow-up was kept apart: the snapshot is built
 * exactly as the code of 7fb5941 built it (each action with its `done`), and
 * the entry goes through the evidence log like any other.
 */
function oldSignedMinutes(doc: Y.Doc) {
  createRecord(doc, 'b1', {
    date: '2026-11-03', team: 'Ops', notes: 'MFA rollout', createdAt: '2026-11-03T09:00:00.000Z', createdBy: 'Mia Manager',
    [attendeeField('p-mia')]: true,
    [actionField('a1')]: { text: 'Enable MFA on the VPN', ownerId: 'p-mia', due: '2026-11-20', done: false },
  });
  const oldSnapshot = canonicalJson({
    date: '2026-11-03', team: 'Ops', attendees: ['p-mia'], topics: [], notes: 'MFA rollout',
    actions: [{ id: 'a1', text: 'Enable MFA on the VPN', ownerId: 'p-mia', due: '2026-11-20', done: false }],
  });
  const oldEntry = { id: 'e-old', recordId: 'b1', kind: 'signoff', byName: 'Mia Manager', at: '2026-11-03T10:00:00.000Z', deviceId: 'device-a', note: '', snapshot: oldSnapshot };
  appendEntry(doc, oldEntry);
}

describe('follow-up of briefing actions', () => {
  it('ticking an action done on minutes signed the old way keeps them signed, records who and when, and the log still verifies', () =>
    createRoot((dispose) => {
      const doc = new Y.Doc();
      oldSignedMinutes(doc);
      const s = createBriefingStore(doc);
      const b = () => s.byId().get('b1')!;
      expect(s.signOffState(b()).state).toBe('signed');
      const entriesBefore = JSON.stringify([...entriesOf(doc).values()]);

      expect(s.setActionDone(b(), 'a1', true, mia, '2026-11-18')).toBeUndefined();
      expect(b().actions[0]).toMatchObject({ done: true, doneOn: '2026-11-18', doneBy: 'Mia Manager' });
      expect(s.signOffState(b()).state).toBe('signed');
      // Nothing stored as evidence was rewritten: the chain verifies as before.
      expect(JSON.stringify([...entriesOf(doc).values()])).toBe(entriesBefore);
      expect(verify(doc)).toMatchObject({ ok: true, problems: [], checked: 1 });

      // Unticking is follow-up too; editing what was decided is not.
      s.setActionDone(b(), 'a1', false, mia, '2026-11-19');
      expect(b().actions[0]).toMatchObject({ done: false, doneOn: '', doneBy: '' });
      expect(s.signOffState(b()).state).toBe('signed');
      s.updateAction('b1', 'a1', { text: 'Enable MFA on the VPN and email', ownerId: 'p-mia', due: '2026-11-20', done: false });
      expect(s.signOffState(b()).state).toBe('changed');
      dispose();
    }));

  it('a new sign-off stands through ticking done, keeps the first done day, and an edit of the text keeps the follow-up', () =>
    createRoot((dispose) => {
      const doc = new Y.Doc();
      const s = createBriefingStore(doc);
      const r = s.create({ date: '2026-11-25', team: 'Ops', notes: '' }, mia);
      if (!r.ok) throw new Error('create failed');
      const id = r.value.id;
      const b = () => s.byId().get(id)!;
      s.setPresent(id, 'p-mia', true);
      s.addAction(id, { text: 'Lock screens', ownerId: '', due: '2026-12-01', done: false });
      expect(s.signOff(b(), mia, '')).toBeUndefined();
      const actionId = b().actions[0]!.id;
      s.setActionDone(b(), actionId, true, mia, '2026-11-26');
      s.setActionDone(b(), actionId, true, { name: 'Sam Staff', deviceId: 'device-b' }, '2026-11-27');
      expect(b().actions[0]).toMatchObject({ done: true, doneOn: '2026-11-26', doneBy: 'Mia Manager' });
      expect(s.signOffState(b()).state).toBe('signed');
      s.updateAction(id, actionId, { text: 'Lock screens when away', ownerId: '', due: '2026-12-01', done: true });
      expect(b().actions[0]).toMatchObject({ text: 'Lock screens when away', doneOn: '2026-11-26', doneBy: 'Mia Manager' });
      expect(s.signOffState(b()).state).toBe('changed');
      expect(s.setActionDone(b(), 'nope', true, mia, '2026-11-26')).toBe('That action is not in these minutes.');
      dispose();
    }));
});
