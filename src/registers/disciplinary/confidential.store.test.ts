import { createRoot, createSignal } from 'solid-js';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateDeviceKeyPair } from '../../crypto/device-keys';
import { readKeyring } from '../../store/register-keyring';
import { appendEntry, entriesOf } from '../../store/records';
import { createMemberStore } from '../members/store';
import { AES_CODEC_ID, NO_KEY_TO_WRITE, plaintextCodec, sealEntry } from './codec';
import { createDisciplinaryKeys } from './keys';
import type { DisciplinaryEntry, EntryInput } from './model';
import { createDisciplinaryStore } from './store';

/*
 * The disciplinary log as the app wires it (session.tsx): each simulated
 * device has its own copies of the "disciplinary" and "members" documents,
 * its own ECDH key pair, a keyring and a store with the AES-GCM codec.
 * Devices exchange documents only through `sync`, so "offline" is simply not
 * calling it.
 */

const TODAY = '2026-11-25';
const PLAINTEXT = 'Verbal warning for Zoë Quintana about tailgating';
const people = new Set(['mia', 'ola', 'sam', 'zoe']);
const ctx = { today: TODAY, policies: [{ id: 'pol1', title: 'Physical security' }], personIds: people };

interface Device {
  name: string;
  deviceId: string;
  personId: string;
  disciplinary: Y.Doc;
  members: Y.Doc;
  store: ReturnType<typeof createDisciplinaryStore>;
  keys: ReturnType<typeof createDisciplinaryKeys>;
  signer: { name: string; deviceId: string; personId: string };
  dispose(): void;
}

const alive: Device[] = [];
afterEach(() => {
  for (const d of alive.splice(0)) d.dispose();
});

async function newDevice(name: string, deviceId: string, personId: string): Promise<Device> {
  const pair = await generateDeviceKeyPair();
  // Each device is its own Solid root, like a session.
  const device = createRoot((dispose): Device => {
    const disciplinary = new Y.Doc();
    const members = new Y.Doc();
    const memberStore = createMemberStore(members);
    memberStore.registerSelf({ deviceId, name, publicKey: pair.publicKey, personId, roleIfNew: 'staff' });
    const [deviceKeys] = createSignal(pair);
    const keys = createDisciplinaryKeys(disciplinary, { deviceId, deviceKeys, members: memberStore, people: { byId: () => new Map() } });
    const store = createDisciplinaryStore(disciplinary, keys.codec, keys);
    return { name, deviceId, personId, disciplinary, members, store, keys, signer: { name, deviceId, personId }, dispose };
  });
  alive.push(device);
  return device;
}

/** Every device gets every other device's documents (a relay round trip for all of them). */
function sync(...devices: Device[]): void {
  for (const doc of ['disciplinary', 'members'] as const) {
    const merged = Y.mergeUpdates(devices.map((d) => Y.encodeStateAsUpdate(d[doc])));
    for (const d of devices) Y.applyUpdate(d[doc], merged);
  }
}

/** Lets every keyring and store finish what the last change started. */
async function settle(...devices: Device[]): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await Promise.all(devices.map((d) => d.keys.keyring.settled()));
    await Promise.all(devices.map((d) => d.store.settled()));
  }
}

/** Sync and settle until nothing changes any more (keys shared, wraps written, entries opened). */
async function converge(...devices: Device[]): Promise<void> {
  for (let round = 0; round < 6; round++) {
    const before = devices.map((d) => Y.encodeStateVector(d.disciplinary).join(','));
    sync(...devices);
    await settle(...devices);
    if (devices.every((d, i) => Y.encodeStateVector(d.disciplinary).join(',') === before[i])) return;
  }
}

const input = (tierId: string, over: Partial<EntryInput> = {}): EntryInput => ({
  personId: 'zoe',
  date: '2026-11-20',
  policyId: 'pol1',
  policyOther: '',
  tierId,
  facts: PLAINTEXT,
  outcome: 'Verbal warning given.',
  decidedById: 'mia',
  evidence: 'HR-77',
  ...over,
});

/** Mia's device sets up the process and designates the officers; everyone gets it. */
async function setUp(first: Device, officers: string[], everyone: Device[]): Promise<string> {
  expect(first.store.addDefaultTiers({ signer: first.signer })).toBeUndefined();
  for (const id of officers) expect(first.store.setOfficer(id, true, { signer: first.signer })).toBeUndefined();
  // The first officer's device creates the first key before anything syncs.
  await settle(first);
  sync(...everyone);
  await settle(...everyone);
  return first.store.tiers()[0]!.id;
}

function base64Needles(text: string): string[] {
  const bytes = Buffer.from(text, 'utf8');
  const out: string[] = [];
  for (let s = 0; s < 3; s++) {
    const b64 = bytes.subarray(s, s + Math.floor((bytes.length - s) / 3) * 3).toString('base64');
    out.push(b64, b64.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

function docText(doc: Y.Doc): string {
  return Buffer.from(Y.encodeStateAsUpdate(doc)).toString('latin1') + Buffer.from(Y.encodeStateAsUpdate(doc)).toString('utf8');
}

describe('the confidential disciplinary log (AES-GCM under the officers\' register key)', () => {
  it('two officer devices creating keys offline lose no entry; keys and wraps converge; the sealing key is the same on both', async () => {
    const a = await newDevice('Mia Manager', 'dev-a', 'mia');
    const b = await newDevice('Ola Officer', 'dev-b', 'ola');
    // A designates both officers before B's device is known to it, and the two never meet until later.
    expect(a.store.addDefaultTiers({ signer: a.signer })).toBeUndefined();
    expect(a.store.setOfficer('mia', true, { signer: a.signer })).toBeUndefined();
    expect(a.store.setOfficer('ola', true, { signer: a.signer })).toBeUndefined();
    Y.applyUpdate(b.disciplinary, Y.encodeStateAsUpdate(a.disciplinary));
    await settle(a, b);
    // Each device, offline, made the first key itself.
    const ka = readKeyring(a.disciplinary).keys;
    const kb = readKeyring(b.disciplinary).keys;
    expect([ka.length, kb.length]).toEqual([1, 1]);
    expect(ka[0]!.keyId).not.toBe(kb[0]!.keyId);
    expect([ka[0]!.generation, kb[0]!.generation]).toEqual([1, 1]);
    a.store.unlock();
    b.store.unlock();
    const tierId = a.store.tiers()[0]!.id;
    const ra = await a.store.record(input(tierId), ctx, { signer: a.signer });
    const rb = await b.store.record(input(tierId, { date: '2026-11-21', facts: 'Badge lent to a visitor.', decidedById: 'ola' }), ctx, { signer: b.signer });
    expect([ra.ok, rb.ok]).toEqual([true, true]);

    await converge(a, b);
    const view = readKeyring(a.disciplinary);
    expect(view.keys.map((k) => k.generation)).toEqual([1, 1]);
    // Every key is wrapped for both officer devices, and for nobody else.
    expect(view.wraps.map((w) => `${w.keyId}>${w.deviceId}`).sort()).toEqual(
      view.keys.flatMap((k) => [`${k.keyId}>dev-a`, `${k.keyId}>dev-b`]).sort(),
    );
    for (const d of [a, b]) {
      expect(d.keys.keyring.held().size).toBe(2);
      expect(d.store.log().all.map((e) => e.facts).sort()).toEqual(['Badge lent to a visitor.', PLAINTEXT]);
      expect([d.store.unreadable(), d.store.waitingForKey()]).toEqual([0, 0]);
    }
    // Deterministic: both seal with the same key, the current key with the greatest id.
    const preferred = [...view.keys].sort((x, y) => (x.keyId < y.keyId ? 1 : -1))[0]!.keyId;
    expect(a.keys.keyring.sealingKey()?.keyId).toBe(preferred);
    expect(b.keys.keyring.sealingKey()?.keyId).toBe(preferred);
  });

  it('a non-officer device syncs the sealed log but gets no wrap, opens nothing, and its document holds no plaintext', async () => {
    const a = await newDevice('Mia Manager', 'dev-a', 'mia');
    const b = await newDevice('Ola Officer', 'dev-b', 'ola');
    const s = await newDevice('Sam Staff', 'dev-s', 'sam');
    const all = [a, b, s];
    sync(...all);
    const tierId = await setUp(a, ['mia', 'ola'], all);
    await converge(...all);
    a.store.unlock();
    expect((await a.store.record(input(tierId), ctx, { signer: a.signer })).ok).toBe(true);
    await converge(...all);

    const wraps = readKeyring(s.disciplinary).wraps;
    expect(new Set(wraps.map((w) => w.deviceId))).toEqual(new Set(['dev-a', 'dev-b']));
    expect(s.keys.keyring.status()).toBe('not-recipient');
    expect(s.keys.keyring.held().size).toBe(0);
    // Even if Sam's app were modified to open the log, the entry does not open without a key.
    s.store.unlock();
    await settle(s);
    expect(s.store.log().all).toEqual([]);
    expect(s.store.waitingForKey()).toBe(1);
    expect(await s.store.record(input(tierId), ctx, { signer: s.signer })).toMatchObject({ ok: false });
    // Sam's stored document: the entry is there, sealed; no plaintext, no base64 of it.
    const stored = [...entriesOf(s.disciplinary).values()] as Array<Record<string, unknown>>;
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ kind: 'sealed', codec: AES_CODEC_ID });
    const text = docText(s.disciplinary);
    for (const needle of [PLAINTEXT, 'Zoë', 'Quintana', 'tailgating', 'HR-77', '"zoe"', ...base64Needles(PLAINTEXT), ...base64Needles('Quintana')]) expect(text).not.toContain(needle);
    // Ola's device got the key from Mia's and reads it.
    b.store.unlock();
    await settle(b);
    expect(b.store.log().all.map((e) => e.facts)).toEqual([PLAINTEXT]);
  });

  it('an officer device waiting for the key says so, writes nothing, and opens the log once another officer device shares it', async () => {
    const a = await newDevice('Mia Manager', 'dev-a', 'mia');
    const b = await newDevice('Ola Officer', 'dev-b', 'ola');
    const tierId = await setUp(a, ['mia', 'ola'], [a]);
    await settle(a);
    a.store.unlock();
    expect((await a.store.record(input(tierId), ctx, { signer: a.signer })).ok).toBe(true);
    // B gets the disciplinary document (via the relay) while A has not yet seen B's device.
    Y.applyUpdate(b.disciplinary, Y.encodeStateAsUpdate(a.disciplinary));
    Y.applyUpdate(b.members, Y.encodeStateAsUpdate(a.members));
    await settle(b);
    expect(b.keys.keyring.status()).toBe('waiting');
    expect(b.store.writeProblem()).toBe(NO_KEY_TO_WRITE);
    b.store.unlock();
    await settle(b);
    expect(b.store.waitingForKey()).toBe(1);
    const before = Y.encodeStateAsUpdate(b.disciplinary);
    expect(await b.store.record(input(tierId), ctx, { signer: b.signer })).toEqual({ ok: false, errors: { _: NO_KEY_TO_WRITE } });
    expect(Y.encodeStateAsUpdate(b.disciplinary)).toEqual(before);
    // A sees B's device record, wraps the key for it; B opens the entry it already had.
    Y.applyUpdate(a.members, Y.encodeStateAsUpdate(b.members));
    await settle(a);
    expect(readKeyring(a.disciplinary).wraps.map((w) => w.deviceId).sort()).toEqual(['dev-a', 'dev-b']);
    Y.applyUpdate(b.disciplinary, Y.encodeStateAsUpdate(a.disciplinary));
    await settle(b);
    expect(b.keys.keyring.status()).toBe('ready');
    expect(b.store.log().all.map((e) => e.facts)).toEqual([PLAINTEXT]);
    expect(b.store.waitingForKey()).toBe(0);
  });

  it('removing an officer rotates the key: their device cannot open entries written after; the remaining officer opens old and new', async () => {
    const a = await newDevice('Mia Manager', 'dev-a', 'mia');
    const b = await newDevice('Ola Officer', 'dev-b', 'ola');
    const all = [a, b];
    sync(...all);
    const tierId = await setUp(a, ['mia', 'ola'], all);
    await converge(...all);
    a.store.unlock();
    b.store.unlock();
    expect((await a.store.record(input(tierId, { facts: 'Before the removal.' }), ctx, { signer: a.signer })).ok).toBe(true);
    await converge(...all);
    expect(b.store.log().all.map((e) => e.facts)).toEqual(['Before the removal.']);
    const [k1] = readKeyring(a.disciplinary).keys;

    // Mia removes Ola as officer: Mia's device rotates by itself.
    expect(a.store.setOfficer('ola', false, { signer: a.signer })).toBeUndefined();
    await settle(a);
    const keys = readKeyring(a.disciplinary);
    expect(keys.keys.map((k) => [k.generation, k.reason])).toEqual([[1, 'first'], [2, 'rotation: 1 device no longer allowed']]);
    const k2 = keys.keys[1]!;
    expect(keys.wraps.filter((w) => w.keyId === k2.keyId).map((w) => w.deviceId)).toEqual(['dev-a']);
    expect(a.keys.keyring.sealingKey()?.keyId).toBe(k2.keyId);
    expect((await a.store.record(input(tierId, { date: '2026-11-22', facts: 'After the removal.' }), ctx, { signer: a.signer })).ok).toBe(true);
    await converge(...all);

    expect(a.store.log().all.map((e) => e.facts)).toEqual(['Before the removal.', 'After the removal.']);
    // Ola's device (its app would lock the log; here it is forced open) keeps the old key and nothing newer.
    expect([...b.keys.keyring.held().keys()]).toEqual([k1!.keyId]);
    expect(b.keys.keyring.sealingKey()).toBeUndefined();
    expect(b.store.log().all.map((e) => e.facts)).toEqual(['Before the removal.']);
    expect(b.store.waitingForKey()).toBe(1);
    // Nothing new was wrapped for Ola's device after the removal.
    expect(readKeyring(b.disciplinary).wraps.filter((w) => w.deviceId === 'dev-b').map((w) => w.keyId)).toEqual([k1!.keyId]);
  });

  it('entries written before encryption stay readable (flagged), and an officer re-seals them without duplicates in the log', async () => {
    const a = await newDevice('Mia Manager', 'dev-a', 'mia');
    const b = await newDevice('Ola Officer', 'dev-b', 'ola');
    const all = [a, b];
    sync(...all);
    const tierId = await setUp(a, ['mia', 'ola'], all);
    await converge(...all);
    // An entry from before encryption, stored with the base64 codec.
    const legacy: DisciplinaryEntry = {
      id: 'old1', kind: 'entry', personId: 'sam', date: '2026-10-01', policyId: 'pol1', policy: 'Physical security', tierId, tierName: 'Accidental error',
      facts: 'Door propped open.', outcome: 'Coaching.', decidedById: 'mia', evidence: '', byName: 'Mia Manager', byPersonId: 'mia', at: '2026-10-01T09:00:00.000Z', deviceId: 'dev-a',
    };
    appendEntry(a.disciplinary, await sealEntry(legacy, plaintextCodec), 'dev-a');
    a.store.unlock();
    await settle(a);
    expect(a.store.log().all.map((e) => e.id)).toEqual(['old1']);
    expect([...a.store.unsealed()]).toEqual(['old1']);
    // Only an officer re-seals.
    expect(await b.store.reseal({ signer: { name: 'Sam Staff', deviceId: 'dev-s', personId: 'sam' } })).toBe('Only designated officers can read the disciplinary log.');
    expect(await a.store.reseal({ signer: a.signer })).toBe(1);
    expect(await a.store.reseal({ signer: a.signer })).toBe(0);
    expect(a.store.unsealed().size).toBe(0);
    expect(Object.keys(entriesOf(a.disciplinary).toJSON()).sort()).toEqual(['old1', 'sealed.old1']);
    expect(a.store.log().all.map((e) => e.id)).toEqual(['old1']);
    // A correction of the old entry still points at it.
    expect((await a.store.correct('old1', input(tierId, { facts: 'Door propped open twice.' }), 'Second time', ctx, { signer: a.signer })).ok).toBe(true);
    await converge(...all);
    b.store.unlock();
    await settle(b);
    for (const d of all) {
      expect(d.store.log().all.map((e) => e.facts)).toEqual(['Door propped open.', 'Door propped open twice.']);
      expect(d.store.log().current.map((e) => e.facts)).toEqual(['Door propped open twice.']);
      expect(d.store.unsealed().size).toBe(0);
    }
  });
  it('a device claiming an officer\'s name gets the key (identity is self-declared); refusing it rotates the key and it opens nothing written after', async () => {
    const a = await newDevice('Mia Manager', 'dev-a', 'mia');
    // Sam's phone signs as "Mia Manager", so its member record links it to Mia (documented in SECURITY.md).
    const spoof = await newDevice('Mia Manager', 'dev-spoof', 'mia');
    const all = [a, spoof];
    sync(...all);
    const tierId = await setUp(a, ['mia'], all);
    await converge(...all);
    expect(readKeyring(a.disciplinary).wraps.map((w) => w.deviceId).sort()).toEqual(['dev-a', 'dev-spoof']);
    // Mia sees two devices under her name and refuses the one that is not hers.
    expect(a.store.officerDevices().map((m) => m.deviceId).sort()).toEqual(['dev-a', 'dev-spoof']);
    expect(a.store.setDeviceBlocked('dev-a', true, { signer: a.signer })).toMatch(/your own device/);
    expect(a.store.setDeviceBlocked('dev-spoof', true, { signer: { name: 'Sam Staff', deviceId: 'dev-s', personId: 'sam' } })).toBe('Only a designated officer can change which devices hold the key.');
    expect(a.store.setDeviceBlocked('dev-spoof', true, { signer: a.signer })).toBeUndefined();
    await settle(a);
    const view = readKeyring(a.disciplinary);
    expect(view.keys.map((k) => k.generation)).toEqual([1, 2]);
    expect(view.wraps.filter((w) => w.keyId === view.keys[1]!.keyId).map((w) => w.deviceId)).toEqual(['dev-a']);
    expect(a.store.officerDevices().map((m) => m.deviceId)).toEqual(['dev-a']);
    a.store.unlock();
    expect((await a.store.record(input(tierId, { facts: 'After the refusal.' }), ctx, { signer: a.signer })).ok).toBe(true);
    await converge(...all);
    spoof.store.unlock();
    await settle(spoof);
    expect(spoof.store.log().all).toEqual([]);
    expect(spoof.store.waitingForKey()).toBe(1);
    expect(spoof.keys.keyring.status()).toBe('not-recipient');
    // Allowed again: it gets the current key back (automatically, from Mia's device).
    expect(a.store.setDeviceBlocked('dev-spoof', false, { signer: a.signer })).toBeUndefined();
    await converge(...all);
    expect(spoof.store.log().all.map((e) => e.facts)).toEqual(['After the refusal.']);
  });
});
