import { describe, expect, it } from 'vitest';
import { decodeMuxFrame, encodeMuxFrame, MAX_CHANNELS, MUX_KIND, type MuxFrame, muxWebSocket, type WebSocketClass } from './mux';

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

/** A physical socket the test drives by hand: it records frames and opens/closes when told. */
class FakeSocket {
  static made: FakeSocket[] = [];
  readyState = 0;
  bufferedAmount = 0;
  binaryType = 'blob';
  onopen: ((e: unknown) => void) | null = null;
  onmessage: ((e: { data: ArrayBuffer }) => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  sent: MuxFrame[] = [];
  closedWith: { code?: number; reason?: string } | undefined;
  constructor(readonly url: string) {
    FakeSocket.made.push(this);
  }
  send(data: Uint8Array) {
    if (this.readyState !== 1) throw new Error('fake socket not open');
    this.sent.push(decodeMuxFrame(data));
  }
  close(code?: number, reason?: string) {
    this.closedWith = { code, reason };
    this.readyState = 2;
  }
  // --- the test's side ---
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  deliver(frame: MuxFrame | Uint8Array) {
    const bytes = frame instanceof Uint8Array ? frame : encodeMuxFrame(frame);
    this.onmessage?.({ data: bytes.slice().buffer });
  }
  drop(code = 1006, reason = '') {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}

/** A fresh physical class per test, so pools do not leak between tests. */
const freshClass = () => class extends FakeSocket {} as unknown as WebSocketClass & typeof FakeSocket;

interface Seen {
  opened: number;
  messages: Uint8Array[];
  closes: Array<{ code: number; reason: string }>;
}
function channel(WS: typeof WebSocket, url: string) {
  const ws = new WS(url);
  const seen: Seen = { opened: 0, messages: [], closes: [] };
  ws.onopen = () => seen.opened++;
  ws.onmessage = (e) => seen.messages.push(new Uint8Array(e.data as ArrayBuffer));
  ws.onclose = (e) => seen.closes.push({ code: e.code, reason: e.reason });
  return { ws, seen };
}
const room = (n: number) => `ws://relay.test/sync/wsAAAAAAAAAAAAAAAAAA.r${n}?auth=cred${n}`;
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('mux frames', () => {
  it('round-trips every kind', () => {
    const frames: MuxFrame[] = [
      { channel: 1, kind: MUX_KIND.open, room: 'a.b', credential: 'c' },
      { channel: 300, kind: MUX_KIND.opened },
      { channel: 2 ** 40, kind: MUX_KIND.message, message: new Uint8Array([0, 0, 1, 0]) },
      { channel: 7, kind: MUX_KIND.close, code: 4401, reason: 'credentials rotated' },
    ];
    for (const f of frames) expect(decodeMuxFrame(encodeMuxFrame(f))).toEqual(f);
  });

  it('says what is wrong with a malformed frame', () => {
    expect(() => decodeMuxFrame(new Uint8Array([0x80]))).toThrow(/end of array/i);
    expect(() => decodeMuxFrame(new Uint8Array([1, 9]))).toThrow('unknown frame kind 9');
    expect(() => decodeMuxFrame(new Uint8Array([1, MUX_KIND.opened, 0]))).toThrow('trailing bytes');
    expect(() => decodeMuxFrame(encodeMuxFrame({ channel: 1, kind: MUX_KIND.close, code: 999, reason: '' }))).toThrow('close code 999 out of range');
    expect(() => decodeMuxFrame(new Uint8Array([1, MUX_KIND.open, 5, 97]))).toThrow(/end of array/i);
    expect(() => decodeMuxFrame(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0]))).toThrow();
  });
});

describe('muxWebSocket', () => {
  it('gives every room a channel of one socket, opened once; each channel opens when the relay says so', () => {
    const WS = freshClass();
    const Mux = muxWebSocket(WS);
    expect(muxWebSocket(WS)).toBe(Mux);
    const [a, b, c] = [1, 2, 3].map((n) => channel(Mux, room(n)));
    expect(FakeSocket.made.filter((s) => s instanceof WS).map((s) => s.url)).toEqual(['ws://relay.test/mux']);
    const phys = FakeSocket.made.at(-1)!;
    expect(phys.binaryType).toBe('arraybuffer');
    expect(a!.ws.readyState).toBe(CONNECTING);
    phys.open();
    expect(phys.sent).toEqual([1, 2, 3].map((n) => ({ channel: n, kind: MUX_KIND.open, room: `wsAAAAAAAAAAAAAAAAAA.r${n}`, credential: `cred${n}` })));
    // Opened only by the relay's OPENED, one channel at a time.
    phys.deliver({ channel: 2, kind: MUX_KIND.opened });
    expect([a!.seen.opened, b!.seen.opened, c!.seen.opened]).toEqual([0, 1, 0]);
    expect(b!.ws.readyState).toBe(OPEN);
    expect(() => a!.ws.send(new Uint8Array([1]))).toThrow(/not open/);
    phys.deliver({ channel: 2, kind: MUX_KIND.message, message: new Uint8Array([0, 0, 1, 0]) });
    expect(b!.seen.messages).toEqual([new Uint8Array([0, 0, 1, 0])]);
    expect(a!.seen.messages).toEqual([]);
    b!.ws.send(new Uint8Array([1, 2, 3]).subarray(1));
    expect(phys.sent.at(-1)).toEqual({ channel: 2, kind: MUX_KIND.message, message: new Uint8Array([2, 3]) });
    // A fourth room joins the open socket at once.
    channel(Mux, room(4));
    expect(phys.sent.at(-1)).toMatchObject({ channel: 4, kind: MUX_KIND.open });
    expect(FakeSocket.made.filter((s) => s instanceof WS)).toHaveLength(1);
  });

  it('a refusal closes one channel with its code and reason; the others stay', () => {
    const WS = freshClass();
    const Mux = muxWebSocket(WS);
    const [a, b] = [1, 2].map((n) => channel(Mux, room(n)));
    const phys = FakeSocket.made.at(-1)!;
    phys.open();
    phys.deliver({ channel: 2, kind: MUX_KIND.opened });
    phys.deliver({ channel: 1, kind: MUX_KIND.close, code: 4401, reason: 'bad credentials' });
    expect(a!.seen.closes).toEqual([{ code: 4401, reason: 'bad credentials' }]);
    expect(a!.ws.readyState).toBe(CLOSED);
    expect(b!.seen.closes).toEqual([]);
    expect(phys.closedWith).toBeUndefined();
    // A late frame for the closed channel is dropped, not delivered or fatal.
    phys.deliver({ channel: 1, kind: MUX_KIND.message, message: new Uint8Array([0]) });
    expect(a!.seen.messages).toEqual([]);
    expect(phys.closedWith).toBeUndefined();
  });

  it('when the socket drops every channel closes; the next channel opens a new socket', () => {
    const WS = freshClass();
    const Mux = muxWebSocket(WS);
    const chans = [1, 2, 3].map((n) => channel(Mux, room(n)));
    const phys = FakeSocket.made.at(-1)!;
    phys.open();
    phys.deliver({ channel: 1, kind: MUX_KIND.opened });
    phys.drop(1001, 'relay shutting down');
    expect(chans.map((c) => c.seen.closes)).toEqual(chans.map(() => [{ code: 1001, reason: 'relay shutting down' }]));
    channel(Mux, room(1));
    const again = FakeSocket.made.filter((s) => s instanceof WS);
    expect(again).toHaveLength(2);
    again[1]!.open();
    // Channel ids start again on a new socket.
    expect(again[1]!.sent).toEqual([{ channel: 1, kind: MUX_KIND.open, room: 'wsAAAAAAAAAAAAAAAAAA.r1', credential: 'cred1' }]);
  });

  it('closing a channel tells the relay; the socket closes with its last channel', async () => {
    const WS = freshClass();
    const Mux = muxWebSocket(WS);
    const [a, b, c] = [1, 2, 3].map((n) => channel(Mux, room(n)));
    const phys = FakeSocket.made.at(-1)!;
    // Closed before the socket opened: never asked for.
    c!.ws.close();
    phys.open();
    expect(phys.sent.map((f) => f.channel)).toEqual([1, 2]);
    a!.ws.close();
    expect(phys.sent.at(-1)).toEqual({ channel: 1, kind: MUX_KIND.close, code: 1000, reason: '' });
    expect(a!.ws.readyState).toBe(CLOSING);
    await tick();
    expect(a!.seen.closes).toEqual([{ code: 1000, reason: '' }]);
    expect(phys.closedWith).toBeUndefined();
    b!.ws.close();
    expect(phys.closedWith).toEqual({ code: 1000, reason: 'no open channels' });
    // The closing socket is not reused.
    channel(Mux, room(5));
    expect(FakeSocket.made.filter((s) => s instanceof WS)).toHaveLength(2);
  });

  it('closes the socket on a malformed frame from the relay', () => {
    const WS = freshClass();
    channel(muxWebSocket(WS), room(1));
    const phys = FakeSocket.made.at(-1)!;
    phys.open();
    phys.deliver(new Uint8Array([1, 9]));
    expect(phys.closedWith).toEqual({ code: 4400, reason: 'malformed mux frame' });
  });

  it(`opens another socket past ${MAX_CHANNELS} channels`, () => {
    const WS = freshClass();
    const Mux = muxWebSocket(WS);
    for (let n = 0; n <= MAX_CHANNELS; n++) channel(Mux, room(n));
    const made = FakeSocket.made.filter((s) => s instanceof WS);
    expect(made).toHaveLength(2);
    made.forEach((s) => s.open());
    expect(made.map((s) => s.sent.length)).toEqual([MAX_CHANNELS, 1]);
  });

  it('refuses a URL that is not a room', () => {
    expect(() => new (muxWebSocket(freshClass()))('ws://relay.test/elsewhere')).toThrow(SyntaxError);
  });
});
