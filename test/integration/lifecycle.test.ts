import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { cleanup, connect, destroyProvider, newWorkspace, records, runRelayToExit, spawnRelay, tmpDir, waitFor, waitSynced, within } from './harness.ts';

afterEach(cleanup);

/** Starts a relay on dataDir, stores `count` records in each room, stops it with SIGTERM. */
async function seed(dataDir: string, rooms: string[], token: string, count = 20, size = 10) {
  const relay = await spawnRelay({ dataDir });
  for (const room of rooms) {
    const doc = new Y.Doc();
    const p = connect(relay.syncUrl, room, doc, token);
    await waitSynced(p);
    for (let i = 0; i < count; i++) records(doc).set(`r${i}`, new Y.Map([['text', `${room}:${i}:`.padEnd(size, 'x')]]));
    const probe = new Y.Doc();
    const pp = connect(relay.syncUrl, room, probe, token);
    await waitFor('probe synced', () => records(probe).size === count);
    destroyProvider(p);
    destroyProvider(pp);
  }
  relay.child.kill('SIGTERM');
  return relay.exited;
}

test('SIGTERM closes clients with 1001, compacts, and exits 0 with the data on disk', { timeout: 30_000 }, async () => {
  const dataDir = tmpDir();
  let relay = await spawnRelay({ dataDir });
  const ws = newWorkspace();
  const room = `${ws.id}.briefings`;
  const a = new Y.Doc();
  const pa = connect(relay.syncUrl, room, a, ws.token);
  await waitSynced(pa);
  for (let i = 0; i < 30; i++) records(a).set(`b${i}`, new Y.Map([['minutes', `briefing ${i}`]]));
  const probe = new Y.Doc();
  const pp = connect(relay.syncUrl, room, probe, ws.token);
  await waitFor('probe has all', () => records(probe).size === 30);
  destroyProvider(pp);

  // A is still connected when the relay stops.
  const closeCode = new Promise<number | undefined>((resolve) => pa.on('connection-close', (e) => resolve(e?.code)));
  relay.child.kill('SIGTERM');
  expect(await within('exit', relay.exited, 10_000)).toEqual({ code: 0, signal: null });
  expect(await within('client saw close', closeCode)).toBe(1001);
  destroyProvider(pa);
  expect(relay.stderr()).toMatch(/relay\.closed/);

  // Checkpointed (no WAL left behind) and compacted to one row.
  expect(fs.existsSync(path.join(dataDir, 'muster.sqlite-wal'))).toBe(false);
  const db = new Database(path.join(dataDir, 'muster.sqlite'), { readonly: true });
  expect(db.prepare('SELECT count(*) AS n FROM updates WHERE room = ?').get(room)).toEqual({ n: 1 });
  db.close();

  relay = await spawnRelay({ dataDir });
  const c = new Y.Doc();
  const pc = connect(relay.syncUrl, room, c, ws.token);
  await waitSynced(pc);
  await waitFor('C has the briefings', () => records(c).size === 30);
  expect(records(c).get('b29')?.get('minutes')).toBe('briefing 29');
});

test('a second relay on the same data directory refuses to start', { timeout: 30_000 }, async () => {
  const dataDir = tmpDir();
  await spawnRelay({ dataDir });
  const second = await runRelayToExit(['--port', '0', '--data-dir', dataDir], 20_000);
  expect(second.code).toBe(1);
  expect(second.stderr).toMatch(/another relay is using this data directory/);
});

test('a flipped byte in a stored update: refuses to start, exit 2, names the room', { timeout: 30_000 }, async () => {
  const dataDir = tmpDir();
  const ws = newWorkspace();
  const rooms = [`${ws.id}.people`, `${ws.id}.training`];
  expect((await seed(dataDir, rooms, ws.token)).code).toBe(0);

  const db = new Database(path.join(dataDir, 'muster.sqlite'));
  const row = db.prepare<[string], { id: number; data: Buffer }>('SELECT id, data FROM updates WHERE room = ?').get(rooms[1]!)!;
  const data = Buffer.from(row.data);
  data[Math.floor(data.length / 2)]! ^= 0x01;
  db.prepare('UPDATE updates SET data = ? WHERE id = ?').run(data, row.id);
  db.close();

  const run = await runRelayToExit(['--port', '0', '--data-dir', dataDir]);
  expect(run.code).toBe(2);
  expect(run.stdout).not.toMatch(/listening/);
  expect(run.stderr).toContain(`room "${rooms[1]}"`);
  expect(run.stderr).not.toContain(`room "${rooms[0]}"`);
  expect(run.stderr).toMatch(/refusing to start: storage is corrupt: .*checksum/);
});

test('a truncated database file: refuses to start with exit 2', { timeout: 30_000 }, async () => {
  const dataDir = tmpDir();
  const ws = newWorkspace();
  const rooms = ['people', 'training', 'policies', 'agreements'].map((r) => `${ws.id}.${r}`);
  expect((await seed(dataDir, rooms, ws.token, 40, 400)).code).toBe(0);
  const file = path.join(dataDir, 'muster.sqlite');
  const size = fs.statSync(file).size;
  expect(size).toBeGreaterThan(8 * 4096);
  fs.truncateSync(file, Math.floor(size / 2 / 4096) * 4096);

  const run = await runRelayToExit(['--port', '0', '--data-dir', dataDir]);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/refusing to start: storage is corrupt/);
});

test('a file that is not a database: refuses to start with exit 2', { timeout: 30_000 }, async () => {
  const dataDir = tmpDir();
  fs.writeFileSync(path.join(dataDir, 'muster.sqlite'), Buffer.alloc(8192, 0x42));
  const run = await runRelayToExit(['--port', '0', '--data-dir', dataDir]);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/refusing to start: storage is corrupt: .*muster\.sqlite/);
});
