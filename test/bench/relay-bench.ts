import { createServer } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { cleanup, connect, destroyProvider, newWorkspace, ROOT, spawnNode, spawnRelay, tmpDir, waitFor } from '../integration/harness.ts';

/**
 * Relay benchmark, loopback only: the Muster relay against the bare
 * @y/websocket-server (no persistence), both as child processes, same clients.
 *   node --import tsx test/bench/relay-bench.ts
 * `runRelayBench()` returns the rows for a combined report (test/bench/run.ts).
 */

export interface BenchRow {
  bench: string;
  metric: string;
  unit: 'ms' | 'bytes';
  muster: number;
  bare: number;
  /** muster / bare */
  ratio: number;
}

export interface RelayBenchOptions {
  clients?: number;
  rounds?: number;
  warmup?: number;
  edits?: number;
  mergeRuns?: number;
  progress?: (line: string) => void;
}

interface Target {
  name: 'muster' | 'bare';
  syncUrl: string;
  token: string;
  workspace: string;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** The stock server: node_modules/@y/websocket-server/src/server.js with HOST/PORT, no YPERSISTENCE. */
async function startBare(): Promise<{ syncUrl: string }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: String(port) };
  delete env.YPERSISTENCE;
  const p = spawnNode([path.join(ROOT, 'node_modules/@y/websocket-server/src/server.js')], { env });
  await waitFor('bare y-websocket server to listen', () => /running at/.test(p.stdout()) || p.child.exitCode !== null, 15_000);
  if (p.child.exitCode !== null) throw new Error(`bare server exited: ${p.stderr()}`);
  return { syncUrl: `ws://127.0.0.1:${port}/sync` };
}

/** One writer sets a timestamped key; time until each other client observes it. */
async function latency(target: Target, clients: number, rounds: number, warmup: number): Promise<number[]> {
  const room = `${target.workspace}.latency`;
  const docs = Array.from({ length: clients }, () => new Y.Doc());
  const providers = docs.map((d) => connect(target.syncUrl, room, d, target.token));
  await waitFor('all clients synced', () => providers.every((p) => p.synced), 10_000);

  const samples: number[] = [];
  let round = -1;
  let sentAt = 0;
  let seen = 0;
  docs.slice(1).forEach((doc) => {
    doc.getMap('bench').observe(() => {
      if (doc.getMap('bench').get('t') === round) {
        if (round >= warmup) samples.push(performance.now() - sentAt);
        seen++;
      }
    });
  });
  for (round = 0; round < warmup + rounds; round++) {
    seen = 0;
    sentAt = performance.now();
    docs[0]!.getMap('bench').set('t', round);
    await waitFor(`round ${round}`, () => seen === clients - 1, 5_000);
  }
  providers.forEach(destroyProvider);
  return samples;
}

/** Two devices make `edits` map sets each while offline, then sync through the relay. */
async function merge(target: Target, edits: number, run: number): Promise<{ ms: number; bytes: number }> {
  const room = `${target.workspace}.merge-${run < 0 ? 'warmup' : run}`;
  const a = new Y.Doc();
  const b = new Y.Doc();
  // Fixed client ids: random ones vary in encoded length, and so would the document size.
  a.clientID = 1_000_001;
  b.clientID = 2_000_002;
  for (let i = 0; i < edits; i++) {
    // Overlapping keys: half of the writes conflict with the other device's.
    a.getMap('records').set(`k${i % 500}`, { by: 'a', i });
    b.getMap('records').set(`k${(i + 250) % 1000}`, { by: 'b', i });
  }
  const sameState = () => Buffer.from(Y.encodeStateVector(a)).equals(Y.encodeStateVector(b));
  // Timed from the doc update that completes convergence, not from a poll.
  let convergedAt = 0;
  const check = () => {
    if (convergedAt === 0 && sameState()) convergedAt = performance.now();
  };
  a.on('update', check);
  b.on('update', check);
  const start = performance.now();
  const providers: WebsocketProvider[] = [connect(target.syncUrl, room, a, target.token), connect(target.syncUrl, room, b, target.token)];
  await waitFor('convergence', () => convergedAt !== 0, 10_000);
  const ms = convergedAt - start;
  providers.forEach(destroyProvider);
  const content = (d: Y.Doc) => JSON.stringify([...d.getMap('records').entries()].sort(([x], [y]) => x.localeCompare(y)));
  if (content(a) !== content(b)) throw new Error('documents have the same state vector but differ');
  return { ms, bytes: Y.encodeStateAsUpdate(a).length };
}

export async function runRelayBench(options: RelayBenchOptions = {}): Promise<BenchRow[]> {
  const { clients = 10, rounds = 200, warmup = 20, edits = 1000, mergeRuns = 7, progress = () => {} } = options;
  const results: Record<Target['name'], { p50: number; p95: number; mergeMs: number; bytes: number }> = {} as never;
  try {
    const muster = await spawnRelay({ dataDir: tmpDir('muster-bench-') });
    const bare = await startBare();
    const ws = newWorkspace();
    const targets: Target[] = [
      { name: 'muster', syncUrl: muster.syncUrl, token: ws.token, workspace: ws.id },
      { name: 'bare', syncUrl: bare.syncUrl, token: ws.token, workspace: ws.id },
    ];
    for (const t of targets) {
      progress(`latency: ${t.name}`);
      const sorted = (await latency(t, clients, rounds, warmup)).sort((x, y) => x - y);
      results[t.name] = { p50: percentile(sorted, 50), p95: percentile(sorted, 95), mergeMs: 0, bytes: 0 };
    }
    // Merge runs alternate between the servers so neither always gets the warmer machine.
    const runs = { muster: [] as Array<{ ms: number; bytes: number }>, bare: [] as Array<{ ms: number; bytes: number }> };
    for (const t of targets) await merge(t, edits, -1); // warm-up, not counted
    for (let r = 0; r < mergeRuns; r++) {
      progress(`merge run ${r + 1}/${mergeRuns}`);
      for (const t of targets) runs[t.name].push(await merge(t, edits, r));
    }
    for (const t of targets) {
      results[t.name].mergeMs = median(runs[t.name].map((x) => x.ms));
      results[t.name].bytes = runs[t.name][0]!.bytes;
    }
  } finally {
    await cleanup();
  }
  const row = (bench: string, metric: string, unit: BenchRow['unit'], key: 'p50' | 'p95' | 'mergeMs' | 'bytes'): BenchRow => ({
    bench,
    metric,
    unit,
    muster: results.muster[key],
    bare: results.bare[key],
    ratio: results.muster[key] / results.bare[key],
  });
  const lat = `sync latency, ${clients} clients in one room, ${rounds} rounds (${(clients - 1) * rounds} samples)`;
  const mrg = `merge 2 devices × ${edits.toLocaleString('en')} offline map sets (median of ${mergeRuns})`;
  return [row(lat, 'p50', 'ms', 'p50'), row(lat, 'p95', 'ms', 'p95'), row(mrg, 'time to converge', 'ms', 'mergeMs'), row(mrg, 'final doc size', 'bytes', 'bytes')];
}

export function relayBenchTable(rows: BenchRow[]): string {
  const fmt = (v: number, unit: BenchRow['unit']) => (unit === 'bytes' ? String(v) : v.toFixed(2));
  return [
    '| benchmark | metric | Muster relay | bare y-websocket | Muster / bare |',
    '|---|---|---:|---:|---:|',
    ...rows.map((r) => `| ${r.bench} | ${r.metric} (${r.unit}) | ${fmt(r.muster, r.unit)} | ${fmt(r.bare, r.unit)} | ${r.ratio.toFixed(2)}× |`),
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  // Bounded: never outlive a stuck run.
  const guard = setTimeout(() => {
    console.error('relay bench: timed out after 180 s');
    process.exit(1);
  }, 180_000);
  runRelayBench({ progress: (l) => console.error(`… ${l}`) }).then(
    (rows) => {
      clearTimeout(guard);
      console.log(relayBenchTable(rows));
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
