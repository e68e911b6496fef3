import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import type { Persistence, WSSharedDoc } from '@y/websocket-server/utils';
import type { Logger } from './log.ts';
import { type AcceptStore, judgeStore, keepMarker, MARKER_FILE, type MarkerKeeper, readMarker, StoreLostError } from './marker.ts';
import { migrate, refuseNewer, StoreTooNewError } from './migrations.ts';

/**
 * Room storage in DATA_DIR/muster.sqlite: every document update the relay
 * accepts is one row, written synchronously before the relay reads the next
 * message, so an accepted update survives `kill -9`. Rows are merged into one
 * when a room has many, and when its last client leaves.
 */

/** Merge a room's rows into one once it has more than this many. */
export const COMPACT_AFTER_ROWS = 500;
/** Origin of the update that replays stored rows into a fresh doc (not stored again). */
const LOAD_ORIGIN = Symbol('muster-persistence-load');

/** The database or a stored update cannot be trusted; the relay must not start. */
export class StorageCorruptError extends Error {
  override name = 'StorageCorruptError';
}

export interface RelayStore {
  readonly db: Database.Database;
  readonly file: string;
  /** Passed to setPersistence() of @y/websocket-server. */
  readonly persistence: Persistence;
  /** DATA_DIR/muster.marker, kept current (server/marker.ts). */
  readonly marker: MarkerKeeper;
  /** Merge all rows of a room into one. */
  compact(room: string): void;
  /** Checkpoint the WAL and close; later writes are ignored. */
  close(): void;
}

/** Bound to the room name so a row moved to another room is caught as well. */
function checksum(room: string, data: Uint8Array): Buffer {
  return createHash('sha256').update(room, 'utf8').update(new Uint8Array([0])).update(data).digest();
}

interface UpdateRow {
  id: number;
  room: string;
  data: Buffer;
  checksum: Buffer;
}

function wrapCorrupt(file: string, err: unknown): never {
  const e = err as { code?: string; message?: string };
  if (e.code === 'SQLITE_BUSY') {
    throw new Error(`${file} is locked: another relay is using this data directory`);
  }
  if (e.code === 'SQLITE_CORRUPT' || e.code === 'SQLITE_NOTADB' || e.code?.startsWith('SQLITE_CORRUPT')) {
    throw new StorageCorruptError(`storage is corrupt: ${file}: ${e.message ?? String(err)}`);
  }
  throw err;
}

/** The store's write counter: the highest `updates` id ever given (AUTOINCREMENT never reuses one), 0 before the first. */
function writeCounter(db: Database.Database): number {
  const row = db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'updates'").get();
  return row?.seq ?? 0;
}

function tableExists(db: Database.Database, name: string): boolean {
  return db.prepare<[string]>("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** The store's id and counter before the schema is touched; store_meta rows are read, not made. */
function storeFacts(db: Database.Database, file: string) {
  const id = tableExists(db, 'store_meta') ? db.prepare<[], { value: string }>("SELECT value FROM store_meta WHERE key = 'id'").get()?.value : undefined;
  const seq = tableExists(db, 'sqlite_sequence') ? writeCounter(db) : 0;
  const hasData =
    (tableExists(db, 'updates') && db.prepare('SELECT 1 FROM updates LIMIT 1').get() !== undefined) ||
    (tableExists(db, 'workspaces') && db.prepare('SELECT 1 FROM workspaces LIMIT 1').get() !== undefined);
  return { file, id, seq, hasData };
}

export interface StoreOptions extends AcceptStore {
  log?: Logger;
}

/**
 * Opens (or creates) the store and checks it: against DATA_DIR/muster.marker
 * (StoreLostError when the store lost writes the marker recorded), then
 * SQLite's quick_check, then the checksum of every stored update. Throws
 * StorageCorruptError naming the room rather than ever serving a document
 * with updates missing.
 */
export function openStore(dataDir: string, onWriteFailure: (err: unknown, room: string) => void, options: StoreOptions = {}): RelayStore {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'muster.sqlite');
  const markerFile = path.join(dataDir, MARKER_FILE);
  const marker = readMarker(dataDir);
  // Do not even create an empty file where the marker says a store was.
  if (marker && !fs.existsSync(file)) {
    const verdict = judgeStore(marker, { file, id: undefined, seq: 0, hasData: false }, options, markerFile);
    if (!verdict.ok) throw new StoreLostError(verdict.message);
  }
  let db: Database.Database;
  let storeId = '';
  try {
    db = new Database(file, { timeout: 5000 });
  } catch (err) {
    wrapCorrupt(file, err);
  }
  try {
    // Before any pragma that writes: a store from a newer relay is left exactly as it is.
    refuseNewer(db, file);
    // Exclusive: a second relay on the same data dir would hold diverging
    // in-memory copies of the same rooms. With WAL it also needs no -shm file.
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: every commit reaches the OS before the call returns
    // (survives a process crash / kill -9); only a power cut can lose the last
    // commits, and devices re-send what the relay lacks on their next sync.
    db.pragma('synchronous = NORMAL');
    // A write transaction up front also takes the exclusive lock right away.
    db.exec('BEGIN IMMEDIATE');
    const facts = storeFacts(db, file);
    const verdict = judgeStore(marker, facts, options, markerFile);
    if (!verdict.ok) throw new StoreLostError(verdict.message);
    if (verdict.event) {
      options.log?.(verdict.event === 'store.accepted' ? 'warn' : 'info', verdict.event, {
        file,
        ...(verdict.event === 'store.accepted' ? { reason: verdict.reason, markerStore: verdict.markerStore, markerSeq: verdict.markerSeq, storeSeq: facts.seq } : {}),
      });
    }
    // A store accepted empty is a new store; any other keeps the id it was made with.
    storeId = facts.id ?? randomBytes(16).toString('hex');
    // Every table of every module (server/migrations.ts), in this transaction.
    const schema = migrate(db, file);
    if (schema.applied.length > 0) options.log?.('info', 'store.migrated', { file, from: schema.from, to: schema.to, applied: schema.applied.join('; ') });
    db.prepare("INSERT OR IGNORE INTO store_meta (key, value) VALUES ('id', ?)").run(storeId);
    db.exec('COMMIT');
    // Into the main file at each start: the store's id is there from its first start, so a
    // log lost later leaves an older store the marker catches, not an empty-looking one.
    db.pragma('wal_checkpoint(TRUNCATE)');
    verify(db, file);
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    db.close();
    if (err instanceof StorageCorruptError || err instanceof StoreLostError || err instanceof StoreTooNewError) throw err;
    wrapCorrupt(file, err);
  }

  let markerKeeper: MarkerKeeper;
  try {
    markerKeeper = keepMarker({
      dataDir,
      store: storeId,
      seq: writeCounter(db),
      // Workspaces the marker knew stay known even when the database forgot them (server/auth.ts reconciles).
      workspaces: marker?.workspaces ?? {},
      counter: () => writeCounter(db),
      wal: `${file}-wal`,
      onError: (err) => options.log?.('error', 'store.marker-failed', { file: markerFile, error: String(err) }),
    });
  } catch (err) {
    db.close();
    throw new Error(`cannot write ${markerFile}: ${(err as Error).message}`);
  }

  const insert = db.prepare<[string, Uint8Array, Buffer]>('INSERT INTO updates (room, data, checksum) VALUES (?, ?, ?)');
  const selectRoom = db.prepare<[string], UpdateRow>('SELECT id, room, data, checksum FROM updates WHERE room = ? ORDER BY id');
  const deleteRoom = db.prepare<[string]>('DELETE FROM updates WHERE room = ?');
  let closed = false;

  /** Stored updates of a room, checked again: the file may have rotted since startup. */
  const load = (room: string): Buffer[] =>
    selectRoom.all(room).map((row) => {
      if (!checksum(room, row.data).equals(row.checksum)) {
        throw new StorageCorruptError(`stored update ${row.id} of room "${room}" fails its checksum`);
      }
      return row.data;
    });

  const compact = db.transaction((room: string) => {
    const updates = load(room);
    if (updates.length <= 1) return;
    const merged = Y.mergeUpdates(updates);
    deleteRoom.run(room);
    insert.run(room, merged, checksum(room, merged));
  });

  const persistence: Persistence = {
    provider: null,
    bindState(room: string, doc: WSSharedDoc) {
      const updates = load(room);
      if (updates.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(updates), LOAD_ORIGIN);
      let rows = updates.length;
      doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin === LOAD_ORIGIN || closed) return;
        try {
          insert.run(room, update, checksum(room, update));
          if (++rows > COMPACT_AFTER_ROWS) {
            compact(room);
            rows = 1;
          }
        } catch (err) {
          // The update is in memory (and maybe already echoed) but not on disk:
          // the owner decides to stop rather than keep acknowledging edits.
          onWriteFailure(err, room);
          throw err;
        }
      });
    },
    writeState(room: string) {
      if (!closed) compact(room);
      return Promise.resolve();
    },
  };

  return {
    db,
    file,
    marker: markerKeeper,
    persistence,
    compact: (room) => {
      if (!closed) compact(room);
    },
    close() {
      if (closed) return;
      db.pragma('wal_checkpoint(TRUNCATE)');
      markerKeeper.stop();
      closed = true;
      db.close();
    },
  };
}

function verify(db: Database.Database, file: string): void {
  let problems: string[];
  try {
    problems = (db.pragma('quick_check') as Array<{ quick_check: string }>).map((r) => r.quick_check);
  } catch (err) {
    wrapCorrupt(file, err);
  }
  if (problems.length !== 1 || problems[0] !== 'ok') {
    throw new StorageCorruptError(`storage is corrupt: ${file}: quick_check: ${problems.slice(0, 5).join('; ')}`);
  }
  const bad = new Map<string, number[]>();
  try {
    for (const row of db.prepare<[], UpdateRow>('SELECT id, room, data, checksum FROM updates').iterate()) {
      if (!checksum(row.room, row.data).equals(row.checksum)) {
        const ids = bad.get(row.room) ?? [];
        ids.push(row.id);
        bad.set(row.room, ids);
      }
    }
  } catch (err) {
    wrapCorrupt(file, err);
  }
  if (bad.size > 0) {
    const rooms = [...bad].map(([room, ids]) => `room "${room}" (update rows ${ids.slice(0, 10).join(', ')})`);
    throw new StorageCorruptError(`storage is corrupt: ${file}: stored updates fail their checksum in ${rooms.join(', ')}`);
  }
}
