import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { rssBytes, sleep } from '../integration/clients.ts';
import { cleanup, connect, createOnRelay, newWorkspace, rawSocket, records, ROOT, spawnNode, spawnRelay, stopReading, tmpDir, waitFor, waitSynced, type RelayProcess } from '../integration/harness.ts';

/**
 * Reliability figures under attack (issue 13, findings 1 and 2), loopback only, bounded:
 *   node --import tsx test/bench/relay-attack-bench.ts
 * 1. A socket that never reads sends sync-step-1 frames (4 bytes each) for a room of 1.5 MB:
 *    the relay's memory before, at its peak and after, and an honest pair's edit latency meanwhile.
 *    The bare @y/websocket-server gets only 100 frames (it queues one copy per frame).
 * 2. An outsider opens rooms in invented workspaces: how many it gets, and whether an
 *    established workspace still opens its rooms.
 * 3. Invented workspace ids (issue 13, finding 3): 100 by websocket and 100 by attachment GET
 *    against a `token` relay, then how many the SQLite table holds and whether the real owner
 *    of a claimed id still gets in; and the attachment bytes 20 invented workspaces store
 *    (MAX_WORKSPACE_BLOB_BYTES = 1 MiB each) on a `token` relay and on an `open` one bounded by
 *    MAX_TOTAL_BLOB_BYTES = 5 MiB. Run against the code before the change, the same attack gives
 *    the "before" figures of docs/BENCHMARKS.md.
 */

const MiB = 1024 * 1024;
const SYNC_STEP_1 = Buffer.from([0, 0, 1, 0]);

export interface AttackFigures {
  frames: number;
  target: string;
  rssBeforeMiB: number;
  rssPeakMiB: number;
  rssAfterMiB: number;
  shed: boolean;
  honestP95Ms?: number;
  honestSamples?: number;
}

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!;

async function seed(syncUrl: string, room: string, token: string | null) {
  const doc = new Y.Doc();
  const p = connect(syncUrl, room, doc, token);
  await waitSynced(p, 10_000);
  records(doc).set('big', new Y.Map([['body', randomBytes(0.75 * MiB).toString('hex')]]));
  const check = new Y.Doc();
  connect(syncUrl, room, check, token);
  await waitFor('seeded', () => typeof records(check).get('big')?.get('body') === 'string', 15_000);
}

/** Sends `frames` step-1 frames from a non-reading socket while (optionally) an honest pair keeps editing. */
async function nonReader(pid: number, syncUrl: string, room: string, token: string | null, frames: number, honest?: { a: Y.Doc; b: Y.Doc }) {
  await sleep(500);
  const before = rssBytes(pid);
  const url = `${syncUrl}/${room}${token ? `?auth=${token}` : ''}`;
  const ws = new WebSocket(url);
  ws.on('error', () => {});
  await new Promise<void>((resolve) => ws.once('open', () => resolve()));
  stopReading(ws);
  for (let i = 0; i < frames; i++) ws.send(SYNC_STEP_1);
  let peak = before;
  const latencies: number[] = [];
  const until = Date.now() + 6_000;
  let round = 0;
  while (Date.now() < until) {
    peak = Math.max(peak, rssBytes(pid));
    if (honest) {
      round++;
      const t = performance.now();
      records(honest.a).set(`r${round}`, new Y.Map([['n', round]]));
      await waitFor('honest edit', () => records(honest.b).get(`r${round}`)?.get('n') === round, 10_000);
      latencies.push(performance.now() - t);
      await sleep(20);
    } else await sleep(50);
  }
  ws.terminate();
  await sleep(2_000);
  return { before, peak, after: rssBytes(pid), latencies };
}

async function startBare() {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const p = spawnNode([path.join(ROOT, 'node_modules/@y/websocket-server/src/server.js')], { env: { PORT: String(port), HOST: '127.0.0.1' } });
  await waitFor('bare server', () => /running at/.test(p.stdout()) || p.child.exitCode !== null, 15_000);
  return { pid: p.child.pid!, syncUrl: `ws://127.0.0.1:${port}` };
}

export interface InventedFigures {
  tried: number;
  /** Rows in the `workspaces` table after the attack. */
  stored: number;
  ownerGotIn: boolean;
  /** Attachment bytes stored by 20 invented workspaces, per relay policy. */
  blobBytes: Array<{ relay: string; workspaces: number; stored: number; quota: number }>;
}

/** Open for 500 ms after the upgrade = accepted. */
async function accepted(syncUrl: string, room: string, token: string): Promise<boolean> {
  const s = rawSocket(syncUrl, room, token);
  const outcome = await Promise.race([s.closed.then(() => false), sleep(500).then(() => true)]);
  s.ws.terminate();
  return outcome;
}

const storedRows = (dataDir: string, sql: string) => {
  const db = new Database(path.join(dataDir, 'muster.sqlite'), { readonly: true });
  try {
    return (db.prepare(sql).get() as { n: number | null }).n ?? 0;
  } finally {
    db.close();
  }
};

export async function inventedIds(progress: (line: string) => void): Promise<InventedFigures> {
  const dataDir = tmpDir();
  let relay = await spawnRelay({ dataDir, env: { WORKSPACE_CREATION: 'token', CREATION_TOKENS: 'BENCHOWNERTOKEN12345' } });
  const tried = 100;
  const viaGet = Array.from({ length: tried }, () => newWorkspace());
  for (let i = 0; i < tried; i++) {
    const w = newWorkspace();
    await accepted(relay.syncUrl, `${w.id}.people`, w.token);
  }
  for (const w of viaGet) await fetch(`${relay.url}/blobs/${w.id}/${'0'.repeat(64)}`, { headers: { Authorization: `Bearer ${w.token}` } });
  // The real owner of an id an attacker touched first (its own token): it asks to create (a no-op before the change), then connects.
  const owner = { id: viaGet[0]!.id, token: newWorkspace().token };
  await fetch(`${relay.url}/auth/${owner.id}/create`, { method: 'POST', headers: { Authorization: `Bearer ${owner.token}` }, body: JSON.stringify({ creationToken: 'BENCHOWNERTOKEN12345' }) });
  const ownerGotIn = await accepted(relay.syncUrl, `${owner.id}.people`, owner.token);
  await cleanupRelay(relay);
  const stored = storedRows(dataDir, 'SELECT COUNT(*) AS n FROM workspaces') - (ownerGotIn ? 1 : 0);

  const quota = MiB;
  const blobBytes: InventedFigures['blobBytes'] = [];
  for (const [label, env] of [
    ['token', { WORKSPACE_CREATION: 'token' }],
    ['open, MAX_TOTAL_BLOB_BYTES = 5 MiB', { WORKSPACE_CREATION: 'open', MAX_TOTAL_BLOB_BYTES: String(5 * MiB) }],
  ] as const) {
    progress(`20 invented workspaces upload 1 MiB each (${label} relay)`);
    const dir = tmpDir();
    relay = await spawnRelay({ dataDir: dir, env: { ...env, MAX_WORKSPACE_BLOB_BYTES: String(quota), MAX_BLOB_BYTES: String(quota) } });
    for (let i = 0; i < 20; i++) {
      const w = newWorkspace();
      const bytes = randomBytes(quota);
      const hash = createHash('sha256').update(bytes).digest('hex');
      await fetch(`${relay.url}/auth/${w.id}/create`, { method: 'POST', headers: { Authorization: `Bearer ${w.token}` } });
      await fetch(`${relay.url}/blobs/${w.id}/${hash}`, { method: 'PUT', body: bytes, headers: { Authorization: `Bearer ${w.token}`, 'Content-Type': 'image/jpeg' } });
    }
    await cleanupRelay(relay);
    blobBytes.push({ relay: label, workspaces: 20, stored: storedRows(dir, 'SELECT SUM(size) AS n FROM blobs'), quota });
  }
  return { tried: 2 * tried, stored, ownerGotIn, blobBytes };
}

export async function runAttackBench(progress: (line: string) => void = () => {}): Promise<{ rows: AttackFigures[]; rooms: { invented: number; accepted: number; honestOpened: number; honestTried: number }; ids: InventedFigures }> {
  const rows: AttackFigures[] = [];
  try {
    progress('non-reading socket against the bare y-websocket server (100 frames)');
    const bare = await startBare();
    await seed(bare.syncUrl, 'bench-room', null);
    const b = await nonReader(bare.pid, bare.syncUrl, 'bench-room', null, 100);
    rows.push({ frames: 100, target: 'bare @y/websocket-server', rssBeforeMiB: b.before / MiB, rssPeakMiB: b.peak / MiB, rssAfterMiB: b.after / MiB, shed: false });

    progress('non-reading socket against the Muster relay (1,200 frames), honest pair editing');
    const relay = await spawnRelay({ dataDir: tmpDir() });
    const ws = newWorkspace();
    const room = `${ws.id}.people`;
    await seed(relay.syncUrl, room, ws.token);
    const other = newWorkspace();
    const a = new Y.Doc();
    const bb = new Y.Doc();
    await Promise.all([waitSynced(connect(relay.syncUrl, `${other.id}.people`, a, other.token)), waitSynced(connect(relay.syncUrl, `${other.id}.people`, bb, other.token))]);
    const m = await nonReader(relay.child.pid!, relay.syncUrl, room, ws.token, 1200, { a, b: bb });
    rows.push({
      frames: 1200,
      target: 'Muster relay',
      rssBeforeMiB: m.before / MiB,
      rssPeakMiB: m.peak / MiB,
      rssAfterMiB: m.after / MiB,
      shed: /ws\.shed /.test(relay.stderr()),
      honestP95Ms: p95(m.latencies),
      honestSamples: m.latencies.length,
    });
    await cleanup();

    progress('invented workspaces against an established one (MAX_ROOMS=600, MAX_NEW_ROOMS=300)');
    const rooms = await inventedWorkspaces();
    await cleanup();
    progress('invented workspace ids by websocket and attachment GET (token relay)');
    const ids = await inventedIds(progress);
    return { rows, rooms, ids };
  } finally {
    await cleanup();
  }
}

async function inventedWorkspaces() {
  const dataDir = tmpDir();
  const env = { MAX_ROOMS: '600', MAX_NEW_ROOMS: '300' };
  const honest = newWorkspace();
  let relay: RelayProcess = await spawnRelay({ dataDir, env });
  await waitSynced(connect(relay.syncUrl, `${honest.id}.people`, new Y.Doc(), honest.token));
  await cleanupRelay(relay);
  const db = new Database(path.join(dataDir, 'muster.sqlite'));
  db.prepare('UPDATE workspaces SET created_at = ? WHERE id = ?').run(Date.now() - 2 * 24 * 3600_000, honest.id);
  db.close();
  relay = await spawnRelay({ dataDir, env });
  const invented = 700;
  let refused = 0;
  for (let i = 0; i < invented; i++) {
    const w = newWorkspace();
    // Created (the relay is open on loopback): this part measures the room budget of new workspaces.
    await createOnRelay(relay.url, w.id, w.token);
    const s = rawSocket(relay.syncUrl, `${w.id}.people`, w.token);
    void s.closed.then(() => refused++);
    await s.opened.catch(() => {});
  }
  // A refused socket opens, then gets its 4503.
  await sleep(1_000);
  const accepted = invented - refused;
  const registers = ['people', 'training', 'policies', 'agreements', 'roles'];
  let honestOpened = 0;
  for (const r of registers) {
    const p = connect(relay.syncUrl, `${honest.id}.${r}`, new Y.Doc(), honest.token);
    try {
      await waitSynced(p, 5_000);
      honestOpened++;
    } catch {
      /* refused */
    }
  }
  return { invented, accepted, honestOpened, honestTried: registers.length };
}

async function cleanupRelay(relay: RelayProcess) {
  relay.child.kill('SIGTERM');
  await relay.exited;
}

export function attackBenchTable(r: Awaited<ReturnType<typeof runAttackBench>>): string {
  const f = (n: number) => n.toFixed(0);
  return [
    '| attack (loopback) | frames of 4 bytes | RSS before | RSS peak | RSS 2 s after | socket cut off | honest edit p95 meanwhile |',
    '|---|---:|---:|---:|---:|---|---:|',
    ...r.rows.map(
      (x) =>
        `| non-reading socket, room of 1.5 MB, ${x.target} | ${x.frames} | ${f(x.rssBeforeMiB)} MiB | ${f(x.rssPeakMiB)} MiB | ${f(x.rssAfterMiB)} MiB | ${x.shed ? 'yes (`ws.shed`)' : 'no'} | ${x.honestP95Ms === undefined ? '—' : `${x.honestP95Ms.toFixed(1)} ms (${x.honestSamples} edits)`} |`,
    ),
    '',
    '| attack (loopback) | value |',
    '|---|---:|',
    `| rooms in invented workspaces, MAX_ROOMS=600, MAX_NEW_ROOMS=300 | ${r.rooms.accepted} of ${r.rooms.invented} accepted |`,
    `| rooms an established workspace then opened | ${r.rooms.honestOpened} of ${r.rooms.honestTried} |`,
    `| invented workspace ids (100 by websocket, 100 by attachment GET), WORKSPACE_CREATION=token: stored | ${r.ids.stored} of ${r.ids.tried} |`,
    `| the real owner of an id touched first by an attacker gets in | ${r.ids.ownerGotIn ? 'yes' : 'no (locked out)'} |`,
    ...r.ids.blobBytes.map((b) => `| attachment bytes stored by ${b.workspaces} invented workspaces, ${b.relay} relay (quota ${b.quota / MiB} MiB each) | ${(b.stored / MiB).toFixed(1)} MiB (${(b.stored / b.quota).toFixed(1)}× the quota) |`),
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const guard = setTimeout(() => {
    console.error('attack bench: timed out after 180 s');
    process.exit(1);
  }, 180_000);
  console.log(attackBenchTable(await runAttackBench((l) => console.error(`… ${l}`))));
  clearTimeout(guard);
  process.exit(0);
}
