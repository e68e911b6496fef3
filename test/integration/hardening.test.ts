import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { rssBytes, sleep } from './clients.ts';
import { cleanup, createdWorkspace, healthz, newWorkspace, rawSocket, relayStats, spawnRelay, tmpDir, waitFor, within } from './harness.ts';

afterEach(cleanup);

const MiB = 1024 * 1024;
const open = new Set<net.Socket>();
afterEach(() => {
  for (const s of open) s.destroy();
  open.clear();
});

function tcp(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    open.add(s);
    s.on('error', reject);
  });
}

const partFiles = (dataDir: string) => {
  const dir = path.join(dataDir, 'uploads');
  // A part file may go between the listing and its stat: count only those still there.
  const files = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  return files.flatMap((f) => {
    const st = fs.statSync(path.join(dir, f), { throwIfNoEntry: false });
    return st ? [st.size] : [];
  });
};

test('unfinished uploads go to disk, not memory, and are removed when their client leaves', { timeout: 90_000 }, async () => {
  const dataDir = tmpDir();
  const relay = await spawnRelay({ dataDir });
  const ws = await createdWorkspace(relay);
  await sleep(300);
  const before = rssBytes(relay.child.pid!);
  // 40 uploads that announce 5 MB and stop 1 byte short: held in memory, 160 MB.
  const BODY = 4 * MiB;
  const chunk = Buffer.alloc(BODY, 7);
  const hash = createHash('sha256').update('never finished').digest('hex');
  for (let i = 0; i < 40; i++) {
    const s = await tcp(relay.port);
    s.write(
      `PUT /blobs/${ws.id}/${hash} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${ws.token}\r\nContent-Type: image/png\r\nContent-Length: ${BODY + 1}\r\n\r\n`,
    );
    s.write(chunk);
  }
  let peak = before;
  await waitFor(
    'all bodies received on disk',
    () => {
      peak = Math.max(peak, rssBytes(relay.child.pid!));
      return partFiles(dataDir).filter((n) => n === BODY).length === 40;
    },
    30_000,
  );
  for (let i = 0; i < 10; i++) {
    peak = Math.max(peak, rssBytes(relay.child.pid!));
    await sleep(50);
  }
  expect(peak - before).toBeLessThan(64 * MiB);
  // The clients go away: their part files go too, nothing is stored.
  for (const s of open) s.destroy();
  await waitFor('part files removed', () => partFiles(dataDir).length === 0, 10_000);
  expect(relay.stderr()).not.toMatch(/blob\.stored/);
});

test('uploads in progress at once are limited: the next one gets 503 with Retry-After', { timeout: 60_000 }, async () => {
  const dataDir = tmpDir();
  const relay = await spawnRelay({ dataDir });
  const ws = await createdWorkspace(relay);
  const hash = createHash('sha256').update('x').digest('hex');
  const head = `PUT /blobs/${ws.id}/${hash} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${ws.token}\r\nContent-Type: image/png\r\nContent-Length: 100\r\n\r\nabc`;
  for (let i = 0; i < 64; i++) (await tcp(relay.port)).write(head);
  await waitFor('64 uploads in progress', () => partFiles(dataDir).length === 64, 10_000);
  const extra = await tcp(relay.port);
  let answer = '';
  extra.on('data', (d: Buffer) => (answer += d.toString()));
  extra.write(head);
  await waitFor('65th refused', () => /^HTTP\/1\.1 503/.test(answer));
  expect(answer).toMatch(/Retry-After: 60/i);
});

test('a TCP connection that never sends a byte is closed', { timeout: 60_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir() });
  const silent = await Promise.all(Array.from({ length: 30 }, () => tcp(relay.port)));
  const closed = silent.map((s) => new Promise<void>((resolve) => s.once('close', () => resolve())));
  // The relay's silence limit is 10 s; Node's own request timeouts never start without a first byte.
  await within('all silent connections closed', Promise.all(closed), 20_000);
  // An honest request afterwards is answered.
  expect((await healthz(relay.url)).status).toBe(200);
});

test('a bad awareness frame is refused with one log line, no stack trace', { timeout: 30_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir() });
  const ws = await createdWorkspace(relay);
  const s = rawSocket(relay.syncUrl, `${ws.id}.people`, ws.token);
  await within('open', s.opened);
  // 6 bytes: awareness, length 4, one client (id 7, clock 1) whose state is a 0-byte string: not JSON.
  s.ws.send(Buffer.from([1, 4, 1, 7, 1, 0]));
  expect((await within('closed', s.closed)).code).toBe(4400);
  await sleep(200);
  const lines = relay.stderr().trim().split('\n');
  expect(lines.filter((l) => /ws\.refused .*code=4400 reason="malformed message"/.test(l))).toHaveLength(1);
  // Every line is one event: `<iso time> <level> <event> ...`.
  for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\S+Z (info|warn|error) \S+/);
});

test('/healthz says only whether the relay is up; the counts are on the operator’s control socket', { timeout: 30_000 }, async () => {
  const dataDir = tmpDir();
  const relay = await spawnRelay({ dataDir });
  const ws = await createdWorkspace(relay);
  const s = rawSocket(relay.syncUrl, `${ws.id}.people`, ws.token);
  await within('open', s.opened);
  const health = await healthz(relay.url);
  expect(health).toEqual({ status: 200, body: { ok: true } });
  const stats = await relayStats(dataDir);
  expect(stats).toMatchObject({ ok: true, rooms: 1, sockets: 1, workspaces: 1 });
  expect(fs.statSync(path.join(dataDir, 'control.sock')).mode & 0o777).toBe(0o600);
});
