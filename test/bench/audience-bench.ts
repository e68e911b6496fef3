import { performance } from 'node:perf_hooks';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { createRecord } from '../../src/store/records.ts';
import { connectAsDevice, enrolledWorkspace, type NodeDevice } from '../adversary.ts';
import { cleanup, destroyProvider, records, spawnRelay, tmpDir, waitFor, waitSynced } from '../integration/harness.ts';

/**
 * What per-person rooms cost the relay (issue 18, server/audience.ts), loopback only: one relay that admits
 * devices, an owner and 9 members of staff each linked to a person, all proven. The owner writes one record per
 * round; the time is until the member of staff it is for (or, in a room every role reads whole, the same member)
 * has it. Side by side in one run: `training` (filtered: every frame the relay sends a member of staff is decoded
 * and re-encoded with a colleague's items as GC) against `policies` (read whole by staff, no filter).
 *   node --import tsx test/bench/audience-bench.ts
 */

export interface AudienceRow {
  room: string;
  filtered: boolean;
  samples: number;
  p50: number;
  p95: number;
  /** Records each member of staff holds at the end, of both passes in the room (filtered: their own; whole: all). */
  heldPerStaff: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function rounds(url: string, token: string, room: string, owner: NodeDevice, staff: readonly NodeDevice[], persons: readonly string[], n: number, warmup: number, pass: number) {
  const ownerDoc = new Y.Doc();
  const providers: WebsocketProvider[] = [await connectAsDevice(url, room, ownerDoc, token, owner)];
  const docs = staff.map(() => new Y.Doc());
  for (let i = 0; i < staff.length; i++) providers.push(await connectAsDevice(url, room, docs[i]!, token, staff[i]!));
  await Promise.all(providers.map((p) => waitSynced(p, 10_000)));
  const samples: number[] = [];
  // The moment the record reaches the member of staff it is for: their document's observer, not a poll.
  let expected = '';
  let arrived = 0;
  docs.forEach((d) => records(d).observe((e) => e.keysChanged.has(expected) && arrived === 0 && (arrived = performance.now())));
  for (let round = 0; round < warmup + n; round++) {
    const who = round % staff.length;
    expected = `p${pass}-r${round}-${who}`;
    arrived = 0;
    const at = performance.now();
    createRecord(ownerDoc, expected, { personId: persons[who]!, title: `Record ${round}` });
    await waitFor(`round ${round}`, () => records(docs[who]!).has(expected) && arrived > 0, 5_000);
    if (round >= warmup) samples.push(arrived - at);
  }
  // Let the last broadcasts land before counting what each holds.
  await new Promise((r) => setTimeout(r, 300));
  const held = docs.map((d) => records(d).size);
  providers.forEach(destroyProvider);
  const sorted = [...samples].sort((a, b) => a - b);
  return { samples: samples.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), heldPerStaff: Math.max(...held) };
}

export async function runAudienceBench(opts: { rounds?: number; warmup?: number } = {}): Promise<AudienceRow[]> {
  const n = opts.rounds ?? 200;
  const warmup = opts.warmup ?? 20;
  const relay = await spawnRelay({ dataDir: tmpDir('muster-audience-bench-'), args: ['--enforce-device-admission'] });
  try {
    const persons = Array.from({ length: 9 }, (_, i) => `person-${i}`);
    const w = await enrolledWorkspace(relay, { staff: persons.map((p, i) => [`Staff ${i}`, 'staff', p] as [string, 'staff', string]) });
    const out: AudienceRow[] = [];
    let pass = 0;
    for (const [register, filtered] of [['training', true], ['policies', false], ['training', true], ['policies', false]] as const) {
      const r = await rounds(relay.url, w.token, `${w.id}.${register}`, w.owner, w.staff, persons, n, warmup, pass++);
      out.push({ room: register, filtered, ...r });
    }
    // Two passes each, alternating: report the second of each (the first warms the relay's code paths).
    return [out[2]!, out[3]!];
  } finally {
    relay.child.kill('SIGTERM');
    await relay.exited;
    await cleanup();
  }
}

export function audienceBenchTable(rows: readonly AudienceRow[]): string {
  const [f, w] = [rows.find((r) => r.filtered)!, rows.find((r) => !r.filtered)!];
  return [
    '| owner → member of staff, 1 owner + 9 staff, loopback | samples | p50 | p95 | records each member of staff holds |',
    '|---|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.room} (${r.filtered ? 'per person: filtered' : 'read whole'}) | ${r.samples} | ${r.p50.toFixed(1)} ms | ${r.p95.toFixed(1)} ms | ${r.heldPerStaff} |`),
    `| filtered / whole | | ${(f.p50 / w.p50).toFixed(2)}× | ${(f.p95 / w.p95).toFixed(2)}× | |`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(audienceBenchTable(await runAudienceBench()));
  process.exit(0);
}
