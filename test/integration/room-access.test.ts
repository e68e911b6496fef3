import { readFileSync } from 'node:fs';
import { afterAll, afterEach, expect, test } from 'vitest';
import WebSocket from 'ws';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Role } from '../../src/domain/permissions.ts';
import { readMembershipLog, type SignKey, signEvidence, signPending } from '../../src/store/evidence-signer.ts';
import { appendEntry, createRecord } from '../../src/store/records.ts';
import { decodeMuxFrame, encodeMuxFrame, MUX_KIND } from '../../src/sync/mux.ts';
import { admitParam, appendEntries, connectAsDevice, type EnrolledWorkspace, enrolledWorkspace, nextClose, type NodeDevice } from '../adversary.ts';
import { cleanup, connect, createdWorkspace, destroyProvider, rawSocket, records, spawnRelay, tmpDir, waitFor, waitSynced, within } from './harness.ts';

afterEach(cleanup);

/*
 * Room access by role (issue 18; server/room-access.json, server/policy.ts, docs/RELAY.md "Room access by role"):
 * against a real relay, devices enrolled with real signed membership entries (owner, managers, staff) open every
 * register's room and write into them. The adversary is a modified client: the official y-websocket provider,
 * proven as its own enrolled device, with hand-made Yjs updates.
 */

const TABLE = (JSON.parse(readFileSync(new URL('../../server/room-access.json', import.meta.url), 'utf8')) as {
  registers: Record<string, { read: Role[]; write: Partial<Record<Role, 'any' | 'own-entries'>>; audience?: 'person' | 'person-only' }>;
}).registers;
const REGISTERS = Object.keys(TABLE).sort();
const ENFORCE = ['--enforce-device-admission'];
const CLOSED_TO_ROLE = { code: 4404, reason: 'not open to your role' };
const READ_ONLY = { code: 4400, reason: 'read-only for your role' };
const OWN_ONLY = (register: string) => ({ code: 4400, reason: `only your own new entries in ${register}` });

const counts = { opensRefused: 0, opensAccepted: 0, writesRefused: 0, writesAccepted: 0 };
afterAll(() => {
  console.log(`room access: ${counts.opensRefused} opens refused (4404), ${counts.opensAccepted} accepted; ${counts.writesRefused} writes refused (4400), ${counts.writesAccepted} accepted`);
});

type Outcome = 'open' | { code: number; reason: string };

/** `device` opens `register`'s room: 'open' once synced, or the relay's close. The provider stays for the caller. */
async function open(relay: { url: string }, w: EnrolledWorkspace, register: string, device: NodeDevice, doc = new Y.Doc()) {
  const provider = await connectAsDevice(relay.url, `${w.id}.${register}`, doc, w.token, device);
  const closed = nextClose(provider);
  const outcome: Outcome = await within(`${device.name} opens ${register}`, Promise.race([closed, waitSynced(provider, 10_000).then(() => 'open' as const)]), 10_000);
  return { doc, provider, outcome, closed };
}

/** Opens, syncs, makes one local edit and waits for the relay's answer: its close, or 'open' when it kept the socket for `keepMs`. */
async function writeAs(relay: { url: string }, w: EnrolledWorkspace, register: string, device: NodeDevice, edit: (doc: Y.Doc) => unknown, keepMs = 700) {
  const o = await open(relay, w, register, device);
  expect(o.outcome, `${device.name} opens ${register}`).toBe('open');
  await edit(o.doc);
  const answer: Outcome = await within(`${device.name} writes ${register}`, Promise.race([o.closed, new Promise<'open'>((r) => setTimeout(() => r('open'), keepMs))]), keepMs + 5000);
  destroyProvider(o.provider);
  if (answer === 'open') counts.writesAccepted++;
  else if (answer.code === 4400) counts.writesRefused++;
  return answer;
}

/** A fresh copy of a room, read through the relay by `device` (an owner's: it reads everything). */
async function readRoom(relay: { url: string }, w: EnrolledWorkspace, register: string, device: NodeDevice) {
  const o = await open(relay, w, register, device);
  expect(o.outcome).toBe('open');
  destroyProvider(o.provider);
  return o.doc;
}

/** Reads the room through the relay (as the owner) until `done` holds for the relay's copy. */
async function onRelay(relay: { url: string }, w: EnrolledWorkspace, register: string, done: (doc: Y.Doc) => boolean) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const doc = await readRoom(relay, w, register, w.owner);
    if (done(doc)) return doc;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${register} on the relay`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const signKey = (d: NodeDevice): SignKey => ({ privateKey: d.key.privateKey, alg: d.key.alg, keyId: d.keyId });
const isEmpty = (doc: Y.Doc) => doc.store.clients.size === 0 && [...doc.share.values()].every((t) => t._map.size === 0 && t._start === null);

test('each role opens exactly the rooms its role may read; a refused device gets 4404 and not one byte of the room', { timeout: 120_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir(), args: ENFORCE });
  const w = await enrolledWorkspace(relay, { staff: [['Mia', 'manager'], ['Sam', 'staff']] });
  const [mia, sam] = w.staff as [NodeDevice, NodeDevice];
  const byRole: Record<Role, NodeDevice> = { owner: w.owner, manager: mia, staff: sam };
  // Something to leak in every room: the owner writes a record into each.
  for (const register of REGISTERS) {
    if (register === 'members') continue;
    const o = await open(relay, w, register, w.owner);
    expect(o.outcome, `owner opens ${register}`).toBe('open');
    createRecord(o.doc, `secret-${register}`, { title: `Confidential ${register}` });
    await onRelay(relay, w, register, (doc) => records(doc).has(`secret-${register}`));
    destroyProvider(o.provider);
  }
  const expected: string[] = [];
  const got: string[] = [];
  for (const register of REGISTERS) {
    for (const role of ['owner', 'manager', 'staff'] as const) {
      const o = await open(relay, w, register, byRole[role]);
      destroyProvider(o.provider);
      const may = TABLE[register]!.read.includes(role);
      expected.push(`${register}/${role}: ${may ? 'open' : '4404'}`);
      if (o.outcome === 'open') {
        counts.opensAccepted++;
        got.push(`${register}/${role}: open`);
        // A record of no one in a 'person-only' room (an agreement with a supplier) is not for staff (server/audience.ts).
        if (role === 'staff' && TABLE[register]!.audience === 'person-only') expect(records(o.doc).has(`secret-${register}`), `staff never get ${register}'s record of no one`).toBe(false);
        else if (register !== 'members') await waitFor(`${role} reads ${register}`, () => records(o.doc).has(`secret-${register}`));
      } else {
        counts.opensRefused++;
        expect(o.outcome).toEqual(CLOSED_TO_ROLE);
        got.push(`${register}/${role}: ${o.outcome.code}`);
        expect(isEmpty(o.doc), `${role}'s copy of ${register} stays empty`).toBe(true);
      }
    }
  }
  expect(got).toEqual(expected);
  // What the issue names, explicitly: staff are refused checklists, briefings, reviews and resources; managers reviews and resources.
  for (const r of ['checklists', 'briefings', 'reviews', 'resources']) expect(got).toContain(`${r}/staff: 4404`);
  for (const r of ['reviews', 'resources']) expect(got).toContain(`${r}/manager: 4404`);
  expect(got.filter((g) => g.endsWith('/owner: open'))).toHaveLength(REGISTERS.length);

  // A raw socket (any client, not only the provider): closed 4404 and nothing of the room on the wire.
  const raw = rawSocket(relay.syncUrl, `${w.id}.checklists`, `${w.token}&admit=${encodeURIComponent(await admitParam(relay.url, w.id, w.token, sam))}`);
  const bytes: Buffer[] = [];
  raw.ws.on('message', (d: Buffer) => bytes.push(d));
  expect(await within('raw close', raw.closed)).toEqual(CLOSED_TO_ROLE);
  counts.opensRefused++;
  expect(bytes).toEqual([]);
});

test('read-only roles: staff writes into policies, roles, people, settings, competency and agreements are refused and never stored', { timeout: 120_000 }, async () => {
  const dataDir = tmpDir();
  const relay = await spawnRelay({ dataDir, args: ENFORCE });
  const w = await enrolledWorkspace(relay, { staff: [['Mia', 'manager'], ['Sam', 'staff', 'person-sam']] });
  const [mia, sam] = w.staff as [NodeDevice, NodeDevice];
  const rooms = ['policies', 'roles', 'people', 'settings', 'competency', 'agreements'];
  for (const r of rooms) expect(TABLE[r]!.write.staff, `${r} is read-only for staff`).toBeUndefined();
  for (const register of rooms) {
    const o = await open(relay, w, register, w.owner);
    // A record of Sam's own (in a per-person room he receives it: server/audience.ts), which he still may not edit.
    createRecord(o.doc, 'by-owner', { title: 'Owner', personId: 'person-sam', partyPersonId: 'person-sam' });
    // A field changed and a record removed: the room holds deleted items too.
    records(o.doc).get('by-owner')!.set('title', 'Owner, edited');
    createRecord(o.doc, 'gone', { title: 'Removed' });
    records(o.doc).delete('gone');
    await onRelay(relay, w, register, (doc) => records(doc).get('by-owner')?.get('title') === 'Owner, edited' && !records(doc).has('gone'));
    destroyProvider(o.provider);
  }

  for (const register of rooms) {
    // A new record; a new field of the owner's record; the deletion of the owner's record.
    expect(await writeAs(relay, w, register, sam, (doc) => createRecord(doc, 'by-sam', { title: 'Sam' }))).toEqual(READ_ONLY);
    expect(await writeAs(relay, w, register, sam, (doc) => records(doc).get('by-owner')!.set('title', 'Sam was here'))).toEqual(READ_ONLY);
    expect(await writeAs(relay, w, register, sam, (doc) => records(doc).delete('by-owner'))).toEqual(READ_ONLY);
  }
  // A manager writes policies and people (`any`), not roles (owner only).
  expect(await writeAs(relay, w, 'policies', mia, (doc) => createRecord(doc, 'by-mia', { title: 'Mia' }))).toBe('open');
  expect(await writeAs(relay, w, 'roles', mia, (doc) => createRecord(doc, 'by-mia', { title: 'Mia' }))).toEqual(READ_ONLY);

  // After a restart, the relay's stored rooms: the owner's records, Mia's policy, nothing of Sam's.
  relay.child.kill('SIGTERM');
  await relay.exited;
  const again = await spawnRelay({ dataDir, args: ENFORCE });
  for (const register of rooms) {
    const doc = await readRoom(again, w, register, w.owner);
    const r = records(doc);
    expect([...r.keys()].sort(), register).toEqual(register === 'policies' ? ['by-mia', 'by-owner'] : ['by-owner']);
    expect(r.get('by-owner')!.get('title')).toBe('Owner, edited');
    expect(JSON.stringify(doc.toJSON())).not.toContain('Sam');
  }
});

test('own-entries: staff add their own acknowledgement and its signature; every other write to acknowledgements is refused', { timeout: 120_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir(), args: ENFORCE });
  const w = await enrolledWorkspace(relay, { staff: [['Mia', 'manager'], ['Sam', 'staff']] });
  const [mia, sam] = w.staff as [NodeDevice, NodeDevice];
  const room = 'acknowledgements';
  expect(TABLE[room]!.write.staff).toBe('own-entries');
  const members = await readRoom(relay, w, 'members', w.owner);
  await waitFor('log at the owner', () => members.getMap('membership').size === w.entries.length);
  const log = await readMembershipLog(members, w.id, w.owner.keyId);
  const ack = (id: string, by: NodeDevice) => ({ id, recordId: 'policy-1', kind: 'acknowledged', byName: by.name, at: new Date().toISOString(), deviceId: by.deviceId });

  // The owner's policy record; Mia's signed acknowledgement and an unsigned one.
  const owner = await open(relay, w, room, w.owner);
  createRecord(owner.doc, 'policy-1', { title: 'Acceptable use' });
  await onRelay(relay, w, room, (doc) => records(doc).has('policy-1'));
  destroyProvider(owner.provider);
  expect(
    await writeAs(relay, w, room, mia, async (doc) => {
      appendEntry(doc, ack('ack-mia-1', mia), mia.deviceId);
      appendEntry(doc, ack('ack-mia-2', mia), mia.deviceId);
      const entry = doc.getMap('entries').get('ack-mia-1') as object;
      doc.getMap('sigs').set('ack-mia-1', await signEvidence(room, entry, signKey(mia), log.tips));
    }),
  ).toBe('open');

  // Sam's own acknowledgement, signed with Sam's key, as the app writes it: accepted, and Sam stays connected.
  const s = await open(relay, w, room, sam);
  expect(s.outcome).toBe('open');
  await waitFor('Mia’s entries at Sam', () => s.doc.getMap('entries').size === 2);
  expect(appendEntry(s.doc, ack('ack-sam-1', sam), sam.deviceId)).toBe(true);
  expect(await signPending(room, s.doc, sam.deviceId, signKey(sam), log)).toBe(1);
  let closedEarly: Outcome | null = null;
  void s.closed.then((c) => (closedEarly = c));
  const check = await open(relay, w, room, w.owner);
  await waitFor('Sam’s entry and signature on the relay', () => check.doc.getMap('entries').has('ack-sam-1') && check.doc.getMap('sigs').has('ack-sam-1'), 10_000);
  destroyProvider(check.provider);
  await new Promise((r) => setTimeout(r, 300));
  expect(closedEarly).toBeNull();
  expect(s.provider.wsconnected).toBe(true);
  counts.writesAccepted += 2;
  destroyProvider(s.provider);

  const samSig = async (entryOf: object, by: NodeDevice = sam, vouch = false) => signEvidence(room, entryOf, signKey(by), log.tips, vouch);
  // The entry and its signature in one transaction: one update, one frame (else the entry alone would be accepted first).
  const entryWithSig = async (doc: Y.Doc, id: string, by: NodeDevice, vouch = false) => {
    const sig = await samSig(ack(id, sam), by, vouch);
    doc.transact(() => {
      appendEntry(doc, ack(id, sam), sam.deviceId);
      doc.getMap('sigs').set(id, sig);
    });
  };
  const refusedWrites: Array<[string, (doc: Y.Doc) => unknown]> = [
    ['an entry on Mia’s chain', (doc) => void appendEntry(doc, ack('ack-on-mia', mia), mia.deviceId)],
    ['Sam’s entry overwritten', (doc) => doc.getMap('entries').set('ack-sam-1', { ...(doc.getMap('entries').get('ack-sam-1') as object), at: '2020-01-01T00:00:00.000Z' })],
    ['Mia’s entry overwritten with Sam’s chain', (doc) => doc.getMap('entries').set('ack-mia-2', doc.getMap('entries').get('ack-sam-1'))],
    ['an entry deleted', (doc) => doc.getMap('entries').delete('ack-mia-1')],
    ['a signature deleted', (doc) => doc.getMap('sigs').delete('ack-mia-1')],
    ['a record written', (doc) => createRecord(doc, 'by-sam', { title: 'Sam' })],
    ['the owner’s record edited', (doc) => records(doc).get('policy-1')!.set('title', 'Sam')],
    ['a nested type as an entry', (doc) => doc.getMap('entries').set('ack-sam-nested', new Y.Map([['chain', { device: sam.deviceId }]]))],
    ['an own entry signed with Mia’s key', (doc) => entryWithSig(doc, 'ack-sam-2', mia)],
    ['an own entry with a vouching signature', (doc) => entryWithSig(doc, 'ack-sam-3', sam, true)],
    ['Sam’s key on Mia’s unsigned entry', async (doc) => doc.getMap('sigs').set('ack-mia-2', await samSig(doc.getMap('entries').get('ack-mia-2') as object))],
    ['a signature of a key nobody holds', async (doc) => doc.getMap('sigs').set('ack-mia-2', { ...(await samSig({})), by: 'k-unknown' })],
  ];
  for (const [what, edit] of refusedWrites) {
    expect(await writeAs(relay, w, room, sam, edit), what).toEqual(OWN_ONLY(room));
  }

  // The relay's room: the owner's record, Mia's two entries and one signature, Sam's entry and signature; nothing else.
  const final = await readRoom(relay, w, room, w.owner);
  expect([...final.getMap('entries').keys()].sort()).toEqual(['ack-mia-1', 'ack-mia-2', 'ack-sam-1']);
  expect([...final.getMap('sigs').keys()].sort()).toEqual(['ack-mia-1', 'ack-sam-1']);
  expect([...records(final).keys()]).toEqual(['policy-1']);
  expect(records(final).get('policy-1')!.get('title')).toBe('Acceptable use');
  expect((final.getMap('entries').get('ack-sam-1') as { at: string }).at).not.toBe('2020-01-01T00:00:00.000Z');
});

test('an honest read-only client (its copy holds deletions, already synced) stays connected and receives updates', { timeout: 60_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir(), args: ENFORCE });
  const w = await enrolledWorkspace(relay, { staff: [['Sam', 'staff']] });
  const sam = w.staff[0]!;
  const owner = await open(relay, w, 'policies', w.owner);
  createRecord(owner.doc, 'p1', { title: 'Draft' });
  records(owner.doc).get('p1')!.set('title', 'Final');
  createRecord(owner.doc, 'p2', { title: 'Withdrawn' });
  records(owner.doc).delete('p2');

  const doc = new Y.Doc();
  const first = await open(relay, w, 'policies', sam, doc);
  expect(first.outcome).toBe('open');
  await waitFor('Sam reads the policies', () => records(doc).get('p1')?.get('title') === 'Final' && !records(doc).has('p2'));
  expect(Y.createDeleteSetFromStructStore(doc.store).clients.size).toBeGreaterThan(0);
  destroyProvider(first.provider);

  // Again, with the same copy: its step 2 carries the whole delete set (items the room has deleted) and no struct.
  const again = await open(relay, w, 'policies', sam, doc);
  expect(again.outcome).toBe('open');
  let closed: Outcome | null = null;
  void again.closed.then((c) => (closed = c));
  // Awareness from the read-only client passes too.
  again.provider.awareness.setLocalStateField('user', { name: 'Sam' });
  createRecord(owner.doc, 'p3', { title: 'New policy' });
  await waitFor('Sam receives the update', () => records(doc).has('p3'), 5000);
  await new Promise((r) => setTimeout(r, 500));
  expect(closed).toBeNull();
  expect(again.provider.wsconnected).toBe(true);
  counts.writesAccepted++;
  destroyProvider(again.provider);
  destroyProvider(owner.provider);
});

test('a lowered role closes only the rooms it may no longer read (4404); a raised role opens them', { timeout: 60_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir(), args: ENFORCE });
  const w = await enrolledWorkspace(relay, { staff: [['Mia', 'manager'], ['Tess', 'staff']] });
  const [mia, tess] = w.staff as [NodeDevice, NodeDevice];

  // Mia, a manager, with checklists and policies open on one /mux socket (the app's way), and policies on /sync too.
  const mux = new WebSocket(`${relay.url.replace(/^http/, 'ws')}/mux?admit=${encodeURIComponent(await admitParam(relay.url, w.id, w.token, mia))}`);
  const frames: Array<ReturnType<typeof decodeMuxFrame>> = [];
  mux.on('message', (d: Buffer) => frames.push(decodeMuxFrame(new Uint8Array(d))));
  await within('mux open', new Promise((r) => mux.once('open', r)));
  mux.send(encodeMuxFrame({ channel: 1, kind: MUX_KIND.open, room: `${w.id}.checklists`, credential: w.token }));
  mux.send(encodeMuxFrame({ channel: 2, kind: MUX_KIND.open, room: `${w.id}.policies`, credential: w.token }));
  await waitFor('mux channels opened', () => frames.filter((f) => f.kind === MUX_KIND.opened).length === 2);
  const policies = await open(relay, w, 'policies', mia);
  expect(policies.outcome).toBe('open');
  let policiesClosed: Outcome | null = null;
  void policies.closed.then((c) => (policiesClosed = c));

  // The owner signs Mia down to staff: her checklists channel is closed with 4404, the rest stays open.
  const started = Date.now();
  await appendEntries(relay.url, w, w.owner, [{ type: 'role', deviceId: mia.deviceId, role: 'staff' }]);
  await waitFor('checklists channel closed', () => frames.some((f) => f.kind === MUX_KIND.close && f.channel === 1), 5000);
  const close = frames.find((f) => f.kind === MUX_KIND.close && f.channel === 1) as { code: number; reason: string };
  expect({ code: close.code, reason: close.reason }).toEqual(CLOSED_TO_ROLE);
  expect(Date.now() - started).toBeLessThan(5000);
  counts.opensRefused++;
  const owner = await open(relay, w, 'policies', w.owner);
  const before = frames.filter((f) => f.kind === MUX_KIND.message && f.channel === 2).length;
  createRecord(owner.doc, 'after-demotion', { title: 'Still read' });
  await waitFor('policies channel still served', () => frames.filter((f) => f.kind === MUX_KIND.message && f.channel === 2).length > before, 5000);
  await waitFor('the /sync policies copy still served', () => records(policies.doc).has('after-demotion'), 5000);
  expect(frames.some((f) => f.kind === MUX_KIND.close && f.channel === 2)).toBe(false);
  expect(policiesClosed).toBeNull();
  expect(mux.readyState).toBe(WebSocket.OPEN);
  // Now staff: policies is read-only for her, and checklists does not open again.
  expect(await writeAs(relay, w, 'policies', mia, (doc) => createRecord(doc, 'by-mia', { title: 'Mia' }))).toEqual(READ_ONLY);
  const reopened = await open(relay, w, 'checklists', mia);
  expect(reopened.outcome).toEqual(CLOSED_TO_ROLE);
  counts.opensRefused++;
  destroyProvider(reopened.provider);
  mux.close();

  // Tess, staff: refused checklists; the owner signs her up to manager; the next open succeeds.
  const refused = await open(relay, w, 'checklists', tess);
  expect(refused.outcome).toEqual(CLOSED_TO_ROLE);
  counts.opensRefused++;
  destroyProvider(refused.provider);
  await appendEntries(relay.url, w, w.owner, [{ type: 'role', deviceId: tess.deviceId, role: 'manager' }]);
  // The relay recomputes its log as the entry arrives; a few tries at most.
  let outcome: Outcome = refused.outcome;
  const deadline = Date.now() + 5000;
  while (outcome !== 'open' && Date.now() < deadline) {
    const o = await open(relay, w, 'checklists', tess);
    outcome = o.outcome;
    destroyProvider(o.provider);
    if (outcome !== 'open') await new Promise((r) => setTimeout(r, 100));
  }
  expect(outcome).toBe('open');
  counts.opensAccepted++;
  expect(await writeAs(relay, w, 'checklists', tess, (doc) => createRecord(doc, 'by-tess', { title: 'Tess' }))).toBe('open');
  destroyProvider(policies.provider);
  destroyProvider(owner.provider);
});

test('legacy workspaces and --enforce-device-admission=0 keep today’s behaviour: no role, every room, any write', { timeout: 60_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir(), args: ENFORCE });
  const legacy = await createdWorkspace(relay);
  const doc = new Y.Doc();
  const p = connect(relay.syncUrl, `${legacy.id}.reviews`, doc, legacy.token, { create: false });
  await waitSynced(p);
  createRecord(doc, 'r1', { title: 'Legacy review' });
  const reader = new Y.Doc();
  const q = connect(relay.syncUrl, `${legacy.id}.reviews`, reader, legacy.token, { create: false });
  await waitFor('legacy write read back', () => records(reader).has('r1'));
  destroyProvider(p);
  destroyProvider(q);

  const lax = await spawnRelay({ dataDir: tmpDir(), args: ['--enforce-device-admission=0'] });
  const w = await enrolledWorkspace(lax, { staff: [['Sam', 'staff']] });
  const o = await open(lax, w, 'reviews', w.staff[0]!);
  expect(o.outcome).toBe('open');
  createRecord(o.doc, 'by-sam', { title: 'Sam' });
  await new Promise((r) => setTimeout(r, 300));
  expect(o.provider.wsconnected).toBe(true);
  destroyProvider(o.provider);
  await onRelay(lax, w, 'reviews', (doc) => records(doc).has('by-sam'));
});
