import { randomBytes } from 'node:crypto';
import { afterEach, expect, test } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { newLinkToken, tokenVerifier } from '../../src/registers/speakup/crypto.ts';
import { decodeMuxFrame, encodeMuxFrame, MUX_KIND, type MuxFrame } from '../../src/sync/mux.ts';
import { connectRoom, type RoomSync, type RoomSyncState } from '../../src/sync/room-sync.ts';
import { rssBytes, sleep } from './clients.ts';
import { cleanup, connect, createdWorkspace, newWorkspace, records, relayStats, type RelayProcess, spawnRelay, stopReading, tmpDir, waitFor, waitSynced, within } from './harness.ts';

/*
 * /mux against a real relay process: every room of a device over one socket
 * (src/sync/mux.ts, server/mux.ts). The app's own client for the honest
 * devices; hand-made frames on a raw `ws` socket for the adversary.
 */

const rooms: RoomSync[] = [];
const raws: WebSocket[] = [];
afterEach(async () => {
  for (const r of rooms.splice(0)) r.destroy();
  for (const ws of raws.splice(0)) ws.terminate();
  await cleanup();
});

/** A device: its own WebSocket class, so its rooms share one socket and not another device's. */
function device(syncUrl: string, deviceCredential: string) {
  const WS = class extends WebSocket {} as unknown as typeof globalThis.WebSocket;
  return (room: string, credential = deviceCredential) => {
    const doc = new Y.Doc();
    let state: RoomSyncState = { status: 'connecting', unconfirmed: 0 };
    const sync = connectRoom({ doc, room, serverUrl: syncUrl, credential, onChange: (s) => (state = s), WebSocketPolyfill: WS });
    rooms.push(sync);
    return { doc, sync, state: () => state };
  };
}

/** A raw socket to /mux that sends what it is told and records every frame. */
function rawMux(relay: RelayProcess, headers: Record<string, string> = {}) {
  const ws = new WebSocket(`${relay.syncUrl.replace(/\/sync$/, '')}/mux`, { headers });
  raws.push(ws);
  ws.on('error', () => {});
  const frames: MuxFrame[] = [];
  ws.on('message', (data: Buffer) => frames.push(decodeMuxFrame(new Uint8Array(data))));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  opened.catch(() => {});
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const send = (frame: MuxFrame) => ws.send(encodeMuxFrame(frame));
  const on = (channel: number) => frames.filter((f) => f.channel === channel);
  return {
    ws,
    opened,
    closed,
    send,
    frames,
    open: (channel: number, room: string, credential: string) => send({ channel, kind: MUX_KIND.open, room, credential }),
    message: (channel: number, bytes: Uint8Array) => send({ channel, kind: MUX_KIND.message, message: bytes }),
    /** Resolves once the relay admitted (OPENED) or refused (CLOSE) the channel. */
    answer: async (channel: number) => {
      await waitFor(`answer on channel ${channel}`, () => on(channel).some((f) => f.kind === MUX_KIND.opened || f.kind === MUX_KIND.close));
      const close = on(channel).find((f) => f.kind === MUX_KIND.close);
      return close && close.kind === MUX_KIND.close ? { code: close.code, reason: close.reason } : 'opened';
    },
    messagesOn: (channel: number) => on(channel).filter((f) => f.kind === MUX_KIND.message).length,
  };
}

/** y-websocket sync step 1 with an empty state vector: "send me everything". */
const SYNC_STEP_1 = new Uint8Array([0, 0, 1, 0]);
const count = (text: string, re: RegExp) => text.split('\n').filter((l) => re.test(l)).length;

test('fifteen rooms over one socket per device sync between two devices', { timeout: 60_000 }, async () => {
  const dataDir = tmpDir();
  const relay = await spawnRelay({ dataDir });
  const ws = await createdWorkspace(relay);
  const names = Array.from({ length: 15 }, (_, i) => `${ws.id}.register-${i}`);
  const [onPhone, onLaptop] = [device(relay.syncUrl, ws.token), device(relay.syncUrl, ws.token)];
  const phone = names.map((n) => onPhone(n));
  const laptop = names.map((n) => onLaptop(n));
  await waitFor('every room synced on both devices', () => [...phone, ...laptop].every((r) => r.state().status === 'synced'), 15_000);
  phone.forEach((r, i) => records(r.doc).set(`from-phone-${i}`, new Y.Map([['n', i]])));
  laptop.forEach((r, i) => records(r.doc).set(`from-laptop-${i}`, new Y.Map([['n', i]])));
  await waitFor('each edit reached the other device', () => phone.every((r, i) => records(r.doc).get(`from-laptop-${i}`)?.get('n') === i) && laptop.every((r, i) => records(r.doc).get(`from-phone-${i}`)?.get('n') === i), 15_000);
  await waitFor('confirmed', () => [...phone, ...laptop].every((r) => r.state().status === 'synced' && r.state().unconfirmed === 0));
  // Two sockets, thirty channels, each counted as a connection of the workspace.
  expect(count(relay.stderr(), / mux\.open/)).toBe(2);
  expect(count(relay.stderr(), / ws\.open room=/)).toBe(30);
  expect(await relayStats(dataDir)).toMatchObject({ sockets: 30, rooms: 15 });

  // Offline and back (what the app does on the browser's offline event): every room, then the socket, closes.
  phone.forEach((r) => r.sync.disconnect());
  await waitFor('phone socket closed', () => count(relay.stderr(), / mux\.close /) === 1);
  expect(phone.every((r) => r.state().status === 'offline')).toBe(true);
  records(laptop[3]!.doc).set('while-away', new Y.Map([['ok', true]]));
  phone.forEach((r) => r.sync.connect());
  await waitFor('phone back in sync', () => phone.every((r) => r.state().status === 'synced') && records(phone[3]!.doc).get('while-away')?.get('ok') === true, 15_000);
  expect(count(relay.stderr(), / mux\.open/)).toBe(3);

  // The relay stops: both sockets get 1001 and every room reconnects to the next relay.
  relay.child.kill('SIGTERM');
  await relay.exited;
  expect(relay.stderr()).toMatch(/mux\.close code=1001/);
});

test('a bad credential refuses its channel only (4401); the other rooms of the socket keep syncing', { timeout: 30_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir() });
  const ws = await createdWorkspace(relay);
  // Set the workspace's credential (first use), and a second device to sync with.
  const other = device(relay.syncUrl, ws.token)(`${ws.id}.people`);
  await waitFor('other synced', () => other.state().status === 'synced');

  const phone = device(relay.syncUrl, ws.token);
  const people = phone(`${ws.id}.people`);
  await waitFor('people synced', () => people.state().status === 'synced');
  // The same device (the same socket), a wrong credential for one room.
  const training = phone(`${ws.id}.training`, newWorkspace().token);
  await waitFor('training refused', () => training.state().status === 'refused');
  expect(training.state().refusal).toBe('The relay did not accept this device’s credentials.');
  records(other.doc).set('after-app-refusal', new Y.Map([['ok', true]]));
  await waitFor('people still syncs on the app client', () => records(people.doc).get('after-app-refusal')?.get('ok') === true);
  expect(people.state().status).toBe('synced');
  expect(count(relay.stderr(), / mux\.open/)).toBe(2);

  // The raw view of the same thing: one socket, three channels, the middle one refused with its reason.
  const raw = rawMux(relay);
  await within('raw open', raw.opened);
  raw.open(1, `${ws.id}.people`, ws.token);
  raw.open(2, `${ws.id}.checklists`, newWorkspace().token);
  raw.open(3, `${ws.id}.roles`, ws.token);
  expect(await raw.answer(1)).toBe('opened');
  expect(await raw.answer(2)).toEqual({ code: 4401, reason: 'bad credentials' });
  expect(await raw.answer(3)).toBe('opened');
  // A message still in flight on the refused channel is dropped, not fatal.
  raw.message(2, SYNC_STEP_1);
  records(other.doc).set('after-refusal', new Y.Map([['ok', true]]));
  await waitFor('people still syncs', () => records(people.doc).get('after-refusal')?.get('ok') === true);
  const before = raw.messagesOn(1);
  raw.message(1, SYNC_STEP_1);
  await waitFor('channel 1 answers', () => raw.messagesOn(1) > before);
  expect(raw.ws.readyState).toBe(WebSocket.OPEN);
  expect(relay.stderr()).toMatch(new RegExp(`ws\\.refused room=${ws.id}\\.checklists code=4401 reason="bad credentials"`));
  expect(relay.stderr()).not.toContain(ws.token);
});

test('a rotation closes the channels of the old credential; the socket stays for the new one', { timeout: 30_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir() });
  const ws = await createdWorkspace(relay);
  const raw = rawMux(relay);
  await within('raw open', raw.opened);
  raw.open(1, `${ws.id}.people`, ws.token);
  raw.open(2, `${ws.id}.roles`, ws.token);
  expect(await raw.answer(1)).toBe('opened');
  expect(await raw.answer(2)).toBe('opened');
  const next = newWorkspace().token;
  const verifier = await tokenVerifier(next);
  const res = await fetch(`${relay.url}/auth/${ws.id}/rotate`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ws.token}` },
    body: JSON.stringify({ epoch: 1, verifier, envelopes: { deviceAAAAAAA: { v: 1, epk: 'A'.repeat(87), ct: 'B'.repeat(100) } } }),
  });
  expect(res.status).toBe(200);
  await waitFor('both channels closed', () => raw.frames.filter((f) => f.kind === MUX_KIND.close).length === 2);
  expect(raw.frames.filter((f) => f.kind === MUX_KIND.close)).toEqual([1, 2].map((channel) => ({ channel, kind: MUX_KIND.close, code: 4401, reason: 'credentials rotated' })));
  expect(relay.stderr()).toMatch(new RegExp(`auth\\.rotated workspace=${ws.id} epoch=1 devices=1 closed=2`));
  // The old credential is stale; the new one opens a channel on the same socket.
  raw.open(3, `${ws.id}.people`, ws.token);
  expect(await raw.answer(3)).toEqual({ code: 4401, reason: 'stale credentials' });
  raw.open(4, `${ws.id}.people`, next);
  expect(await raw.answer(4)).toBe('opened');
  expect(raw.ws.readyState).toBe(WebSocket.OPEN);
});

test('workspace budgets count each channel as a socket and refuse channels, not the socket', { timeout: 30_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir(), env: { MAX_WORKSPACE_ROOMS: '2', MAX_WORKSPACE_SOCKETS: '3' } });
  const ws = await createdWorkspace(relay);
  const raw = rawMux(relay);
  await within('raw open', raw.opened);
  const answers = [];
  for (const [channel, register] of [[1, 'r1'], [2, 'r2'], [3, 'r3'], [4, 'r1'], [5, 'r2']] as const) {
    raw.open(channel, `${ws.id}.${register}`, ws.token);
    answers.push(await raw.answer(channel));
  }
  expect(answers).toEqual([
    'opened',
    'opened',
    { code: 4503, reason: 'workspace has too many open rooms' },
    'opened',
    { code: 4503, reason: 'workspace has too many open connections' },
  ]);
  expect(raw.ws.readyState).toBe(WebSocket.OPEN);
  // A second socket of the same workspace gets no more: the budget is per workspace, not per socket.
  const second = rawMux(relay);
  await within('second open', second.opened);
  second.open(1, `${ws.id}.r1`, ws.token);
  expect(await second.answer(1)).toEqual({ code: 4503, reason: 'workspace has too many open connections' });
  // Closing a channel gives its place back.
  raw.send({ channel: 4, kind: MUX_KIND.close, code: 1000, reason: '' });
  await sleep(100);
  second.open(2, `${ws.id}.r1`, ws.token);
  expect(await second.answer(2)).toBe('opened');
  // Another workspace is not affected.
  const honest = await createdWorkspace(relay);
  await waitSynced(connect(relay.syncUrl, `${honest.id}.people`, new Y.Doc(), honest.token));
});

test('one socket may open 300 channels a minute; past that a channel is refused with 4503, the socket stays', { timeout: 30_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir() });
  const ws = await createdWorkspace(relay);
  const room = `${ws.id}.people`;
  // Keeps the room loaded, so the opens below measure the limit and not room loads.
  await waitSynced(connect(relay.syncUrl, room, new Y.Doc(), ws.token));
  const raw = rawMux(relay);
  await within('raw open', raw.opened);
  for (let c = 1; c <= 300; c++) {
    raw.open(c, room, ws.token);
    raw.send({ channel: c, kind: MUX_KIND.close, code: 1000, reason: '' });
  }
  expect(await raw.answer(300)).toBe('opened');
  raw.open(301, room, ws.token);
  expect(await raw.answer(301)).toEqual({ code: 4503, reason: 'too many channels opened, try later' });
  expect(raw.ws.readyState).toBe(WebSocket.OPEN);
  expect(relay.stderr()).toMatch(new RegExp(`ws\\.refused room=${room} code=4503 reason="too many channels opened, try later"`));
  // Another socket (another device) is not affected.
  const other = rawMux(relay);
  await within('other open', other.opened);
  other.open(1, room, ws.token);
  expect(await other.answer(1)).toBe('opened');
});

test('a socket that never reads is shed: the guard bounds what its channels queue', { timeout: 60_000 }, async () => {
  const dataDir = tmpDir();
  const relay = await spawnRelay({ dataDir });
  const ws = await createdWorkspace(relay);
  const room = `${ws.id}.people`;
  const seed = new Y.Doc();
  const ps = connect(relay.syncUrl, room, seed, ws.token);
  await waitSynced(ps);
  records(seed).set('big', new Y.Map([['body', randomBytes(0.75 * 1024 * 1024).toString('hex')]]));
  const check = new Y.Doc();
  const pc = connect(relay.syncUrl, room, check, ws.token);
  await waitFor('seeded', () => typeof records(check).get('big')?.get('body') === 'string', 10_000);
  await sleep(300);
  const before = rssBytes(relay.child.pid!);

  // Two channels to the 1.5 MiB room, 80 requests for all of it on each; then it stops reading.
  const raw = rawMux(relay);
  await within('raw open', raw.opened);
  raw.open(1, room, ws.token);
  raw.open(2, room, ws.token);
  await raw.answer(1);
  await raw.answer(2);
  stopReading(raw.ws);
  for (let i = 0; i < 80; i++) {
    raw.message(1, SYNC_STEP_1);
    raw.message(2, SYNC_STEP_1);
  }
  let peak = before;
  const deadline = Date.now() + 8_000;
  while (Date.now() < deadline && !/ws\.shed /.test(relay.stderr())) {
    peak = Math.max(peak, rssBytes(relay.child.pid!));
    await sleep(50);
  }
  expect(relay.stderr()).toMatch(new RegExp(`warn ws\\.shed room=${room} reason="send queue over its limit" queued=\\d+`));
  expect(peak - before).toBeLessThan(96 * 1024 * 1024);
  // Shedding ends the whole socket (terminate), and with it both channels.
  await waitFor('socket gone', () => /mux\.close code=1006/.test(relay.stderr()));
  await waitFor('its two channels released', () => count(relay.stderr(), new RegExp(`ws\\.close room=${room} `)) === 2);
  expect(await relayStats(dataDir)).toMatchObject({ queuedBytes: 0, sockets: 2 });

  records(check).set('after', new Y.Map([['ok', true]]));
  const late = device(relay.syncUrl, ws.token)(room);
  await waitFor('newcomer syncs after the attack', () => records(late.doc).get('after')?.get('ok') === true, 10_000);
});

test('malformed mux frames close the socket with 4400 and one log line; text frames with 1003', { timeout: 30_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir(), env: { MAX_WORKSPACE_SOCKETS: '200' } });
  const ws = await createdWorkspace(relay);
  const room = `${ws.id}.people`;
  const cases: Array<{ name: string; problem: RegExp; act: (raw: ReturnType<typeof rawMux>) => Promise<void> | void }> = [
    { name: 'bad varuint', problem: /end of array/i, act: (r) => r.ws.send(new Uint8Array([0x81, 0x80])) },
    { name: 'unknown frame kind', problem: /unknown frame kind 7/, act: (r) => r.ws.send(new Uint8Array([1, 7])) },
    { name: 'trailing bytes', problem: /trailing bytes/, act: (r) => r.ws.send(new Uint8Array([1, MUX_KIND.close, 0xe8, 0x07, 0, 9])) },
    { name: 'message on a channel never opened', problem: /message on channel 5, never opened/, act: (r) => r.message(5, SYNC_STEP_1) },
    { name: 'close of a channel never opened', problem: /close of channel 9, never opened/, act: (r) => r.send({ channel: 9, kind: MUX_KIND.close, code: 1000, reason: '' }) },
    { name: 'OPENED from the device', problem: /frame kind 2 is the relay's to send/, act: (r) => r.send({ channel: 1, kind: MUX_KIND.opened }) },
    {
      name: 'duplicate channel id',
      problem: /channel 1 was already opened/,
      act: async (r) => {
        r.open(1, room, ws.token);
        await r.answer(1);
        r.open(1, room, ws.token);
      },
    },
    {
      name: 'channel ids going down',
      problem: /channel 3 was already opened/,
      act: async (r) => {
        r.open(4, room, ws.token);
        await r.answer(4);
        r.open(3, room, ws.token);
      },
    },
    {
      name: 'too many channels',
      problem: /more than 64 channels/,
      act: async (r) => {
        for (let c = 1; c <= 64; c++) r.open(c, room, ws.token);
        await r.answer(64);
        r.open(65, room, ws.token);
      },
    },
  ];
  for (const c of cases) {
    const raw = rawMux(relay);
    await within(`${c.name}: open`, raw.opened);
    const before = count(relay.stderr(), / mux\.malformed /);
    await c.act(raw);
    expect(await within(`${c.name}: closed`, raw.closed), c.name).toEqual({ code: 4400, reason: 'malformed mux frame' });
    await waitFor(`${c.name}: logged`, () => count(relay.stderr(), / mux\.malformed /) === before + 1);
    expect(relay.stderr().split('\n').filter((l) => / mux\.malformed /.test(l)).at(-1), c.name).toMatch(c.problem);
  }
  const text = rawMux(relay);
  await within('text open', text.opened);
  text.ws.send('hello');
  expect(await within('text closed', text.closed)).toEqual({ code: 1003, reason: 'text frames are not supported' });
  // An honest device is not affected.
  const honest = device(relay.syncUrl, ws.token)(room);
  await waitFor('honest synced', () => honest.state().status === 'synced');
});

test('/mux checks the Origin like /sync/, and a plain GET is told to upgrade', { timeout: 30_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir() });
  const foreign = rawMux(relay, { Origin: 'https://evil.example' });
  await expect(foreign.opened).rejects.toThrow('HTTP 403');
  const own = rawMux(relay, { Origin: relay.url });
  await within('own origin opens', own.opened);
  const res = await fetch(`${relay.url}/mux`);
  expect(res.status).toBe(426);
});

test('the speak-up link token opens the speak-up room over /mux and nothing else', { timeout: 30_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir() });
  const ws = await createdWorkspace(relay);
  const member = device(relay.syncUrl, ws.token)(`${ws.id}.speakup`);
  await waitFor('member synced', () => member.state().status === 'synced');
  const link = newLinkToken();
  const put = await fetch(`${relay.url}/speakup/${ws.id}/verifier`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ws.token}` },
    body: JSON.stringify({ verifier: await tokenVerifier(link) }),
  });
  expect(put.status).toBe(204);
  const other = newWorkspace();
  await waitSynced(connect(relay.syncUrl, `${other.id}.speakup`, new Y.Doc(), other.token));

  const raw = rawMux(relay);
  await within('raw open', raw.opened);
  raw.open(1, `${ws.id}.speakup`, link);
  raw.open(2, `${ws.id}.people`, link);
  raw.open(3, `${other.id}.speakup`, link);
  raw.open(4, `${ws.id}.speakup`, '');
  expect(await Promise.all([1, 2, 3, 4].map(raw.answer))).toEqual([
    'opened',
    { code: 4401, reason: 'bad credentials' },
    { code: 4401, reason: 'bad credentials' },
    { code: 4401, reason: 'missing credentials' },
  ]);
  // The link's channel may only add: a deletion closes that channel, not the socket.
  const del = new Y.Doc();
  del.getMap('reports').set('x', 1);
  const before = Y.encodeStateVector(del);
  del.getMap('reports').delete('x');
  const deletion = Y.encodeStateAsUpdate(del, before);
  raw.message(1, new Uint8Array([0, 2, ...lengthPrefixed(deletion)]));
  const refusal = await within('deletion refused', (async () => {
    await waitFor('close on 1', () => raw.frames.some((f) => f.channel === 1 && f.kind === MUX_KIND.close));
    return raw.frames.find((f) => f.channel === 1 && f.kind === MUX_KIND.close);
  })());
  expect(refusal).toMatchObject({ code: 4400, reason: 'not allowed in the speak-up room' });
  expect(raw.ws.readyState).toBe(WebSocket.OPEN);
  expect(relay.stderr()).not.toContain(link);
});

/** lib0 varUint length prefix + bytes. */
function lengthPrefixed(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let n = bytes.length;
  while (n > 127) {
    out.push((n & 127) | 128);
    n >>>= 7;
  }
  out.push(n);
  return [...out, ...bytes];
}

/** serveMux on an in-process server, with a recording accept(): the parts of a channel the relay's tests cannot time. */
async function inProcessMux(idleMs: number) {
  const http = await import('node:http');
  const { WebSocketServer } = await import('ws');
  const { serveMux } = await import('../../server/mux.ts');
  const server = http.createServer();
  const wss = new WebSocketServer({ server });
  const accepted: WebSocket[] = [];
  const lines: string[] = [];
  wss.on('connection', (ws, req) => serveMux(ws, req, { accept: (ch) => void accepted.push(ch), guard: () => {}, log: (level, event) => void lines.push(`${level} ${event}`), idleMs }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `ws://127.0.0.1:${(server.address() as { port: number }).port}/mux`;
  const stop = () => {
    wss.clients.forEach((c) => c.terminate());
    return new Promise<void>((r) => server.close(() => r()));
  };
  return { url, accepted, lines, stop };
}

test('a socket without channels is closed after the idle time; one ping answers every channel', { timeout: 20_000 }, async () => {
  const relay = await inProcessMux(300);
  try {
    const idle = new WebSocket(relay.url);
    raws.push(idle);
    const idleClosed = new Promise<{ code: number; reason: string }>((r) => idle.once('close', (code, reason) => r({ code, reason: reason.toString() })));
    expect(await within('idle socket closed', idleClosed)).toEqual({ code: 1000, reason: 'no open channels' });

    const ws = new WebSocket(relay.url);
    raws.push(ws);
    await new Promise((r) => ws.once('open', r));
    const frames: MuxFrame[] = [];
    ws.on('message', (d: Buffer) => frames.push(decodeMuxFrame(new Uint8Array(d))));
    const closed = new Promise<{ code: number; reason: string }>((r) => ws.once('close', (code, reason) => r({ code, reason: reason.toString() })));
    ws.send(encodeMuxFrame({ channel: 1, kind: MUX_KIND.open, room: 'a.b', credential: 'c' }));
    ws.send(encodeMuxFrame({ channel: 2, kind: MUX_KIND.open, room: 'a.c', credential: '' }));
    await waitFor('two channels accepted', () => relay.accepted.length === 2);
    const [one, two] = relay.accepted as unknown as Array<WebSocket & { emit: never }>;
    // The library pings each connection; one ping on the socket, and its pong reaches both channels.
    const pongs: number[] = [];
    one!.on('pong', () => pongs.push(1));
    two!.on('pong', () => pongs.push(2));
    one!.ping();
    two!.ping();
    await waitFor('pong on both channels', () => pongs.length === 2);
    expect(pongs.sort()).toEqual([1, 2]);
    // A channel's first send announces it; a closed channel's send fails (the library then drops it).
    await new Promise<void>((r, j) => one!.send(new Uint8Array([0, 0, 1, 0]), {}, (err) => (err ? j(err) : r())));
    await waitFor('two frames', () => frames.length === 2);
    expect(frames).toEqual([
      { channel: 1, kind: MUX_KIND.opened },
      { channel: 1, kind: MUX_KIND.message, message: new Uint8Array([0, 0, 1, 0]) },
    ]);
    one!.close(4401, 'credentials rotated');
    const err = await new Promise<Error | undefined>((r) => one!.send(new Uint8Array([1]), {}, r));
    expect(err?.message).toBe('channel is not open');
    await waitFor('close frame', () => frames.length === 3);
    expect(frames[2]).toEqual({ channel: 1, kind: MUX_KIND.close, code: 4401, reason: 'credentials rotated' });
    // While a channel is open the socket stays; after the last one ends, the idle time runs again.
    await sleep(500);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.send(encodeMuxFrame({ channel: 2, kind: MUX_KIND.close, code: 1000, reason: '' }));
    expect(await within('closed when idle again', closed)).toEqual({ code: 1000, reason: 'no open channels' });
  } finally {
    await relay.stop();
  }
});
