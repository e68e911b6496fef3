import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { type RawData, WebSocket } from 'ws';
import { decodeMuxFrame, encodeMuxFrame, MAX_CHANNELS, MUX_KIND } from '../src/sync/mux.ts';
import type { Logger } from './log.ts';

/**
 * /mux: all of a device's rooms over one websocket (the frames are in
 * src/sync/mux.ts, the protocol in docs/RELAY.md "/mux"). Each channel the
 * device opens becomes a Channel, a stand-in for a `ws` WebSocket, and goes
 * through the relay's accept() exactly as a /sync/<room> socket does:
 * authorisation, budgets, frame checks and refusals all apply per channel.
 * A refusal closes the channel; a malformed mux frame closes the socket.
 */

export const MUX_PATH = '/mux';
/** A socket with no open channel for this long is closed: it holds a connection and costs no workspace anything. */
export const MUX_IDLE_MS = 30_000;
/**
 * Channels one socket may open per minute. An open costs the relay a room load when the room is not
 * open yet; on /sync/ each costs the client a handshake, here only a frame. A device opens about 15
 * at start and again after each drop.
 */
export const MAX_OPENS_PER_MINUTE = 300;
const MAX_REASON_BYTES = 123; // as in a websocket close frame

export interface MuxDeps {
  /** The relay's accept(): admits or refuses one room connection. */
  accept(ws: WebSocket, req: IncomingMessage, room: string, token: string | null): void;
  /** The relay's send guard: bounds what is queued on the socket. */
  guard(ws: WebSocket, label: string): void;
  log: Logger;
  idleMs?: number;
  maxOpensPerMinute?: number;
}

const truncate = (reason: string) => {
  const bytes = Buffer.from(reason);
  return bytes.length <= MAX_REASON_BYTES ? reason : bytes.subarray(0, MAX_REASON_BYTES).toString('utf8').replace(/\uFFFD+$/, '');
};

/**
 * One channel of a mux socket, with the surface that @y/websocket-server's
 * setupWSConnection and the relay's accept() use of a `ws` WebSocket.
 */
class Channel extends EventEmitter {
  static readonly CONNECTING = WebSocket.CONNECTING;
  static readonly OPEN = WebSocket.OPEN;
  static readonly CLOSING = WebSocket.CLOSING;
  static readonly CLOSED = WebSocket.CLOSED;
  /** Open from the start: accept() refuses by closing, as with a socket that has just been upgraded. */
  readyState: number = WebSocket.OPEN;
  binaryType = 'arraybuffer';
  private announced = false;

  constructor(
    private readonly socket: MuxSocket,
    readonly id: number,
  ) {
    super();
  }

  get bufferedAmount(): number {
    return this.socket.ws.bufferedAmount;
  }

  send(data: unknown, options?: unknown, cb?: (err?: Error) => void): void {
    if (typeof options === 'function') cb = options as (err?: Error) => void;
    if (this.readyState !== WebSocket.OPEN || this.socket.ws.readyState !== WebSocket.OPEN) {
      cb?.(new Error('channel is not open'));
      return;
    }
    // The device fires its socket's onopen on OPENED; it comes before the channel's first message.
    if (!this.announced) {
      this.announced = true;
      this.socket.send({ channel: this.id, kind: MUX_KIND.opened });
    }
    const message = data instanceof ArrayBuffer ? new Uint8Array(data) : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(String(data));
    this.socket.send({ channel: this.id, kind: MUX_KIND.message, message }, cb);
  }

  /** Closes this channel only; the device's provider sees `code` and `reason`. */
  close(code?: number, reason?: string): void {
    if (this.readyState !== WebSocket.OPEN) return;
    const why = truncate(reason ?? '');
    this.socket.send({ channel: this.id, kind: MUX_KIND.close, code: code ?? 1000, reason: why });
    this.ended(code ?? 1005, why);
  }

  /** The channel is over (closed by either side, or its socket went): 'close' on the next tick, as `ws` does. */
  ended(code: number, reason: string): void {
    if (this.readyState !== WebSocket.OPEN) return;
    this.readyState = WebSocket.CLOSING;
    this.socket.forget(this.id);
    process.nextTick(() => {
      this.readyState = WebSocket.CLOSED;
      this.emit('close', code, Buffer.from(reason));
    });
  }

  /** Shedding or a dead peer: the whole socket goes, and with it every channel. */
  terminate(): void {
    this.socket.ws.terminate();
  }

  ping(): void {
    this.socket.ping();
  }

  /** A message from the device, as `ws` delivers one with binaryType 'arraybuffer'. */
  deliver(message: Uint8Array): void {
    if (this.readyState !== WebSocket.OPEN) return;
    this.emit('message', message.slice().buffer, true);
  }
}

class MuxSocket {
  readonly channels = new Map<number, Channel>();
  /** Highest channel id opened so far; ids only grow. */
  private highest = 0;
  private pinging = false;
  private opens = { windowStart: Date.now(), count: 0 };
  private idle: NodeJS.Timeout | undefined;

  constructor(
    readonly ws: WebSocket,
    private readonly req: IncomingMessage,
    private readonly deps: MuxDeps,
  ) {
    ws.on('error', (err) => deps.log('warn', 'ws.error', { room: 'mux', error: err.message }));
    ws.on('message', (data: RawData, isBinary: boolean) => this.receive(data, isBinary));
    ws.on('pong', () => {
      this.pinging = false;
      for (const channel of this.channels.values()) channel.emit('pong');
    });
    ws.on('close', (code, reason) => {
      clearTimeout(this.idle);
      const text = reason.toString();
      for (const channel of [...this.channels.values()]) channel.ended(code, text);
      deps.log('info', 'mux.close', { code, opened: this.highest });
    });
    this.idleSoon();
    deps.log('info', 'mux.open');
  }

  send(frame: Parameters<typeof encodeMuxFrame>[0], cb?: (err?: Error) => void): void {
    this.ws.send(encodeMuxFrame(frame), { binary: true }, cb);
  }

  forget(id: number): void {
    this.channels.delete(id);
    if (this.channels.size === 0 && this.ws.readyState === WebSocket.OPEN) this.idleSoon();
  }

  /** One ping on the socket answers every channel's (the library pings each connection). */
  ping(): void {
    if (this.pinging || this.ws.readyState !== WebSocket.OPEN) return;
    this.pinging = true;
    this.ws.ping();
  }

  private mayOpen(): boolean {
    const now = Date.now();
    if (now - this.opens.windowStart >= 60_000) this.opens = { windowStart: now, count: 0 };
    return ++this.opens.count <= (this.deps.maxOpensPerMinute ?? MAX_OPENS_PER_MINUTE);
  }

  private idleSoon(): void {
    clearTimeout(this.idle);
    this.idle = setTimeout(() => {
      if (this.channels.size === 0 && this.ws.readyState === WebSocket.OPEN) this.ws.close(1000, 'no open channels');
    }, this.deps.idleMs ?? MUX_IDLE_MS);
    this.idle.unref();
  }

  private malformed(problem: string): void {
    this.deps.log('warn', 'mux.malformed', { problem: problem.slice(0, 200) });
    this.ws.close(4400, 'malformed mux frame');
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (!isBinary) {
      this.deps.log('warn', 'ws.refused', { room: 'mux', code: 1003, reason: 'text frames are not supported' });
      return this.ws.close(1003, 'text frames are not supported');
    }
    // binaryType is nodebuffer: one Buffer per message.
    const bytes = data as Buffer;
    let frame;
    try {
      frame = decodeMuxFrame(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (err) {
      return this.malformed(err instanceof Error ? err.message : String(err));
    }
    const channel = this.channels.get(frame.channel);
    // An id at or below the highest was used: its channel ended, and this frame crossed the CLOSE.
    const used = frame.channel <= this.highest;
    switch (frame.kind) {
      case MUX_KIND.open: {
        if (used) return this.malformed(`channel ${frame.channel} was already opened`);
        if (this.channels.size >= MAX_CHANNELS) return this.malformed(`more than ${MAX_CHANNELS} channels`);
        this.highest = frame.channel;
        if (!this.mayOpen()) {
          this.deps.log('warn', 'ws.refused', { room: frame.room.slice(0, 100), code: 4503, reason: 'too many channels opened, try later' });
          return this.send({ channel: frame.channel, kind: MUX_KIND.close, code: 4503, reason: 'too many channels opened, try later' });
        }
        const opened = new Channel(this, frame.channel);
        this.channels.set(frame.channel, opened);
        clearTimeout(this.idle);
        this.deps.accept(opened as unknown as WebSocket, this.req, frame.room, frame.credential === '' ? null : frame.credential);
        return;
      }
      case MUX_KIND.message:
        if (channel) channel.deliver(frame.message);
        else if (!used) this.malformed(`message on channel ${frame.channel}, never opened`);
        return;
      case MUX_KIND.close:
        if (channel) channel.ended(frame.code, frame.reason);
        else if (!used) this.malformed(`close of channel ${frame.channel}, never opened`);
        return;
      default:
        return this.malformed(`frame kind ${frame.kind} is the relay's to send`);
    }
  }
}

/** Serves one upgraded /mux socket. */
export function serveMux(ws: WebSocket, req: IncomingMessage, deps: MuxDeps): void {
  // What every channel sends is queued here: the guard bounds it and sheds (terminates) the socket.
  deps.guard(ws, 'mux');
  new MuxSocket(ws, req, deps);
}
