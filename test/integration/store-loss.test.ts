import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, test } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { keepMarker } from '../../server/marker.ts';
import { connectRoom, type RoomSync, type RoomSyncState, RELAY_WENT_BACK } from '../../src/sync/room-sync';
import { cleanup, connect, createdWorkspace, newWorkspace, rawSocket, records, type RelayProcess, ROOT, runRelayToExit, spawnNode, spawnRelay, tmpDir, waitFor, waitSynced, within } from './harness.ts';

/**
 * Issue 13 finding 6: a lost or rolled-back store is refused at start (DATA_DIR/muster.marker,
 * server/marker.ts); devices notice a relay that went backwards and re-send; a restored
 * database never brings back a credential an owner replaced.
 */

const rooms: RoomSync[] = [];
afterEach(async () => {
  for (const r of rooms.splice(0)) r.destroy();
  await cleanup();
});

const markerOf = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'muster.marker'), 'utf8')) as { store: string; seq: number; workspaces: Record<string, { epoch: number; verifier: string }> };
const storeIdOf = (dir: string) => {
  const db = new Database(path.join(dir, 'muster.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("SELECT value FROM store_meta WHERE key = 'id'").get() as { value: string }).value;
  } finally {
    db.close();
  }
};
const cli = (dir: string, ...extra: string[]) => ['--port', '0', '--host', '127.0.0.1', '--data-dir', dir, '--static-dir', path.join(dir, 'no-static'), ...extra];
const stop = async (relay: RelayProcess) => {
  relay.child.kill('SIGTERM');
  // The whole result, so a failure says which signal ended it.
  expect(await relay.exited).toEqual({ code: 0, signal: null });
};
const add = (doc: Y.Doc, id: string, name: string) => {
  const rec = new Y.Map<unknown>();
  rec.set('name', name);
  records(doc).set(id, rec);
};
/** The app's own sync client (src/sync/room-sync.ts), as a phone runs it. */
function device(syncUrl: string, room: string, token: string) {
  const doc = new Y.Doc();
  let state: RoomSyncState = { status: 'connecting', unconfirmed: 0 };
  const sync = connectRoom({ doc, room, serverUrl: syncUrl, credential: token, onChange: (s) => (state = s), WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket });
  rooms.push(sync);
  return { doc, sync, state: () => state };
}
async function backup(dataDir: string): Promise<string> {
  const out = tmpDir('muster-backup-');
  const p = spawnNode(['--import', 'tsx', path.join(ROOT, 'scripts/relay-backup.ts'), out, '--data-dir', dataDir]);
  const { code } = await p.exited;
  expect(p.stderr()).toBe('');
  expect(code).toBe(0);
  expect(p.stdout()).toMatch(/store [0-9a-f]{32} at write \d+\)/);
  return path.join(out, fs.readdirSync(out)[0]!);
}
/** Put a backup in place as the README says: the file becomes muster.sqlite, with no -wal beside it. */
function restore(file: string, dataDir: string): void {
  fs.rmSync(path.join(dataDir, 'muster.sqlite-wal'), { force: true });
  fs.copyFileSync(file, path.join(dataDir, 'muster.sqlite'));
}

test('a deleted or zero-length store beside its marker: refused with exit 3 naming the file; --accept-empty-store starts afresh and logs it', { timeout: 60_000 }, async () => {
  const dir = tmpDir('muster-loss-');
  const relay = await spawnRelay({ dataDir: dir });
  const ws = await createdWorkspace(relay);
  const doc = new Y.Doc();
  await waitSynced(connect(relay.syncUrl, `${ws.id}.people`, doc, ws.token));
  add(doc, 'p1', 'Ada');
  await waitFor('marker has the write', () => markerOf(dir).seq >= 1, 5_000);
  await stop(relay);
  const marker = markerOf(dir);
  expect(marker.store).toBe(storeIdOf(dir));
  expect(fs.statSync(path.join(dir, 'muster.marker')).mode & 0o077).toBe(0);

  const db = path.join(dir, 'muster.sqlite');
  fs.rmSync(db);
  const missing = await runRelayToExit(cli(dir));
  expect(missing.code).toBe(3);
  expect(missing.stderr).toContain(`muster relay: refusing to start: ${db} is missing or empty, but ${path.join(dir, 'muster.marker')} records store ${marker.store}`);
  expect(missing.stderr).toContain('--accept-empty-store');
  // Nothing was made where the store was.
  expect(fs.existsSync(db)).toBe(false);

  fs.writeFileSync(db, '');
  const empty = await runRelayToExit(cli(dir));
  expect(empty.code).toBe(3);
  expect(empty.stderr).toContain(`${db} is missing or empty`);

  const fresh = await spawnRelay({ dataDir: dir, args: ['--accept-empty-store'] });
  expect(fresh.stderr()).toMatch(new RegExp(`warn store\\.accepted file=\\S+ reason=empty markerStore=${marker.store}`));
  // The workspace's credential was kept in the marker: a stranger cannot claim the workspace on the empty store.
  expect(await within('stranger refused', rawSocket(fresh.syncUrl, `${ws.id}.people`, newWorkspace().token).closed)).toEqual({ code: 4401, reason: 'bad credentials' });
  await waitSynced(connect(fresh.syncUrl, `${ws.id}.people`, new Y.Doc(), ws.token));
  await stop(fresh);
  const after = markerOf(dir);
  expect(after.store).not.toBe(marker.store);
  expect(after.store).toBe(storeIdOf(dir));
  // The flag was for one start: the new store is the one the marker names now.
  const again = await spawnRelay({ dataDir: dir });
  await stop(again);
});

test('the write-ahead log deleted or damaged after a crash: refused with exit 3 (SQLite would silently roll back); untouched, every edit is there', { timeout: 60_000 }, async () => {
  const dir = tmpDir('muster-wal-');
  const relay = await spawnRelay({ dataDir: dir });
  const ws = await createdWorkspace(relay);
  const doc = new Y.Doc();
  await waitSynced(connect(relay.syncUrl, `${ws.id}.people`, doc, ws.token));
  for (let i = 0; i < 150; i++) add(doc, `p${i}`, `Person ${i}`);
  const watcher = new Y.Doc();
  await waitSynced(connect(relay.syncUrl, `${ws.id}.people`, watcher, ws.token));
  await waitFor('relay has every edit', () => records(watcher).size === 150, 10_000);
  await waitFor('marker has the writes', () => markerOf(dir).seq >= 150, 5_000);
  relay.child.kill('SIGKILL');
  await relay.exited;
  const wal = path.join(dir, 'muster.sqlite-wal');
  expect(fs.statSync(wal).size).toBeGreaterThan(0);

  const copy = (name: string) => {
    const to = tmpDir(`muster-${name}-`);
    for (const f of ['muster.sqlite', 'muster.sqlite-wal', 'muster.marker']) fs.copyFileSync(path.join(dir, f), path.join(to, f));
    return to;
  };
  const deleted = copy('deleted');
  fs.rmSync(path.join(deleted, 'muster.sqlite-wal'));
  const r1 = await runRelayToExit(cli(deleted));
  expect(r1.code).toBe(3);
  expect(r1.stderr).toMatch(/muster\.sqlite holds store [0-9a-f]{32} up to write \d+, but \S+muster\.marker records write \d+: recent writes are lost/);

  const damaged = copy('damaged');
  const w = path.join(damaged, 'muster.sqlite-wal');
  const bytes = fs.readFileSync(w);
  // Garbage over the second half of the log: SQLite keeps the frames before the first bad checksum only.
  bytes.fill(0x5a, Math.floor(bytes.length / 2));
  fs.writeFileSync(w, bytes);
  const r2 = await runRelayToExit(cli(damaged));
  expect(r2.code).toBe(3);
  expect(r2.stderr).toContain('recent writes are lost');

  const intact = await spawnRelay({ dataDir: dir });
  const check = new Y.Doc();
  await waitSynced(connect(intact.syncUrl, `${ws.id}.people`, check, ws.token));
  expect(records(check).size).toBe(150);
});

test('a relay restored from an older backup: refused without the flag; with it, the phone notices, re-sends its edits and says so', { timeout: 60_000 }, async () => {
  const dir = tmpDir('muster-restore-');
  const relay = await spawnRelay({ dataDir: dir });
  const ws = await createdWorkspace(relay);
  const room = `${ws.id}.people`;
  const phone = device(relay.syncUrl, room, ws.token);
  add(phone.doc, 'p1', 'Ada');
  await waitFor('p1 confirmed', () => phone.state().status === 'synced' && phone.state().unconfirmed === 0, 10_000);
  const file = await backup(dir);
  for (let i = 2; i <= 5; i++) add(phone.doc, `p${i}`, `Person ${i}`);
  await waitFor('all confirmed', () => phone.state().status === 'synced' && phone.state().unconfirmed === 0, 10_000);
  expect(phone.state().notice).toBeUndefined();
  await stop(relay);
  await waitFor('phone sees the relay gone', () => phone.state().status === 'connecting');

  restore(file, dir);
  const refused = await runRelayToExit(cli(dir, '--port', String(relay.port)));
  expect(refused.code).toBe(3);
  expect(refused.stderr).toContain('recent writes are lost');
  expect(refused.stderr).toContain('--accept-restored-store');

  // Same port, so the phone reconnects by itself.
  const restored = await spawnRelay({ dataDir: dir, args: ['--port', String(relay.port), '--accept-restored-store'] });
  expect(restored.stderr()).toMatch(/warn store\.accepted file=\S+ reason=older/);
  await waitFor('phone notices and re-sends', () => phone.state().notice === RELAY_WENT_BACK && phone.state().status === 'synced' && phone.state().unconfirmed === 0, 20_000);
  expect(phone.state().notice).toBe('The relay lost recent changes; this device sent back what it holds.');

  const other = new Y.Doc();
  await waitSynced(connect(restored.syncUrl, room, other, ws.token));
  await waitFor('another device gets every edit', () => records(other).size === 5, 10_000);
  expect([...records(other).keys()].sort()).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
  // An up-to-date relay does not raise the notice: a second phone that joined after the restore stays quiet.
  const second = device(restored.syncUrl, room, ws.token);
  await waitFor('second synced', () => second.state().status === 'synced');
  expect(second.state().notice).toBeUndefined();
});

const sha256hex = (token: string) => createHash('sha256').update(Buffer.from(token, 'base64url')).digest('hex');
const ENV = (n: number) => ({ v: 1, epk: `epk${n}`.padEnd(87, 'A'), ct: `ct${n}`.padEnd(100, 'B') });
async function rotate(relay: RelayProcess, workspaceId: string, token: string, epoch: number, next: string, devices: string[]) {
  const res = await fetch(`${relay.url}/auth/${workspaceId}/rotate`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ epoch, verifier: sha256hex(next), envelopes: Object.fromEntries(devices.map((d, i) => [d, ENV(i)])) }),
  });
  return res.status;
}

test('credentials never roll back: remove a device (rotation), restore an older backup, the removed device tries first and is refused', { timeout: 60_000 }, async () => {
  const dir = tmpDir('muster-rollback-');
  const relay = await spawnRelay({ dataDir: dir });
  const ws = await createdWorkspace(relay);
  const room = `${ws.id}.people`;
  const owner = new Y.Doc();
  await waitSynced(connect(relay.syncUrl, room, owner, ws.token));
  add(owner, 'p1', 'Ada');
  // The backup still has the old key (epoch 0), which the removed device holds.
  const file = await backup(dir);
  // An edit after the backup, so the copy is older than the marker (and needs the flag).
  const atBackup = markerOf(dir).seq;
  add(owner, 'p2', 'Grace');
  await waitFor('marker past the backup', () => markerOf(dir).seq > atBackup, 5_000);

  const newKey = newWorkspace().token;
  expect(await rotate(relay, ws.id, ws.token, 1, newKey, ['owner-device', 'stayer-device'])).toBe(200);
  await stop(relay);

  restore(file, dir);
  // The env var form of the flag, as a systemd unit would pass it.
  const restored = await spawnRelay({ dataDir: dir, env: { ACCEPT_RESTORED_STORE: '1' } });
  expect(restored.stderr()).toMatch(/warn store\.accepted .*reason=older/);
  expect(restored.stderr()).toMatch(new RegExp(`warn auth\\.restored-newer workspace=${ws.id} storeEpoch=0 epoch=1`));
  // The removed device comes first, with the key the backup knows: refused, as stale.
  expect(await within('removed device refused', rawSocket(restored.syncUrl, room, ws.token).closed)).toEqual({ code: 4401, reason: 'stale credentials' });
  // Nor can it rotate the workspace to a key of its own with it.
  expect(await rotate(restored, ws.id, ws.token, 1, newWorkspace().token, ['removed-device'])).toBe(401);
  // The remaining members sync with the key they hold.
  const stayer = new Y.Doc();
  await waitSynced(connect(restored.syncUrl, room, stayer, newKey));
  await waitFor('stayer has the record', () => records(stayer).has('p1'));
  // And the owner can go on rotating from there.
  const third = newWorkspace().token;
  expect(await rotate(restored, ws.id, newKey, 2, third, ['owner-device'])).toBe(200);
  // Because the marker, outside the database, holds the workspace's current key.
  expect(markerOf(dir).workspaces[ws.id]).toEqual({ epoch: 2, verifier: sha256hex(third) });
});

test('the marker: a rotation written while a periodic update is under way is what stays on disk; nothing is written while nothing changes', async () => {
  const dir = tmpDir('muster-keeper-');
  let counter = 5;
  const errors: unknown[] = [];
  const keeper = keepMarker({ dataDir: dir, store: 'a'.repeat(32), seq: 5, workspaces: {}, counter: () => counter, wal: path.join(dir, 'none-wal'), onError: (e) => errors.push(e) });
  expect(markerOf(dir)).toMatchObject({ store: 'a'.repeat(32), seq: 5, workspaces: {} });
  const before = fs.statSync(path.join(dir, 'muster.marker')).mtimeMs;
  await keeper.flush();
  expect(fs.statSync(path.join(dir, 'muster.marker')).mtimeMs).toBe(before);

  counter = 9;
  const periodic = keeper.flush();
  // A rotation lands while the periodic write (which does not know it) is in flight.
  keeper.noteWorkspace('w'.repeat(22), { epoch: 3, verifier: 'f'.repeat(64) }, true);
  await periodic;
  expect(markerOf(dir)).toMatchObject({ seq: 9, workspaces: { ['w'.repeat(22)]: { epoch: 3, verifier: 'f'.repeat(64) } } });
  counter = 12;
  keeper.stop();
  expect(markerOf(dir).seq).toBe(12);
  expect(errors).toEqual([]);
  expect(fs.readdirSync(dir).sort()).toEqual(['muster.marker']);
});
