import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { cleanup, connect, createdWorkspace, createOnRelay, newWorkspace, rawSocket, records, type RelayProcess, spawnNode, spawnRelay, tmpDir, waitFor, waitSynced, within } from './harness.ts';

/**
 * Issue 13, finding 3: a workspace comes to exist only by POST /auth/<ws>/create,
 * under the operator's creation policy (server/creation.ts), and all workspaces
 * together are bounded (MAX_WORKSPACES, MAX_TOTAL_BLOB_BYTES).
 */

afterEach(cleanup);

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const TOKEN_A = 'alpha-bravo-charlie-delta-1';
const TOKEN_B = 'ECHOFOXTROTGOLF22';

async function stop(relay: RelayProcess) {
  relay.child.kill('SIGTERM');
  await relay.exited;
}

/** Rows of the relay's SQLite file (relay stopped). */
function rows(dataDir: string, sql: string): unknown[] {
  const db = new Database(path.join(dataDir, 'muster.sqlite'), { readonly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

const putBlob = (relay: RelayProcess, ws: string, token: string, bytes: Uint8Array<ArrayBuffer>) =>
  fetch(`${relay.url}/blobs/${ws}/${sha(bytes)}`, { method: 'PUT', body: bytes, headers: { 'Content-Type': 'image/jpeg', ...auth(token) } });

const askInvite = (relay: RelayProcess, ws: string, token: string) => fetch(`${relay.url}/auth/${ws}/creation-invite`, { method: 'POST', headers: auth(token) });

function control(dataDir: string, request: object): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const conn = net.connect(path.join(dataDir, 'control.sock'));
    let answer = '';
    conn.setEncoding('utf8');
    conn.on('data', (d: string) => (answer += d));
    conn.on('error', reject);
    conn.on('end', () => resolve(JSON.parse(answer) as Record<string, unknown>));
    conn.write(JSON.stringify(request) + '\n');
  });
}

test('invented ids are refused on every path (websocket, blob GET and PUT, speak-up, rotation, envelope) and nothing is inserted; the real owner creates it afterwards', { timeout: 60_000 }, async () => {
  const dataDir = tmpDir();
  let relay = await spawnRelay({ dataDir });
  const owner = newWorkspace();
  const attacker = newWorkspace().token;
  const bytes = randomBytes(2000);

  // Raw websocket, and the official y-websocket client (which then stops: 4401 is final for it).
  for (const room of [`${owner.id}.people`, `${owner.id}.speakup`, `${owner.id}.settings`]) {
    expect(await within('close', rawSocket(relay.syncUrl, room, attacker).closed)).toEqual({ code: 4401, reason: 'unknown workspace' });
  }
  const provider = connect(relay.syncUrl, `${owner.id}.people`, new Y.Doc(), attacker, { create: false });
  const closed = await within('closed', new Promise<{ code: number; reason: string }>((resolve) => provider.once('closed', resolve)));
  expect(closed).toEqual({ code: 4401, reason: 'unknown workspace' });
  expect(provider.shouldConnect).toBe(false);

  // HTTP: 404 everywhere, never a 401 that would mean "it exists".
  expect((await fetch(`${relay.url}/blobs/${owner.id}/${sha(bytes)}`, { headers: auth(attacker) })).status).toBe(404);
  expect((await putBlob(relay, owner.id, attacker, bytes)).status).toBe(404);
  expect((await fetch(`${relay.url}/speakup/${owner.id}/verifier`, { method: 'PUT', headers: auth(attacker), body: JSON.stringify({ verifier: sha(bytes) }) })).status).toBe(404);
  const rotation = { epoch: 1, verifier: sha(bytes), envelopes: { someDevice01: { v: 1, epk: 'AAAA', ct: 'BBBB' } } };
  expect((await fetch(`${relay.url}/auth/${owner.id}/rotate`, { method: 'POST', headers: auth(attacker), body: JSON.stringify(rotation) })).status).toBe(404);
  expect((await fetch(`${relay.url}/auth/${owner.id}/envelope/someDevice01`)).status).toBe(404);
  expect((await askInvite(relay, owner.id, attacker)).status).toBe(404);
  // Twenty more invented ids, each by websocket: none is accepted.
  const invented = Array.from({ length: 20 }, () => newWorkspace());
  const codes = await Promise.all(invented.map((w) => within('close', rawSocket(relay.syncUrl, `${w.id}.people`, w.token).closed)));
  expect(codes.every((c) => c.code === 4401 && c.reason === 'unknown workspace')).toBe(true);
  // One log line per refusal, naming the reason.
  await waitFor('logged', () => (relay.stderr().match(/reason="unknown workspace"/g) ?? []).length >= 29);
  expect(relay.stderr()).toMatch(/blob\.refused.*status=404 reason="unknown workspace"/);

  await stop(relay);
  expect(rows(dataDir, 'SELECT id FROM workspaces')).toEqual([]);
  expect(rows(dataDir, 'SELECT hash FROM blobs')).toEqual([]);
  expect(rows(dataDir, 'SELECT workspace FROM speakup_links')).toEqual([]);

  // The real owner arrives later: creates, syncs, stores a file. A second create (another key) changes nothing.
  relay = await spawnRelay({ dataDir });
  expect(await createOnRelay(relay.url, owner.id, owner.token)).toEqual({ status: 201, body: { created: true } });
  expect(await createOnRelay(relay.url, owner.id, attacker)).toMatchObject({ status: 409, body: { sameCredentials: false } });
  expect(await createOnRelay(relay.url, owner.id, owner.token)).toMatchObject({ status: 409, body: { sameCredentials: true } });
  expect(await createOnRelay(relay.url, newWorkspace().id, null)).toMatchObject({ status: 401 });
  const a = new Y.Doc();
  const b = new Y.Doc();
  await waitSynced(connect(relay.syncUrl, `${owner.id}.people`, a, owner.token, { create: false }));
  const pb = connect(relay.syncUrl, `${owner.id}.people`, b, owner.token, { create: false });
  records(a).set('p1', new Y.Map([['name', 'Ada']]));
  await waitFor('synced', () => records(b).get('p1')?.get('name') === 'Ada');
  expect(pb.wsconnected).toBe(true);
  expect((await putBlob(relay, owner.id, owner.token, bytes)).status).toBe(201);
  expect(await within('close', rawSocket(relay.syncUrl, `${owner.id}.people`, attacker).closed)).toEqual({ code: 4401, reason: 'bad credentials' });
  await stop(relay);
  const stored = rows(dataDir, 'SELECT id, verifier FROM workspaces') as Array<{ id: string; verifier: string }>;
  expect(stored).toEqual([{ id: owner.id, verifier: sha(Buffer.from(owner.token, 'base64url')) }]);
});

test('token policy: none, wrong, used (also after a restart) and expired tokens are refused; a good one creates one workspace', { timeout: 60_000 }, async () => {
  const dataDir = tmpDir();
  const env = { WORKSPACE_CREATION: 'token', CREATION_TOKENS: `${TOKEN_A},${TOKEN_B}` };
  let relay = await spawnRelay({ dataDir, env });
  const w1 = newWorkspace();
  expect(await createOnRelay(relay.url, w1.id, w1.token)).toMatchObject({ status: 403, body: { reason: 'creation token required' } });
  expect(await createOnRelay(relay.url, w1.id, w1.token, { creationToken: 'ALPHA-BRAVO-CHARLIE-DELTA-2' })).toMatchObject({ status: 403, body: { reason: 'code not valid' } });
  // Case, spaces and dashes do not matter (typed on a phone).
  expect((await createOnRelay(relay.url, w1.id, w1.token, { creationToken: ' Alpha Bravo Charlie Delta 1 ' })).status).toBe(201);
  // A retry of that create (its answer lost) is told the workspace is its own, and spends nothing.
  expect(await createOnRelay(relay.url, w1.id, w1.token, { creationToken: TOKEN_B })).toMatchObject({ status: 409, body: { sameCredentials: true } });
  const w2 = newWorkspace();
  expect(await createOnRelay(relay.url, w2.id, w2.token, { creationToken: TOKEN_A })).toMatchObject({ status: 403, body: { reason: 'code used' } });
  // An invite is not a token on a token relay.
  expect((await askInvite(relay, w1.id, w1.token)).status).toBe(403);
  // Tokens minted over the control socket (npm run relay-token): single-use, and they expire.
  const script = spawnNode(['--import', 'tsx', 'scripts/relay-token.ts', '--data-dir', dataDir]);
  expect((await script.exited).code).toBe(0);
  const minted = script.stdout().trim();
  expect(minted).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$/);
  expect(script.stderr()).toMatch(/Single use, valid until/);
  expect((await createOnRelay(relay.url, w2.id, w2.token, { creationToken: minted })).status).toBe(201);
  const w3 = newWorkspace();
  expect(await createOnRelay(relay.url, w3.id, w3.token, { creationToken: minted })).toMatchObject({ status: 403, body: { reason: 'code used' } });
  const brief = await control(dataDir, { op: 'creation-token', hours: 0.5 / 3600 });
  await new Promise((r) => setTimeout(r, 700));
  expect(await createOnRelay(relay.url, w3.id, w3.token, { creationToken: brief['token'] })).toMatchObject({ status: 403, body: { reason: 'code expired' } });
  // Used stays used across a restart.
  await stop(relay);
  relay = await spawnRelay({ dataDir, env });
  expect(await createOnRelay(relay.url, w3.id, w3.token, { creationToken: TOKEN_A })).toMatchObject({ status: 403, body: { reason: 'code used' } });
  expect((await createOnRelay(relay.url, w3.id, w3.token, { creationToken: TOKEN_B })).status).toBe(201);
  await waitSynced(connect(relay.syncUrl, `${w3.id}.people`, new Y.Doc(), w3.token, { create: false }));
  await stop(relay);
  expect((rows(dataDir, 'SELECT id FROM workspaces') as Array<{ id: string }>).map((r) => r.id).sort()).toEqual([w1.id, w2.id, w3.id].sort());

  // `token` without any token configured: the relay starts, says so, and refuses creations with a sentence.
  const bare = await spawnRelay({ dataDir: tmpDir(), env: { WORKSPACE_CREATION: 'token' } });
  expect(bare.stderr()).toMatch(/workspace\.no-creation-tokens/);
  const w4 = newWorkspace();
  const refused = await createOnRelay(bare.url, w4.id, w4.token);
  expect(refused).toMatchObject({ status: 403, body: { reason: 'creation token required' } });
  expect(refused.body.error).toMatch(/npm run relay-token/);
});

test('invite policy: a member of an existing workspace asks for a one-time code; wrong, used and expired invites are refused', { timeout: 60_000 }, async () => {
  const dataDir = tmpDir();
  const relay = await spawnRelay({ dataDir, env: { WORKSPACE_CREATION: 'invite', CREATION_TOKENS: TOKEN_A, CREATION_INVITE_SECONDS: '1' } });
  const first = newWorkspace();
  expect(await createOnRelay(relay.url, first.id, first.token)).toMatchObject({ status: 403, body: { reason: 'invite required' } });
  // The operator's token makes the first workspace.
  expect((await createOnRelay(relay.url, first.id, first.token, { creationToken: TOKEN_A })).status).toBe(201);
  // Only with that workspace's own credential.
  expect((await askInvite(relay, first.id, newWorkspace().token)).status).toBe(401);
  const res = await askInvite(relay, first.id, first.token);
  expect(res.status).toBe(200);
  const { invite, expiresAt } = (await res.json()) as { invite: string; expiresAt: number };
  expect(expiresAt).toBeGreaterThan(Date.now());
  const second = newWorkspace();
  expect(await createOnRelay(relay.url, second.id, second.token, { invite: 'ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ' })).toMatchObject({ status: 403, body: { reason: 'code not valid' } });
  expect((await createOnRelay(relay.url, second.id, second.token, { invite })).status).toBe(201);
  await waitSynced(connect(relay.syncUrl, `${second.id}.people`, new Y.Doc(), second.token, { create: false }));
  const third = newWorkspace();
  expect(await createOnRelay(relay.url, third.id, third.token, { invite })).toMatchObject({ status: 403, body: { reason: 'code used' } });
  const late = (await (await askInvite(relay, second.id, second.token)).json()) as { invite: string };
  await new Promise((r) => setTimeout(r, 1300));
  expect(await createOnRelay(relay.url, third.id, third.token, { invite: late.invite })).toMatchObject({ status: 403, body: { reason: 'code expired' } });
  expect(relay.stderr()).toMatch(/workspace\.create-refused.*reason="code expired"/);

  // At most 10 unused invites per workspace at once (a day's validity, the default).
  const daily = await spawnRelay({ dataDir: tmpDir(), env: { WORKSPACE_CREATION: 'invite', CREATION_TOKENS: TOKEN_A } });
  const issuer = await createdWorkspace(daily, { creationToken: TOKEN_A });
  const asked = [];
  for (let i = 0; i < 11; i++) asked.push((await askInvite(daily, issuer.id, issuer.token)).status);
  expect(asked).toEqual([...Array<number>(10).fill(200), 429]);
});

test('global budgets: MAX_WORKSPACES bounds the count (503) and MAX_TOTAL_BLOB_BYTES all workspaces’ files together (507), also after a restart; each workspace keeps its own quota', { timeout: 60_000 }, async () => {
  const dataDir = tmpDir();
  const env = { MAX_WORKSPACES: '5', MAX_TOTAL_BLOB_BYTES: '3000', MAX_WORKSPACE_BLOB_BYTES: '2000' };
  let relay = await spawnRelay({ dataDir, env });
  const spaces = [];
  for (let i = 0; i < 5; i++) spaces.push(await createdWorkspace(relay));
  const extra = newWorkspace();
  const full = await createOnRelay(relay.url, extra.id, extra.token);
  expect(full).toMatchObject({ status: 503, body: { reason: 'too many workspaces' } });
  expect(full.body.error).toMatch(/MAX_WORKSPACES=5/);

  const files = spaces.map(() => randomBytes(1000));
  const statuses = [];
  for (const [i, w] of spaces.entries()) statuses.push((await putBlob(relay, w.id, w.token, files[i]!)).status);
  expect(statuses).toEqual([201, 201, 201, 507, 507]);
  const over = await putBlob(relay, spaces[4]!.id, spaces[4]!.token, files[4]!);
  expect(((await over.json()) as { error: string }).error).toMatch(/MAX_TOTAL_BLOB_BYTES/);
  // A file a workspace holds re-uploads for nothing.
  expect((await putBlob(relay, spaces[0]!.id, spaces[0]!.token, files[0]!)).status).toBe(200);
  await stop(relay);
  relay = await spawnRelay({ dataDir, env });
  expect((await putBlob(relay, spaces[3]!.id, spaces[3]!.token, files[3]!)).status).toBe(507);
  await stop(relay);
  expect(rows(dataDir, 'SELECT SUM(size) AS total FROM blobs')).toEqual([{ total: 3000 }]);

  // The per-workspace quota is unchanged: one workspace alone cannot pass MAX_WORKSPACE_BLOB_BYTES.
  relay = await spawnRelay({ dataDir: tmpDir(), env: { MAX_TOTAL_BLOB_BYTES: '100000', MAX_WORKSPACE_BLOB_BYTES: '2000' } });
  const one = await createdWorkspace(relay);
  const own = [randomBytes(1000), randomBytes(1000), randomBytes(1000)];
  const mine = [];
  for (const f of own) mine.push((await putBlob(relay, one.id, one.token, f)).status);
  expect(mine).toEqual([201, 201, 507]);
});
