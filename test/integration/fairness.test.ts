import path from 'node:path';
import Database from 'better-sqlite3';
import * as decoding from 'lib0/decoding';
import { afterEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { awarenessFrame, denseUpdate, publishLink, reportOfSize, syncFrame, updatesMissingADependency } from '../bench/fairness-attacks.ts';
import { createAwarenessLimiter } from '../../server/fairness.ts';
import { createFrameScheduler } from '../../server/scheduler.ts';
import { cleanup, connect, createdWorkspace, newWorkspace, rawSocket, records, spawnRelay, tmpDir, waitFor, waitSynced, within, type RelayProcess } from './harness.ts';

afterEach(cleanup);

/*
 * Costly input in one workspace must not cost the others (issue 13, findings 4 and 5): each attack comes
 * from a raw socket in workspace A while an honest pair edits in workspace B. Timings are in the bench
 * (test/bench/fairness-attacks.ts); here: what is refused, with which reason, and that honest edits arrive.
 */

/** An honest pair in a workspace of its own; `edit` makes one change on one device and waits for the other. */
async function honestPair(relay: RelayProcess) {
  const ws = newWorkspace();
  const a = new Y.Doc();
  const b = new Y.Doc();
  await Promise.all([waitSynced(connect(relay.syncUrl, `${ws.id}.people`, a, ws.token)), waitSynced(connect(relay.syncUrl, `${ws.id}.people`, b, ws.token))]);
  let n = 0;
  return async () => {
    const key = `honest-${++n}`;
    records(a).set(key, new Y.Map([['n', n]]));
    await waitFor(`${key} reaches the second device`, () => records(b).has(key), 20_000);
  };
}

/** Sends frames while the honest pair keeps editing; resolves with the attacker's close. */
async function attack(relay: RelayProcess, room: string, token: string, frames: Uint8Array[], edit: () => Promise<void>) {
  const s = rawSocket(relay.syncUrl, room, token);
  await within('attacker open', s.opened);
  for (const f of frames) s.ws.send(f);
  const editing = (async () => {
    for (let i = 0; i < 5; i++) await edit();
  })();
  const closed = await within('attacker closed', s.closed, 20_000);
  await editing;
  await edit();
  return closed;
}

/** A fresh device's copy of a room, once synced. */
async function readRoom(relay: RelayProcess, room: string, token: string) {
  const doc = new Y.Doc();
  await waitSynced(connect(relay.syncUrl, room, doc, token), 10_000);
  return doc;
}

/** Moves a workspace's first contact two days back, so that it counts as established. */
async function ageWorkspace(dataDir: string, relay: RelayProcess, ws: { id: string; token: string }, env: NodeJS.ProcessEnv) {
  await waitSynced(connect(relay.syncUrl, `${ws.id}.people`, new Y.Doc(), ws.token));
  relay.child.kill('SIGTERM');
  await relay.exited;
  const db = new Database(path.join(dataDir, 'muster.sqlite'));
  db.prepare('UPDATE workspaces SET created_at = ? WHERE id = ?').run(Date.now() - 2 * 24 * 3600_000, ws.id);
  db.close();
  return spawnRelay({ dataDir, env });
}

test('updates that depend on clocks the room lacks are never kept: the sender is closed, the room stays clean, honest edits arrive', { timeout: 60_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir() });
  const edit = await honestPair(relay);
  const a = await createdWorkspace(relay);
  const room = `${a.id}.people`;
  const frames = updatesMissingADependency(60, 50).map((u) => syncFrame(2, u));
  expect(await attack(relay, room, a.token, frames, edit)).toEqual({ code: 4503, reason: 'updates depend on data the relay does not have' });
  expect(relay.stderr()).toMatch(/ws\.refused room=\S+ code=4503 reason="updates depend on data the relay does not have"/);
  // A member who opens the room now gets nothing of it: the relay neither kept nor passed on the pending structs.
  const fresh = await readRoom(relay, room, a.token);
  expect(fresh.store.pendingStructs).toBeNull();
  expect(records(fresh).size).toBe(0);
});

test('an update sent before the one it depends on still reaches the room: the relay asks the sender for what it lacks', { timeout: 60_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir() });
  const a = await createdWorkspace(relay);
  const room = `${a.id}.people`;
  const source = new Y.Doc();
  const updates: Uint8Array[] = [];
  source.on('update', (u: Uint8Array) => updates.push(u));
  records(source).set('first', new Y.Map([['n', 1]]));
  records(source).set('second', new Y.Map([['n', 2]]));
  const s = rawSocket(relay.syncUrl, room, a.token);
  const asked: Uint8Array[] = [];
  s.ws.on('message', (data: Buffer) => {
    // After the relay's own step 1 on connect, another step 1 is its question.
    if (data[0] === 0 && data[1] === 0) asked.push(new Uint8Array(data));
  });
  await within('open', s.opened);
  await waitFor('the relay’s first step 1', () => asked.length === 1);
  s.ws.send(syncFrame(2, updates[1]!)); // depends on updates[0], which the relay does not have yet
  await waitFor('the relay asks for what it lacks', () => asked.length === 2);
  const relayHas = decoding.readVarUint8Array(decoding.createDecoder(asked[1]!.subarray(2)));
  expect(Y.decodeStateVector(relayHas).get(source.clientID)).toBeUndefined();
  // What a y-websocket client answers: a step 2 with everything the relay lacks.
  s.ws.send(syncFrame(1, Y.encodeStateAsUpdate(source, relayHas)));
  const reader = await readRoom(relay, room, a.token);
  await waitFor('both edits in the room', () => records(reader).has('first') && records(reader).has('second'));
  expect(reader.store.pendingStructs).toBeNull();
});

test('awareness: a flood and an oversized state close the sender; presence from the official client and honest edits go on', { timeout: 60_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir() });
  const edit = await honestPair(relay);
  const a = await createdWorkspace(relay);
  const room = `${a.id}.people`;
  // The official client in room A, with its presence: it is not refused.
  const member = connect(relay.syncUrl, room, new Y.Doc(), a.token);
  member.awareness.setLocalStateField('user', { name: 'Member' });
  await waitSynced(member);
  const flood = Array.from({ length: 200 }, (_, i) => awarenessFrame(4242, i + 1, { user: { name: 'x'.repeat(100) } }));
  expect(await attack(relay, room, a.token, flood, edit)).toEqual({ code: 4503, reason: 'too many awareness updates, try later' });
  const big = [awarenessFrame(4243, 1, { blob: 'y'.repeat(64 * 1024) })];
  expect(await attack(relay, room, a.token, big, edit)).toEqual({ code: 4413, reason: 'awareness state larger than 4096 bytes' });
  expect(member.wsconnected).toBe(true);
});

test('a new workspace’s messages are smaller, and a workspace over its processing budget is closed; others keep syncing', { timeout: 90_000 }, async () => {
  const dataDir = tmpDir();
  const env = { MAX_NEW_WORKSPACE_MESSAGE_BYTES: String(64 * 1024) };
  const established = newWorkspace();
  let relay = await spawnRelay({ dataDir, env });
  relay = await ageWorkspace(dataDir, relay, established, env);
  const edit = await honestPair(relay);
  const update = syncFrame(2, denseUpdate(100 * 1024));
  const fresh = await createdWorkspace(relay);
  expect(await attack(relay, `${fresh.id}.people`, fresh.token, [update], edit)).toEqual({ code: 4413, reason: `message larger than ${64 * 1024} bytes` });
  // The established workspace may send it.
  const s = rawSocket(relay.syncUrl, `${established.id}.people`, established.token);
  await within('open', s.opened);
  s.ws.send(update);
  const reader = await readRoom(relay, `${established.id}.people`, established.token);
  await waitFor('the large update arrived', () => records(reader).size > 1_000, 20_000);
  await cleanup();

  // The relay's time: 1 s per minute for one workspace (a new one: 250 ms), then it is closed until the minute is over.
  relay = await spawnRelay({ dataDir: tmpDir(), env: { MAX_WORKSPACE_BUSY_MS_PER_MINUTE: '1000' } });
  const edit2 = await honestPair(relay);
  const busy = await createdWorkspace(relay);
  const costly = Array.from({ length: 12 }, (_, i) => syncFrame(2, denseUpdate(200 * 1024, i)));
  expect(await attack(relay, `${busy.id}.people`, busy.token, costly, edit2)).toEqual({ code: 4503, reason: 'workspace over its processing budget, try later' });
  expect(relay.stderr()).toMatch(/ws\.refused room=\S+ code=4503 reason="workspace over its processing budget, try later"/);
  // Reconnecting does not refill it: the next socket of that workspace is refused before its room is opened.
  const again = rawSocket(relay.syncUrl, `${busy.id}.people`, busy.token);
  expect(await within('refused again', again.closed)).toEqual({ code: 4503, reason: 'workspace over its processing budget, try later' });
});

test('the public link: bytes per hour as well as entries, and no value over the size limit from anyone', { timeout: 60_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir(), env: { SPEAKUP_LINK_BYTES_PER_HOUR: String(100 * 1024) } });
  const ws = await createdWorkspace(relay);
  const link = newWorkspace().token;
  expect(await publishLink(relay.url, ws, link)).toBe(204);
  const room = `${ws.id}.speakup`;
  const member = new Y.Doc();
  await waitSynced(connect(relay.syncUrl, room, member, ws.token));
  const send = async (token: string, key: string, bytes: number) => {
    const s = rawSocket(relay.syncUrl, room, token);
    await within('open', s.opened);
    s.ws.send(syncFrame(2, reportOfSize(key, bytes)));
    return Promise.race([s.closed, waitFor(`${key} stored`, () => member.getMap('reports').has(key), 10_000).then(() => 'stored' as const)]);
  };
  // Three reports of 30 KiB fit in 100 KiB an hour; the fourth does not, though the entry budget (60) has room.
  for (const key of ['r1', 'r2', 'r3']) expect(await send(link, key, 30 * 1024)).toBe('stored');
  expect(await send(link, 'r4', 30 * 1024)).toEqual({ code: 4503, reason: 'too many reports from the public link, try later' });
  // The link still reads the room (a reporter looking for replies): reading adds nothing.
  const reader = rawSocket(relay.syncUrl, room, link);
  await within('open', reader.opened);
  const answer = new Promise<Buffer>((resolve) => reader.ws.on('message', (d: Buffer) => d[0] === 0 && d[1] === 1 && resolve(d)));
  reader.ws.send(syncFrame(0, Y.encodeStateVector(new Y.Doc())));
  const step2 = await within('the room', answer);
  expect(step2.length).toBeGreaterThan(90 * 1024);
  reader.ws.terminate();
  // A 7 MiB value through the link is refused before it is read: the link's messages are at most twice a value.
  expect(await send(link, 'huge', 7 * 1024 * 1024)).toEqual({ code: 4413, reason: `message larger than ${128 * 1024} bytes` });
  // Members may not add a value over 64 KiB either (the app's largest sealed report is well under).
  expect(await send(ws.token, 'm-big', 70 * 1024)).toEqual({ code: 4400, reason: `report or message larger than ${64 * 1024} bytes` });
  expect(await send(ws.token, 'm-ok', 60 * 1024)).toBe('stored');
  expect([...member.getMap('reports').keys()].sort()).toEqual(['m-ok', 'r1', 'r2', 'r3']);
});

test('a global cap on sockets: new workspaces get half, then everyone is refused with a reason until one closes', { timeout: 60_000 }, async () => {
  const dataDir = tmpDir();
  const env = { MAX_SOCKETS: '6' };
  const established = newWorkspace();
  let relay = await spawnRelay({ dataDir, env });
  relay = await ageWorkspace(dataDir, relay, established, env);
  const open = async (ws: { id: string; token: string }) => {
    const s = rawSocket(relay.syncUrl, `${ws.id}.people`, ws.token);
    await within('open', s.opened);
    return s;
  };
  const invented = [await createdWorkspace(relay), await createdWorkspace(relay), await createdWorkspace(relay)];
  for (const ws of invented) await open(ws);
  const late = await createdWorkspace(relay);
  const fourth = rawSocket(relay.syncUrl, `${late.id}.people`, late.token);
  expect(await within('fourth new workspace refused', fourth.closed)).toEqual({ code: 4503, reason: 'too many open connections for new workspaces, try later' });
  const held = [await open(established), await open(established), await open(established)];
  const seventh = rawSocket(relay.syncUrl, `${established.id}.people`, established.token);
  expect(await within('seventh socket refused', seventh.closed)).toEqual({ code: 4503, reason: 'relay has too many open connections, try later' });
  held[0]!.ws.close();
  await within('closed', held[0]!.closed);
  await new Promise((r) => setTimeout(r, 200));
  const doc = await readRoom(relay, `${established.id}.people`, established.token);
  expect(doc).toBeDefined();
});

test('the scheduler: a quick frame of another workspace runs after at most one costly frame, not after the backlog', async () => {
  const scheduler = createFrameScheduler({ sliceMs: 5, maxSocketQueuedBytes: 1024 });
  const order: string[] = [];
  const costly = () => {
    const until = performance.now() + 15;
    while (performance.now() < until);
  };
  let paused = 0;
  let resumed = 0;
  const attacker = { pause: () => paused++, resume: () => resumed++ };
  for (let i = 0; i < 10; i++) scheduler.enqueue('A', attacker, 200, () => (costly(), order.push(`A${i}`)));
  scheduler.enqueue('B', {}, 10, () => order.push('B0'));
  scheduler.enqueue('B', {}, 10, () => order.push('B1'));
  await waitFor('all ran', () => order.length === 12);
  // A0 ran at once (nothing was waiting); then B's two frames ran together in B's first turn, after one more of A's.
  expect(order.slice(0, 4)).toEqual(['A0', 'A1', 'B0', 'B1']);
  expect(order.filter((x) => x.startsWith('A'))).toEqual(Array.from({ length: 10 }, (_, i) => `A${i}`));
  // 1,800 bytes waiting from one socket, over its 1,024: paused once, resumed once when half was left.
  expect([paused, resumed]).toEqual([1, 1]);
  expect(scheduler.waiting()).toBe(0);
});

test('awareness limiter: echoes of what the room already has are free, new states are counted and sized', () => {
  let t = 0;
  const limit = createAwarenessLimiter({ maxAwarenessBytes: 100, awarenessPerSecond: 1, awarenessBytesPerSecond: 1000 }, () => t);
  const room = { meta: new Map([[7, { clock: 5 }]]), states: new Map<number, unknown>([[7, {}]]) };
  // An echo at the room's clock, any number of times.
  for (let i = 0; i < 50; i++) expect(limit(awarenessFrame(7, 5, {}), room)).toBeNull();
  // New states: a burst of two (twice the rate), then refused until time passes.
  expect(limit(awarenessFrame(8, 1, {}), room)).toBeNull();
  expect(limit(awarenessFrame(8, 2, {}), room)).toBeNull();
  expect(limit(awarenessFrame(8, 3, {}), room)).toEqual({ code: 'tooFast', reason: 'too many awareness updates, try later' });
  t += 1000;
  expect(limit(awarenessFrame(8, 4, {}), room)).toBeNull();
  // A removal at the same clock changes the room, so it counts.
  expect(limit(awarenessFrame(7, 5, null), room)).toEqual({ code: 'tooFast', reason: 'too many awareness updates, try later' });
  expect(limit(awarenessFrame(9, 1, { name: 'x'.repeat(200) }), room)).toEqual({ code: 'tooLarge', reason: 'awareness state larger than 100 bytes' });
});
