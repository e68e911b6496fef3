import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { cleanup, connect, newWorkspace, type RelayProcess, ROOT, runRelayToExit, spawnRelay, tmpDir, waitSynced } from './harness.ts';

/**
 * The relay's schema is one list of numbered migrations (server/migrations.ts). A data directory
 * made by the relays before it opens with its data and is upgraded in place; one from a newer
 * relay is refused untouched with exit code 3; a restart applies nothing again.
 *
 * The old stores are built here with the SQL those relays ran, copied from their code.
 */

afterEach(cleanup);

/** The first relay (schema 1): persistence.ts made these two tables, nothing else. */
const SCHEMA_1 = `
  CREATE TABLE IF NOT EXISTS updates (id INTEGER PRIMARY KEY AUTOINCREMENT, room TEXT NOT NULL, data BLOB NOT NULL, checksum BLOB NOT NULL);
  CREATE INDEX IF NOT EXISTS updates_by_room ON updates (room, id);
  CREATE TABLE IF NOT EXISTS workspaces (id TEXT PRIMARY KEY, verifier TEXT NOT NULL, created_at INTEGER NOT NULL);
  PRAGMA user_version = 1;`;

/** The relay before the migrations module (schema 2): persistence.ts's tables, then each module's own at start. */
const SCHEMA_2 = `
  CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  ${SCHEMA_1.replace('PRAGMA user_version = 1;', 'PRAGMA user_version = 2;')}
  CREATE TABLE IF NOT EXISTS auth_epochs (workspace TEXT PRIMARY KEY, epoch INTEGER NOT NULL, rotated_at INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS auth_retired (workspace TEXT NOT NULL, verifier TEXT NOT NULL, epoch INTEGER NOT NULL, retired_at INTEGER NOT NULL, PRIMARY KEY (workspace, verifier)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS auth_envelopes (workspace TEXT NOT NULL, device TEXT NOT NULL, epoch INTEGER NOT NULL, envelope TEXT NOT NULL, PRIMARY KEY (workspace, device)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS blobs (workspace TEXT NOT NULL, hash TEXT NOT NULL, type TEXT NOT NULL, size INTEGER NOT NULL, data BLOB NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (workspace, hash)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS creation_codes (hash BLOB PRIMARY KEY, kind TEXT NOT NULL, issuer TEXT, expires_at INTEGER, used_at INTEGER, used_by TEXT) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS speakup_links (workspace TEXT PRIMARY KEY, verifier TEXT NOT NULL) WITHOUT ROWID;`;

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest();
/** As persistence.ts binds a row to its room. */
const rowChecksum = (room: string, data: Uint8Array) => createHash('sha256').update(room, 'utf8').update(new Uint8Array([0])).update(data).digest();
const cli = (dir: string) => ['--port', '0', '--host', '127.0.0.1', '--data-dir', dir, '--static-dir', path.join(dir, 'no-static')];

interface OldStore {
  dir: string;
  workspace: { id: string; token: string };
  room: string;
  blob?: { hash: string; bytes: Buffer };
}

/** A data directory as the relay of `schema` left it: a workspace, one room with a record, a blob (schema 2). */
function oldStore(schema: 1 | 2): OldStore {
  const dir = tmpDir('muster-migrate-');
  const workspace = newWorkspace();
  const room = `${workspace.id}.issues`;
  const doc = new Y.Doc();
  const rec = new Y.Map<unknown>();
  rec.set('title', 'kept across the upgrade');
  doc.getMap('records').set('r1', rec);
  const update = Y.encodeStateAsUpdate(doc);
  const db = new Database(path.join(dir, 'muster.sqlite'));
  db.pragma('journal_mode = WAL');
  db.exec(schema === 1 ? SCHEMA_1 : SCHEMA_2);
  db.prepare('INSERT INTO workspaces (id, verifier, created_at) VALUES (?, ?, ?)').run(workspace.id, sha256(Buffer.from(workspace.token, 'base64url')).toString('hex'), Date.now());
  db.prepare('INSERT INTO updates (room, data, checksum) VALUES (?, ?, ?)').run(room, update, rowChecksum(room, update));
  let blob: OldStore['blob'];
  if (schema === 2) {
    db.prepare("INSERT INTO store_meta (key, value) VALUES ('id', ?)").run(randomBytes(16).toString('hex'));
    const bytes = randomBytes(2000);
    blob = { hash: sha256(bytes).toString('hex'), bytes };
    db.prepare('INSERT INTO blobs (workspace, hash, type, size, data, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(workspace.id, blob.hash, 'image/png', bytes.length, bytes, Date.now());
  }
  db.close();
  return { dir, workspace, room, ...(blob ? { blob } : {}) };
}

/** user_version and every table and index, as SQLite holds them. */
function schemaOf(dir: string) {
  const db = new Database(path.join(dir, 'muster.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const objects = db.prepare<[], { type: string; name: string; sql: string | null }>("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name").all();
    const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { version: db.pragma('user_version', { simple: true }) as number, objects, rows: { updates: count('updates'), workspaces: count('workspaces') } };
  } finally {
    db.close();
  }
}

const stop = async (relay: RelayProcess) => {
  relay.child.kill('SIGTERM');
  expect(await relay.exited).toEqual({ code: 0, signal: null });
};

/** What a member's device reads back: the stored record, and the blob when there is one. */
async function readBack(relay: RelayProcess, store: OldStore) {
  const doc = new Y.Doc();
  await waitSynced(connect(relay.syncUrl, store.room, doc, store.workspace.token, { create: false }));
  const title = (doc.getMap('records').get('r1') as Y.Map<unknown> | undefined)?.get('title');
  if (!store.blob) return { title };
  const res = await fetch(`${relay.url}/blobs/${store.workspace.id}/${store.blob.hash}`, { headers: { Authorization: `Bearer ${store.workspace.token}` } });
  return { title, blobStatus: res.status, blobSame: Buffer.from(await res.arrayBuffer()).equals(store.blob.bytes) };
}

for (const schema of [1, 2] as const) {
  test(`a data directory of schema ${schema} opens with its data, is upgraded in place, and a restart applies nothing again`, { timeout: 60_000 }, async () => {
    const store = oldStore(schema);
    const before = schemaOf(store.dir);
    expect(before.version).toBe(schema);

    const first = await spawnRelay({ dataDir: store.dir });
    const read = await readBack(first, store);
    expect(read).toEqual(schema === 2 ? { title: 'kept across the upgrade', blobStatus: 200, blobSame: true } : { title: 'kept across the upgrade' });
    await stop(first);
    // One log line says what ran, from which version.
    expect(first.stderr()).toMatch(new RegExp(`store\\.migrated .*from=${schema} to=\\d+`));
    const upgraded = schemaOf(store.dir);
    expect(upgraded.version).toBeGreaterThan(2);
    expect(upgraded.rows).toEqual(before.rows);
    // Every table the relay uses is there now, whatever the old relay had made.
    expect(upgraded.objects.map((o) => o.name)).toEqual(
      expect.arrayContaining(['auth_envelopes', 'auth_epochs', 'auth_retired', 'blobs', 'creation_codes', 'speakup_links', 'store_meta', 'updates', 'updates_by_room', 'workspaces']),
    );
    // What the old relay had made stays exactly as it was (same definition).
    for (const o of before.objects) expect(upgraded.objects).toContainEqual(o);

    const second = await spawnRelay({ dataDir: store.dir });
    expect((await readBack(second, store)).title).toBe('kept across the upgrade');
    await stop(second);
    expect(second.stderr()).not.toMatch(/store\.migrated/);
    const again = schemaOf(store.dir);
    expect(again.version).toBe(upgraded.version);
    expect(again.objects).toEqual(upgraded.objects);
    expect(again.rows).toEqual(before.rows);
  });
}

test('a data directory written by a newer relay is refused with exit code 3 and left untouched', async () => {
  const store = oldStore(2);
  const file = path.join(store.dir, 'muster.sqlite');
  // As a newer relay would leave it: a version this one has no migration for, in a file with no WAL beside it.
  const db = new Database(file);
  db.pragma('journal_mode = DELETE');
  db.pragma('user_version = 99');
  db.close();
  const bytes = fs.readFileSync(file);

  const result = await runRelayToExit(cli(store.dir));
  expect(result.code).toBe(3);
  expect(result.stderr).toMatch(/refusing to start: .*muster\.sqlite has schema version 99, newer than this relay's \d+: a newer Muster relay wrote it/);
  expect(result.stdout).not.toMatch(/listening/);
  expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  expect(fs.existsSync(`${file}-wal`)).toBe(false);
});

test('a migration that fails leaves the store as it was: no table of it, no version, no store id', async () => {
  const store = oldStore(1);
  // Something in the way of migration 3 (an index named like one of its tables).
  const db = new Database(path.join(store.dir, 'muster.sqlite'));
  db.exec('CREATE INDEX creation_codes ON workspaces (created_at)');
  db.close();
  const before = schemaOf(store.dir);

  const result = await runRelayToExit(cli(store.dir));
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/cannot start: .*already an index named creation_codes/);
  const after = schemaOf(store.dir);
  expect(after).toEqual(before);
  expect(after.objects.map((o) => o.name)).not.toContain('store_meta');
});

test('every table and index of the relay is made by server/migrations.ts, nowhere else', () => {
  const dir = path.join(ROOT, 'server');
  const elsewhere = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && f !== 'migrations.ts')
    .filter((f) => /\bCREATE\s+(TABLE|INDEX|UNIQUE\s+INDEX|VIEW|TRIGGER)\b/i.test(fs.readFileSync(path.join(dir, f), 'utf8')));
  expect(elsewhere).toEqual([]);
});
