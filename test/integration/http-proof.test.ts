import { createHash } from 'node:crypto';
import { afterEach, expect, test } from 'vitest';
import { PROOF_HEADER, PROOF_ORIGIN_HEADER } from '../../src/sync/admit-proof.ts';
import { admitParam, appendEntries, challenge, enrolledWorkspace, type EnrolledWorkspace, nodeDevice, type NodeDevice } from '../adversary.ts';
import { cleanup, createdWorkspace, newWorkspace, rawSocket, type RelayProcess, spawnRelay, tmpDir, within } from './harness.ts';

afterEach(cleanup);

/*
 * The relay's HTTP routes of a signed (enrolled) workspace admit devices, not secrets, like its websockets
 * (server/admission.ts proveRequest; docs/RELAY.md "Device proofs over HTTP"): attachments, key rotation, the
 * envelope fetch and the speak-up link's verifier. For each: the link secret alone, a removed device, a proven member.
 */

const ENFORCE = ['--enforce-device-admission'];
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201e2213bc80000000049454e44ae426082', 'hex');
const sha256hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const credentialVerifier = (token: string) => sha256hex(Buffer.from(token, 'base64url'));
const ENV = (n: number) => ({ v: 1, epk: `epk${n}`, ct: `ct${n}` });

type Answer = { status: number; error?: string; body: unknown };
async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* a blob */
  }
  const error = (body as { error?: unknown } | null)?.error;
  return { status: res.status, body, ...(typeof error === 'string' ? { error } : {}) };
}

/** Headers with the credential (or none) and a proof (or none). */
const headers = (token: string | null, proof: string | null, extra: Record<string, string> = {}) => ({
  ...(token ? { Authorization: `Bearer ${token}` } : {}),
  ...(proof !== null ? { [PROOF_HEADER]: proof } : {}),
  ...extra,
});

const putBlob = async (relay: RelayProcess, ws: string, token: string | null, proof: string | null, extra: Record<string, string> = {}) =>
  answer(await fetch(`${relay.url}/blobs/${ws}/${sha256hex(PNG)}`, { method: 'PUT', headers: { ...headers(token, proof, extra), 'Content-Type': 'image/png' }, body: PNG }));
const getBlob = async (relay: RelayProcess, ws: string, token: string | null, proof: string | null, extra: Record<string, string> = {}) =>
  answer(await fetch(`${relay.url}/blobs/${ws}/${sha256hex(PNG)}`, { headers: headers(token, proof, extra) }));
const rotate = async (relay: RelayProcess, ws: string, token: string, proof: string | null, body: object) =>
  answer(await fetch(`${relay.url}/auth/${ws}/rotate`, { method: 'POST', headers: { ...headers(token, proof), 'Content-Type': 'application/json' }, body: JSON.stringify(body) }));
const envelope = async (relay: RelayProcess, ws: string, device: string, proof: string | null) =>
  answer(await fetch(`${relay.url}/auth/${ws}/envelope/${device}`, { headers: headers(null, proof) }));
const putVerifier = async (relay: RelayProcess, ws: string, token: string, proof: string | null, verifier: string) =>
  answer(await fetch(`${relay.url}/speakup/${ws}/verifier`, { method: 'PUT', headers: { ...headers(token, proof), 'Content-Type': 'application/json' }, body: JSON.stringify({ verifier }) }));
const deleteVerifier = async (relay: RelayProcess, ws: string, token: string, proof: string | null) =>
  answer(await fetch(`${relay.url}/speakup/${ws}/verifier`, { method: 'DELETE', headers: headers(token, proof) }));

/** A workspace with its owner, Sam (staff) and Rae (staff, removed by a signed entry). */
async function signedWorkspace(relay: RelayProcess): Promise<{ w: EnrolledWorkspace; sam: NodeDevice; rae: NodeDevice }> {
  const w = await enrolledWorkspace(relay, { staff: [['Sam', 'staff'], ['Rae', 'staff']] });
  const [sam, rae] = w.staff as [NodeDevice, NodeDevice];
  return { w, sam, rae };
}
const removeDevice = (relay: RelayProcess, w: EnrolledWorkspace, d: NodeDevice) => appendEntries(relay.url, w, w.owner, [{ type: 'remove', deviceId: d.deviceId }]);

test('attachments: the secret alone and a removed device are refused; a proven member stores and reads; bad proofs are refused', { timeout: 30_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir(), args: ENFORCE });
  const { w, sam, rae } = await signedWorkspace(relay);
  await removeDevice(relay, w, rae);
  const proofOf = (d: NodeDevice, opts: Parameters<typeof admitParam>[4] = {}) => admitParam(relay.url, w.id, w.token, d, opts);

  // The link secret alone: the credential is good, the device proof missing.
  expect(await putBlob(relay, w.id, w.token, null)).toMatchObject({ status: 401, error: 'device proof required' });
  // A removed device, correctly signed with the current credential.
  expect(await putBlob(relay, w.id, w.token, await proofOf(rae))).toMatchObject({ status: 403, error: 'device removed' });
  // A device the log never named.
  expect(await putBlob(relay, w.id, w.token, await proofOf(await nodeDevice('Mallory')))).toMatchObject({ status: 403, error: 'device not enrolled' });
  // Nothing was stored by any of them.
  expect(await getBlob(relay, w.id, w.token, await proofOf(sam))).toMatchObject({ status: 404 });

  // A proven member stores it and reads it back.
  expect(await putBlob(relay, w.id, w.token, await proofOf(sam))).toMatchObject({ status: 201 });
  const got = await fetch(`${relay.url}/blobs/${w.id}/${sha256hex(PNG)}`, { headers: headers(w.token, await proofOf(w.owner)) });
  expect(got.status).toBe(200);
  expect(Buffer.from(await got.arrayBuffer()).equals(PNG)).toBe(true);
  // Reading wants the proof too.
  expect(await getBlob(relay, w.id, w.token, null)).toMatchObject({ status: 401, error: 'device proof required' });
  expect(await getBlob(relay, w.id, w.token, await proofOf(rae))).toMatchObject({ status: 403, error: 'device removed' });
  // The credential still comes first: a proof without it is refused as before.
  expect((await getBlob(relay, w.id, null, await proofOf(sam))).status).toBe(401);
  expect((await getBlob(relay, w.id, newWorkspace().token, await proofOf(sam))).status).toBe(401);

  // Bad input: garbled, reused, another workspace's, signed for another workspace or another origin.
  for (const garbled of ['x', 'a.b.c', `${w.id}.${sam.deviceId}.!!.sig`, ''])
    expect(await getBlob(relay, w.id, w.token, garbled), garbled).toMatchObject({ status: 403, error: 'bad device proof' });
  const once = await proofOf(sam);
  expect((await getBlob(relay, w.id, w.token, once)).status).toBe(200);
  expect(await getBlob(relay, w.id, w.token, once)).toMatchObject({ status: 403, error: 'challenge reused' });
  const other = await enrolledWorkspace(relay);
  expect(await getBlob(relay, w.id, w.token, await admitParam(relay.url, other.id, other.token, other.owner))).toMatchObject({ status: 403, error: 'bad device proof' });
  expect(await getBlob(relay, w.id, w.token, await proofOf(sam, { signFor: other.id }))).toMatchObject({ status: 403, error: 'bad device proof' });
  expect(await getBlob(relay, w.id, w.token, await proofOf(sam, { nonce: (await challenge(relay.url, other.id, other.token)).nonce }))).toMatchObject({ status: 403, error: 'bad device proof' });
  expect(await getBlob(relay, w.id, w.token, await proofOf(sam, { origin: 'https://evil.example' }))).toMatchObject({ status: 403, error: 'bad device proof' });
  // A page's same-origin GET carries no Origin header: it names the origin it signed on, which must be the relay's own.
  const own = new URL(relay.url).origin;
  expect((await getBlob(relay, w.id, w.token, await proofOf(sam, { origin: own }), { [PROOF_ORIGIN_HEADER]: own })).status).toBe(200);
  expect(await getBlob(relay, w.id, w.token, await proofOf(sam, { origin: 'https://evil.example' }), { [PROOF_ORIGIN_HEADER]: 'https://evil.example' })).toMatchObject({ status: 403, error: 'bad device proof' });
  // An Origin header wins over what the request names.
  expect(await putBlob(relay, w.id, w.token, await proofOf(sam, { origin: own }), { Origin: 'https://evil.example', [PROOF_ORIGIN_HEADER]: own })).toMatchObject({ status: 403, error: 'bad device proof' });

  // A legacy (unsigned) workspace keeps the credential alone.
  const legacy = await createdWorkspace(relay);
  expect((await putBlob(relay, legacy.id, legacy.token, null)).status).toBe(201);
  expect((await getBlob(relay, legacy.id, legacy.token, null)).status).toBe(200);
});

test('rotation wants an owner’s proven device; an envelope goes to its own proven device only, whose old key may still ask for the nonce', { timeout: 30_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir(), args: ENFORCE });
  const { w, sam, rae } = await signedWorkspace(relay);
  const old = w.token;
  const next = newWorkspace().token;
  const epoch1 = { epoch: 1, verifier: credentialVerifier(next), envelopes: { [w.owner.deviceId]: ENV(1), [sam.deviceId]: ENV(2), [rae.deviceId]: ENV(3) } };

  // The link secret alone, and a staff device: refused, nothing changes.
  expect(await rotate(relay, w.id, old, null, epoch1)).toMatchObject({ status: 401, error: 'device proof required' });
  expect(await rotate(relay, w.id, old, await admitParam(relay.url, w.id, old, sam), epoch1)).toMatchObject({ status: 403, error: 'not an owner’s device' });
  expect(await rotate(relay, w.id, old, 'garbled', epoch1)).toMatchObject({ status: 403, error: 'bad device proof' });
  // The owner's proven device rotates (every device still in, Rae too).
  expect(await rotate(relay, w.id, old, await admitParam(relay.url, w.id, old, w.owner), epoch1)).toMatchObject({ status: 200, body: { epoch: 1 } });

  // Rae is removed after it (signed by the owner's device, which now holds the new key); her epoch-1 envelope is still stored.
  w.token = next;
  await removeDevice(relay, w, rae);
  // Sam's old credential is stale now; it still gets a nonce, good for his envelope.
  const stale = await challenge(relay.url, w.id, old);
  expect(stale.status).toBe(200);
  expect(await envelope(relay, w.id, sam.deviceId, await admitParam(relay.url, w.id, old, sam))).toMatchObject({ status: 200, body: { epoch: 1, envelope: ENV(2) } });
  // …and for nothing else.
  expect(await getBlob(relay, w.id, next, await admitParam(relay.url, w.id, old, sam))).toMatchObject({ status: 403, error: 'bad device proof' });
  // A stranger's credential gets no nonce at all.
  expect((await challenge(relay.url, w.id, newWorkspace().token)).status).toBe(401);

  // No proof; a removed device (with the old key, or with the new one it had been given); a proof of another device;
  // an unenrolled device; a reused nonce.
  expect(await envelope(relay, w.id, rae.deviceId, null)).toMatchObject({ status: 401, error: 'device proof required' });
  expect(await envelope(relay, w.id, rae.deviceId, await admitParam(relay.url, w.id, old, rae))).toMatchObject({ status: 403, error: 'device removed' });
  expect(await envelope(relay, w.id, rae.deviceId, await admitParam(relay.url, w.id, next, rae))).toMatchObject({ status: 403, error: 'device removed' });
  expect(await envelope(relay, w.id, rae.deviceId, await admitParam(relay.url, w.id, next, sam))).toMatchObject({ status: 403, error: 'device proof of another device' });
  expect(await envelope(relay, w.id, sam.deviceId, await admitParam(relay.url, w.id, next, await nodeDevice('Mallory')))).toMatchObject({ status: 403, error: 'device not enrolled' });
  const once = await admitParam(relay.url, w.id, next, sam);
  expect((await envelope(relay, w.id, sam.deviceId, once)).status).toBe(200);
  expect(await envelope(relay, w.id, sam.deviceId, once)).toMatchObject({ status: 403, error: 'challenge reused' });

  // A removed device holding the current key cannot rotate; the owner can.
  const third = newWorkspace().token;
  const epoch2 = { epoch: 2, verifier: credentialVerifier(third), envelopes: { [w.owner.deviceId]: ENV(4), [sam.deviceId]: ENV(5) } };
  expect(await rotate(relay, w.id, next, await admitParam(relay.url, w.id, next, rae), epoch2)).toMatchObject({ status: 403, error: 'device removed' });
  expect(await rotate(relay, w.id, next, null, epoch2)).toMatchObject({ status: 401, error: 'device proof required' });
  // A stale credential's nonce does not rotate either.
  expect(await rotate(relay, w.id, next, await admitParam(relay.url, w.id, old, w.owner), epoch2)).toMatchObject({ status: 403, error: 'bad device proof' });
  expect(await rotate(relay, w.id, next, await admitParam(relay.url, w.id, next, w.owner), epoch2)).toMatchObject({ status: 200, body: { epoch: 2 } });
  expect(await envelope(relay, w.id, sam.deviceId, await admitParam(relay.url, w.id, old, sam))).toMatchObject({ status: 200, body: { epoch: 2, envelope: ENV(5) } });

  // A legacy workspace: rotation with the credential alone, its envelope with nothing, as before.
  const legacy = await createdWorkspace(relay);
  expect((await rotate(relay, legacy.id, legacy.token, null, { epoch: 1, verifier: credentialVerifier(newWorkspace().token), envelopes: { someDevice01: ENV(1) } })).status).toBe(200);
  expect(await envelope(relay, legacy.id, 'someDevice01', null)).toMatchObject({ status: 200, body: { epoch: 1 } });
});

test('the speak-up link’s verifier: set and cleared by an owner’s proven device only; its reporters need no proof', { timeout: 30_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir(), args: ENFORCE });
  const { w, sam, rae } = await signedWorkspace(relay);
  await removeDevice(relay, w, rae);
  const link = newWorkspace().token;
  const verifier = credentialVerifier(link);
  const proofOf = (d: NodeDevice) => admitParam(relay.url, w.id, w.token, d);

  expect(await putVerifier(relay, w.id, w.token, null, verifier)).toMatchObject({ status: 401, error: 'device proof required' });
  expect(await putVerifier(relay, w.id, w.token, await proofOf(rae), verifier)).toMatchObject({ status: 403, error: 'device removed' });
  expect(await putVerifier(relay, w.id, w.token, await proofOf(sam), verifier)).toMatchObject({ status: 403, error: 'not an owner’s device' });
  expect(await putVerifier(relay, w.id, w.token, 'a.b.c.d', verifier)).toMatchObject({ status: 403, error: 'bad device proof' });
  // None of those set the link: it opens nothing yet.
  expect((await within('no link yet', rawSocket(relay.syncUrl, `${w.id}.speakup`, link).closed)).code).toBe(4401);

  expect(await putVerifier(relay, w.id, w.token, await proofOf(w.owner), verifier)).toMatchObject({ status: 204 });
  // A reporter with the public link alone opens the speak-up room: no device, no proof.
  const reporter = rawSocket(relay.syncUrl, `${w.id}.speakup`, link);
  const frame = new Promise<Buffer>((r) => reporter.ws.once('message', (d: Buffer) => r(d)));
  await within('reporter open', reporter.opened);
  expect((await within('reporter frame', frame)).length).toBeGreaterThan(0);
  reporter.ws.close();

  // Turning it off: the same rule.
  expect(await deleteVerifier(relay, w.id, w.token, null)).toMatchObject({ status: 401, error: 'device proof required' });
  expect(await deleteVerifier(relay, w.id, w.token, await proofOf(rae))).toMatchObject({ status: 403, error: 'device removed' });
  expect(await deleteVerifier(relay, w.id, w.token, await proofOf(sam))).toMatchObject({ status: 403, error: 'not an owner’s device' });
  const still = rawSocket(relay.syncUrl, `${w.id}.speakup`, link);
  await within('link still on', still.opened);
  still.ws.close();
  expect(await deleteVerifier(relay, w.id, w.token, await proofOf(w.owner))).toMatchObject({ status: 204 });
  expect((await within('link off', rawSocket(relay.syncUrl, `${w.id}.speakup`, link).closed)).code).toBe(4401);
});

test('with --enforce-device-admission=0 every route takes the credential alone again, as before', { timeout: 30_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir(), args: ['--enforce-device-admission=0'] });
  const { w } = await signedWorkspace(relay);
  expect((await putBlob(relay, w.id, w.token, null)).status).toBe(201);
  expect((await getBlob(relay, w.id, w.token, null)).status).toBe(200);
  expect((await putVerifier(relay, w.id, w.token, null, credentialVerifier(newWorkspace().token))).status).toBe(204);
  expect((await deleteVerifier(relay, w.id, w.token, null)).status).toBe(204);
  expect((await rotate(relay, w.id, w.token, null, { epoch: 1, verifier: credentialVerifier(newWorkspace().token), envelopes: { [w.owner.deviceId]: ENV(1) } })).status).toBe(200);
  expect(await envelope(relay, w.id, w.owner.deviceId, null)).toMatchObject({ status: 200, body: { epoch: 1 } });
});
