import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, test } from 'vitest';
import { cleanup, createdWorkspace, healthz, newWorkspace, type RelayProcess, spawnRelay, tmpDir, waitFor, within } from './harness.ts';

afterEach(cleanup);

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

async function put(relay: RelayProcess, ws: string, hash: string, body: Uint8Array<ArrayBuffer>, headers: Record<string, string>) {
  const res = await fetch(`${relay.url}/blobs/${ws}/${hash}`, { method: 'PUT', body, headers: { 'Content-Type': 'image/jpeg', ...headers } });
  return { status: res.status, body: await res.text() };
}

async function get(relay: RelayProcess, ws: string, hash: string, headers: Record<string, string> = {}, method = 'GET') {
  const res = await fetch(`${relay.url}/blobs/${ws}/${hash}`, { method, headers });
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

/** Stops a relay cleanly (SIGTERM: WAL checkpointed, lock released) so the test can open its database. */
async function stop(relay: RelayProcess) {
  relay.child.kill('SIGTERM');
  expect((await within('relay exit', relay.exited)).code).toBe(0);
}

test('upload, fetch, idempotent re-upload, stored once', async () => {
  const dataDir = tmpDir();
  const relay = await spawnRelay({ dataDir });
  const ws = await createdWorkspace(relay);
  const photo = randomBytes(200_000);
  const hash = sha(photo);

  expect((await put(relay, ws.id, hash, photo, auth(ws.token))).status).toBe(201);
  const got = await get(relay, ws.id, hash, auth(ws.token));
  expect(got.status).toBe(200);
  expect(Buffer.from(got.bytes).equals(photo)).toBe(true);
  expect(got.headers.get('content-type')).toBe('image/jpeg');
  expect(got.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
  expect(got.headers.get('etag')).toBe(`"${hash}"`);
  expect(got.headers.get('x-content-type-options')).toBe('nosniff');

  // Conditional GET and HEAD.
  expect((await get(relay, ws.id, hash, { ...auth(ws.token), 'If-None-Match': `"${hash}"` })).status).toBe(304);
  const head = await get(relay, ws.id, hash, auth(ws.token), 'HEAD');
  expect([head.status, head.headers.get('content-length'), head.bytes.length]).toEqual([200, String(photo.length), 0]);

  // Same bytes again: accepted, nothing new stored.
  expect((await put(relay, ws.id, hash, photo, auth(ws.token))).status).toBe(200);
  // A PDF is kept with its own type.
  const pdf = Buffer.from('%PDF-1.4\n% a tiny pdf\n');
  expect((await put(relay, ws.id, sha(pdf), pdf, { ...auth(ws.token), 'Content-Type': 'application/pdf' })).status).toBe(201);
  expect((await get(relay, ws.id, sha(pdf), auth(ws.token))).headers.get('content-type')).toBe('application/pdf');

  // Absent blob: 404 (only after the credentials are accepted).
  expect((await get(relay, ws.id, sha(randomBytes(8)), auth(ws.token))).status).toBe(404);

  await stop(relay);
  const db = new Database(path.join(dataDir, 'muster.sqlite'), { readonly: true });
  const rows = db.prepare('SELECT hash, size, type FROM blobs WHERE workspace = ? ORDER BY size DESC').all(ws.id);
  db.close();
  expect(rows).toEqual([
    { hash, size: photo.length, type: 'image/jpeg' },
    { hash: sha(pdf), size: pdf.length, type: 'application/pdf' },
  ]);
  expect(relay.stderr()).not.toContain(ws.token);
});

test('bytes that do not match their address, unsupported types and bad addresses are refused', async () => {
  const relay = await spawnRelay({ dataDir: tmpDir() });
  const ws = await createdWorkspace(relay);
  const bytes = randomBytes(1000);
  const claimed = sha(randomBytes(1000));

  const wrong = await put(relay, ws.id, claimed, bytes, auth(ws.token));
  expect(wrong.status).toBe(400);
  expect(wrong.body).toMatch(/do not match the SHA-256/);
  // Neither name holds anything.
  expect((await get(relay, ws.id, claimed, auth(ws.token))).status).toBe(404);
  expect((await get(relay, ws.id, sha(bytes), auth(ws.token))).status).toBe(404);

  // HTML would run in the app's origin: never stored.
  expect((await put(relay, ws.id, sha(bytes), bytes, { ...auth(ws.token), 'Content-Type': 'text/html' })).status).toBe(415);
  expect((await put(relay, ws.id, sha(bytes), bytes, { ...auth(ws.token), 'Content-Type': 'image/svg+xml' })).status).toBe(415);
  // Upper-case hex, a short hash, a path with more parts.
  expect((await put(relay, ws.id, sha(bytes).toUpperCase(), bytes, auth(ws.token))).status).toBe(404);
  expect((await get(relay, ws.id, 'abc', auth(ws.token))).status).toBe(404);
  expect((await fetch(`${relay.url}/blobs/${ws.id}/${sha(bytes)}/x`, { headers: auth(ws.token) })).status).toBe(404);
  expect((await fetch(`${relay.url}/blobs/${ws.id}/${sha(bytes)}`, { method: 'DELETE', headers: auth(ws.token) })).status).toBe(405);
  expect((await healthz(relay.url)).body.ok).toBe(true);
});

/** Sends a body that never ends (64 KiB chunks for as long as the relay reads); resolves with the relay's answer. */
function endlessPut(relay: RelayProcess, ws: string, hash: string, token: string): Promise<{ status: number; sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let stopped = false;
    const req = http.request(`${relay.url}/blobs/${ws}/${hash}`, { method: 'PUT', headers: { ...auth(token), 'Content-Type': 'image/jpeg' } }, (res) => {
      stopped = true;
      res.resume();
      resolve({ status: res.statusCode ?? 0, sent });
      req.destroy();
    });
    req.on('error', (err) => (stopped ? undefined : reject(err)));
    const chunk = Buffer.alloc(64 * 1024, 7);
    const pump = () => {
      while (!stopped && sent < 1024 * 1024 * 1024) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
    };
    pump();
  });
}

test('over the limit: 413 before the whole body is read, and the relay stays healthy', async () => {
  const limit = 1024 * 1024;
  const relay = await spawnRelay({ dataDir: tmpDir(), args: ['--max-blob-bytes', String(limit)] });
  const ws = await createdWorkspace(relay);

  // Declared too large (Content-Length): refused without reading.
  const big = randomBytes(limit + 1);
  const declared = await put(relay, ws.id, sha(big), big, auth(ws.token)).catch((err: unknown) => ({ status: -1, body: String(err) }));
  expect(declared.status).toBe(413);

  // Chunked with no length, and no end: the relay must answer once it has read past the limit.
  const endless = await within('413 for an endless body', endlessPut(relay, ws.id, sha(big), ws.token), 10_000);
  expect(endless.status).toBe(413);
  expect(endless.sent).toBeLessThan(64 * 1024 * 1024);

  // A client that ignores the refusal and keeps sending is cut off soon after.
  const hostile = net.connect(relay.port, '127.0.0.1');
  hostile.on('error', () => {});
  let answer = '';
  hostile.on('data', (d: Buffer) => (answer += d.toString()));
  const cutOff = new Promise<number>((resolve) => hostile.once('close', () => resolve(Date.now())));
  const started = Date.now();
  hostile.write(`PUT /blobs/${ws.id}/${sha(big)} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ws.token}\r\nContent-Type: image/jpeg\r\nContent-Length: 10000000000\r\n\r\n`);
  const junk = Buffer.alloc(64 * 1024, 1);
  const flood = setInterval(() => hostile.writable && hostile.write(junk), 5);
  const closedAt = await within('hostile upload cut off', cutOff, 10_000);
  clearInterval(flood);
  expect(answer).toMatch(/^HTTP\/1\.1 413/);
  expect(closedAt - started).toBeLessThan(8_000);

  // Exactly at the limit is fine; the relay still serves and syncs.
  const atLimit = randomBytes(limit);
  expect((await put(relay, ws.id, sha(atLimit), atLimit, auth(ws.token))).status).toBe(201);
  expect((await get(relay, ws.id, sha(atLimit), auth(ws.token))).bytes.length).toBe(limit);
  expect((await get(relay, ws.id, sha(big), auth(ws.token))).status).toBe(404);
  expect(await healthz(relay.url)).toEqual({ status: 200, body: { ok: true } });
  expect(relay.stderr()).toMatch(/blob\.refused .*status=413/);
});

test('missing, malformed, wrong and other-workspace credentials get 401 and no existence oracle', async () => {
  const relay = await spawnRelay({ dataDir: tmpDir() });
  const a = await createdWorkspace(relay);
  const b = await createdWorkspace(relay);
  const bytes = randomBytes(5000);
  const hash = sha(bytes);
  const absent = sha(randomBytes(10));
  expect((await put(relay, a.id, hash, bytes, auth(a.token))).status).toBe(201);
  // Workspace B exists on the relay too, with its own credential.
  const bBytes = randomBytes(100);
  expect((await put(relay, b.id, sha(bBytes), bBytes, auth(b.token))).status).toBe(201);

  const refusals: Array<[string, Record<string, string>]> = [
    ['missing', {}],
    ['empty bearer', { Authorization: 'Bearer ' }],
    ['not bearer', { Authorization: `Basic ${a.token}` }],
    ['malformed', auth('abc')],
    ['wrong key', auth(newWorkspace().token)],
    ["other workspace's key", auth(b.token)],
  ];
  for (const [label, headers] of refusals) {
    const present = await get(relay, a.id, hash, headers);
    const missing = await get(relay, a.id, absent, headers);
    expect([label, present.status, missing.status]).toEqual([label, 401, 401]);
    // The same answer whether or not the blob exists.
    expect(Buffer.from(present.bytes).toString(), label).toBe(Buffer.from(missing.bytes).toString());
    expect(present.headers.get('www-authenticate'), label).toBe('Bearer');
    const upload = randomBytes(64);
    expect([label, (await put(relay, a.id, sha(upload), upload, headers)).status]).toEqual([label, 401]);
  }
  // B's credential does not reach A's blob even via B's own path: blobs are per workspace.
  expect((await get(relay, b.id, hash, auth(b.token))).status).toBe(404);
  // A still gets its bytes.
  expect(Buffer.from((await get(relay, a.id, hash, auth(a.token))).bytes).equals(bytes)).toBe(true);

  const log = relay.stderr();
  expect(log).toMatch(/blob\.refused .*status=401 reason="bad credentials"/);
  expect(log).toMatch(/blob\.refused .*status=401 reason="missing credentials"/);
  for (const t of [a.token, b.token]) expect(log).not.toContain(t);
  // No client address in any blob log line.
  const blobLines = log.split('\n').filter((l) => / blob\./.test(l));
  expect(blobLines.length).toBeGreaterThan(10);
  for (const line of blobLines) expect(line).not.toMatch(/127\.0\.0\.1|::1|::ffff|port=/);
});

test('a blob damaged on disk is detected on read: 500 and a log line, never the wrong bytes', async () => {
  const dataDir = tmpDir();
  let relay = await spawnRelay({ dataDir });
  const ws = await createdWorkspace(relay);
  const good = randomBytes(30_000);
  const other = randomBytes(30_000);
  const hash = sha(good);
  expect((await put(relay, ws.id, hash, good, auth(ws.token))).status).toBe(201);
  expect((await put(relay, ws.id, sha(other), other, auth(ws.token))).status).toBe(201);
  await stop(relay);

  // Flip one byte of the stored data, as a failing disk might.
  const db = new Database(path.join(dataDir, 'muster.sqlite'));
  const { data } = db.prepare('SELECT data FROM blobs WHERE workspace = ? AND hash = ?').get(ws.id, hash) as { data: Buffer };
  data[1234] = data[1234]! ^ 0xff;
  expect(db.prepare('UPDATE blobs SET data = ? WHERE workspace = ? AND hash = ?').run(data, ws.id, hash).changes).toBe(1);
  db.close();

  relay = await spawnRelay({ dataDir });
  const got = await get(relay, ws.id, hash, auth(ws.token));
  expect(got.status).toBe(500);
  expect(Buffer.from(got.bytes).toString()).toMatch(/damaged/);
  expect(got.headers.get('content-type')).toMatch(/^application\/json/);
  // The log line may reach the pipe just after the response.
  const corrupt = new RegExp(`blob\\.corrupt workspace=${ws.id} hash=${hash}`);
  await waitFor('blob.corrupt logged', () => corrupt.test(relay.stderr()));
  // The undamaged blob and the relay are fine.
  expect(Buffer.from((await get(relay, ws.id, sha(other), auth(ws.token))).bytes).equals(other)).toBe(true);
  expect((await healthz(relay.url)).body.ok).toBe(true);
  // A device that still has the bytes repairs the stored copy by uploading them again.
  expect((await put(relay, ws.id, hash, good, auth(ws.token))).status).toBe(201);
  await waitFor('blob.repaired logged', () => /blob\.repaired/.test(relay.stderr()));
  expect(Buffer.from((await get(relay, ws.id, hash, auth(ws.token))).bytes).equals(good)).toBe(true);
});

test('each workspace has its share of the relay: a new file beyond it gets 507, a file it holds still re-uploads, other workspaces are not affected', async () => {
  const relay = await spawnRelay({ dataDir: tmpDir(), args: ['--max-workspace-blob-bytes', '300000'] });
  const ws = await createdWorkspace(relay);
  const first = randomBytes(200_000);
  const second = randomBytes(200_000);
  expect((await put(relay, ws.id, sha(first), first, auth(ws.token))).status).toBe(201);
  const full = await put(relay, ws.id, sha(second), second, auth(ws.token));
  expect(full.status).toBe(507);
  expect(full.body).toContain('This workspace has used its attachment storage on the relay (300000 bytes).');
  expect((await get(relay, ws.id, sha(second), auth(ws.token))).status).toBe(404);
  // Re-uploading what it already holds costs nothing.
  expect((await put(relay, ws.id, sha(first), first, auth(ws.token))).status).toBe(200);
  // Another workspace has its own share.
  const other = await createdWorkspace(relay);
  expect((await put(relay, other.id, sha(second), second, auth(other.token))).status).toBe(201);
  expect((await healthz(relay.url)).status).toBe(200);
});
