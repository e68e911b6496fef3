import * as Y from 'yjs';
import { updateForViewer } from '../../server/audience.ts';
import { loadRoomAccess } from '../../server/room-access.ts';
import { keyringOf, RoomSealer } from '../../src/sync/seal.ts';
import { seedYear } from './pack-seed.ts';

/**
 * What the blind relay costs (issue 18, src/sync/seal.ts): a year of a 200-person organisation (the pack
 * benchmark's seed), each register's whole document sealed as a device sends it on its first sync, and opened
 * as a joining device receives it. Node's WebCrypto, one core; loopback only, nothing on the network.
 */

export interface SealRow {
  register: string;
  values: number;
  plainBytes: number;
  sealedBytes: number;
  sealMs: number;
  openMs: number;
  /** Per-person rooms (server/audience.ts): what one member of staff receives of the sealed room, and the relay's time to filter it. */
  staff?: { bytes: number; ms: number };
}

export async function runSealBench(): Promise<SealRow[]> {
  const seed = seedYear({ today: '2026-12-08' });
  const ring = await keyringOf('bench-workspace-0001', ['A'.repeat(43)]);
  const rows: SealRow[] = [];
  const perPerson = new Map(Object.entries(loadRoomAccess()).flatMap(([name, r]) => (r.audience ? [[name, r.audience] as const] : [])));
  for (const [register, b64] of Object.entries(seed.updates)) {
    if (!b64) continue;
    const update = new Uint8Array(Buffer.from(b64, 'base64'));
    const { structs } = Y.decodeUpdate(update);
    const values = structs.reduce((n, s) => n + (s instanceof Y.Item && s.content instanceof Y.ContentAny ? s.content.arr.length : 0), 0);
    const plainDoc = new Y.Doc();
    Y.applyUpdate(plainDoc, update);
    // The sending device's sealer reads its document for the person of each record (tags for server/audience.ts).
    const sealer = new RoomSealer(ring, `bench-workspace-0001.${register}`, plainDoc);
    const t0 = performance.now();
    const sealed = await sealer.seal(update);
    const t1 = performance.now();
    // A joining device: its own sealer, so no name is cached from sealing.
    const opened = await new RoomSealer(ring, `bench-workspace-0001.${register}`).open(sealed);
    const t2 = performance.now();
    // What was opened is what was sealed: the same document.
    const a = new Y.Doc();
    const b = new Y.Doc();
    Y.applyUpdate(a, update);
    Y.applyUpdate(b, opened);
    if (JSON.stringify(a.getMap('records').toJSON()) !== JSON.stringify(b.getMap('records').toJSON())) throw new Error(`${register}: opened differs from sealed`);
    // A per-person room as the relay sends it to one member of staff: the person of the first record with one.
    let staff: SealRow['staff'];
    const audience = perPerson.get(register);
    if (audience) {
      const relay = new Y.Doc();
      Y.applyUpdate(relay, sealed);
      const person = [...plainDoc.getMap('records').values(), ...plainDoc.getMap('entries').values()]
        .map((v) => (v instanceof Y.Map ? v.get('personId') : (v as { personId?: unknown })?.personId))
        .find((p): p is string => typeof p === 'string' && p !== '');
      const whole = Y.encodeStateAsUpdate(relay);
      const t3 = performance.now();
      const forStaff = updateForViewer(relay, whole, { person: person ?? null }, { audience });
      staff = { bytes: forStaff.length, ms: Math.round(performance.now() - t3) };
      relay.destroy();
    }
    rows.push({ register, values, plainBytes: update.length, sealedBytes: sealed.length, sealMs: Math.round(t1 - t0), openMs: Math.round(t2 - t1), ...(staff ? { staff } : {}) });
  }
  return rows;
}

export function sealBenchTable(rows: readonly SealRow[]): string {
  const total = rows.reduce((t, r) => ({ values: t.values + r.values, plain: t.plain + r.plainBytes, sealed: t.sealed + r.sealedBytes, seal: t.seal + r.sealMs, open: t.open + r.openMs }), { values: 0, plain: 0, sealed: 0, seal: 0, open: 0 });
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
  return [
    '| sealing a 200-person year (src/sync/seal.ts) | values | plain | sealed | × | seal | open | one staff member receives (server/audience.ts) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.register} | ${r.values} | ${kb(r.plainBytes)} | ${kb(r.sealedBytes)} | ${(r.sealedBytes / r.plainBytes).toFixed(1)} | ${r.sealMs} ms | ${r.openMs} ms | ${r.staff ? `${kb(r.staff.bytes)}, filtered in ${r.staff.ms} ms` : '—'} |`,
    ),
    `| **all** | ${total.values} | ${kb(total.plain)} | ${kb(total.sealed)} | ${(total.sealed / total.plain).toFixed(1)} | ${total.seal} ms | ${total.open} ms | |`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(sealBenchTable(await runSealBench()));
  process.exit(0);
}
