import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { writeMarker } from '../../server/marker.ts';
import { openStore } from '../../server/persistence.ts';

/**
 * `node --import tsx test/bench/marker-bench.ts`: what DATA_DIR/muster.marker
 * costs (server/marker.ts). One marker write (temp file, fsync, rename,
 * directory fsync) by number of workspaces recorded; one tick of the running
 * relay after a write (an fsync of the log, then the marker write, both in
 * libuv's thread pool), and how long it holds the event loop; and the start-up of a store with the check. In process, on the
 * machine's tmp file system. Stops by itself.
 */

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const hex = (n: number) => randomBytes(n).toString('hex');
const workspacesOf = (n: number) => Object.fromEntries(Array.from({ length: n }, () => [randomBytes(16).toString('base64url'), { epoch: 1, verifier: hex(32) }]));

export async function runMarkerBench(): Promise<string> {
  const lines = ['| marker (server/marker.ts) | workspaces | marker bytes | median ms (runs) |', '|---|---:|---:|---:|'];
  for (const n of [0, 1_000, 10_000]) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-marker-bench-'));
    const data = { store: hex(16), seq: 1, workspaces: workspacesOf(n) };
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t0 = process.hrtime.bigint();
      writeMarker(dir, { ...data, seq: i });
      times.push(ms(t0));
    }
    lines.push(`| one marker write | ${n} | ${fs.statSync(path.join(dir, 'muster.marker')).size} | ${median(times).toFixed(2)} (30) |`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  for (const n of [0, 1_000]) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-marker-bench-'));
    const store = openStore(dir, () => {});
    for (const [ws, auth] of Object.entries(workspacesOf(n))) store.marker.noteWorkspace(ws, auth, false);
    await store.marker.flush();
    const doc = new Y.Doc();
    store.persistence.bindState('bench.people', doc as never);
    const times: number[] = [];
    const blocked: number[] = [];
    for (let i = 0; i < 30; i++) {
      doc.getMap('records').set(`r${i}`, 'x'.repeat(200));
      const t0 = process.hrtime.bigint();
      const done = store.marker.flush();
      blocked.push(ms(t0));
      await done;
      times.push(ms(t0));
    }
    lines.push(`| relay tick after a write (log fsync + marker write, off the event loop): until on disk | ${n} | ${fs.statSync(path.join(dir, 'muster.marker')).size} | ${median(times).toFixed(2)} (30) |`);
    lines.push(`| of which the event loop is blocked | ${n} | — | ${median(blocked).toFixed(3)} (30) |`);
    const idle: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t0 = process.hrtime.bigint();
      await store.marker.flush();
      idle.push(ms(t0));
    }
    lines.push(`| relay tick with nothing written (no write) | ${n} | — | ${median(idle).toFixed(3)} (30) |`);
    store.close();
    const starts: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = process.hrtime.bigint();
      openStore(dir, () => {}).close();
      starts.push(ms(t0));
    }
    lines.push(`| start-up with the check (open, compare, checkpoint, close) | ${n} | — | ${median(starts).toFixed(2)} (10) |`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const guard = setTimeout(() => process.exit(1), 120_000);
  console.log(await runMarkerBench());
  clearTimeout(guard);
}
