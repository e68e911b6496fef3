import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { syncMessage } from './mux';
import { WIRE } from './room-sync';

/*
 * Short-lived connections to one relay room, speaking just enough of the
 * y-websocket protocol: no provider, no awareness (which would announce a
 * client id), no reconnection, no local document. `sendUpdate` delivers one
 * update and waits until the relay holds it; `fetchRoom` reads the room once.
 * Both close the socket when done. For rooms a device only adds to through
 * an outbox (sync/outbox.ts), such as speak-up's.
 */

// y-websocket's and y-protocols' numbers, through room-sync.ts (why: see WIRE there).
const { messageSync, messageYjsSyncStep1, messageYjsSyncStep2, messageYjsUpdate } = WIRE;

export interface Connection {
  /** e.g. ws://127.0.0.1:8787/sync */
  serverUrl: string;
  /** The room's name on the relay, e.g. `<workspaceId>.speakup`. */
  room: string;
  /** Workspace relay credential, or the public link's token. */
  credential: string;
  /** A device proof for a workspace that admits proven devices only (src/sync/admit.ts); never on a public link's connection. */
  admit?: string | null;
  /** For Node: the `ws` package. */
  WebSocketImpl?: typeof WebSocket;
  timeoutMs?: number;
}

/** The relay closed the connection before the work was done (refused credentials, refused write, …). */
export class RelayClosed extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(code === 4401 ? 'The relay did not accept the credentials.' : `The relay closed the connection (${code}${reason ? ` ${reason}` : ''}).`);
  }
  /** 44xx: retrying the same thing will not help. */
  get final() {
    return this.code >= 4400 && this.code < 4500;
  }
}

function readSync(data: unknown): { kind: number; payload: Uint8Array } | null {
  if (!(data instanceof ArrayBuffer)) return null;
  try {
    const d = decoding.createDecoder(new Uint8Array(data));
    if (decoding.readVarUint(d) !== messageSync) return null;
    const kind = decoding.readVarUint(d);
    return { kind, payload: decoding.readVarUint8Array(d) };
  } catch {
    return null;
  }
}

function open<T>(c: Connection, onMessage: (ws: WebSocket, msg: { kind: number; payload: Uint8Array }, done: (v: T) => void) => void): Promise<T> {
  const Impl = c.WebSocketImpl ?? WebSocket;
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const ws = new Impl(`${c.serverUrl}/${c.room}?auth=${encodeURIComponent(c.credential)}${c.admit ? `&admit=${encodeURIComponent(c.admit)}` : ''}`);
    ws.binaryType = 'arraybuffer';
    const finish = (err: Error | null, value?: T) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      try {
        ws.close();
      } catch {
        // already closed
      }
      if (err) reject(err);
      else resolve(value as T);
    };
    const timer = setTimeout(() => finish(new Error('The relay did not answer in time.')), c.timeoutMs ?? 15_000);
    ws.onmessage = (event: MessageEvent) => {
      const msg = readSync(event.data);
      if (msg) {
        try {
          onMessage(ws, msg, (v) => finish(null, v));
        } catch (e) {
          finish(e instanceof Error ? e : new Error(String(e)));
        }
      }
    };
    ws.onerror = () => {
      // The close event follows with the code.
    };
    ws.onclose = (event: CloseEvent) => finish(event.code === 1000 || event.code === 1005 || event.code === 1006 ? new Error('Could not reach the relay.') : new RelayClosed(event.code, event.reason));
  });
}

const covers = (need: Map<number, number>, held: Map<number, number>) => [...need].every(([client, clock]) => (held.get(client) ?? 0) >= clock);

/**
 * Sends one update and resolves once the relay holds it: either its sync step 1
 * already covers it (sent before; nothing is sent twice) or it echoes it back.
 */
export function sendUpdate(c: Connection & { update: Uint8Array }): Promise<'sent' | 'already held'> {
  const need = Y.parseUpdateMeta(c.update).to;
  const held = new Map<number, number>();
  let sent = false;
  return open(c, (ws, msg, done) => {
    if (msg.kind === messageYjsSyncStep1) {
      for (const [client, clock] of Y.decodeStateVector(msg.payload)) held.set(client, Math.max(clock, held.get(client) ?? 0));
      if (covers(need, held)) return done(sent ? 'sent' : 'already held');
      if (!sent) {
        sent = true;
        ws.send(syncMessage(messageYjsUpdate, c.update));
      }
    } else if (msg.kind === messageYjsSyncStep2 || msg.kind === messageYjsUpdate) {
      for (const [client, clock] of Y.parseUpdateMeta(msg.payload).to) held.set(client, Math.max(clock, held.get(client) ?? 0));
      if (sent && covers(need, held)) done('sent');
    }
  });
}

/** Everything the room holds, as one update. Sends nothing but an empty state vector. */
export function fetchRoom(c: Connection): Promise<Uint8Array> {
  let asked = false;
  return open(c, (ws, msg, done) => {
    if (msg.kind === messageYjsSyncStep1 && !asked) {
      asked = true;
      ws.send(syncMessage(messageYjsSyncStep1, Y.encodeStateVector(new Map())));
    } else if (msg.kind === messageYjsSyncStep2 && asked) done(msg.payload);
  });
}
