/** Yjs state vectors as maps of client id → clock (number of items seen from that client). */
export type StateVector = Map<number, number>;

/** What is known to be on the relay only grows: merge by taking the larger clock. */
export function mergeInto(target: StateVector, source: StateVector): boolean {
  let changed = false;
  for (const [client, clock] of source) {
    if ((target.get(client) ?? 0) < clock) {
      target.set(client, clock);
      changed = true;
    }
  }
  return changed;
}

/**
 * Local changes the relay has not confirmed: items this device holds that the
 * relay was not seen to hold. Each field edit is one Yjs item, so this counts edits.
 */
export function unconfirmedCount(local: StateVector, relay: StateVector): number {
  let n = 0;
  for (const [client, clock] of local) n += Math.max(0, clock - (relay.get(client) ?? 0));
  return n;
}
