/** Yjs state vectors as maps of client id → clock (number of items seen from that client). */
export type StateVector = Map<number, number>;

/** The end of one local change (a Yjs transaction): [client id, clock after it]. */
export type ChangeMarker = [client: number, clock: number];

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

/** Items (field writes) this device holds that the relay was not seen to hold. */
export function itemsAhead(local: StateVector, relay: StateVector): number {
  let n = 0;
  for (const [client, clock] of local) n += Math.max(0, clock - (relay.get(client) ?? 0));
  return n;
}

/** Markers of changes the relay has not confirmed yet. */
export function pendingMarkers(markers: readonly ChangeMarker[], relay: StateVector): ChangeMarker[] {
  return markers.filter(([client, clock]) => (relay.get(client) ?? 0) < clock);
}

/**
 * Changes the relay has not confirmed, as a person counts them: adding a
 * person is one change, not one per field. Items the relay lacks with no
 * marker (markers lost in a crash) still count as one, so the indicator never
 * claims "synced" while anything is missing from the relay.
 */
export function unconfirmedChanges(markers: readonly ChangeMarker[], relay: StateVector, ahead: number): number {
  if (ahead === 0) return 0;
  return Math.max(1, pendingMarkers(markers, relay).length);
}
