import { afterEach, expect, test } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { prng, rssBytes, sleep } from './clients.ts';
import { cleanup, createdWorkspace, connect, healthz, newWorkspace, rawSocket, records, spawnRelay, tmpDir, waitFor, waitSynced, within } from './harness.ts';

afterEach(cleanup);

const MAX = 64 * 1024;
const MIN_FRAMES = 10_000;
/** FUZZ_FRAMES=<n> runs a longer fuzz (e.g. to see whether RSS growth levels off); the default is the CI bound. */
const TARGET_FRAMES = Math.max(MIN_FRAMES, Number(process.env.FUZZ_FRAMES ?? 0) || 0) + 500;
// The test counts frames, not seconds: on a quiet machine 10,500 frames take about 10 s, on a shared 2-core
// machine under load (15+) they took over 35 s, so the bound is only there to stop the run by itself.
const FUZZ_BUDGET_MS = TARGET_FRAMES > MIN_FRAMES + 500 ? 300_000 : 150_000;
/** Close codes a hostile connection may get: malformed, text frame, invalid UTF-8, protocol error, too big. */
const HOSTILE_CODES = new Set([4400, 1003, 1007, 1002, 1009]);

/** Kinds that can never be a valid message; the relay must close on every one of them. */
const MUST_REJECT = ['truncated sync message', 'huge varints', 'wrong message type / sync step', 'text frame', 'invalid UTF-8 text frame', 'oversized'];

/** A sync step 2 / update frame whose payload parses (Y.decodeUpdate) but that Y.applyUpdate rejects. */
function applyFails(f: { data: Buffer; binary: boolean }): boolean {
  if (!f.binary || f.data[0] !== 0) return false;
  try {
    const d = decoding.createDecoder(f.data);
    decoding.readVarUint(d);
    const step = decoding.readVarUint(d);
    if (step !== 1 && step !== 2) return false;
    const payload = decoding.readVarUint8Array(d);
    Y.decodeUpdate(payload);
    Y.applyUpdate(new Y.Doc(), payload);
    return false;
  } catch {
    return true;
  }
}

type Frame = { data: Buffer; binary: boolean; kind: string };

/** Builds malformed, random, truncated, mutated and oversized frames from a seeded PRNG. */
function frameSource(rand: () => number) {
  const int = (n: number) => Math.floor(rand() * n);
  const bytes = (n: number) => {
    const b = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) b[i] = int(256);
    return b;
  };
  const msg = (write: (e: encoding.Encoder) => void) => {
    const e = encoding.createEncoder();
    write(e);
    return Buffer.from(encoding.toUint8Array(e));
  };
  // Real updates to cut and mutate.
  const donor = new Y.Doc();
  for (let i = 0; i < 20; i++) records(donor).set(`r${i}`, new Y.Map<unknown>([['title', `record ${i} ${'x'.repeat(i * 3)}`], ['n', i]]));
  const text = donor.getText('t');
  text.insert(0, 'hello world');
  text.delete(2, 3);
  const updates = [Y.encodeStateAsUpdate(donor), Y.encodeStateAsUpdateV2(donor), Y.encodeStateVector(donor)];
  const syncMsg = (step: number, payload: Uint8Array) => msg((e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, step), encoding.writeVarUint8Array(e, payload)));

  const kinds: Array<[string, number, () => Frame]> = [
    ['random bytes', 20, () => ({ data: bytes(int(200)), binary: true, kind: '' })],
    ['random after sync header', 10, () => ({ data: Buffer.concat([Buffer.from([0, int(3)]), bytes(int(100))]), binary: true, kind: '' })],
    ['truncated sync message', 10, () => {
      const full = syncMsg(1 + int(2), updates[int(2)]!);
      return { data: full.subarray(0, 1 + int(full.length - 1)), binary: true, kind: '' };
    }],
    ['truncated update, prefix fixed', 8, () => {
      const u = updates[int(2)]!;
      return { data: syncMsg(1 + int(2), u.subarray(0, int(u.length))), binary: true, kind: '' };
    }],
    ['mutated update', 10, () => {
      const u = Buffer.from(updates[int(3)]!);
      for (let k = 1 + int(4); k > 0; k--) u[int(u.length)] = int(256);
      return { data: syncMsg(int(3), u), binary: true, kind: '' };
    }],
    ['huge varints', 8, () => {
      const variants = [
        () => Buffer.concat([Buffer.from([0, 2]), Buffer.alloc(1 + int(12), 0xff), Buffer.from([0x0f]), bytes(int(8))]),
        () => Buffer.concat([Buffer.alloc(1 + int(12), 0xff), Buffer.from([0x7f])]),
        // An update claiming 2^31 structs / clients, a state vector claiming 2^31 entries.
        () => syncMsg(2, Buffer.from([0xff, 0xff, 0xff, 0xff, 0x07, 0xff, 0xff, 0xff, 0xff, 0x07, 1, 2, 3])),
        () => syncMsg(0, Buffer.from([0xff, 0xff, 0xff, 0xff, 0x07, 1, 1])),
        () => msg((e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, 1), encoding.writeVarUint(e, 2 ** 40), encoding.writeUint8Array(e, bytes(4)))),
      ];
      return { data: variants[int(variants.length)]!(), binary: true, kind: '' };
    }],
    ['wrong message type / sync step', 8, () => {
      const v = int(2);
      return {
        data: v ? msg((e) => (encoding.writeVarUint(e, 4 + int(2 ** 20)), encoding.writeUint8Array(e, bytes(int(20))))) : syncMsg(3 + int(250), bytes(int(20))),
        binary: true,
        kind: '',
      };
    }],
    ['bad awareness', 8, () => {
      const v = int(3);
      const payload =
        v === 0 ? bytes(int(40))
        : v === 1 ? msg((e) => (encoding.writeVarUint(e, 1), encoding.writeVarUint(e, int(2 ** 31)), encoding.writeVarUint(e, int(100)), encoding.writeVarString(e, `{"user":${'['.repeat(int(50))}`)))
        : msg((e) => (encoding.writeVarUint(e, 1 + int(3)), encoding.writeVarUint(e, int(1000)), encoding.writeVarUint(e, 1)));
      return { data: msg((e) => (encoding.writeVarUint(e, 1), encoding.writeVarUint8Array(e, payload))), binary: true, kind: '' };
    }],
    ['text frame', 5, () => ({ data: Buffer.from(`{"type":"sync","x":${int(1e9)}}`), binary: false, kind: '' })],
    ['invalid UTF-8 text frame', 3, () => ({ data: Buffer.from([0x41, 0xc3, 0x28, 0xff, 0xfe]), binary: false, kind: '' })],
    ['oversized', 2, () => ({ data: Buffer.concat([syncMsg(2, new Uint8Array(0)).subarray(0, 2), Buffer.alloc(MAX + 1 + int(MAX), 1)]), binary: true, kind: '' })],
    // Well-formed but useless: the relay ignores or answers them; they keep the connection open.
    ['valid noise', 8, () => {
      const variants = [Buffer.from([2, 0]), Buffer.from([3]), syncMsg(0, new Uint8Array([0])), syncMsg(2, Y.encodeStateAsUpdate(new Y.Doc()))];
      return { data: variants[int(variants.length)]!, binary: true, kind: '' };
    }],
  ];
  const total = kinds.reduce((s, [, w]) => s + w, 0);
  return (): Frame => {
    let pick = rand() * total;
    for (const [kind, weight, make] of kinds) {
      pick -= weight;
      if (pick < 0) return { ...make(), kind };
    }
    const last = kinds[kinds.length - 1]!;
    return { ...last[2](), kind: last[0] };
  };
}

test('fuzz: 10,000+ malformed frames; the relay stays up, closes the hostile sockets, honest clients keep syncing, memory stays bounded', { timeout: FUZZ_BUDGET_MS + 25_000 }, async () => {
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
  const rand = prng(seed);
  const nextFrame = frameSource(rand);
  // The relay's old-space heap is capped (64 MB, same throughput as uncapped): a leak ends in an
  // OOM crash, which the test sees, and RSS is not dominated by V8 growing its heap lazily.
  // Uncapped, RSS grows 60-100 MB over 10,000 frames; with a 40 MB cap 33,000 hostile connections
  // still ran without a crash. FUZZ_RELAY_NODE_OPTIONS overrides the cap ('' = none).
  const relayNodeOptions = process.env.FUZZ_RELAY_NODE_OPTIONS ?? '--max-old-space-size=64';
  const relay = await spawnRelay({
    dataDir: tmpDir('muster-fuzz-'),
    args: ['--max-message-bytes', String(MAX)],
    env: { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${relayNodeOptions}`.trim() },
  });
  const pid = relay.child.pid!;
  const ws = await createdWorkspace(relay);

  // Honest devices in their own room.
  const x = new Y.Doc();
  const y = new Y.Doc();
  const px = connect(relay.syncUrl, `${ws.id}.training`, x, ws.token);
  const py = connect(relay.syncUrl, `${ws.id}.training`, y, ws.token);
  await Promise.all([waitSynced(px), waitSynced(py)]);
  records(x).set('warmup', new Y.Map<unknown>([['ok', true]]));
  await waitFor('warm-up edit', () => records(y).get('warmup') !== undefined);
  const rssBefore = rssBytes(pid);
  let rssPeak = rssBefore;

  let fuzzing = true;
  const started = Date.now();
  const deadline = started + FUZZ_BUDGET_MS;

  // Honest sync: alternate writers, every edit must reach the other device within 5 s.
  let rounds = 0;
  let slowest = 0;
  const honestKeys: string[] = [];
  const honest = (async () => {
    while (fuzzing) {
      const [from, to] = rounds % 2 === 0 ? [x, y] : [y, x];
      const key = `h${rounds}`;
      const t0 = Date.now();
      records(from).set(key, new Y.Map<unknown>([['round', rounds]]));
      honestKeys.push(key);
      await waitFor(`honest edit ${key} arrives`, () => records(to).get(key)?.get('round') === rounds, 5_000);
      slowest = Math.max(slowest, Date.now() - t0);
      rounds++;
      await sleep(20);
    }
  })();

  // Health and memory, sampled while the fuzzing runs.
  const healthFailures: string[] = [];
  const monitor = (async () => {
    while (fuzzing) {
      const h = await healthz(relay.url).catch((err: unknown) => ({ status: 0, body: String(err) }));
      if (h.status !== 200) healthFailures.push(JSON.stringify(h));
      rssPeak = Math.max(rssPeak, rssBytes(pid));
      await sleep(250);
    }
  })();

  // Hostile devices: valid credentials (they pass the gate), their own rooms, several in parallel.
  // Each frame is followed by a ping with a unique payload. The relay's ws answers pings in
  // frame order and stops answering once it has closed the socket, so for every frame we learn
  // whether the relay processed and accepted it (pong) or closed the connection (close code).
  // Every frame counted below was read by the relay. After a close the attacker reconnects.
  let framesSent = 0;
  let connections = 0;
  let probe = 0;
  const accepted = new Map<string, number>();
  const rejected = new Map<string, number>();
  const closeCodes = new Map<number, number>();
  const stuck: string[] = [];
  /** Frames the relay kept the connection open for although Y.applyUpdate throws on them (see the known-bug test below). */
  const acceptedButUnappliable: string[] = [];
  const bump = <K,>(m: Map<K, number>, k: K) => m.set(k, (m.get(k) ?? 0) + 1);
  const attacker = async (n: number) => {
    const room = `${ws.id}.hostile-${n}`;
    while (framesSent < TARGET_FRAMES && Date.now() < deadline) {
      const s = rawSocket(relay.syncUrl, room, ws.token);
      await within('hostile open', s.opened);
      connections++;
      let onPong: ((tag: string) => void) | null = null;
      s.ws.on('pong', (data: Buffer) => onPong?.(data.toString()));
      for (;;) {
        const f = nextFrame();
        const tag = `p${probe++}`;
        const pong = new Promise<'pong'>((resolve) => (onPong = (t) => t === tag && resolve('pong')));
        s.ws.send(f.data, { binary: f.binary });
        s.ws.ping(tag);
        framesSent++;
        const outcome = await Promise.race([pong, s.closed, sleep(3_000).then(() => 'timeout' as const)]);
        if (outcome === 'pong') {
          bump(accepted, f.kind);
          if (applyFails(f)) acceptedButUnappliable.push(Buffer.from(f.data).toString('base64'));
          if (framesSent >= TARGET_FRAMES || Date.now() >= deadline) {
            s.ws.terminate();
            break;
          }
          continue;
        }
        if (outcome === 'timeout') {
          stuck.push(f.kind);
          s.ws.terminate();
          break;
        }
        bump(rejected, f.kind);
        bump(closeCodes, outcome.code);
        break;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: 8 }, (_, n) => attacker(n)));
  } finally {
    fuzzing = false;
  }
  await Promise.all([honest, monitor]);
  const fuzzMs = Date.now() - started;

  // Honest devices still converge after the fuzzing, on everything written during it.
  records(y).set('after', new Y.Map<unknown>([['ok', true]]));
  await waitFor('post-fuzz edit arrives', () => records(x).get('after') !== undefined);
  const missing = honestKeys.filter((k) => !records(x).has(k) || !records(y).has(k));

  await sleep(500); // let the relay drop closed rooms before the final sample
  const rssAfter = rssBytes(pid);
  const health = await healthz(relay.url);
  const fmt = (m: Map<unknown, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${String(k)} ${v}`).join(', ');
  const mb = (b: number) => (b / 2 ** 20).toFixed(1);
  console.log(
    [
      `fuzz seed=${seed}: ${framesSent} frames over ${connections} hostile connections in ${(fuzzMs / 1000).toFixed(1)} s`,
      `rejected (connection closed) by kind: ${fmt(rejected)}`,
      `accepted (relay answered the ping) by kind: ${fmt(accepted)}`,
      `close codes: ${fmt(closeCodes)}; no answer within 3 s: ${stuck.length}`,
      `accepted although Y.applyUpdate throws on them (known relay bug, not asserted here): ${acceptedButUnappliable.length}${acceptedButUnappliable.length ? ` e.g. ${acceptedButUnappliable[0]!.slice(0, 120)}…` : ''}`,
      `honest rounds: ${rounds}, slowest ${slowest} ms, missing ${missing.length}`,
      `relay RSS (NODE_OPTIONS ${relayNodeOptions || 'none'}): before ${mb(rssBefore)} MB, peak ${mb(rssPeak)} MB, after ${mb(rssAfter)} MB (growth ${mb(rssAfter - rssBefore)} MB)`,
      `healthz: ${health.status} ${JSON.stringify(health.body)}`,
    ].join('\n'),
  );

  expect(framesSent).toBeGreaterThanOrEqual(MIN_FRAMES);
  expect(relay.child.exitCode).toBe(null);
  expect(relay.child.signalCode).toBe(null);
  expect(health.status).toBe(200);
  expect(health.body.ok).toBe(true);
  expect(healthFailures).toEqual([]);
  expect(stuck).toEqual([]);
  // Frames that can never be valid are always refused.
  for (const kind of MUST_REJECT) expect(accepted.get(kind) ?? 0, kind).toBe(0);
  expect([...rejected.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(MIN_FRAMES / 2);
  expect([...closeCodes.keys()].filter((c) => !HOSTILE_CODES.has(c))).toEqual([]);
  expect(rounds).toBeGreaterThan(10);
  expect(missing).toEqual([]);
  expect(px.wsconnected && py.wsconnected).toBe(true);
  expect(rssAfter - rssBefore).toBeLessThan(100 * 2 ** 20);
  expect(rssPeak - rssBefore).toBeLessThan(200 * 2 ** 20);
});

// Found by the fuzz test above: this update (a real 3-record update with one byte changed: the
// parent clock of the first record, 0 -> 91) passes Y.decodeUpdate, but Y.applyUpdate throws
// part-way after integrating some of it. y-protocols only logs that error, so before the fix the
// sender stayed connected and the part applied before the throw was broadcast and stored.
// server/frames.ts now integrates each update into an empty scratch document first.
const DECODES_BUT_APPLY_THROWS = 'AQbDif33BAAnAQdyZWNvcmRzAnIwASgAw4n99wRbAW4BfQAnAQdyZWNvcmRzAnIxASgAw4n99wQCAW4BfQEnAQdyZWNvcmRzAnIyASgAw4n99wQEAW4BfQIA';

test('an update that decodes but that Y.applyUpdate rejects closes its sender with 4400', { timeout: 20_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir('muster-fuzz-') });
  const ws = await createdWorkspace(relay);
  const update = Buffer.from(DECODES_BUT_APPLY_THROWS, 'base64');
  expect(() => Y.decodeUpdate(update)).not.toThrow();
  expect(() => Y.applyUpdate(new Y.Doc(), update)).toThrow();
  const s = rawSocket(relay.syncUrl, `${ws.id}.people`, ws.token);
  await within('open', s.opened);
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, 2);
  encoding.writeVarUint8Array(e, update);
  s.ws.send(encoding.toUint8Array(e));
  s.ws.ping('probe');
  const pong = new Promise<'pong'>((resolve) => s.ws.once('pong', () => resolve('pong')));
  const outcome = await within('pong or close', Promise.race([pong, s.closed]));
  expect(outcome).toEqual({ code: 4400, reason: 'malformed message' });
  // Nothing of it reached the room: an honest client sees no record, and can still sync.
  const honest = new Y.Doc();
  const provider = connect(relay.syncUrl, `${ws.id}.people`, honest, ws.token);
  await waitSynced(provider);
  expect(records(honest).size).toBe(0);
  const writer = new Y.Doc();
  const p2 = connect(relay.syncUrl, `${ws.id}.people`, writer, ws.token);
  await waitSynced(p2);
  writer.transact(() => records(writer).set('ok', new Y.Map()));
  await waitFor('honest edit arrives', () => records(honest).has('ok'));
  provider.destroy();
  p2.destroy();
});
