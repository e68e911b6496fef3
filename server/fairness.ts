import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { messageSync } from 'y-websocket';
import * as Y from 'yjs';

/**
 * What one socket's frames may cost the others (docs/RELAY.md "Fairness"):
 * awareness rate and size per socket, and updates whose dependencies the
 * room does not have. The relay's gate (server/relay.ts) asks these per frame.
 */

/** A socket whose updates left pending data this many times is closed (an honest client: about once per connection). */
export const MAX_PENDING_FRAMES = 8;

export interface AwarenessLimits {
  maxAwarenessBytes: number;
  awarenessPerSecond: number;
  awarenessBytesPerSecond: number;
}

/** What a socket's awareness (presence) message would change; see createAwarenessLimiter. */
interface AwarenessView {
  meta: Map<number, { clock: number }>;
  states: Map<number, unknown>;
}

/**
 * Token buckets for one socket's awareness messages: `awarenessPerSecond`
 * messages (bursts of twice that) and `awarenessBytesPerSecond` bytes (bursts
 * of one second's worth, at least one largest state), and no state over
 * `maxAwarenessBytes`. Only entries newer than what the room has count: the
 * relay broadcasts those to every socket of the room. The y-websocket client
 * echoes every change it hears back to the relay at the same clock; those
 * change nothing and cost one parse, so an honest member is never refused
 * because someone else is noisy. An honest client's own state changes when it
 * connects and every 15 s. Returns why a frame is refused, or null.
 */
export function createAwarenessLimiter(limits: AwarenessLimits, now: () => number = performance.now.bind(performance)) {
  const maxMessages = limits.awarenessPerSecond * 2;
  const maxBytes = Math.max(limits.awarenessBytesPerSecond, limits.maxAwarenessBytes);
  let messages = maxMessages;
  let bytes = maxBytes;
  let at = now();
  /** `frame` has passed frameProblem: it is an awareness message that parses. */
  return (frame: Uint8Array, room: AwarenessView): { code: 'tooLarge' | 'tooFast'; reason: string } | null => {
    const outer = decoding.createDecoder(frame);
    decoding.readVarUint(outer);
    const d = decoding.createDecoder(decoding.readVarUint8Array(outer));
    let fresh = 0;
    for (let i = decoding.readVarUint(d); i > 0; i--) {
      const client = decoding.readVarUint(d);
      const clock = decoding.readVarUint(d);
      const json = decoding.readVarString(d);
      const size = Buffer.byteLength(json);
      if (size > limits.maxAwarenessBytes) return { code: 'tooLarge', reason: `awareness state larger than ${limits.maxAwarenessBytes} bytes` };
      // As applyAwarenessUpdate decides: a newer clock, or a removal at the same clock, changes the room.
      const known = room.meta.get(client)?.clock ?? -1;
      if (clock > known || (clock === known && json === 'null' && room.states.has(client))) fresh += size + 8;
    }
    if (fresh === 0) return null;
    const t = now();
    const seconds = (t - at) / 1000;
    at = t;
    messages = Math.min(maxMessages, messages + seconds * limits.awarenessPerSecond);
    bytes = Math.min(maxBytes, bytes + seconds * limits.awarenessBytesPerSecond);
    if (messages < 1 || bytes < fresh) return { code: 'tooFast', reason: 'too many awareness updates, try later' };
    messages -= 1;
    bytes -= fresh;
    return null;
  };
}

/**
 * Yjs keeps the structs and deletions of an update whose dependencies the
 * document lacks in `store.pendingStructs` / `pendingDs`, merges every later
 * pending update into them (quadratic) and sends them on in every sync step 2.
 * The relay keeps none across frames: after each frame it drops what stayed
 * pending. Nothing is lost: pending data was never integrated, stored or sent
 * on, and the client still holds it; the relay asks it for what is missing
 * (a sync step 1, answered with everything the room lacks).
 * Returns true when something was dropped.
 */
export function dropPending(doc: Y.Doc): boolean {
  const store = doc.store;
  if (store.pendingStructs === null && store.pendingDs === null) return false;
  store.pendingStructs = null;
  store.pendingDs = null;
  return true;
}

/** The sync step 1 message the relay sends to ask a client for what the room lacks. */
export function syncStep1(doc: Y.Doc): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, messageSync);
  syncProtocol.writeSyncStep1(e, doc);
  return encoding.toUint8Array(e);
}
