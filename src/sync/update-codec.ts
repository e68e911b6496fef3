import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

/*
 * Yjs v1 updates re-encoded from their decoded structs: what the device's sealer (./seal.ts) and the relay's
 * audience filter (server/audience.ts) rewrite. Pure: no doc, no DOM, no crypto.
 */

export type Struct = Y.Item | Y.GC | Y.Skip;
export type DeleteSet = ReturnType<typeof Y.decodeUpdate>['ds'];

/** A v1 update of these structs (each client's in clock order, as decodeUpdate gives them) and delete set (null: none). */
export function encodeUpdate(structs: readonly Struct[], ds: DeleteSet | null): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  const out = encoder.restEncoder;
  const runs: Struct[][] = [];
  for (const s of structs) {
    const last = runs[runs.length - 1];
    if (last && last[0]!.id.client === s.id.client) last.push(s);
    else runs.push([s]);
  }
  encoding.writeVarUint(out, runs.length);
  for (const run of runs) {
    encoding.writeVarUint(out, run.length);
    encoding.writeVarUint(out, run[0]!.id.client);
    encoding.writeVarUint(out, run[0]!.id.clock);
    for (const s of run) s.write(encoder, 0);
  }
  const clients = ds ? [...ds.clients] : [];
  encoding.writeVarUint(out, clients.length);
  for (const [client, ranges] of clients) {
    encoding.writeVarUint(out, client);
    encoding.writeVarUint(out, ranges.length);
    for (const r of ranges) {
      encoding.writeVarUint(out, r.clock);
      encoding.writeVarUint(out, r.len);
    }
  }
  return encoder.toUint8Array();
}

/**
 * An update cut into updates of at most about `maxBytes` each (a struct larger than that goes alone), in order,
 * the delete set with the last: applied one after the other they make the same document. A phone's first upload
 * of a year (sealing makes it larger) would otherwise be one message over the relay's limit.
 */
export function splitUpdate(update: Uint8Array, maxBytes: number): Uint8Array[] {
  if (update.length <= maxBytes) return [update];
  const { structs, ds } = Y.decodeUpdate(update);
  const parts: Struct[][] = [[]];
  let size = 0;
  for (const s of structs as Struct[]) {
    const one = new Y.UpdateEncoderV1();
    s.write(one, 0);
    const n = one.toUint8Array().length + 12;
    if (size + n > maxBytes && parts[parts.length - 1]!.length > 0) {
      parts.push([]);
      size = 0;
    }
    parts[parts.length - 1]!.push(s);
    size += n;
  }
  return parts.map((p, i) => encodeUpdate(p, i === parts.length - 1 ? ds : null));
}
