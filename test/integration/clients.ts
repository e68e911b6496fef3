import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { connect, destroyProvider, newWorkspace, records, type RelayProcess, spawnRelay, tmpDir, waitFor } from './harness.ts';

/**
 * Helpers for the fault tests (kill -9, fuzz) and the kill -9 benchmark.
 * Everything runs against real relay child processes on loopback.
 */

/** Small seeded PRNG (mulberry32), so a failing run can be replayed with its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Resident set size of a process in bytes, from /proc/<pid>/status (Linux). */
export function rssBytes(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}

/** SIGKILL a relay and wait until the process is gone. */
export async function killNine(relay: RelayProcess): Promise<void> {
  if (relay.child.exitCode === null && relay.child.signalCode === null) relay.child.kill('SIGKILL');
  await relay.exited;
}

/** Starts a relay on a fixed port (so clients reconnect to it), retrying briefly if the port is not free yet. */
export async function spawnRelayOnPort(dataDir: string, port: number, args: string[] = []): Promise<RelayProcess> {
  let lastErr: unknown;
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      return await spawnRelay({ dataDir, args: ['--port', String(port), ...args] });
    } catch (err) {
      lastErr = err;
      if (!/EADDRINUSE|locked/.test(String(err))) throw err;
      await sleep(100);
    }
  }
  throw lastErr;
}

/** Every room's stored updates, merged, read straight from the relay's SQLite file (relay must be stopped). */
export function readStoredRooms(dataDir: string): Map<string, Y.Doc> {
  const db = new Database(path.join(dataDir, 'muster.sqlite'));
  try {
    const rows = db.prepare<[], { room: string; data: Buffer }>('SELECT room, data FROM updates ORDER BY id').all();
    const byRoom = new Map<string, Uint8Array[]>();
    for (const row of rows) {
      const list = byRoom.get(row.room) ?? [];
      list.push(new Uint8Array(row.data));
      byRoom.set(row.room, list);
    }
    const out = new Map<string, Y.Doc>();
    for (const [room, updates] of byRoom) {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, Y.mergeUpdates(updates));
      out.set(room, doc);
    }
    return out;
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------
// kill -9 scenario

export interface KillNineOptions {
  clients?: number;
  restarts?: number;
  /** Random delay between the relay being ready and the next kill -9. */
  minGapMs?: number;
  maxGapMs?: number;
  /** Each client makes one edit every editEveryMs (± half, random). */
  editEveryMs?: number;
  seed?: number;
  progress?: (line: string) => void;
}

export interface KillNineResult {
  seed: number;
  clients: number;
  rooms: number;
  edits: number;
  restarts: number;
  /** Kills that hit while at least one client was connected. */
  killsWhileConnected: number;
  /** (client, edit) pairs missing on the editing clients after the final sync. */
  lostOnClients: number;
  /** Edits missing from the SQLite rows after a final kill -9. */
  lostInStorage: number;
  /** Edits missing on a brand-new client of a fresh relay on that data dir. */
  lostOnFreshClient: number;
  durationMs: number;
  /** First few missing edits, for the report. */
  examples: string[];
}

/**
 * Room A ("people"): one shared record (a Y.Map created before the chaos); each client
 * sets keys `c<i>-<n>` in it. Room B ("training"): each client creates records `c<i>-<n>`.
 */
const SHARED = 'shared';
type Room = 'people' | 'training';
const ROOMS: Room[] = ['people', 'training'];

function hasEdit(doc: Y.Doc, room: Room, key: string): boolean {
  if (room === 'people') return records(doc).get(SHARED)?.has(key) === true;
  return records(doc).has(key);
}

function makeEdit(doc: Y.Doc, room: Room, i: number, n: number): string {
  const key = `c${i}-${n}`;
  if (room === 'people') records(doc).get(SHARED)!.set(key, n);
  else records(doc).set(key, new Y.Map<unknown>([['by', i], ['n', n]]));
  return key;
}

export async function runKillNine(opts: KillNineOptions = {}): Promise<KillNineResult> {
  const clients = opts.clients ?? 5;
  const restarts = opts.restarts ?? 20;
  const minGap = opts.minGapMs ?? 100;
  const maxGap = opts.maxGapMs ?? 500;
  const editEvery = opts.editEveryMs ?? 25;
  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 31);
  const rand = prng(seed);
  const progress = opts.progress ?? (() => {});
  const started = Date.now();

  const dataDir = tmpDir('muster-killnine-');
  let relay = await spawnRelay({ dataDir });
  const port = relay.port;
  const ws = newWorkspace();

  interface Client {
    i: number;
    docs: Record<Room, Y.Doc>;
    providers: Record<Room, WebsocketProvider>;
    made: Record<Room, string[]>;
  }
  const all: Client[] = [];
  for (let i = 0; i < clients; i++) {
    const docs = { people: new Y.Doc(), training: new Y.Doc() };
    const providers = {
      people: connect(relay.syncUrl, `${ws.id}.people`, docs.people, ws.token, { maxBackoffTime: 300 }),
      training: connect(relay.syncUrl, `${ws.id}.training`, docs.training, ws.token, { maxBackoffTime: 300 }),
    };
    all.push({ i, docs, providers, made: { people: [], training: [] } });
  }
  const providers = all.flatMap((c) => ROOMS.map((r) => c.providers[r]));
  const allSynced = () => providers.every((p) => p.wsconnected && p.synced);
  await waitFor('clients synced', allSynced, 10_000);

  // The shared record exists everywhere before anyone edits it (concurrent creation would let one copy win).
  records(all[0]!.docs.people).set(SHARED, new Y.Map<unknown>());
  await waitFor('shared record everywhere', () => all.every((c) => records(c.docs.people).get(SHARED) !== undefined), 10_000);

  // Continuous edits, online or offline: the client keeps them and re-sends after reconnecting.
  let editing = true;
  const editors = all.map(async (c) => {
    let n = 0;
    while (editing) {
      const room = ROOMS[n % 2]!;
      c.made[room].push(makeEdit(c.docs[room], room, c.i, n));
      n++;
      await sleep(editEvery / 2 + rand() * editEvery);
    }
  });

  let killsWhileConnected = 0;
  try {
    for (let k = 0; k < restarts; k++) {
      await sleep(minGap + rand() * (maxGap - minGap));
      if (providers.some((p) => p.wsconnected)) killsWhileConnected++;
      await killNine(relay);
      relay = await spawnRelayOnPort(dataDir, port);
      if ((k + 1) % 10 === 0) progress(`${k + 1}/${restarts} restarts, ${all.reduce((s, c) => s + c.made.people.length + c.made.training.length, 0)} edits`);
    }
    // Let the clients reconnect once more with edits still flowing, then stop.
    await sleep(maxGap);
  } finally {
    editing = false;
    await Promise.all(editors);
  }

  const edits = all.reduce((s, c) => s + c.made.people.length + c.made.training.length, 0);
  const expected = ROOMS.flatMap((room) => all.flatMap((c) => c.made[room].map((key) => ({ room, key }))));
  const examples: string[] = [];
  const countMissing = (docFor: (room: Room) => Y.Doc | undefined, where: string) => {
    let missing = 0;
    for (const { room, key } of expected) {
      const doc = docFor(room);
      if (!doc || !hasEdit(doc, room, key)) {
        missing++;
        if (examples.length < 10) examples.push(`${where}: ${room} ${key}`);
      }
    }
    return missing;
  };

  // Every client synced and holding every edit; count what is still missing rather than only timing out.
  const converged = () => all.every((c) => expected.every(({ room, key }) => hasEdit(c.docs[room], room, key)));
  try {
    await waitFor('all clients synced after the last restart', allSynced, 15_000);
    await waitFor('all clients hold every edit', converged, 15_000);
  } catch (err) {
    progress(String(err));
  }
  let lostOnClients = 0;
  for (const c of all) lostOnClients += countMissing((room) => c.docs[room], `client ${c.i}`);

  // Storage: drop the clients (so they cannot re-send), kill -9 once more, read the rows.
  for (const p of providers) destroyProvider(p);
  await killNine(relay);
  const stored = readStoredRooms(dataDir);
  const lostInStorage = countMissing((room) => stored.get(`${ws.id}.${room}`), 'sqlite');

  // And through the relay: a fresh process on that data dir, a device that never saw anything.
  relay = await spawnRelay({ dataDir });
  const fresh = { people: new Y.Doc(), training: new Y.Doc() };
  const fp = ROOMS.map((room) => connect(relay.syncUrl, `${ws.id}.${room}`, fresh[room], ws.token));
  await waitFor('fresh client synced', () => fp.every((p) => p.synced), 10_000);
  const lostOnFreshClient = countMissing((room) => fresh[room], 'fresh client');
  for (const p of fp) destroyProvider(p);
  await killNine(relay);

  return {
    seed,
    clients,
    rooms: ROOMS.length,
    edits,
    restarts,
    killsWhileConnected,
    lostOnClients,
    lostInStorage,
    lostOnFreshClient,
    durationMs: Date.now() - started,
    examples,
  };
}

export function killNineTable(r: KillNineResult): string {
  return [
    '| clients | rooms | edits | restarts (kill -9) | kills while connected | lost on clients | lost in SQLite | lost on fresh client | duration |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${r.clients} | ${r.rooms} | ${r.edits} | ${r.restarts} | ${r.killsWhileConnected} | ${r.lostOnClients} | ${r.lostInStorage} | ${r.lostOnFreshClient} | ${(r.durationMs / 1000).toFixed(1)} s |`,
  ].join('\n');
}
