import type Database from 'better-sqlite3';

/**
 * The relay's SQLite schema (DATA_DIR/muster.sqlite), as one ordered list of
 * numbered migrations. The store records the last one applied in
 * `PRAGMA user_version`; at each start the ones above it run, in order, in
 * one transaction with the version bump, so a start that fails half-way
 * leaves the store as it was.
 *
 * 1–3 describe what relays before this module made: each module then created
 * its own tables at every start with IF NOT EXISTS, outside any version, so a
 * store at version 1 or 2 may already hold some of the tables of 3. That is
 * why these three say IF NOT EXISTS. A later migration is applied exactly
 * once and need not: append it with the next number, never edit one that
 * has shipped.
 *
 * A store whose version is above the last one here was written by a newer
 * relay: it is refused untouched (StoreTooNewError; server/main.ts exits with code 3, as for a lost store: restarting cannot help).
 */

export interface Migration {
  version: number;
  /** What it adds, for the log. */
  what: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    what: 'rooms (updates) and workspaces',
    sql: `
      CREATE TABLE IF NOT EXISTS updates (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        room TEXT NOT NULL,
        data BLOB NOT NULL,
        checksum BLOB NOT NULL
      );
      CREATE INDEX IF NOT EXISTS updates_by_room ON updates (room, id);
      CREATE TABLE IF NOT EXISTS workspaces (
        id TEXT PRIMARY KEY,
        verifier TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );`,
  },
  {
    version: 2,
    what: "store_meta (the store's id, server/marker.ts)",
    sql: 'CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;',
  },
  {
    version: 3,
    what: 'rotation (auth_*), blobs, creation_codes, speakup_links',
    sql: `
      CREATE TABLE IF NOT EXISTS auth_epochs (workspace TEXT PRIMARY KEY, epoch INTEGER NOT NULL, rotated_at INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS auth_retired (workspace TEXT NOT NULL, verifier TEXT NOT NULL, epoch INTEGER NOT NULL, retired_at INTEGER NOT NULL, PRIMARY KEY (workspace, verifier)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS auth_envelopes (workspace TEXT NOT NULL, device TEXT NOT NULL, epoch INTEGER NOT NULL, envelope TEXT NOT NULL, PRIMARY KEY (workspace, device)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS blobs (
        workspace TEXT NOT NULL,
        hash TEXT NOT NULL,
        type TEXT NOT NULL,
        size INTEGER NOT NULL,
        data BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (workspace, hash)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS creation_codes (
        hash BLOB PRIMARY KEY, kind TEXT NOT NULL, issuer TEXT, expires_at INTEGER, used_at INTEGER, used_by TEXT
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS speakup_links (workspace TEXT PRIMARY KEY, verifier TEXT NOT NULL) WITHOUT ROWID;`,
  },
  {
    version: 4,
    what: 'admission_roots (device admission, server/admission.ts)',
    sql: 'CREATE TABLE IF NOT EXISTS admission_roots (workspace TEXT PRIMARY KEY, root TEXT NOT NULL, pinned_at INTEGER NOT NULL) WITHOUT ROWID;',
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** The store was written by a newer relay; this one must not touch it. main.ts exits with code 3. */
export class StoreTooNewError extends Error {
  override name = 'StoreTooNewError';
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Throws StoreTooNewError when the store's version is above the last migration here. Reads only. */
export function refuseNewer(db: Database.Database, file: string): void {
  const version = schemaVersion(db);
  if (version > SCHEMA_VERSION) {
    throw new StoreTooNewError(
      `${file} has schema version ${version}, newer than this relay's ${SCHEMA_VERSION}: a newer Muster relay wrote it. Run that version (or a later one) on this data directory; this one leaves it untouched`,
    );
  }
}

/**
 * Applies the migrations above the store's version and records the new one,
 * all in one transaction (a savepoint when the caller already holds one).
 * Returns the versions before and after; from === to when nothing ran.
 */
export function migrate(db: Database.Database, file: string): { from: number; to: number; applied: string[] } {
  refuseNewer(db, file);
  const from = schemaVersion(db);
  const pending = MIGRATIONS.filter((m) => m.version > from);
  db.transaction(() => {
    for (const m of pending) db.exec(m.sql);
    if (pending.length > 0) db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
  return { from, to: pending.length > 0 ? SCHEMA_VERSION : from, applied: pending.map((m) => `${m.version}: ${m.what}`) };
}
