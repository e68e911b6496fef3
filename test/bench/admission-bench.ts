import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { verifyMembership } from '../../src/crypto/membership';
import { signDigest, verifyDigest } from '../../src/crypto/signing';
import { admitDigest, ADMIT_CONTEXT } from '../../src/sync/admit-proof';
import { admitParam, enrolledWorkspace, nodeDevice, signAfter } from '../adversary';
import { cleanup, createdWorkspace, rawSocket, spawnRelay, tmpDir } from '../integration/harness';
import type { MembershipEntry } from '../../src/domain/membership';

/**
 * Device admission (server/admission.ts): what a proof costs per connection, and what the relay's
 * recompute of a 200-device members log costs. Loopback; stops by itself.
 *
 *   node --import tsx test/bench/admission-bench.ts
 */

const N = 100;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(2)} ms`;

async function openTimes(syncUrl: string, room: string, token: string, admit: () => Promise<string | null>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    const a = await admit();
    const s = rawSocket(syncUrl, room, a === null ? token : `${token}&admit=${encodeURIComponent(a)}`);
    // Open is not admitted (a refusal is a close after the open): wait for the room's first frame (sync step 1).
    const first = new Promise<void>((resolve, reject) => {
      s.ws.once('message', () => resolve());
      s.ws.once('close', (code: number, reason: Buffer) => reject(new Error(`refused ${code} ${reason.toString()}`)));
    });
    await first;
    times.push(performance.now() - t0);
    s.ws.close();
    await s.closed;
  }
  return times;
}

export async function runAdmissionBench(): Promise<string> {
  const relay = await spawnRelay({ dataDir: tmpDir(), args: ['--enforce-device-admission'] });
  try {
    const legacy = await createdWorkspace(relay);
    const w = await enrolledWorkspace(relay, { staff: [['Sam', 'staff']] });
    const sam = w.staff[0]!;
    const legacyTimes = await openTimes(relay.syncUrl, `${legacy.id}.people`, legacy.token, async () => null);
    const provenTimes = await openTimes(relay.syncUrl, `${w.id}.people`, w.token, () => admitParam(relay.url, w.id, w.token, sam));

    // An invited phone's enrolment (POST /auth/<ws>/enrol with its redeem, checked against the relay's log), and a
    // plain-link phone's join request and an owner reading the requests: one fresh workspace and device each time.
    const enrolTimes: number[] = [];
    const requestTimes: number[] = [];
    const listTimes: number[] = [];
    for (let i = 0; i < 20; i++) {
      const inv = await enrolledWorkspace(relay, { invite: { name: `Ida ${i}`, role: 'staff' } });
      const ida = await nodeDevice(`Ida ${i}`);
      const redeem = await signAfter(inv.id, inv.entries, ida, { type: 'redeem', invite: inv.invite!.id, device: ida.keys, name: ida.name });
      const post = (path: string, body: unknown) => fetch(`${relay.url}/auth/${inv.id}/${path}`, { method: 'POST', headers: { Authorization: `Bearer ${inv.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      let t = performance.now();
      if ((await post('enrol', { entry: redeem })).status !== 200) throw new Error('enrol refused');
      enrolTimes.push(performance.now() - t);
      const pat = await nodeDevice(`Pat ${i}`);
      t = performance.now();
      if ((await post('request', { device: pat.keys, name: pat.name })).status !== 202) throw new Error('request refused');
      requestTimes.push(performance.now() - t);
      t = performance.now();
      if ((await post('requests', { proof: await admitParam(relay.url, inv.id, inv.token, inv.owner) })).status !== 200) throw new Error('list refused');
      listTimes.push(performance.now() - t);
    }

    // The proof check alone (what the relay adds to a connection besides the challenge round trip).
    const nonce = 'x'.repeat(32);
    const sig = await signDigest(sam.key, ADMIT_CONTEXT, admitDigest(w.id, sam.deviceId, nonce, ''));
    const v0 = performance.now();
    for (let i = 0; i < 1000; i++) await verifyDigest({ publicKey: sam.key.publicKey, alg: sam.key.alg }, ADMIT_CONTEXT, admitDigest(w.id, sam.deviceId, nonce, ''), sig);
    const verifyMs = (performance.now() - v0) / 1000;

    // A 200-device log (genesis + 199 grants), as the relay recomputes it on each members-room update.
    const owner = await nodeDevice('Owner');
    const ws = 'B'.repeat(22);
    const entries: MembershipEntry[] = [await signAfter(ws, [], owner, { type: 'genesis', device: owner.keys, name: 'Owner' })];
    let tips = entries;
    for (let i = 1; i < 200; i++) {
      const d = await nodeDevice(`Staff ${i}`);
      const e = await signAfter(ws, tips, owner, { type: 'grant', device: d.keys, name: d.name, role: 'staff' });
      entries.push(e);
      tips = entries;
    }
    global.gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    const c0 = performance.now();
    const cold = await verifyMembership(entries, { workspace: ws });
    const coldMs = performance.now() - c0;
    const heap1 = process.memoryUsage().heapUsed;
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await verifyMembership(entries, { workspace: ws });
      warm.push(performance.now() - t);
    }
    const cpu0 = process.cpuUsage();
    await verifyMembership(entries, { workspace: ws });
    const cpu = process.cpuUsage(cpu0);
    return [
      '| device admission | value |',
      '|---|---:|',
      `| legacy connection (secret only), open → first frame, median of ${N} | ${ms(median(legacyTimes))} |`,
      `| enrolled connection (challenge GET + signed proof + open → first frame), median of ${N} | ${ms(median(provenTimes))} |`,
      `| of which the relay's proof check (Ed25519 verify + digest), mean of 1000 | ${ms(verifyMs)} |`,
      `| invited phone's enrolment (POST enrol: redeem checked against the relay's log, written to the room), median of 20 | ${ms(median(enrolTimes))} |`,
      `| plain-link phone's join request (POST request), median of 20 | ${ms(median(requestTimes))} |`,
      `| an owner reads the requests (challenge GET + proof + POST requests), median of 20 | ${ms(median(listTimes))} |`,
      `| members log of ${cold.current.devices.size} devices: first recompute (every signature checked) | ${ms(coldMs)} |`,
      `| … each later recompute (signatures memoised), median of 5 | ${ms(median(warm))} (CPU ${((cpu.user + cpu.system) / 1000).toFixed(1)} ms) |`,
      `| … heap grown by the first recompute | ${((heap1 - heap0) / 1024 / 1024).toFixed(1)} MiB |`,
    ].join('\n');
  } finally {
    await cleanup();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await runAdmissionBench());
  process.exit(0);
}
