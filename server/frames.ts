import * as decoding from 'lib0/decoding';
import { messageYjsSyncStep1, messageYjsSyncStep2, messageYjsUpdate } from 'y-protocols/sync';
import { messageAuth, messageAwareness, messageQueryAwareness, messageSync } from 'y-websocket';
import * as Y from 'yjs';

/**
 * Checks that a binary frame parses as a y-websocket message before the
 * library sees it. This is not a second implementation of the protocol: the
 * library still does all the work. It exists because y-protocols' readSyncStep2
 * catches (and only logs) errors from Y.applyUpdate, so a malformed update would
 * otherwise never be reported and its sender would stay connected.
 */

/**
 * Throws if the update is malformed. Y.decodeUpdate reads every struct and the
 * delete set, but some corrupt updates decode and then make Y.applyUpdate throw
 * part-way (e.g. a struct whose parent id points nowhere), after part of them
 * was integrated. Integrating into an empty scratch document catches those
 * before the room sees a byte: a valid update whose dependencies are missing
 * there is only kept pending, it does not throw. Costs one extra integration
 * of the update, not a copy of the room.
 */
function integrates(update: Uint8Array): void {
  // First the lazy decoder: it rejects struct counts the bytes cannot hold
  // before applyUpdate would allocate an array of that length.
  Y.decodeUpdate(update);
  const scratch = new Y.Doc({ gc: false });
  try {
    Y.applyUpdate(scratch, update);
  } finally {
    scratch.destroy();
  }
}

/** Why the frame is malformed, or null when it parses. */
export function frameProblem(frame: Uint8Array): string | null {
  try {
    const decoder = decoding.createDecoder(frame);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case messageSync: {
        const step = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (step === messageYjsSyncStep1) Y.decodeStateVector(payload);
        else if (step === messageYjsSyncStep2 || step === messageYjsUpdate) integrates(payload);
        else return `unknown sync step ${step}`;
        return null;
      }
      case messageAwareness: {
        // Read as applyAwarenessUpdate will, so that a bad one is refused here with one log line
        // instead of the library printing a stack trace: count, then (client, clock, JSON state) each.
        const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
        const count = decoding.readVarUint(update);
        for (let i = 0; i < count; i++) {
          decoding.readVarUint(update);
          decoding.readVarUint(update);
          JSON.parse(decoding.readVarString(update));
        }
        return null;
      }
      case messageAuth:
      case messageQueryAwareness:
        return null; // valid protocol, ignored by the server
      default:
        return `unknown message type ${type}`;
    }
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
