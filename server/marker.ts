import fs from 'node:fs';
import path from 'node:path';

/**
 * DATA_DIR/muster.marker: what the relay knows of its own store, kept beside
 * it so that a lost or rolled-back muster.sqlite is noticed at start instead
 * of served as if nothing happened (docs/RELAY.md, "Store loss").
 *
 *   {"v":1,"store":"<id>","seq":n,"at":"<time>","workspaces":{"<ws>":{"epoch":e,"verifier":"<hex>","root":"<key id>"}}}
 *
 * `store` is the random id made when the store was created (also inside the
 * database, table store_meta). `seq` is a lower bound of the database's own
 * write counter (sqlite_sequence of `updates`: it only grows), brought up to
 * date at most every MARKER_INTERVAL_MS and at a clean stop, after the
 * database's write-ahead log is on disk. `workspaces` holds each workspace's
 * current credential verifier and epoch, so a restored older database cannot
 * bring back a credential an owner replaced (server/auth.ts), and, once the
 * workspace is signed, the root key id the relay pinned (server/admission.ts),
 * so a replaced or rolled-back database can neither un-pin nor re-pin it.
 *
 * Written atomically: a temporary file, fsync, rename, fsync of the directory.
 */

export const MARKER_FILE = 'muster.marker';
export const MARKER_INTERVAL_MS = 1000;

export interface WorkspaceAuth {
  epoch: number;
  verifier: string;
  /** The pinned root key id of a signed workspace (server/admission.ts); absent while it is legacy. */
  root?: string;
}

/** A root key id as the marker keeps it (src/crypto/signing.ts signingKeyId: 32 hex digits; a little slack). */
const ROOT = /^[A-Za-z0-9_-]{8,128}$/;

export interface MarkerData {
  store: string;
  seq: number;
  workspaces: Record<string, WorkspaceAuth>;
}

/** The data directory lost (part of) its store, or its marker is unreadable: the relay must not start. */
export class StoreLostError extends Error {
  override name = 'StoreLostError';
}

/** What the operator allowed for this start (flags --accept-empty-store, --accept-restored-store). */
export interface AcceptStore {
  acceptEmptyStore?: boolean | undefined;
  acceptRestoredStore?: boolean | undefined;
}

export function readMarker(dataDir: string): MarkerData | undefined {
  const file = path.join(dataDir, MARKER_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const m = JSON.parse(text) as Partial<MarkerData> & { v?: unknown };
    const ok =
      m.v === 1 && typeof m.store === 'string' && /^[0-9a-f]{32}$/.test(m.store) && Number.isSafeInteger(m.seq) && (m.seq ?? -1) >= 0 &&
      typeof m.workspaces === 'object' && m.workspaces !== null &&
      Object.values(m.workspaces).every((w) => Number.isSafeInteger(w?.epoch) && typeof w.verifier === 'string' && /^[0-9a-f]{64}$/.test(w.verifier) && (w.root === undefined || (typeof w.root === 'string' && ROOT.test(w.root))));
    if (!ok) throw new Error('unexpected content');
    return { store: m.store!, seq: m.seq!, workspaces: m.workspaces! };
  } catch (err) {
    throw new StoreLostError(
      `${file} is damaged (${(err as Error).message}): it is what tells this relay whether its store is complete; restore it with the database from a backup, or move it aside to start without that check`,
    );
  }
}

/** `workspaces` comes already serialised: it changes rarely, the counter every second. */
const markerText = (store: string, seq: number, workspaces: string) =>
  `{"v":1,"store":${JSON.stringify(store)},"seq":${seq},"at":"${new Date().toISOString()}","workspaces":${workspaces}}\n`;

/** fsync of a file by name (its data reaches the disk whoever wrote it); a file that is not there has nothing to sync. */
export function fsyncFile(file: string): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

async function fsyncFileAsync(file: string): Promise<void> {
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Writes the marker and waits until it is on disk (start, rotation, clean stop). */
export function writeMarker(dataDir: string, data: MarkerData): void {
  writeMarkerText(dataDir, markerText(data.store, data.seq, JSON.stringify(data.workspaces)));
}

function writeMarkerText(dataDir: string, text: string): void {
  const tmp = path.join(dataDir, `${MARKER_FILE}.tmp`);
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, path.join(dataDir, MARKER_FILE));
  // The rename itself must survive a power cut.
  fsyncFile(dataDir);
}

/** The same off the event loop (the periodic update): the fsyncs run in libuv's thread pool. */
async function writeMarkerAsync(dataDir: string, text: string): Promise<void> {
  const tmp = path.join(dataDir, `${MARKER_FILE}.tick.tmp`);
  const fh = await fs.promises.open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.promises.rename(tmp, path.join(dataDir, MARKER_FILE));
  await fsyncFileAsync(dataDir);
}

/** What the database says of itself at start. */
export interface StoreFacts {
  file: string;
  /** The store id inside the database, if it has one. */
  id: string | undefined;
  /** Its write counter. */
  seq: number;
  /** Rows or workspaces in it (a store made before markers existed has data but no id). */
  hasData: boolean;
}

export type StoreVerdict =
  | { ok: true; event?: 'store.created' | 'store.marker-created' }
  | { ok: true; event: 'store.accepted'; reason: 'empty' | 'older' | 'different'; markerSeq: number; markerStore: string }
  | { ok: false; reason: 'empty' | 'older' | 'different'; message: string };

const RESTORE = 'restore muster.sqlite from a backup (npm run relay-backup) and start once with --accept-restored-store (ACCEPT_RESTORED_STORE=1)';
const HOW = {
  empty: `; ${RESTORE}, or start with an empty store on purpose with --accept-empty-store (ACCEPT_EMPTY_STORE=1)`,
  restored: `; if you put this copy in place on purpose, start once with --accept-restored-store (ACCEPT_RESTORED_STORE=1) and devices send back what they hold, otherwise ${RESTORE}`,
};

/** The rule of docs/RELAY.md "Store loss": a marker beside a store that has less than it recorded stops the start. */
export function judgeStore(marker: MarkerData | undefined, db: StoreFacts, accept: AcceptStore, markerFile: string): StoreVerdict {
  if (!marker) return { ok: true, event: db.id || db.hasData ? 'store.marker-created' : 'store.created' };
  let reason: 'empty' | 'older' | 'different' | undefined;
  let message = '';
  if (!db.id && !db.hasData) {
    reason = 'empty';
    message = `${db.file} is missing or empty, but ${markerFile} records store ${marker.store} at write ${marker.seq}` + HOW.empty;
  } else if (db.id !== marker.store) {
    reason = 'different';
    message = `${db.file} is store ${db.id ?? '(without an id)'}, not store ${marker.store} that ${markerFile} records` + HOW.restored;
  } else if (db.seq < marker.seq) {
    reason = 'older';
    message = `${db.file} holds store ${db.id} up to write ${db.seq}, but ${markerFile} records write ${marker.seq}: recent writes are lost (a deleted or damaged muster.sqlite-wal, or an older copy put in place)` + HOW.restored;
  }
  if (!reason) return { ok: true };
  const allowed = reason === 'empty' ? accept.acceptEmptyStore : accept.acceptRestoredStore;
  if (!allowed) return { ok: false, reason, message };
  return { ok: true, event: 'store.accepted', reason, markerSeq: marker.seq, markerStore: marker.store };
}

/**
 * Keeps the marker current while the relay runs. `counter` reads the
 * database's write counter. Before each write of the marker the database's
 * log (`wal`, written at each commit but not synced under synchronous=NORMAL)
 * is fsynced, so the marker never records a write that a power cut could
 * still take away. The periodic update runs off the event loop; a rotation
 * and the clean stop write at once. Nothing is written while nothing changes.
 */
export interface MarkerKeeper {
  readonly store: string;
  /** The workspaces' credentials as last recorded. */
  workspaces(): ReadonlyMap<string, WorkspaceAuth>;
  /** A workspace's credential changed; `now` writes the marker before returning (a rotation). Its pinned root is kept. */
  noteWorkspace(workspace: string, auth: WorkspaceAuth, now: boolean): void;
  /** A workspace's root was pinned; the marker is written before returning. False when the marker does not hold the workspace. */
  noteRoot(workspace: string, root: string): boolean;
  /** Starts a periodic update if anything changed; resolves when it is on disk. */
  flush(): Promise<void>;
  /** Final write (after the database's last checkpoint); stops the timer. */
  stop(): void;
}

export function keepMarker(opts: {
  dataDir: string;
  store: string;
  seq: number;
  workspaces: Record<string, WorkspaceAuth>;
  counter: () => number;
  /** The database's write-ahead log (DATA_DIR/muster.sqlite-wal). */
  wal: string;
  onError: (err: unknown) => void;
}): MarkerKeeper {
  const workspaces = new Map(Object.entries(opts.workspaces));
  let seq = opts.seq;
  let dirty = false;
  let stopped = false;
  let failing = false;
  let inFlight: Promise<void> | undefined;
  // A write at once while a periodic one was under way: the latter may land last, so write again after it.
  let rewrite = false;
  let workspacesJson: string | undefined;
  const snapshot = () => {
    const next = opts.counter();
    workspacesJson ??= JSON.stringify(Object.fromEntries(workspaces));
    return { seq: next, text: markerText(opts.store, next, workspacesJson) };
  };
  // A periodic write waits ten times as long as the last one took (at least a second), so a very large marker costs a bounded share.
  let notBefore = 0;
  const failed = (err: unknown) => {
    dirty = true;
    if (!failing) opts.onError(err);
    failing = true;
  };
  // After stop the database is closed: a rewrite then repeats the final write.
  let final: { seq: number; text: string } | undefined;
  const writeNow = () => {
    try {
      const data = final ?? snapshot();
      fsyncFile(opts.wal);
      writeMarkerText(opts.dataDir, data.text);
      seq = data.seq;
      dirty = false;
      failing = false;
    } catch (err) {
      failed(err);
    }
    if (inFlight) rewrite = true;
  };
  const flush = (): Promise<void> => {
    if (stopped || inFlight) return inFlight ?? Promise.resolve();
    if ((!dirty && opts.counter() === seq) || Date.now() < notBefore) return Promise.resolve();
    const started = Date.now();
    const data = snapshot();
    dirty = false;
    inFlight = fsyncFileAsync(opts.wal)
      .then(() => writeMarkerAsync(opts.dataDir, data.text))
      .then(
        () => {
          seq = Math.max(seq, data.seq);
          failing = false;
          notBefore = Date.now() + Math.max(0, 10 * (Date.now() - started) - MARKER_INTERVAL_MS);
        },
        failed,
      )
      .finally(() => {
        inFlight = undefined;
        if (rewrite) {
          rewrite = false;
          writeNow();
        }
      });
    return inFlight;
  };
  writeMarkerText(opts.dataDir, markerText(opts.store, seq, JSON.stringify(opts.workspaces)));
  const timer = setInterval(() => void flush(), MARKER_INTERVAL_MS);
  timer.unref();
  return {
    store: opts.store,
    workspaces: () => workspaces,
    noteWorkspace(workspace, auth, now) {
      const had = workspaces.get(workspace);
      if (had && had.epoch === auth.epoch && had.verifier === auth.verifier) return;
      const root = auth.root ?? had?.root;
      workspaces.set(workspace, { epoch: auth.epoch, verifier: auth.verifier, ...(root ? { root } : {}) });
      workspacesJson = undefined;
      dirty = true;
      if (now && !stopped) writeNow();
    },
    noteRoot(workspace, root) {
      const had = workspaces.get(workspace);
      if (!had) return false;
      if (had.root === root) return true;
      workspaces.set(workspace, { ...had, root });
      workspacesJson = undefined;
      dirty = true;
      if (!stopped) writeNow();
      return true;
    },
    flush,
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      try {
        final = snapshot();
      } catch (err) {
        return failed(err);
      }
      writeNow();
    },
  };
}
