import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createRecord, entriesOf } from '../../store/records';
import type { EntryInput } from './model';
import { createDisciplinaryStore } from './store';

const mia = { name: 'Mia Manager', deviceId: 'device-a', personId: 'mia' };
const ola = { name: 'Ola Officer', deviceId: 'device-b', personId: 'ola' };
const sam = { name: 'Sam Staff', deviceId: 'device-c', personId: 'sam' };
const stranger = { name: 'Phone 3', deviceId: 'device-d' };
const TODAY = '2026-11-25';
const people = new Set(['mia', 'ola', 'sam']);
const ctx = { today: TODAY, policies: [{ id: 'pol1', title: 'Acceptable use' }], personIds: people };

function pair() {
  const a = new Y.Doc();
  const b = new Y.Doc();
  const sync = () => {
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
  };
  return { a, b, sync, sa: createDisciplinaryStore(a), sb: createDisciplinaryStore(b) };
}

/** Tiers and two officers on device A, synced to B; returns the first tier's id. */
function setUp(p: ReturnType<typeof pair>): string {
  expect(p.sa.addDefaultTiers({ signer: mia })).toBeUndefined();
  expect(p.sa.setOfficer('mia', true, { signer: mia })).toBeUndefined();
  expect(p.sa.setOfficer('ola', true, { signer: mia })).toBeUndefined();
  p.sync();
  return p.sa.tiers()[0]!.id;
}

const input = (tierId: string, over: Partial<EntryInput> = {}): EntryInput => ({
  personId: 'sam',
  date: '2026-11-20',
  policyId: 'pol1',
  policyOther: '',
  tierId,
  facts: 'Sam Staff left the laptop unlocked in the café.',
  outcome: 'Coaching given.',
  decidedById: 'mia',
  evidence: 'HR-14',
  ...over,
});

describe('disciplinary store', () => {
  it('keeps the entries two officers record offline on two devices', () =>
    createRoot(async (dispose) => {
      const p = pair();
      const tierId = setUp(p);
      p.sa.unlock();
      p.sb.unlock();
      // Both offline: each officer records a decision.
      const ra = await p.sa.record(input(tierId), ctx, { signer: mia });
      const rb = await p.sb.record(input(tierId, { date: '2026-11-21', policyId: '', policyOther: 'Clean desk', decidedById: 'ola' }), ctx, { signer: ola });
      expect([ra.ok, rb.ok]).toEqual([true, true]);
      p.sync();
      await Promise.all([p.sa.settled(), p.sb.settled()]);
      expect(p.sa.summary({ from: '2026-11-01', to: '2026-11-30' })).toEqual({ count: 2, byTier: { 'Accidental error': 2 } });
      for (const s of [p.sa, p.sb]) {
        expect(s.log().current.map((e) => `${e.date} ${e.policy} ${e.byName} ${e.deviceId}`)).toEqual([
          '2026-11-20 Acceptable use Mia Manager device-a',
          '2026-11-21 Clean desk Ola Officer device-b',
        ]);
        expect(s.unreadable()).toBe(0);
      }
      dispose();
    }));

  it('a correction is a new entry pointing at what it corrects; the original stays', () =>
    createRoot(async (dispose) => {
      const p = pair();
      const tierId = setUp(p);
      const second = p.sa.tiers()[1]!;
      p.sa.unlock();
      const r = await p.sa.record(input(tierId), ctx, { signer: mia });
      if (!r.ok) throw new Error('record');
      const storedBefore = JSON.stringify(entriesOf(p.a).get(r.value.id));
      // No reason: refused, nothing written.
      const before = Y.encodeStateAsUpdate(p.a);
      expect(await p.sa.correct(r.value.id, input(second.id), ' ', ctx, { signer: mia })).toEqual({ ok: false, errors: { reason: 'Say what is being corrected and why.' } });
      expect(Y.encodeStateAsUpdate(p.a)).toEqual(before);
      const c = await p.sa.correct(r.value.id, input(second.id), 'Second time this month', ctx, { signer: mia });
      if (!c.ok) throw new Error('correct');
      expect(c.value).toMatchObject({ corrects: r.value.id, reason: 'Second time this month', tierName: 'Repeated or negligent' });
      expect(JSON.stringify(entriesOf(p.a).get(r.value.id))).toBe(storedBefore);
      expect(entriesOf(p.a).size).toBe(2);
      expect(p.sa.log().current.map((e) => e.id)).toEqual([c.value.id]);
      expect(p.sa.log().correctedBy.get(r.value.id)).toEqual([c.value.id]);
      // Withdrawn by mistake: a third entry, the log is empty of standing decisions, the evidence all there.
      expect(await p.sa.withdraw(c.value.id, 'Recorded for the wrong person', { signer: mia })).toBeUndefined();
      expect(await p.sa.withdraw(c.value.id, 'Again', { signer: mia })).toBe('That entry has already been withdrawn.');
      expect(p.sa.log().current).toEqual([]);
      expect(p.sa.log().all).toHaveLength(2);
      expect(entriesOf(p.a).size).toBe(3);
      // The other device sees the same chain once synced.
      p.sync();
      p.sb.unlock();
      await p.sb.settled();
      expect(p.sb.log().withdrawnBy.get(c.value.id)?.reason).toBe('Recorded for the wrong person');
      dispose();
    }));

  it('stores entries only through the codec: no name, person id or fact as a JSON string in the document bytes', () =>
    createRoot(async (dispose) => {
      const p = pair();
      const tierId = setUp(p);
      p.sa.unlock();
      const r = await p.sa.record(input(tierId, { outcome: 'Written warning to Sam Staff', evidence: 'letter-sam-staff.pdf' }), ctx, { signer: mia });
      expect(r.ok).toBe(true);
      // Every stored entry is exactly { id, kind: 'sealed', codec, sealed } plus its evidence-chain link (hashes of the sealed form).
      for (const stored of entriesOf(p.a).values()) expect(Object.keys(stored as object).sort()).toEqual(['chain', 'codec', 'id', 'kind', 'sealed']);
      const bytes = Buffer.from(Y.encodeStateAsUpdate(p.a)).toString('latin1');
      for (const secret of ['Sam Staff', 'laptop unlocked', 'letter-sam-staff', '"sam"', 'HR-14']) expect(bytes).not.toContain(secret);
      // This store runs the plaintext codec (base64 is NOT encryption): it only shows that nothing bypasses the seam.
      // confidential.store.test.ts covers the AES-GCM codec the app uses.
      // The plain records are where they should be: the process is readable by design.
      expect(bytes).toContain('Accidental error');
      dispose();
    }));

  it('stores nothing on bad input or for someone who is not an officer', () =>
    createRoot(async (dispose) => {
      const p = pair();
      const tierId = setUp(p);
      p.sa.unlock();
      const before = Y.encodeStateAsUpdate(p.a);
      expect(await p.sa.record(input(tierId, { facts: '', date: '2026-11-26', tierId: 'nope' }), ctx, { signer: mia })).toEqual({
        ok: false,
        errors: {
          facts: 'Describe the facts: what happened, and how it came to light.',
          date: 'The date cannot be in the future.',
          tierId: 'That tier is not in the documented process: choose one of its tiers.',
        },
      });
      expect(await p.sa.record(input(tierId), ctx, { signer: sam })).toEqual({ ok: false, errors: { _: 'Only designated officers can read the disciplinary log.' } });
      expect(await p.sa.record(input(tierId), ctx, { signer: stranger })).toMatchObject({ ok: false });
      expect(await p.sa.withdraw('nope', 'x', { signer: mia })).toBe('That entry is not in the log on this device.');
      expect(await p.sa.correct('nope', input(tierId), 'x', ctx, { signer: mia })).toMatchObject({ ok: false });
      expect(p.sa.addTier({ name: 'New', appliesWhen: 'x', consequence: 'y' }, { signer: sam })).toEqual({ ok: false, errors: { _: 'Only a designated officer can change this.' } });
      expect(p.sa.addTier({ name: '', appliesWhen: '', consequence: '' }, { signer: mia }).ok).toBe(false);
      expect(p.sa.updateTier(tierId, { name: 'Repeated or negligent', appliesWhen: 'x', consequence: 'y' }, { signer: mia }).ok).toBe(false);
      expect(p.sa.setTierArchived(tierId, true, { signer: sam })).toBe('Only a designated officer can change this.');
      expect(p.sa.moveTier(tierId, -1, { signer: mia })).toBe('That tier is already first.');
      expect(p.sa.addDefaultTiers({ signer: mia })).toBe('The process already has tiers.');
      expect(p.sa.setOfficer('sam', true, { signer: sam })).toBe('Only a designated officer can change who the officers are.');
      expect(p.sa.setOfficer('sam', true, { signer: stranger })).toBe('Only a designated officer can change who the officers are.');
      expect(Y.encodeStateAsUpdate(p.a)).toEqual(before);
      expect(p.sa.log().all).toEqual([]);
      dispose();
    }));

  it('bootstrap: anyone designates the first officer; two devices designating different people both keep theirs', () =>
    createRoot((dispose) => {
      const p = pair();
      expect(p.sa.officerIds()).toEqual([]);
      // Offline, before any officer exists, each device designates someone.
      expect(p.sa.setOfficer('mia', true, { signer: stranger })).toBeUndefined();
      expect(p.sb.setOfficer('ola', true, { signer: sam })).toBeUndefined();
      p.sync();
      expect(p.sa.officerIds()).toEqual(['mia', 'ola']);
      expect(p.sb.officers().find((o) => o.personId === 'ola')).toMatchObject({ designated: true, byName: 'Sam Staff', byPersonId: 'sam', deviceId: 'device-c' });
      // Now Sam can no longer change the list; Mia can, but not remove the last officer.
      expect(p.sb.setOfficer('sam', true, { signer: sam })).toMatch(/Only a designated officer/);
      expect(p.sa.setOfficer('ola', false, { signer: mia })).toBeUndefined();
      expect(p.sa.officerIds()).toEqual(['mia']);
      expect(p.sa.officers().find((o) => o.personId === 'ola')).toMatchObject({ designated: false, byName: 'Mia Manager', byPersonId: 'mia' });
      expect(p.sa.setOfficer('mia', false, { signer: mia })).toBe('The log needs at least one officer: designate another one first.');
      // If the only officer leaves, the list opens again rather than locking the log away.
      const isActive = (id: string) => id !== 'mia';
      expect(p.sa.officerIds(isActive)).toEqual([]);
      expect(p.sa.setOfficer('sam', true, { signer: sam, isActive })).toBeUndefined();
      dispose();
    }));

  it('a signed workspace: the member list’s officer entries are the officers; a plain officer record any member writes counts for nothing; designating signs an entry', async () => {
    const officersInLog = new Map<string, string>([['ola', '2026-11-01T09:00:00.000Z']]);
    const signed: Array<[string, boolean]> = [];
    await createRoot(async (dispose) => {
      const doc = new Y.Doc();
      const store = createDisciplinaryStore(doc, undefined, {
        members: { signed: () => true, log: () => ({ current: { officers: officersInLog } }) },
        signOfficer: async (personId, designated) => (signed.push([personId, designated]), personId === 'sam' ? 'The member list refused this: only an owner can designate officers.' : undefined),
      });
      // A modified client's plain record designating Sam: ignored.
      createRecord(doc, 'officer.sam', { type: 'officer', personId: 'sam', designated: true, byName: 'Sam Staff', at: '2026-11-02T09:00:00.000Z', deviceId: 'device-c' });
      expect(store.officerIds()).toEqual(['ola']);
      expect(store.officers()).toEqual([{ personId: 'ola', designated: true, byName: '', at: '2026-11-01T09:00:00.000Z', deviceId: '', signed: true }]);
      // Ola (an officer) designates Mia: a signed entry, no plain record.
      expect(await store.setOfficer('mia', true, { signer: ola })).toBeUndefined();
      expect(signed).toEqual([['mia', true]]);
      expect(doc.getMap('records').has('officer.mia')).toBe(false);
      // The list's refusal is passed on in words; Sam, not an officer, is refused before anything is signed.
      expect(await store.setOfficer('sam', true, { signer: ola })).toBe('The member list refused this: only an owner can designate officers.');
      expect(await store.setOfficer('mia', true, { signer: sam })).toBe('Only a designated officer can change who the officers are.');
      expect(signed).toHaveLength(2);
      dispose();
    });
  });

  it('tiers: defaults, edits on two devices merge field by field, reorder and archive', () =>
    createRoot((dispose) => {
      const p = pair();
      setUp(p);
      const [t1, t2, t3] = p.sa.tiers();
      expect(p.sa.tiers().map((t) => t.name)).toEqual(['Accidental error', 'Repeated or negligent', 'Intentional or malicious']);
      expect(p.sa.updateTier(t1!.id, { name: 'Accident', appliesWhen: t1!.appliesWhen, consequence: t1!.consequence }, { signer: mia }).ok).toBe(true);
      expect(p.sb.updateTier(t1!.id, { name: t1!.name, appliesWhen: t1!.appliesWhen, consequence: 'Coaching within a week.' }, { signer: ola }).ok).toBe(true);
      p.sync();
      for (const s of [p.sa, p.sb]) expect(s.tierById().get(t1!.id)).toMatchObject({ name: 'Accident', consequence: 'Coaching within a week.' });
      expect(p.sa.moveTier(t3!.id, -1, { signer: mia })).toBeUndefined();
      expect(p.sa.tiers().map((t) => t.id)).toEqual([t1!.id, t3!.id, t2!.id]);
      expect(p.sa.setTierArchived(t2!.id, true, { signer: mia })).toBeUndefined();
      expect(p.sa.tiers().map((t) => t.id)).toEqual([t1!.id, t3!.id]);
      expect(p.sa.allTiers()).toHaveLength(3);
      dispose();
    }));

  it('does not open the log until unlocked, and says what it cannot open', () =>
    createRoot(async (dispose) => {
      const p = pair();
      const tierId = setUp(p);
      p.sa.unlock();
      await p.sa.record(input(tierId), ctx, { signer: mia });
      p.sync();
      // Device B has the sealed entry but has not opened it.
      await p.sb.settled();
      expect(p.sb.storedCount()).toBe(1);
      expect(p.sb.log().all).toEqual([]);
      expect(p.sb.summary({ from: '2026-01-01', to: '2026-12-31' })).toBeUndefined();
      // A foreign entry (e.g. sealed by a later codec) is counted, not shown.
      p.b.transact(() => entriesOf(p.b).set('x', { id: 'x', kind: 'sealed', codec: 'aes-gcm-v1', sealed: 'zzz' }));
      p.sb.unlock();
      await p.sb.settled();
      expect(p.sb.log().all).toHaveLength(1);
      expect(p.sb.unreadable()).toBe(1);
      p.sb.lock();
      expect(p.sb.log().all).toEqual([]);
      // Plain records that look like neither a tier nor an officer are ignored.
      createRecord(p.b, 'junk', { type: 'other', name: 'x' });
      expect(p.sb.tiers()).toHaveLength(3);
      dispose();
    }));
});
