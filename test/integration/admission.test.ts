import { afterEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { decodeMuxFrame, encodeMuxFrame, MUX_KIND } from '../../src/sync/mux.ts';
import { signMembershipEntry } from '../../src/crypto/membership.ts';
import { membershipDraft, membershipId } from '../../src/domain/membership.ts';
import { admitParam, appendEntries, challenge, connectAsDevice, connectWith, enrol, enrolledWorkspace, nextClose, nodeDevice, redeemEntry, signAfter, writeSigned } from '../adversary.ts';
import { cleanup, createdWorkspace, createOnRelay, connect, newWorkspace, rawSocket, records, spawnRelay, tmpDir, waitFor, waitSynced, within } from './harness.ts';

afterEach(cleanup);

/*
 * Device admission (server/admission.ts): an enrolled workspace admits proven devices, not secrets.
 * Every adversary here is an official y-websocket client or a raw ws, built by test/adversary.ts.
 */

/** Device admission is on by default; the flag says so explicitly here (ENFORCE_DEVICE_ADMISSION, docs/RELAY.md). */
const ENFORCE = ['--enforce-device-admission'];

const rawWith = (syncUrl: string, room: string, token: string, admit: string | null) =>
  rawSocket(syncUrl, room, admit === null ? token : `${token}&admit=${encodeURIComponent(admit)}`);

test('the secret alone reads nothing of an enrolled workspace; a proven staff device reads, and writes what its role may', { timeout: 30_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir(), args: ENFORCE });
  const w = await enrolledWorkspace(relay, { staff: [['Sam', 'staff']] });
  // The owner's device writes a name into the People room.
  const ownerDoc = new Y.Doc();
  const owner = await connectAsDevice(relay.url, `${w.id}.people`, ownerDoc, w.token, w.owner);
  await waitSynced(owner);
  records(ownerDoc).set('p1', new Y.Map([['name', 'Alex Colleague']]));

  // Secret only: refused before the library sees it; not one byte of the room arrives.
  const raw = rawWith(relay.syncUrl, `${w.id}.people`, w.token, null);
  const received: Buffer[] = [];
  raw.ws.on('message', (d: Buffer) => received.push(d));
  expect(await within('secret-only close', raw.closed)).toEqual({ code: 4403, reason: 'device proof required' });
  expect(received.length).toBe(0);
  const spy = new Y.Doc();
  const yws = connectWith(relay.url, `${w.id}.people`, spy, w.token, null);
  expect(await within('provider close', nextClose(yws))).toEqual({ code: 4403, reason: 'device proof required' });
  yws.destroy();
  expect(records(spy).size).toBe(0);
  expect(JSON.stringify(spy.toJSON())).not.toContain('Alex');

  // The staff device, proven: reads the name. People is read-only for staff (room access by role, room-access.test.ts):
  // what it may write is its own entries in training, and its hand-made update there reaches the owner.
  const staffDoc = new Y.Doc();
  const staff = await connectAsDevice(relay.url, `${w.id}.people`, staffDoc, w.token, w.staff[0]!);
  await waitSynced(staff);
  await waitFor('name read', () => (records(staffDoc).get('p1') as Y.Map<unknown> | undefined)?.get('name') === 'Alex Colleague');
  const ownerTraining = new Y.Doc();
  const ot = await connectAsDevice(relay.url, `${w.id}.training`, ownerTraining, w.token, w.owner);
  const staffTraining = new Y.Doc();
  const st = await connectAsDevice(relay.url, `${w.id}.training`, staffTraining, w.token, w.staff[0]!);
  await waitSynced(ot);
  await waitSynced(st);
  staffTraining.getMap('entries').set('t1', { id: 't1', note: 'Sam did the course', chain: { device: w.staff[0]!.deviceId, seq: 1, prev: null, hash: 'h' } });
  await waitFor('owner sees staff write', () => ownerTraining.getMap('entries').has('t1'));
  for (const p of [owner, staff, ot, st]) p.destroy();
});

test('forged, reused, cross-workspace and unenrolled proofs are refused', { timeout: 30_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir(), args: ENFORCE });
  const w = await enrolledWorkspace(relay, { staff: [['Sam', 'staff']] });
  const other = await enrolledWorkspace(relay);
  const sam = w.staff[0]!;
  const room = `${w.id}.people`;
  const closeWith = async (admit: string) => within('close', rawWith(relay.syncUrl, room, w.token, admit).closed);

  // Forged: the proof is signed by a key that is not Sam's.
  const mallory = await nodeDevice('Mallory');
  const forged = (await admitParam(relay.url, w.id, w.token, mallory)).split('.');
  forged[1] = sam.deviceId;
  expect(await closeWith(forged.join('.'))).toEqual({ code: 4403, reason: 'bad device proof' });
  // A key no grant names.
  expect(await closeWith(await admitParam(relay.url, w.id, w.token, mallory))).toEqual({ code: 4403, reason: 'device not enrolled' });
  // A nonce used once (even by a good connection) never works again.
  const good = await admitParam(relay.url, w.id, w.token, sam);
  const first = rawWith(relay.syncUrl, room, w.token, good);
  await within('first open', first.opened);
  expect(await closeWith(good)).toEqual({ code: 4403, reason: 'challenge reused' });
  first.ws.close();
  // Signed for another workspace, or carried to it: both refused.
  expect(await closeWith(await admitParam(relay.url, w.id, w.token, sam, { signFor: other.id }))).toEqual({ code: 4403, reason: 'bad device proof' });
  const theirs = await admitParam(relay.url, other.id, other.token, other.owner);
  expect(await within('close', rawWith(relay.syncUrl, room, w.token, theirs).closed)).toEqual({ code: 4403, reason: 'device proof required' });
  // Another workspace's nonce with this workspace's name on it.
  const nonce = (await challenge(relay.url, other.id, other.token)).nonce;
  expect(await closeWith(await admitParam(relay.url, w.id, w.token, sam, { nonce }))).toEqual({ code: 4403, reason: 'bad device proof' });
  // The challenge itself wants the credential.
  expect((await challenge(relay.url, w.id, other.token)).status).toBe(401);
  // Defence in depth: a good proof without the credential is refused too.
  const proofOnly = rawSocket(relay.syncUrl, room, `x&admit=${await admitParam(relay.url, w.id, w.token, sam)}`);
  expect((await within('close', proofOnly.closed)).code).toBe(4401);
});

test('a removal closes the device’s open sockets at once (/sync and /mux) and it cannot come back', { timeout: 30_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir(), args: ENFORCE });
  const w = await enrolledWorkspace(relay, { staff: [['Sam', 'staff']] });
  const sam = w.staff[0]!;
  const doc = new Y.Doc();
  const provider = await connectAsDevice(relay.url, `${w.id}.people`, doc, w.token, sam);
  await waitSynced(provider);
  // The same device over /mux, a channel per room.
  const mux = new WebSocket(`${relay.url.replace(/^http/, 'ws')}/mux?admit=${await admitParam(relay.url, w.id, w.token, sam)}`);
  const frames: Array<ReturnType<typeof decodeMuxFrame>> = [];
  mux.on('message', (d: Buffer) => frames.push(decodeMuxFrame(new Uint8Array(d))));
  await new Promise((r) => mux.once('open', r));
  mux.send(encodeMuxFrame({ channel: 1, kind: MUX_KIND.open, room: `${w.id}.training`, credential: w.token }));
  mux.send(encodeMuxFrame({ channel: 2, kind: MUX_KIND.open, room: `${w.id}.policies`, credential: w.token }));
  await waitFor('mux channels opened', () => frames.filter((f) => f.kind === MUX_KIND.opened).length === 2);

  const closed = nextClose(provider);
  await appendEntries(relay.url, w, w.owner, [{ type: 'remove', deviceId: sam.deviceId }]);
  expect(await within('removed close', closed, 3000)).toEqual({ code: 4403, reason: 'device removed' });
  provider.destroy();
  await waitFor('mux channels closed', () => frames.filter((f) => f.kind === MUX_KIND.close && f.code === 4403 && f.reason === 'device removed').length === 2, 3000);
  mux.close();
  // A fresh, correctly signed proof: still refused.
  const again = rawWith(relay.syncUrl, `${w.id}.people`, w.token, await admitParam(relay.url, w.id, w.token, sam));
  expect(await within('reconnect', again.closed)).toEqual({ code: 4403, reason: 'device removed' });
});

test('enrolment over HTTP: a redeem joins once; expired (by the relay’s clock), used and revoked invites are refused', { timeout: 30_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir(), args: ENFORCE });
  const w = await enrolledWorkspace(relay, { invite: { name: 'Ida', role: 'staff' } });
  const ida = await nodeDevice('Ida');
  // Not admitted before its redeem is in the log.
  const early = rawWith(relay.syncUrl, `${w.id}.people`, w.token, await admitParam(relay.url, w.id, w.token, ida));
  expect(await within('early', early.closed)).toEqual({ code: 4403, reason: 'device not enrolled' });
  const redeem = await redeemEntry(w, ida);
  expect(await enrol(relay.url, w.id, w.token, redeem)).toEqual({ status: 200, body: { enrolled: ida.deviceId } });
  expect(await enrol(relay.url, w.id, w.token, redeem)).toEqual({ status: 200, body: { enrolled: ida.deviceId } });
  w.entries.push(redeem);
  const doc = new Y.Doc();
  const p = await connectAsDevice(relay.url, `${w.id}.members`, doc, w.token, ida);
  await waitSynced(p);
  // The relay wrote the redeem into the members room: every device gets it.
  await waitFor('redeem synced', () => doc.getMap('membership').size === w.entries.length);
  p.destroy();
  // Used: a second joiner with the same invite.
  const eve = await nodeDevice('Eve');
  expect(await enrol(relay.url, w.id, w.token, await redeemEntry(w, eve))).toEqual({ status: 403, body: { error: 'the invite was already used: an invite works once' } });
  // Without the credential: refused before anything.
  expect((await enrol(relay.url, w.id, 'A'.repeat(43), await redeemEntry(w, eve))).status).toBe(401);

  // Expired: the joiner's clock says it redeemed in time; the relay's clock says otherwise.
  const soon = await enrolledWorkspace(relay, { invite: { name: 'Late', role: 'staff', expires: new Date(Date.now() + 1500).toISOString() } });
  await new Promise((r) => setTimeout(r, 1700));
  const late = await nodeDevice('Late');
  const lying = await redeemEntry(soon, late, new Date(Date.now() - 1000).toISOString());
  expect(await enrol(relay.url, soon.id, soon.token, lying)).toEqual({ status: 403, body: { error: 'the invite had expired' } });

  // Revoked.
  const r = await enrolledWorkspace(relay, { invite: { name: 'Rae', role: 'staff' } });
  await appendEntries(relay.url, r, r.owner, [{ type: 'revoke', invite: r.invite!.id }]);
  expect(await enrol(relay.url, r.id, r.token, await redeemEntry(r, await nodeDevice('Rae')))).toEqual({ status: 403, body: { error: 'the invite was revoked' } });
  // The way an invite link's phone redeems (`e=`: built on the invite entry alone, so concurrent with the revoke): refused too.
  const inviteEntry = r.entries.find((e) => e.type === 'invite')!;
  const rae = await nodeDevice('Rae');
  const onInviteAlone = await signMembershipEntry(membershipDraft({ type: 'redeem', invite: r.invite!.id, device: rae.keys, name: 'Rae' }, { workspace: r.id, tips: [membershipId(inviteEntry)], by: rae.keyId }), rae.key);
  expect(await enrol(relay.url, r.id, r.token, onInviteAlone)).toEqual({ status: 403, body: { error: 'the invite was revoked' } });
  // Two phones with the same invite link, both built on the invite entry alone (concurrent): whichever id would win
  // the log's tie-break, the relay enrols the first to ask and refuses the second.
  for (let i = 0; i < 6; i++) {
    const t = await enrolledWorkspace(relay, { invite: { name: 'Tia', role: 'staff' } });
    const inv = t.entries.find((e) => e.type === 'invite')!;
    const onInvite = async (d: Awaited<ReturnType<typeof nodeDevice>>) => signMembershipEntry(membershipDraft({ type: 'redeem', invite: t.invite!.id, device: d.keys, name: d.name }, { workspace: t.id, tips: [membershipId(inv)], by: d.keyId }), d.key);
    const [first, second] = [await nodeDevice('Tia'), await nodeDevice('Tia again')];
    expect((await enrol(relay.url, t.id, t.token, await onInvite(first))).status).toBe(200);
    expect(await enrol(relay.url, t.id, t.token, await onInvite(second))).toEqual({ status: 403, body: { error: 'another device took up this invite first' } });
  }
  // Not a joining entry.
  expect((await enrol(relay.url, r.id, r.token, r.entries[0])).status).toBe(400);
});

test('a legacy workspace (no genesis) keeps secret-only admission; enrolled mode survives a restart', { timeout: 40_000 }, async () => {
  const dir = tmpDir();
  const relay = await spawnRelay({ dataDir: dir, args: ENFORCE });
  const legacy = await createdWorkspace(relay);
  const ld = new Y.Doc();
  const lp = connect(relay.syncUrl, `${legacy.id}.people`, ld, legacy.token, { create: false });
  await waitSynced(lp);
  records(ld).set('p1', new Y.Map([['name', 'Lee']]));
  expect((await challenge(relay.url, legacy.id, legacy.token)).enrolled).toBe(false);
  const w = await enrolledWorkspace(relay, { staff: [['Sam', 'staff']] });
  lp.destroy();
  relay.child.kill('SIGTERM');
  await relay.exited;

  const again = await spawnRelay({ dataDir: dir, args: ENFORCE });
  const secretOnly = rawWith(again.syncUrl, `${w.id}.people`, w.token, null);
  expect(await within('after restart', secretOnly.closed)).toEqual({ code: 4403, reason: 'device proof required' });
  const doc = new Y.Doc();
  const p = await connectAsDevice(again.url, `${w.id}.people`, doc, w.token, w.staff[0]!);
  await waitSynced(p);
  p.destroy();
  const ld2 = new Y.Doc();
  const lp2 = connect(again.syncUrl, `${legacy.id}.people`, ld2, legacy.token, { create: false });
  await waitSynced(lp2);
  await waitFor('legacy read', () => records(ld2).has('p1'));
  lp2.destroy();
});

test('creation with a genesis enrols at once; a workspace made offline is enrolled when its log syncs; a bad genesis creates nothing', { timeout: 30_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir(), args: ENFORCE });
  const fresh = await enrolledWorkspace(relay);
  expect((await challenge(relay.url, fresh.id, fresh.token)).enrolled).toBe(true);
  const spy = rawWith(relay.syncUrl, `${fresh.id}.members`, fresh.token, null);
  expect(await within('secret-only', spy.closed)).toEqual({ code: 4403, reason: 'device proof required' });

  // Made offline: the genesis arrives with the first sync of the members room (still legacy then).
  const offline = await enrolledWorkspace(relay, { via: 'sync', staff: [['Sam', 'staff']] });
  expect((await challenge(relay.url, offline.id, offline.token)).enrolled).toBe(true);
  const doc = new Y.Doc();
  const p = await connectAsDevice(relay.url, `${offline.id}.people`, doc, offline.token, offline.staff[0]!);
  await waitSynced(p);
  p.destroy();
  // A second genesis (a secret holder trying to take the root) changes nothing: the root is pinned.
  const mallory = await nodeDevice('Mallory');
  const second = await signAfter(offline.id, [], mallory, { type: 'genesis', device: mallory.keys, name: 'Mallory' });
  await writeSigned(relay.url, offline, offline.owner, [second]);
  const m = rawWith(relay.syncUrl, `${offline.id}.people`, offline.token, await admitParam(relay.url, offline.id, offline.token, mallory));
  expect(await within('mallory', m.closed)).toEqual({ code: 4403, reason: 'device not enrolled' });

  // A genesis signed for another workspace: 400, and the workspace does not exist.
  const ws = newWorkspace();
  const wrong = await signAfter(fresh.id, [], mallory, { type: 'genesis', device: mallory.keys, name: 'Mallory' });
  const answer = await createOnRelay(relay.url, ws.id, ws.token, { genesis: wrong });
  expect(answer.status).toBe(400);
  expect(answer.body.error).toBe('The genesis is refused: it was signed for another workspace.');
  expect((await challenge(relay.url, ws.id, ws.token)).status).toBe(404);
});

test('by default the secret alone reads nothing of an enrolled workspace; with --enforce-device-admission=0 it is admitted again', { timeout: 30_000 }, async () => {
  const strict = await spawnRelay({ dataDir: tmpDir() });
  const s = await enrolledWorkspace(strict, { staff: [['Sam', 'staff']] });
  const refused = rawWith(strict.syncUrl, `${s.id}.people`, s.token, null);
  const got: Buffer[] = [];
  refused.ws.on('message', (d: Buffer) => got.push(d));
  expect(await within('secret only', refused.closed)).toEqual({ code: 4403, reason: 'device proof required' });
  expect(got).toEqual([]);

  const relay = await spawnRelay({ dataDir: tmpDir(), args: ['--enforce-device-admission=0'] });
  const w = await enrolledWorkspace(relay, { staff: [['Sam', 'staff']] });
  const raw = rawWith(relay.syncUrl, `${w.id}.people`, w.token, null);
  const received: Buffer[] = [];
  raw.ws.on('message', (d: Buffer) => received.push(d));
  await waitFor('the relay answers the secret alone', () => received.length > 0);
  raw.ws.close();
});

/** POST /auth/<ws>/<path> with the credential and a JSON body. */
async function post(url: string, workspace: string, path: 'request' | 'requests', token: string, body: unknown) {
  const res = await fetch(`${url}/auth/${workspace}/${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { requests?: Array<{ device: { deviceId: string }; name: string }>; error?: string; waiting?: boolean; enrolled?: string } };
}

test('join requests: a device with the plain link asks, only an owner’s proven device reads the requests, a grant admits it; bad, removed and legacy are answered', { timeout: 40_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir() }); // enforcing by default
  const w = await enrolledWorkspace(relay, { staff: [['Sam', 'staff']] });
  const pat = await nodeDevice('Pat Plain');
  // Not admitted, and nothing arrives: it asks to be admitted.
  const early = rawWith(relay.syncUrl, `${w.id}.people`, w.token, await admitParam(relay.url, w.id, w.token, pat));
  expect(await within('early', early.closed)).toEqual({ code: 4403, reason: 'device not enrolled' });
  expect(await post(relay.url, w.id, 'request', w.token, { device: pat.keys, name: 'Pat Plain' })).toEqual({ status: 202, body: { waiting: true } });
  // Asking again replaces the request: one row per device.
  expect((await post(relay.url, w.id, 'request', w.token, { device: pat.keys, name: 'Pat Plain' })).status).toBe(202);

  // Who may read them: not the secret alone, not a staff device, not a forged proof; an owner's proven device.
  expect(await post(relay.url, w.id, 'requests', w.token, {})).toEqual({ status: 403, body: { error: 'device proof required' } });
  expect(await post(relay.url, w.id, 'requests', w.token, { proof: await admitParam(relay.url, w.id, w.token, w.staff[0]!) })).toEqual({ status: 403, body: { error: 'only an owner’s device reads join requests' } });
  expect((await post(relay.url, w.id, 'requests', w.token, { proof: await admitParam(relay.url, w.id, w.token, pat) })).status).toBe(403);
  const forged = (await admitParam(relay.url, w.id, w.token, pat)).split('.');
  const asOwner = await admitParam(relay.url, w.id, w.token, w.owner);
  expect((await post(relay.url, w.id, 'requests', w.token, { proof: [asOwner.split('.')[0], forged[1], forged[2], forged[3]].join('.') })).status).toBe(403);
  const listed = await post(relay.url, w.id, 'requests', w.token, { proof: await admitParam(relay.url, w.id, w.token, w.owner) });
  expect(listed.status).toBe(200);
  expect(listed.body.requests!.map((r) => [r.device.deviceId, r.name])).toEqual([[pat.deviceId, 'Pat Plain']]);
  // A wrong credential reads nothing at all.
  expect((await post(relay.url, w.id, 'requests', 'A'.repeat(43), { proof: await admitParam(relay.url, w.id, w.token, w.owner) })).status).toBe(401);

  // The owner confirms it with a signed grant: the device is admitted, and the request is gone.
  await appendEntries(relay.url, w, w.owner, [{ type: 'grant', device: pat.keys, name: 'Pat Plain', role: 'staff' }]);
  const doc = new Y.Doc();
  const admitted = await connectAsDevice(relay.url, `${w.id}.people`, doc, w.token, pat);
  await waitSynced(admitted);
  admitted.destroy();
  expect((await post(relay.url, w.id, 'requests', w.token, { proof: await admitParam(relay.url, w.id, w.token, w.owner) })).body.requests).toEqual([]);
  expect(await post(relay.url, w.id, 'request', w.token, { device: pat.keys, name: 'Pat Plain' })).toEqual({ status: 200, body: { enrolled: pat.deviceId } });

  // Removed: its request is refused.
  await appendEntries(relay.url, w, w.owner, [{ type: 'remove', deviceId: pat.deviceId }]);
  expect(await post(relay.url, w.id, 'request', w.token, { device: pat.keys, name: 'Pat Plain' })).toEqual({ status: 403, body: { error: 'device removed' } });

  // Malformed requests get a sentence; a flood keeps the newest 32.
  for (const bad of [{}, { device: { ...pat.keys, alg: 'RSA' }, name: 'X' }, { device: { ...pat.keys, deviceId: 'no spaces allowed' }, name: 'X' }, { device: pat.keys, name: '' }, { device: pat.keys, name: 'x'.repeat(121) }]) {
    const r = await post(relay.url, w.id, 'request', w.token, bad);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/^The request is refused: .+\.$/);
  }
  const flood = await Promise.all(Array.from({ length: 40 }, (_, i) => nodeDevice(`Flood ${i}`)));
  for (const d of flood) expect((await post(relay.url, w.id, 'request', w.token, { device: d.keys, name: d.name })).status).toBe(202);
  const kept = (await post(relay.url, w.id, 'requests', w.token, { proof: await admitParam(relay.url, w.id, w.token, w.owner) })).body.requests!;
  expect(kept.map((r) => r.name)).toEqual(flood.slice(8).map((d) => d.name));

  // A legacy workspace (no signed member list): nothing to ask.
  const legacy = await createdWorkspace(relay);
  expect((await post(relay.url, legacy.id, 'request', legacy.token, { device: pat.keys, name: 'Pat' })).status).toBe(409);
});
