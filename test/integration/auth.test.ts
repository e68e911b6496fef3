import { createHash } from 'node:crypto';
import { afterEach, expect, test } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { cleanup, createdWorkspace, connect, newWorkspace, rawSocket, records, type RelayProcess, runRelayToExit, spawnRelay, tmpDir, waitFor, waitSynced, within } from './harness.ts';

afterEach(cleanup);

test('credentials and room names are checked; honest clients keep working', { timeout: 30_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir() });
  const ws = await createdWorkspace(relay);
  const room = `${ws.id}.policies`;

  // First connection of the workspace sets its verifier (trust on first use).
  const honest = new Y.Doc();
  const ph = connect(relay.syncUrl, room, honest, ws.token);
  await waitSynced(ph);
  records(honest).set('p1', new Y.Map([['title', 'Acceptable use']]));

  const closeOf = async (r: string, token: string | null) => within(`close of ${r}`, rawSocket(relay.syncUrl, r, token).closed);
  const other = await createdWorkspace(relay);

  // Wrong token for an existing workspace, on the same and on another register.
  expect(await closeOf(room, other.token)).toEqual({ code: 4401, reason: 'bad credentials' });
  expect((await closeOf(`${ws.id}.training`, other.token)).code).toBe(4401);
  // Missing and malformed tokens.
  expect(await closeOf(room, null)).toEqual({ code: 4401, reason: 'missing credentials' });
  expect((await closeOf(room, 'abc')).code).toBe(4401);
  expect((await closeOf(room, `${ws.token.slice(0, 42)}!`)).code).toBe(4401);
  // Same key bytes, non-canonical spelling (spare bits set) is not accepted either.
  const last = ws.token.at(-1)!;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const sibling = alphabet[(alphabet.indexOf(last) & ~3) | ((alphabet.indexOf(last) & 3) ^ 1)]!;
  expect((await closeOf(room, ws.token.slice(0, 42) + sibling)).code).toBe(4401);

  // Bad room names.
  for (const bad of ['short.people', `${ws.id}`, `${ws.id}.People`, `${ws.id}.1st`, `${ws.id}.people.x`, `${ws.id}.people%2fx`, `${'a'.repeat(65)}.people`, `${ws.id}.${'a'.repeat(33)}`]) {
    expect(await closeOf(bad, ws.token), bad).toEqual({ code: 4400, reason: 'bad room name' });
  }

  // The real client gets the code and stops reconnecting (4400-4499 are final for y-websocket).
  const intruder = new Y.Doc();
  const pi = connect(relay.syncUrl, room, intruder, other.token);
  const closed = await within('provider closed', new Promise<{ code: number }>((resolve) => pi.on('closed', (e) => resolve(e))));
  expect(closed.code).toBe(4401);
  expect(pi.shouldConnect).toBe(false);
  expect(records(intruder).size).toBe(0);

  // The honest client and a second device of the workspace still sync.
  const second = new Y.Doc();
  const ps = connect(relay.syncUrl, room, second, ws.token);
  await waitSynced(ps);
  await waitFor('second device has the policy', () => records(second).get('p1')?.get('title') === 'Acceptable use');
  records(second).get('p1')!.set('owner', 'CISO');
  await waitFor('honest client sees the edit', () => records(honest).get('p1')?.get('owner') === 'CISO');

  // Refusals are logged with their reason, never with the token.
  const log = relay.stderr();
  expect(log).toMatch(/ws\.refused .*code=4401 reason="bad credentials"/);
  expect(log).toMatch(/ws\.refused .*code=4400 reason="bad room name"/);
  expect(log).not.toContain(ws.token);
  expect(log).not.toContain(other.token);
});

// ---------- each refusal: its close code AND the reason the relay logged ----------

/** The relay's log lines for refusals of `room` (stderr, one line per event). */
const refusalsOf = (relay: RelayProcess, room: string) => relay.stderr().split('\n').filter((l) => l.includes('ws.refused') && l.includes(`room=${room}`));

/** Opens a raw socket, waits for the close, then for the relay's log line about it. */
async function refused(relay: RelayProcess, room: string, token: string | null): Promise<{ code: number; reason: string; logged: string }> {
  const before = refusalsOf(relay, room).length;
  const close = await within(`close of ${room}`, rawSocket(relay.syncUrl, room, token).closed);
  await waitFor(`log line for ${room}`, () => refusalsOf(relay, room).length > before);
  const line = refusalsOf(relay, room).at(-1)!;
  return { ...close, logged: /reason="?([^"]*)"?/.exec(line)?.[1] ?? '' };
}

const ENV = (n: number) => ({ v: 1, epk: `epk${n}`.padEnd(87, 'A'), ct: `ct${n}`.padEnd(100, 'B') });
/** Waits for a line in the relay's log (stderr arrives a moment after the answer). */
const logged = (relay: RelayProcess, line: RegExp) => waitFor(`log line ${line}`, () => line.test(relay.stderr()));
const sha256hex = (token: string) => createHash('sha256').update(Buffer.from(token, 'base64url')).digest('hex');

async function rotate(relay: RelayProcess, workspaceId: string, token: string | null, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${relay.url}/auth/${workspaceId}/rotate`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token === null ? {} : { Authorization: `Bearer ${token}` }), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

test('wrong, missing and malformed keys, and another workspace’s room: refused with 4401 and the reason logged', { timeout: 30_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir() });
  const a = await createdWorkspace(relay);
  const b = await createdWorkspace(relay);
  // Both workspaces exist on the relay (first contact sets each verifier).
  for (const w of [a, b]) await waitSynced(connect(relay.syncUrl, `${w.id}.people`, new Y.Doc(), w.token));

  expect(await refused(relay, `${a.id}.people`, newWorkspace().token)).toEqual({ code: 4401, reason: 'bad credentials', logged: 'bad credentials' });
  expect(await refused(relay, `${a.id}.training`, null)).toEqual({ code: 4401, reason: 'missing credentials', logged: 'missing credentials' });
  expect(await refused(relay, `${a.id}.roles`, 'not-a-key')).toEqual({ code: 4401, reason: 'malformed credentials', logged: 'malformed credentials' });
  expect(await refused(relay, `${a.id}.roles`, `${a.token.slice(0, 40)}***`)).toMatchObject({ code: 4401, logged: 'malformed credentials' });
  // A's key on B's rooms, on a room B already has and on one it has not opened yet.
  expect(await refused(relay, `${b.id}.people`, a.token)).toEqual({ code: 4401, reason: 'bad credentials', logged: 'bad credentials' });
  expect(await refused(relay, `${b.id}.policies`, a.token)).toEqual({ code: 4401, reason: 'bad credentials', logged: 'bad credentials' });
  // The same key over HTTP (attachments): refused too, with the reason logged.
  const blob = await fetch(`${relay.url}/blobs/${b.id}/${'0'.repeat(64)}`, { headers: { Authorization: `Bearer ${a.token}` } });
  expect(blob.status).toBe(401);
  await logged(relay, new RegExp(`blob\\.refused workspace=${b.id} .*status=401 reason="bad credentials"`));
  expect(relay.stderr()).not.toContain(a.token);
  expect(relay.stderr()).not.toContain(b.token);
});

test('rotation: open connections are closed, the old key is refused as stale, the new key works, envelopes are served', { timeout: 30_000 }, async () => {
  const dataDir = tmpDir();
  const relay = await spawnRelay({ dataDir });
  const ws = await createdWorkspace(relay);
  const room = `${ws.id}.people`;
  const stayer = new Y.Doc();
  const leaver = new Y.Doc();
  const ps = connect(relay.syncUrl, room, stayer, ws.token);
  const pl = connect(relay.syncUrl, `${ws.id}.checklists`, leaver, ws.token);
  await Promise.all([waitSynced(ps), waitSynced(pl)]);
  records(stayer).set('p1', new Y.Map([['name', 'Ada']]));
  const closes: Array<{ code: number; reason: string }> = [];
  ps.on('closed', (e) => closes.push(e));
  pl.on('closed', (e) => closes.push(e));

  // A rotation with a wrong credential is refused and changes nothing.
  const next = newWorkspace().token;
  const body = { epoch: 1, verifier: sha256hex(next), envelopes: { stayerDevice01: ENV(1), ownerDevice001: ENV(2) } };
  const wrong = await rotate(relay, ws.id, newWorkspace().token, body);
  expect(wrong.status).toBe(401);
  await logged(relay, new RegExp(`auth\\.rotate-refused workspace=${ws.id} status=401 reason="bad credentials"`));
  expect((await rotate(relay, ws.id, null, body)).status).toBe(401);
  await logged(relay, /auth\.rotate-refused .*status=401 reason="missing credentials"/);
  expect(closes).toEqual([]);
  // Verifier unchanged: the old key still opens rooms, the proposed one does not.
  await waitSynced(connect(relay.syncUrl, `${ws.id}.roles`, new Y.Doc(), ws.token));
  expect(await refused(relay, `${ws.id}.roles`, next)).toMatchObject({ code: 4401, logged: 'bad credentials' });
  // No envelope exists before a rotation.
  expect((await fetch(`${relay.url}/auth/${ws.id}/envelope/stayerDevice01`)).status).toBe(404);

  // Malformed bodies and a wrong epoch are refused.
  for (const bad of ['{', { ...body, verifier: 'xyz' }, { ...body, envelopes: {} }, { ...body, envelopes: { 'bad id!': ENV(1) } }, { ...body, envelopes: { stayerDevice01: { v: 2 } } }]) {
    expect((await rotate(relay, ws.id, ws.token, bad)).status, JSON.stringify(bad)).toBe(400);
  }
  expect(await rotate(relay, ws.id, ws.token, { ...body, epoch: 2 })).toEqual({ status: 409, body: { error: 'Another rotation happened first.', epoch: 0 } });
  expect((await rotate(relay, ws.id, ws.token, { ...body, verifier: sha256hex(ws.token) })).status).toBe(400);

  // The real rotation.
  const ok = await rotate(relay, ws.id, ws.token, body);
  expect(ok).toEqual({ status: 200, body: { epoch: 1 } });
  await logged(relay, new RegExp(`auth\\.rotated workspace=${ws.id} epoch=1 devices=2 closed=3`));
  // Every open connection of the workspace was closed with 4401 "credentials rotated"; clients stop.
  await waitFor('both providers closed', () => closes.length === 2);
  expect(closes).toEqual([
    { code: 4401, reason: 'credentials rotated' },
    { code: 4401, reason: 'credentials rotated' },
  ]);
  expect(ps.shouldConnect).toBe(false);
  expect(refusalsOf(relay, room).some((l) => /code=4401 reason="credentials rotated"/.test(l))).toBe(true);

  // The OLD key, replayed, is refused as stale, on the websocket and over HTTP.
  expect(await refused(relay, room, ws.token)).toEqual({ code: 4401, reason: 'stale credentials', logged: 'stale credentials' });
  expect((await fetch(`${relay.url}/blobs/${ws.id}/${'0'.repeat(64)}`, { headers: { Authorization: `Bearer ${ws.token}` } })).status).toBe(401);
  // ...and cannot rotate again.
  const replay = await rotate(relay, ws.id, ws.token, { epoch: 2, verifier: sha256hex(newWorkspace().token), envelopes: { stayerDevice01: ENV(3) } });
  expect(replay.status).toBe(401);
  await logged(relay, new RegExp(`auth\\.rotate-refused workspace=${ws.id} status=401 reason="stale credentials"`));

  // Envelopes: each remaining device gets its own, with the epoch; anyone else gets 404.
  const env = await fetch(`${relay.url}/auth/${ws.id}/envelope/stayerDevice01`);
  expect(env.status).toBe(200);
  expect(env.headers.get('cache-control')).toBe('no-store');
  expect(await env.json()).toEqual({ epoch: 1, envelope: ENV(1) });
  expect((await fetch(`${relay.url}/auth/${ws.id}/envelope/removedDevice1`)).status).toBe(404);
  expect((await fetch(`${relay.url}/auth/${newWorkspace().id}/envelope/stayerDevice01`)).status).toBe(404);
  await logged(relay, new RegExp(`auth\\.envelope workspace=${ws.id} device=removedDevice1 status=404`));

  // The new key opens the rooms, with everything in them.
  const back = new Y.Doc();
  await waitSynced(connect(relay.syncUrl, room, back, next));
  await waitFor('data still there', () => records(back).get('p1')?.get('name') === 'Ada');

  // A second rotation leaves out a device: its envelope is gone, and the epoch-1 key is stale too.
  const third = newWorkspace().token;
  expect((await rotate(relay, ws.id, next, { epoch: 2, verifier: sha256hex(third), envelopes: { ownerDevice001: ENV(4) } })).status).toBe(200);
  expect((await fetch(`${relay.url}/auth/${ws.id}/envelope/stayerDevice01`)).status).toBe(404);
  expect(await (await fetch(`${relay.url}/auth/${ws.id}/envelope/ownerDevice001`)).json()).toEqual({ epoch: 2, envelope: ENV(4) });
  expect(await refused(relay, `${ws.id}.roles`, next)).toMatchObject({ code: 4401, logged: 'stale credentials' });
  expect(await refused(relay, `${ws.id}.roles`, ws.token)).toMatchObject({ code: 4401, logged: 'stale credentials' });

  // It all survives a restart: same data dir, same verifier, same epoch and envelopes.
  relay.child.kill('SIGTERM');
  await relay.exited;
  const again = await spawnRelay({ dataDir });
  expect(await refused(again, `${ws.id}.roles`, next)).toMatchObject({ code: 4401, logged: 'stale credentials' });
  await waitSynced(connect(again.syncUrl, room, new Y.Doc(), third));
  expect(await (await fetch(`${again.url}/auth/${ws.id}/envelope/ownerDevice001`)).json()).toEqual({ epoch: 2, envelope: ENV(4) });
  for (const t of [ws.token, next, third]) expect(relay.stderr() + again.stderr()).not.toContain(t);
});

test('ALLOWED_ORIGINS: websocket upgrades and rotation requests from an origin not listed (nor the relay\'s own) get 403', { timeout: 30_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir(), env: { ALLOWED_ORIGINS: 'https://muster.example.org, http://127.0.0.1:9' } });
  const ws = await createdWorkspace(relay);
  const open = (origin?: string) => upgradeStatus(relay, `${ws.id}.people`, ws.token, origin);
  expect(await open('https://evil.example')).toBe(403);
  await logged(relay, /ws\.refused .*code=403 reason="origin not allowed"/);
  expect(await open('https://muster.example.org')).toBe(101);
  expect(await open('HTTPS://MUSTER.EXAMPLE.ORG')).toBe(101);
  // Not a browser (no Origin header): allowed; a script could claim any origin anyway.
  expect(await open()).toBe(101);

  const body = { epoch: 1, verifier: sha256hex(newWorkspace().token), envelopes: { someDevice01: ENV(1) } };
  expect((await rotate(relay, ws.id, ws.token, body, { Origin: 'https://evil.example' })).status).toBe(403);
  await logged(relay, new RegExp(`auth\\.rotate-refused workspace=${ws.id} status=403 reason="origin not allowed"`));
  expect((await rotate(relay, ws.id, ws.token, body, { Origin: 'https://muster.example.org' })).status).toBe(200);

  // A bad list stops the relay at start with a clear message.
  const bad = await runRelayToExit(['--port', '0', '--data-dir', tmpDir(), '--allowed-origins', 'muster.example.org']);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toMatch(/--allowed-origins must be a comma list of origins like https:\/\/muster\.example\.org, got "muster\.example\.org"/);
});

/** Status of a websocket upgrade to `relay` sent with `origin` as its Origin header (101 = opened). */
function upgradeStatus(relay: RelayProcess, room: string, token: string, origin?: string): Promise<number> {
  return new Promise<number>((resolve) => {
    const s = new WebSocket(`${relay.syncUrl}/${room}?auth=${token}`, origin ? { origin } : {});
    s.on('open', () => {
      s.close();
      resolve(101);
    });
    s.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    s.on('error', () => {});
  });
}

test('by default only the relay\'s own origin may open websockets and rotate; ALLOWED_ORIGINS=* opens it to any', { timeout: 30_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir() });
  const ws = await createdWorkspace(relay);
  const room = `${ws.id}.people`;
  // The app the relay serves: its Origin is the relay's own (the Host it was reached at).
  expect(await upgradeStatus(relay, room, ws.token, relay.url)).toBe(101);
  expect(await upgradeStatus(relay, room, ws.token, relay.url.replace('http:', 'https:'))).toBe(101);
  // A page elsewhere, even on the same machine, may not sync as the workspace.
  expect(await upgradeStatus(relay, room, ws.token, 'https://evil.example')).toBe(403);
  expect(await upgradeStatus(relay, room, ws.token, `http://127.0.0.1:${relay.port + 1}`)).toBe(403);
  expect(await upgradeStatus(relay, room, ws.token, 'null')).toBe(403);
  await logged(relay, /ws\.refused .*code=403 reason="origin not allowed"/);
  // Not a browser: allowed.
  expect(await upgradeStatus(relay, room, ws.token)).toBe(101);

  const body = { epoch: 1, verifier: sha256hex(newWorkspace().token), envelopes: { someDevice01: ENV(1) } };
  expect((await rotate(relay, ws.id, ws.token, body, { Origin: 'https://evil.example' })).status).toBe(403);
  expect((await rotate(relay, ws.id, ws.token, body, { Origin: relay.url })).status).toBe(200);

  const open = await spawnRelay({ dataDir: tmpDir(), env: { ALLOWED_ORIGINS: '*' } });
  const other = await createdWorkspace(open);
  expect(await upgradeStatus(open, `${other.id}.people`, other.token, 'https://evil.example')).toBe(101);
  const body2 = { epoch: 1, verifier: sha256hex(newWorkspace().token), envelopes: { someDevice01: ENV(1) } };
  expect((await rotate(open, other.id, other.token, body2, { Origin: 'https://app.example.net' })).status).toBe(200);
});
