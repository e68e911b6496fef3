import { createHash } from 'node:crypto';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { rssBytes, sleep } from '../integration/clients.ts';
import { connect, createdWorkspace, newWorkspace, rawSocket, records, spawnRelay, tmpDir, waitFor, waitSynced, type RelayProcess } from '../integration/harness.ts';

/**
 * Costly input from one workspace while an honest pair edits in another (issue 13, finding 4), and the
 * public speak-up link's byte budget (finding 5). Shared by the attack benchmark and
 * test/integration/fairness.test.ts: the tests assert what is refused, the bench prints what it cost.
 */

const MiB = 1024 * 1024;

/** A y-websocket sync message: 0 = step 1 (state vector), 1 = step 2, 2 = update. */
export function syncFrame(step: 0 | 1 | 2, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, step);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

/** An awareness message setting `state` for `client` at `clock`. */
export function awarenessFrame(client: number, clock: number, state: unknown): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, 1);
  encoding.writeVarUint(inner, client);
  encoding.writeVarUint(inner, clock);
  encoding.writeVarString(inner, JSON.stringify(state));
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  return encoding.toUint8Array(e);
}

/**
 * `count` updates from one client of which the first is never sent: every one of them depends on
 * clocks the room does not have. Each sets `perUpdate` small values (many structs: costly to merge).
 */
export function updatesMissingADependency(count: number, perUpdate: number): Uint8Array[] {
  const doc = new Y.Doc();
  const out: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => out.push(u));
  const m = records(doc);
  for (let i = 0; i <= count; i++) doc.transact(() => { for (let j = 0; j < perUpdate; j++) m.set(`u${i}-${j}`, new Y.Map([['n', j]])); });
  return out.slice(1);
}

/** One update of about `bytes` made of many small records: the costly kind to apply. */
export function denseUpdate(bytes: number, seed = 0): Uint8Array {
  const doc = new Y.Doc();
  const m = doc.getMap<number>('records');
  // ~24 bytes of update per record of this shape.
  const n = Math.ceil(bytes / 24);
  doc.transact(() => { for (let i = 0; i < n; i++) m.set(`d${seed}-${i}`, i); });
  return Y.encodeStateAsUpdate(doc);
}

export interface HonestPair {
  a: Y.Doc;
  b: Y.Doc;
  round: number;
}

export async function honestPair(relay: RelayProcess): Promise<HonestPair> {
  const ws = newWorkspace();
  const a = new Y.Doc();
  const b = new Y.Doc();
  await Promise.all([waitSynced(connect(relay.syncUrl, `${ws.id}.people`, a, ws.token)), waitSynced(connect(relay.syncUrl, `${ws.id}.people`, b, ws.token))]);
  return { a, b, round: 0 };
}

/** One honest edit; resolves when the other device has it. */
export async function honestEdit(pair: HonestPair, timeoutMs = 30_000): Promise<void> {
  const n = ++pair.round;
  records(pair.a).set(`h${n}`, new Y.Map([['n', n]]));
  await waitFor('honest edit', () => records(pair.b).get(`h${n}`)?.get('n') === n, timeoutMs);
}

export interface FairnessFigures {
  attack: string;
  /** What the relay did to the attacker (close code and reason, or "not refused"). */
  outcome: string;
  attackMs: number;
  rssBeforeMiB: number;
  rssPeakMiB: number;
  honestP95Ms: number;
  honestMaxMs: number;
  honestSamples: number;
  /** Longest /healthz answer during the attack. */
  healthzMaxMs: number;
}

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))] ?? NaN;

/**
 * Runs `attack` (it resolves, with how the relay answered the attacker, once the relay has dealt with
 * every frame) while, open loop, the honest device sends an edit every 20 ms whether or not the last one
 * arrived, and /healthz is asked every 100 ms. Latency: edit made on one device → seen on the other.
 */
async function measure(relay: RelayProcess, name: string, attack: () => Promise<string>): Promise<FairnessFigures> {
  const pid = relay.child.pid!;
  const pair = await honestPair(relay);
  for (let i = 0; i < 5; i++) await honestEdit(pair); // warm up
  await sleep(300);
  const before = rssBytes(pid);
  let peak = before;
  let done = false;
  let healthzMaxMs = 0;
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  records(pair.b).observe((e) => {
    const now = performance.now();
    for (const key of e.keysChanged) {
      const t = sentAt.get(key);
      if (t !== undefined) latencies.push(now - t);
    }
  });
  const honest = (async () => {
    while (!done) {
      const key = `o${++pair.round}`;
      sentAt.set(key, performance.now());
      records(pair.a).set(key, new Y.Map([['n', pair.round]]));
      peak = Math.max(peak, rssBytes(pid));
      await sleep(20);
    }
  })();
  const health = (async () => {
    while (!done) {
      const t = performance.now();
      await fetch(`${relay.url}/healthz`, { signal: AbortSignal.timeout(30_000) }).then((r) => r.arrayBuffer()).catch(() => null);
      healthzMaxMs = Math.max(healthzMaxMs, performance.now() - t);
      await sleep(100);
    }
  })();
  const t0 = performance.now();
  let outcome: string;
  try {
    outcome = await attack();
  } finally {
    done = true;
  }
  const attackMs = performance.now() - t0;
  await Promise.all([honest, health]);
  await waitFor('honest edits arrive', () => latencies.length >= sentAt.size, 30_000).catch(() => {});
  return { attack: name, outcome, attackMs, rssBeforeMiB: before / MiB, rssPeakMiB: peak / MiB, honestP95Ms: p95(latencies), honestMaxMs: Math.max(...latencies), honestSamples: latencies.length, healthzMaxMs };
}

const describeClose = (c: { code: number; reason: string } | null) => (c ? `closed ${c.code} "${c.reason}"` : 'not refused');

/**
 * Sends frames from one raw socket in workspace A, then a sync step 1: the relay answers that with a
 * step 2 only after it has dealt with every frame before it (frames of one socket are handled in order).
 * Resolves with how the relay answered: closed (code, reason) or not.
 */
export async function rawAttack(relay: RelayProcess, room: string, token: string, frames: Iterable<Uint8Array>, timeoutMs = 60_000): Promise<string> {
  const s = rawSocket(relay.syncUrl, room, token);
  await s.opened;
  let close: { code: number; reason: string } | null = null;
  let answered = false;
  s.ws.on('message', (data: Buffer) => {
    if (data[0] === 0 && data[1] === 1) answered = true; // a sync step 2
  });
  void s.closed.then((c) => (close = c));
  for (const f of frames) {
    if (close) break;
    s.ws.send(f);
  }
  if (!close) s.ws.send(syncFrame(0, Y.encodeStateVector(new Y.Doc())));
  const until = Date.now() + timeoutMs;
  while (!close && !answered && Date.now() < until) await sleep(5);
  // A refusal right after the last frame still counts.
  await sleep(50);
  return describeClose(close);
}

/**
 * A persistent attacker: for `windowMs` it sends `frames` over and over, and reconnects 100 ms after
 * each refusal (no backoff). Resolves with how often and why the relay closed it.
 */
export async function persistentAttack(relay: RelayProcess, room: string, token: string, frames: Uint8Array[], windowMs: number): Promise<string> {
  const until = Date.now() + windowMs;
  const closes = new Map<string, number>();
  while (Date.now() < until) {
    const s = rawSocket(relay.syncUrl, room, token);
    const opened = await s.opened.then(() => true, () => false);
    let close: { code: number; reason: string } | null = null;
    void s.closed.then((c) => (close = c));
    for (let i = 0; opened && !close && Date.now() < until; i++) {
      s.ws.send(frames[i % frames.length]!);
      // Keep about a megabyte in flight, so that the relay always has the next frame.
      while (!close && s.ws.bufferedAmount > 1024 * 1024 && Date.now() < until) await sleep(5);
      if (i % 8 === 7) await sleep(1);
    }
    if (!close) s.ws.terminate();
    const c = (await s.closed) as { code: number; reason: string };
    if (Date.now() < until) {
      const key = `${c.code} "${c.reason}"`;
      closes.set(key, (closes.get(key) ?? 0) + 1);
      await sleep(100);
    }
  }
  return closes.size === 0 ? 'not refused' : [...closes].map(([k, n]) => `closed ${n}× ${k}`).join('; ');
}

export async function runFairnessAttacks(progress: (line: string) => void = () => {}): Promise<FairnessFigures[]> {
  const rows: FairnessFigures[] = [];
  const run = async (name: string, attack: (relay: RelayProcess, room: string, token: string) => Promise<string>) => {
    progress(`fairness: ${name}`);
    const relay = await spawnRelay({ dataDir: tmpDir() });
    const ws = await createdWorkspace(relay);
    try {
      rows.push(await measure(relay, name, () => attack(relay, `${ws.id}.people`, ws.token)));
    } finally {
      relay.child.kill('SIGKILL');
      await relay.exited;
    }
  };

  const WINDOW_MS = 10_000;
  const pending = updatesMissingADependency(60, 2_000);
  await run(`60 updates (${(pending[0]!.length / 1024).toFixed(0)} KiB each) with a missing dependency`, (relay, room, token) => rawAttack(relay, room, token, pending.map((u) => syncFrame(2, u))));
  await run(`the same, sent again on every reconnect for ${WINDOW_MS / 1000} s`, (relay, room, token) => persistentAttack(relay, room, token, pending.map((u) => syncFrame(2, u)), WINDOW_MS));

  const flood = Array.from({ length: 3_000 }, (_, i) => awarenessFrame(424242, i + 1, { user: { name: 'x'.repeat(2_000) } }));
  await run('awareness flood: 3,000 messages of 2 KiB, 10 readers in the room', async (relay, room, token) => {
    await Promise.all(Array.from({ length: 10 }, () => rawSocket(relay.syncUrl, room, token).opened));
    return rawAttack(relay, room, token, flood);
  });

  await run('one awareness state of 1 MiB', (relay, room, token) => rawAttack(relay, room, token, [awarenessFrame(777, 1, { blob: 'y'.repeat(MiB) })]));

  const big = [0, 1, 2, 3].map((i) => syncFrame(2, denseUpdate(2.8e6, i)));
  await run(`4 updates of ${(big[0]!.length / 1e6).toFixed(1)} MB (small records), new workspace`, (relay, room, token) => rawAttack(relay, room, token, big));

  const largest = Array.from({ length: 4 }, (_, i) => syncFrame(2, denseUpdate(1.9e6, 10 + i)));
  await run(`updates of ${(largest[0]!.length / 1e6).toFixed(1)} MB (small records; a new workspace may send 2 MiB) for ${WINDOW_MS / 1000} s`, (relay, room, token) => persistentAttack(relay, room, token, largest, WINDOW_MS));

  const medium = Array.from({ length: 24 }, (_, i) => syncFrame(2, denseUpdate(240_000, i)));
  await run(`24 updates of ${(medium[0]!.length / 1e3).toFixed(0)} KB (small records), new workspace`, (relay, room, token) => rawAttack(relay, room, token, medium));
  await run(`updates of ${(medium[0]!.length / 1e3).toFixed(0)} KB (small records) for ${WINDOW_MS / 1000} s`, (relay, room, token) => persistentAttack(relay, room, token, medium, WINDOW_MS));

  return rows;
}

export function fairnessTable(rows: FairnessFigures[]): string {
  const f = (n: number) => n.toFixed(0);
  return [
    '| costly input in workspace A (loopback) | relay answered | attack lasted | RSS before → peak | honest edits in workspace B meanwhile: p95 / max | /healthz max |',
    '|---|---|---:|---|---:|---:|',
    ...rows.map((r) => `| ${r.attack} | ${r.outcome} | ${f(r.attackMs)} ms | ${f(r.rssBeforeMiB)} → ${f(r.rssPeakMiB)} MiB | ${r.honestP95Ms.toFixed(1)} / ${f(r.honestMaxMs)} ms (${r.honestSamples} edits) | ${f(r.healthzMaxMs)} ms |`),
  ].join('\n');
}

/** PUT the link verifier of `workspace` (needs its credential); the link token opens only its speak-up room. */
export async function publishLink(relayUrl: string, workspace: { id: string; token: string }, link: string): Promise<number> {
  const verifier = createHash('sha256').update(Buffer.from(link, 'base64url')).digest('hex');
  const res = await fetch(`${relayUrl}/speakup/${workspace.id}/verifier`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${workspace.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ verifier }),
  });
  return res.status;
}

/** One speak-up report value of about `bytes`, as a fresh client would add it. */
export function reportOfSize(key: string, bytes: number): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('reports').set(key, { v: 1, day: '2026-12-07', sealed: 'r'.repeat(bytes), keys: [], receipt: 'x' });
  return Y.encodeStateAsUpdate(doc);
}

/** Tries `count` values of `bytes` each through the public link, one connection each; how many and how much the relay took. */
export async function speakupFlood(relay: RelayProcess, count: number, bytes: number): Promise<{ accepted: number; acceptedBytes: number; refusals: string[] }> {
  const ws = await createdWorkspace(relay);
  const link = newWorkspace().token;
  if ((await publishLink(relay.url, ws, link)) !== 204) throw new Error('link not published');
  const room = `${ws.id}.speakup`;
  const member = new Y.Doc();
  await waitSynced(connect(relay.syncUrl, room, member, ws.token));
  const refusals: string[] = [];
  let acceptedBytes = 0;
  for (let i = 0; i < count; i++) {
    const update = reportOfSize(`r${i}`, bytes);
    const s = rawSocket(relay.syncUrl, room, link);
    await s.opened;
    s.ws.send(syncFrame(2, update));
    const got = await Promise.race([
      s.closed.then((c) => `closed ${c.code} "${c.reason}"`),
      waitFor('report stored', () => member.getMap('reports').has(`r${i}`), 20_000).then(() => 'stored'),
    ]);
    if (got === 'stored') acceptedBytes += update.length;
    else refusals.push(got);
    s.ws.terminate();
  }
  return { accepted: member.getMap('reports').size, acceptedBytes, refusals };
}
