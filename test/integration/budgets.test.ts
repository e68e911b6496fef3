import { afterEach, expect, test } from 'vitest';
import { randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import { rssBytes, sleep } from './clients.ts';
import { cleanup, connect, newWorkspace, rawSocket, records, relayStats, spawnRelay, stopReading, tmpDir, waitFor, waitSynced, within } from './harness.ts';

afterEach(cleanup);

const MiB = 1024 * 1024;
/** y-websocket sync step 1 with an empty state vector: "send me everything". 4 bytes. */
const SYNC_STEP_1 = Buffer.from([0, 0, 1, 0]);

/** A room holding about `bytes` of incompressible text, written by an honest device. */
async function seedRoom(syncUrl: string, room: string, token: string, bytes: number) {
  const doc = new Y.Doc();
  const p = connect(syncUrl, room, doc, token);
  await waitSynced(p);
  records(doc).set('big', new Y.Map([['body', randomBytes(bytes / 2).toString('hex')]]));
  // Read back through a second device: then the relay holds it.
  const check = new Y.Doc();
  const pc = connect(syncUrl, room, check, token);
  await waitFor('seeded room reaches a second device', () => typeof records(check).get('big')?.get('body') === 'string', 10_000);
  return { doc, p, check, pc };
}

test('a client that never reads cannot make the relay queue copies of a room: its socket is closed with a logged reason', { timeout: 60_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir() });
  const ws = newWorkspace();
  const room = `${ws.id}.people`;
  const { check } = await seedRoom(relay.syncUrl, room, ws.token, 1.5 * MiB);
  await sleep(300);
  const before = rssBytes(relay.child.pid!);

  // The attacker: a socket that stops reading as soon as it is open, then asks for the room 160 times (640 bytes).
  // Unbounded, the relay would queue 160 copies (about 240 MiB).
  const attacker = rawSocket(relay.syncUrl, room, ws.token);
  await within('attacker open', attacker.opened);
  stopReading(attacker.ws);
  for (let i = 0; i < 160; i++) attacker.ws.send(SYNC_STEP_1);

  let peak = before;
  const deadline = Date.now() + 8_000;
  while (Date.now() < deadline && !/ws\.shed /.test(relay.stderr())) {
    peak = Math.max(peak, rssBytes(relay.child.pid!));
    await sleep(50);
  }
  for (let i = 0; i < 10; i++) {
    peak = Math.max(peak, rssBytes(relay.child.pid!));
    await sleep(50);
  }
  expect(relay.stderr()).toMatch(/warn ws\.shed room=\S+ reason="send queue over its limit" queued=\d+/);
  // One socket's limit (16 MiB) and a few room copies in flight, not 160 copies.
  expect(peak - before).toBeLessThan(96 * MiB);

  // An honest device in the same room still gets an edit from another.
  records(check).set('after', new Y.Map([['ok', true]]));
  const late = new Y.Doc();
  const pl = connect(relay.syncUrl, room, late, ws.token);
  await waitFor('newcomer syncs after the attack', () => records(late).get('after')?.get('ok') === true, 10_000);
  expect(pl.wsconnected).toBe(true);
});

test('queues of many non-reading sockets together stay under the process limit', { timeout: 60_000 }, async () => {
  // Each socket may queue 16 MiB by default; 12 sockets asking for 12 copies of 1 MiB each would queue over 100 MiB.
  const dataDir = tmpDir();
  const LIMIT = 32 * MiB;
  const relay = await spawnRelay({ dataDir, env: { MAX_QUEUED_BYTES: String(LIMIT) } });
  const ws = newWorkspace();
  const room = `${ws.id}.people`;
  await seedRoom(relay.syncUrl, room, ws.token, 1 * MiB);

  const attackers = Array.from({ length: 12 }, () => rawSocket(relay.syncUrl, room, ws.token));
  await Promise.all(attackers.map((a) => within('attacker open', a.opened)));
  let peak = 0;
  for (const a of attackers) {
    stopReading(a.ws);
    // Under one socket's limit, so only the process limit can stop them.
    for (let i = 0; i < 12; i++) a.ws.send(SYNC_STEP_1);
    await sleep(100);
    peak = Math.max(peak, (await relayStats(dataDir)).queuedBytes);
  }
  await waitFor('process limit sheds sockets', () => /reason="relay send queues over their limit"/.test(relay.stderr()), 10_000);
  await sleep(1_500);
  const after = await relayStats(dataDir);
  peak = Math.max(peak, after.queuedBytes);
  // At most the limit plus one socket's worth between two checks.
  expect(peak).toBeLessThan(LIMIT + 16 * MiB);
  expect(after.queuedBytes).toBeLessThanOrEqual(LIMIT);
  expect(after.sockets).toBeLessThan(14);
});

test('a socket whose queue does not drain is closed after the drain timeout', { timeout: 60_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir() });
  const ws = newWorkspace();
  const room = `${ws.id}.people`;
  await seedRoom(relay.syncUrl, room, ws.token, 1 * MiB);
  const attacker = rawSocket(relay.syncUrl, room, ws.token);
  await within('attacker open', attacker.opened);
  stopReading(attacker.ws);
  // Far under the socket limit: only the drain timeout (30 s) can end it.
  for (let i = 0; i < 6; i++) attacker.ws.send(SYNC_STEP_1);
  await waitFor('stalled socket shed', () => /reason="send queue did not drain for 30 s"/.test(relay.stderr()), 45_000);
});
