import { afterEach, expect, test } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { cleanup, createdWorkspace, connect, healthz, newWorkspace, rawSocket, records, relayStats, spawnRelay, tmpDir, waitFor, waitSynced, within } from './harness.ts';

afterEach(cleanup);

test('bad frames close only the sending connection; everyone else keeps syncing', { timeout: 30_000 }, async () => {
  const MAX = 64 * 1024;
  const dataDir = tmpDir();
  const relay = await spawnRelay({ dataDir, args: ['--max-message-bytes', String(MAX)] });
  const ws = await createdWorkspace(relay);
  const badRoom = `${ws.id}.people`;
  const goodRoom = `${ws.id}.training`;

  // Honest devices: two in another room, one in the room the bad frames go to.
  const x = new Y.Doc();
  const y = new Y.Doc();
  const neighbour = new Y.Doc();
  const px = connect(relay.syncUrl, goodRoom, x, ws.token);
  const py = connect(relay.syncUrl, goodRoom, y, ws.token);
  const pn = connect(relay.syncUrl, badRoom, neighbour, ws.token);
  await Promise.all([waitSynced(px), waitSynced(py), waitSynced(pn)]);
  let round = 0;
  const stillSyncing = async () => {
    round++;
    records(x).set(`t${round}`, new Y.Map([['round', round]]));
    await waitFor(`round ${round} reaches y`, () => records(y).get(`t${round}`)?.get('round') === round);
  };

  const attack = async (payload: Buffer | string, expected: number) => {
    const s = rawSocket(relay.syncUrl, badRoom, ws.token);
    await within('open', s.opened);
    s.ws.send(payload, { binary: typeof payload !== 'string' });
    const { code } = await within(`close after ${expected}`, s.closed);
    expect(code).toBe(expected);
    await stillSyncing();
  };

  // Sync update whose length prefix runs past the end of the frame: the library's decode error.
  await attack(Buffer.from([0, 2, 0xff, 0xff, 0xff, 0x0f, 1, 2]), 4400);
  // A real update with its tail cut off (and the length prefix fixed to match).
  const donor = new Y.Doc();
  records(donor).set('r', new Y.Map([['title', 'x'.repeat(40)]]));
  const cut = Y.encodeStateAsUpdate(donor).subarray(0, -12);
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, 0); // sync
  encoding.writeVarUint(enc, 2); // update
  encoding.writeVarUint8Array(enc, cut);
  await attack(Buffer.from(encoding.toUint8Array(enc)), 4400);
  // Awareness update whose state is not JSON: thrown inside the library, reported as a doc 'error'.
  await attack(Buffer.from([1, 5, 1, 7, 1, 1, 0x7b]), 4400);
  // Unknown message type, and an empty frame.
  await attack(Buffer.from([0x7f, 1, 2, 3]), 4400);
  await attack(Buffer.alloc(0), 4400);
  // A text frame.
  await attack('hello', 1003);
  // Bigger than --max-message-bytes: ws refuses it with 1009 (message too big).
  await attack(Buffer.concat([Buffer.from([0, 2]), Buffer.alloc(MAX + 1, 1)]), 1009);

  // The neighbour in the attacked room is untouched and still syncs with a newcomer.
  records(neighbour).set('n1', new Y.Map([['ok', true]]));
  const late = new Y.Doc();
  const pl = connect(relay.syncUrl, badRoom, late, ws.token);
  await waitSynced(pl);
  await waitFor('newcomer gets the neighbour edit', () => records(late).get('n1')?.get('ok') === true);
  expect(pn.wsconnected).toBe(true);

  const health = await healthz(relay.url);
  expect(health).toEqual({ status: 200, body: { ok: true } });
  expect((await relayStats(dataDir)).rooms).toBe(2);
  expect(relay.stderr()).toMatch(/ws\.refused .*code=4400 reason="malformed message"/);
  expect(relay.child.exitCode).toBe(null);
});

test('MAX_ROOMS caps open rooms with a retryable close code', { timeout: 30_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir(), env: { MAX_ROOMS: '1' } });
  const ws = await createdWorkspace(relay);
  const first = rawSocket(relay.syncUrl, `${ws.id}.people`, ws.token);
  await within('first open', first.opened);
  const second = rawSocket(relay.syncUrl, `${ws.id}.training`, ws.token);
  expect(await within('second refused', second.closed)).toEqual({ code: 4503, reason: 'too many open rooms' });
  // Another connection to an open room is fine; once the room closes, a new one may open.
  const again = rawSocket(relay.syncUrl, `${ws.id}.people`, ws.token);
  await within('same room open', again.opened);
  first.ws.close();
  again.ws.close();
  await waitFor('room released', () => relay.stderr().split('ws.close').length === 3);
  const third = new Y.Doc();
  await waitSynced(connect(relay.syncUrl, `${ws.id}.training`, third, ws.token));
});
