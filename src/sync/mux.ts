import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { admitParams } from './admit';

/**
 * Every room of a device over one websocket (docs/RELAY.md "/mux").
 *
 * A browser opens one websocket to a host at a time (RFC 6455, "one
 * CONNECTING"), so fifteen rooms on fifteen sockets wait for fifteen
 * handshakes in a row. Here each y-websocket provider's socket is a channel
 * of one shared socket to the relay's /mux, and the handshake happens once.
 *
 * Frame (both directions): varuint channel, varuint kind, then
 *   MESSAGE  the rest is one y-websocket message of that channel
 *   OPEN     varstring room, varstring credential           (device → relay)
 *   OPENED   nothing: the relay admitted the channel         (relay → device)
 *   CLOSE    varuint code, varstring reason: the channel ended (either way)
 * Channel ids start at 1 and only grow on one socket, so a frame that crosses
 * a CLOSE (an id that was used) is dropped and never mistaken for a new one.
 */

export const MUX_KIND = { message: 0, open: 1, opened: 2, close: 3 } as const;
/** Channels one socket may have open at once; the relay closes a socket that opens more (4400). */
export const MAX_CHANNELS = 64;

export type MuxFrame =
  | { channel: number; kind: typeof MUX_KIND.message; message: Uint8Array }
  | { channel: number; kind: typeof MUX_KIND.open; room: string; credential: string }
  | { channel: number; kind: typeof MUX_KIND.opened }
  | { channel: number; kind: typeof MUX_KIND.close; code: number; reason: string };

export function encodeMuxFrame(frame: MuxFrame): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, frame.channel);
  encoding.writeVarUint(e, frame.kind);
  if (frame.kind === MUX_KIND.message) encoding.writeUint8Array(e, frame.message);
  else if (frame.kind === MUX_KIND.open) {
    encoding.writeVarString(e, frame.room);
    encoding.writeVarString(e, frame.credential);
  } else if (frame.kind === MUX_KIND.close) {
    encoding.writeVarUint(e, frame.code);
    encoding.writeVarString(e, frame.reason);
  }
  return encoding.toUint8Array(e);
}

const safeUint = (d: decoding.Decoder, what: string) => {
  const n = decoding.readVarUint(d);
  if (!Number.isSafeInteger(n)) throw new Error(`${what} out of range`);
  return n;
};

/** Throws an Error saying what is wrong with a malformed frame. */
export function decodeMuxFrame(bytes: Uint8Array): MuxFrame {
  const d = decoding.createDecoder(bytes);
  const channel = safeUint(d, 'channel');
  const kind = safeUint(d, 'kind');
  let frame: MuxFrame;
  if (kind === MUX_KIND.message) return { channel, kind, message: bytes.subarray(d.pos) };
  if (kind === MUX_KIND.open) frame = { channel, kind, room: decoding.readVarString(d), credential: decoding.readVarString(d) };
  else if (kind === MUX_KIND.opened) frame = { channel, kind };
  else if (kind === MUX_KIND.close) {
    const code = safeUint(d, 'close code');
    if (code < 1000 || code > 4999) throw new Error(`close code ${code} out of range`);
    frame = { channel, kind, code, reason: decoding.readVarString(d) };
  } else throw new Error(`unknown frame kind ${kind}`);
  if (decoding.hasContent(d)) throw new Error('trailing bytes');
  return frame;
}

/** What this module needs of a WebSocket class: the browser's, or `ws` in Node. */
type PhysicalSocket = Pick<WebSocket, 'readyState' | 'bufferedAmount' | 'binaryType' | 'send' | 'close' | 'onopen' | 'onmessage' | 'onclose' | 'onerror'>;
export type WebSocketClass = new (url: string) => PhysicalSocket;

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

/** `ws://host/sync/<room>?auth=<credential>` → where it goes over the mux. */
function channelOf(url: string): { muxUrl: string; room: string; credential: string } {
  const u = new URL(url);
  const m = /^(.*)\/sync\/([^/]+)$/.exec(u.pathname);
  if (!m) throw new SyntaxError(`not a room URL: ${u.origin}${u.pathname}`);
  return { muxUrl: `${u.protocol}//${u.host}${m[1]}/mux`, room: decodeURIComponent(m[2]!), credential: u.searchParams.get('auth') ?? '' };
}

interface ChannelEnd {
  readyState: number;
  opened(): void;
  message(data: ArrayBuffer): void;
  ended(code: number, reason: string): void;
  error(event: unknown): void;
}

/** One physical socket and its channels. Closed when its last channel closes. */
class Link {
  /** Null while this device's proofs are being made (an enrolled workspace, src/sync/admit.ts). */
  ws: PhysicalSocket | null = null;
  readonly channels = new Map<number, ChannelEnd>();
  private readonly pending: Array<{ id: number; room: string; credential: string }> = [];
  private nextId = 1;

  constructor(WS: WebSocketClass, url: string, private readonly forget: (link: Link) => void) {
    const proofs = admitParams();
    if (proofs === null) this.start(WS, url);
    else
      void proofs.then((admit) => {
        if (this.channels.size === 0) return this.forget(this);
        const sep = url.includes('?') ? '&' : '?';
        this.start(WS, admit.length ? `${url}${sep}${admit.map((a) => `admit=${encodeURIComponent(a)}`).join('&')}` : url);
      });
  }

  private start(WS: WebSocketClass, url: string): void {
    this.ws = new WS(url);
    this.ws.binaryType = 'arraybuffer';
    this.ws.onopen = () => {
      for (const p of this.pending.splice(0)) if (this.channels.has(p.id)) this.frame({ channel: p.id, kind: MUX_KIND.open, room: p.room, credential: p.credential });
    };
    this.ws.onmessage = (event: MessageEvent) => this.receive(new Uint8Array(event.data as ArrayBuffer));
    // Every channel ends with the socket; each provider then runs its own reconnect and backoff.
    this.ws.onclose = (event: CloseEvent) => {
      this.forget(this);
      const ends = [...this.channels.values()];
      this.channels.clear();
      for (const end of ends) end.ended(event.code, event.reason);
    };
    this.ws.onerror = (event: Event) => this.channels.forEach((end) => end.error(event));
  }

  get usable(): boolean {
    return (this.ws === null || this.ws.readyState <= OPEN) && this.channels.size < MAX_CHANNELS;
  }

  open(end: ChannelEnd, room: string, credential: string): number {
    const id = this.nextId++;
    this.channels.set(id, end);
    if (this.ws?.readyState === OPEN) this.frame({ channel: id, kind: MUX_KIND.open, room, credential });
    else this.pending.push({ id, room, credential });
    return id;
  }

  frame(frame: MuxFrame): void {
    if (this.ws?.readyState === OPEN) this.ws.send(encodeMuxFrame(frame) as Uint8Array<ArrayBuffer>);
  }

  /** A channel closed from this side. */
  close(id: number, code: number, reason: string): void {
    if (!this.channels.delete(id)) return;
    this.frame({ channel: id, kind: MUX_KIND.close, code, reason });
    this.release();
  }

  private release(): void {
    if (this.channels.size > 0) return;
    this.forget(this);
    this.ws?.close(1000, 'no open channels');
  }

  private receive(bytes: Uint8Array): void {
    let frame: MuxFrame;
    try {
      frame = decodeMuxFrame(bytes);
    } catch {
      return this.ws?.close(4400, 'malformed mux frame');
    }
    // A frame for a channel this side already closed crossed the CLOSE: dropped.
    const end = this.channels.get(frame.channel);
    if (!end) return;
    if (frame.kind === MUX_KIND.opened) end.opened();
    else if (frame.kind === MUX_KIND.message) end.message(frame.message.slice().buffer);
    else if (frame.kind === MUX_KIND.close) {
      this.channels.delete(frame.channel);
      end.ended(frame.code, frame.reason);
      this.release();
    }
  }
}

const classes = new WeakMap<WebSocketClass, typeof WebSocket>();

/**
 * A WebSocket class for y-websocket's `WebSocketPolyfill`: each instance is a
 * channel of one shared socket per relay (opened by the first channel, closed
 * after the last). `WS` is the real class (`ws` in Node tests).
 */
/** Rooms this device's role only reads (issue 18): its sync step 2 and updates stay here, the relay would refuse them. */
export const readOnlyRooms = new Set<string>();

/** Seals what a room's channel sends and opens what it receives (src/sync/seal.ts: the blind relay). */
export interface Sealer {
  /** The update sealed, in one or more updates (a large one is cut so no message passes the relay's limit). */
  parts(update: Uint8Array): Promise<Uint8Array[]>;
  open(update: Uint8Array): Promise<Uint8Array>;
}
/** Per room, its sealer: set by src/sync/workspace-sync.ts for a workspace with a content key. */
export const roomSealers = new Map<string, Sealer>();
/** The close code a channel ends with, on this device only, when what the relay sent does not open with this device's key. */
export const CLOSE_UNSEALED = 4490;

/** A sync message's step and update (step 2 or update), or null for anything else (step 1, awareness). */
function syncUpdateOf(message: Uint8Array): { step: number; update: Uint8Array } | null {
  if (message[0] !== 0 || !(message[1]! > 0)) return null;
  const d = decoding.createDecoder(message);
  decoding.readVarUint(d);
  const step = decoding.readVarUint(d);
  return step === 1 || step === 2 ? { step, update: decoding.readVarUint8Array(d) } : null;
}

/** One y-websocket sync message (step 1, step 2 or update) carrying `payload`. */
export function syncMessage(step: number, payload: Uint8Array): Uint8Array<ArrayBuffer> {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, step);
  encoding.writeVarUint8Array(e, payload);
  return new Uint8Array(encoding.toUint8Array(e));
}

export function muxWebSocket(WS: WebSocketClass): typeof WebSocket {
  const known = classes.get(WS);
  if (known) return known;
  const links = new Map<string, Link[]>();
  const linkFor = (muxUrl: string): Link => {
    const list = links.get(muxUrl) ?? [];
    const usable = list.find((l) => l.usable);
    if (usable) return usable;
    const link = new Link(WS, muxUrl, (gone) => {
      const rest = (links.get(muxUrl) ?? []).filter((l) => l !== gone);
      if (rest.length) links.set(muxUrl, rest);
      else links.delete(muxUrl);
    });
    links.set(muxUrl, [...list, link]);
    return link;
  };

  class MuxSocket implements ChannelEnd {
    static readonly CONNECTING = CONNECTING;
    static readonly OPEN = OPEN;
    static readonly CLOSING = CLOSING;
    static readonly CLOSED = CLOSED;
    readonly CONNECTING = CONNECTING;
    readonly OPEN = OPEN;
    readonly CLOSING = CLOSING;
    readonly CLOSED = CLOSED;
    readyState = CONNECTING;
    binaryType: BinaryType = 'arraybuffer';
    readonly protocol = '';
    readonly extensions = '';
    onopen: ((event: Event) => void) | null = null;
    onmessage: ((event: MessageEvent) => void) | null = null;
    onclose: ((event: CloseEvent) => void) | null = null;
    onerror: ((event: Event) => void) | null = null;
    private readonly link: Link;
    private readonly id: number;
    private readonly room: string;
    private readonly sealer: Sealer | undefined;
    /** With a sealer, sending and receiving are asynchronous: each direction keeps its order in a chain. */
    private sending: Promise<void> = Promise.resolve();
    private receiving: Promise<void> = Promise.resolve();

    constructor(readonly url: string) {
      const { muxUrl, room, credential } = channelOf(url);
      this.room = room;
      this.sealer = roomSealers.get(room);
      this.link = linkFor(muxUrl);
      this.id = this.link.open(this, room, credential);
    }

    get bufferedAmount(): number {
      return this.link.ws?.bufferedAmount ?? 0;
    }

    send(data: ArrayBufferLike | ArrayBufferView): void {
      if (this.readyState === CONNECTING) throw new DOMException('the channel is not open yet', 'InvalidStateError');
      if (this.readyState !== OPEN) return;
      const message = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
      // Sync (0) step 2 (1) or update (2): this device's changes. Step 1 and awareness only ask and tell.
      if (message[0] === 0 && message[1]! > 0 && readOnlyRooms.has(this.room)) return;
      const sealer = this.sealer;
      if (!sealer) return this.link.frame({ channel: this.id, kind: MUX_KIND.message, message });
      const copy = message.slice();
      this.sending = this.sending.then(async () => {
        const sync = syncUpdateOf(copy);
        // A step 2 cut in parts: the first keeps its kind, the others go as updates (the relay applies both alike).
        const out = sync ? (await sealer.parts(sync.update)).map((part, i) => syncMessage(i === 0 ? sync.step : 2, part)) : [copy];
        for (const message of out) if (this.readyState === OPEN) this.link.frame({ channel: this.id, kind: MUX_KIND.message, message });
      }).catch((err: unknown) => console.warn(`not sent to ${this.room}`, err));
    }

    close(code = 1000, reason = ''): void {
      if (this.readyState >= CLOSING) return;
      this.link.close(this.id, code, reason);
      // As a browser does: onclose comes later, not inside close().
      this.readyState = CLOSING;
      setTimeout(() => this.ended(code, reason), 0);
    }

    opened(): void {
      if (this.readyState !== CONNECTING) return;
      this.readyState = OPEN;
      this.onopen?.(new Event('open'));
    }

    message(data: ArrayBuffer): void {
      if (this.readyState !== OPEN) return;
      const sealer = this.sealer;
      if (!sealer) return this.onmessage?.({ data } as MessageEvent);
      this.receiving = this.receiving.then(async () => {
        const sync = syncUpdateOf(new Uint8Array(data));
        let opened: ArrayBuffer = data;
        try {
          if (sync) opened = syncMessage(sync.step, await sealer.open(sync.update)).buffer as ArrayBuffer;
        } catch (err) {
          // Nothing of the room reaches the document: it does not open here (no key, or someone else's).
          console.warn(`${this.room}: what the relay sent does not open with this device's key`, err);
          if (this.readyState !== OPEN) return;
          this.link.close(this.id, 1000, 'does not open');
          return this.ended(CLOSE_UNSEALED, 'sealed with a key this device does not hold');
        }
        if (this.readyState === OPEN) this.onmessage?.({ data: opened } as MessageEvent);
      });
    }

    ended(code: number, reason: string): void {
      if (this.readyState === CLOSED) return;
      this.readyState = CLOSED;
      this.onclose?.({ code, reason, wasClean: code !== 1006 } as CloseEvent);
    }

    error(event: unknown): void {
      this.onerror?.(event as Event);
    }
  }
  const cls = MuxSocket as unknown as typeof WebSocket;
  classes.set(WS, cls);
  return cls;
}
