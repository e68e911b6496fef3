import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { messageYjsSyncStep1, messageYjsSyncStep2, messageYjsUpdate } from 'y-protocols/sync';
import { messageSync, WebsocketProvider } from 'y-websocket';

/**
 * The protocol's message numbers, from y-websocket and y-protocols. short-room.ts takes them from
 * here, not from the libraries: a second importer of y-websocket (the public page's) would split it
 * into a chunk of its own, ~430 B more on Home's path (test/integration/home-budget.test.ts).
 */
export const WIRE = { messageSync, messageYjsSyncStep1, messageYjsSyncStep2, messageYjsUpdate } as const;
import * as Y from 'yjs';
import { CLOSE_DEVICE, CLOSE_ROOM, CLOSE_VIEW, wantProof } from './admit';
import { CLOSE_UNSEALED, muxWebSocket, readOnlyRooms } from './mux';
import { type ChangeMarker, itemsAhead, mergeInto, pendingMarkers, type StateVector, unconfirmedChanges } from './pending';
import { type Renewal, renewCredential } from './renew';

export type RoomStatus = 'offline' | 'connecting' | 'syncing' | 'synced' | 'refused';

export interface RoomSyncState {
  status: RoomStatus;
  /** Local edits the relay has not yet confirmed holding. */
  unconfirmed: number;
  /** Why the relay refused this device, when it did. */
  refusal?: string;
  /** An enrolled workspace's relay did not admit this device (4403): its redeem is not in yet, or it was removed. */
  admission?: 'waiting' | 'removed';
  /** Something the person should know about the relay (RELAY_WENT_BACK). */
  notice?: string;
}

/** Where a device remembers what it received of the per-person rooms (src/registers/members/audience-view.ts). */
export const audienceCacheKey = (workspace: string) => `muster.audience.${workspace}`;
/** …set when the relay closed one of them because that changed (CLOSE_VIEW): the copies are fetched afresh. */
export const STALE_VIEW = 'stale';

/** Shown when the relay refuses this device's credential for good. */
export const BAD_CREDENTIALS = 'The relay did not accept this device’s credentials.';

/** Shown once the relay was seen holding less than it had confirmed, and this device sent it everything back. */
export const RELAY_WENT_BACK = 'The relay lost recent changes; this device sent back what it holds.';

/** True when the relay now holds less of some client than it once confirmed holding (restored or damaged store). */
export function relayWentBack(confirmed: StateVector, now: StateVector): boolean {
  for (const [client, clock] of confirmed) if ((now.get(client) ?? 0) < clock) return true;
  return false;
}

export interface RoomSyncOptions {
  doc: Y.Doc;
  room: string;
  /** e.g. "ws://127.0.0.1:8787/sync" */
  serverUrl: string;
  credential: string;
  /** What this device last knew of the relay, from device storage. */
  known?: KnownRelayState;
  /** Called when that knowledge changes (writes are never concurrent); store it for the next start. */
  save?: (state: KnownRelayState) => Promise<unknown>;
  onChange: (state: RoomSyncState) => void;
  /** The real WebSocket class (for Node: the `ws` package); rooms share one socket of it per relay. */
  WebSocketPolyfill?: typeof WebSocket;
}

/** What a device remembers across reloads: what the relay holds, and its own changes not yet confirmed. */
export interface KnownRelayState {
  /** Encoded Yjs state vector. */
  stateVector: Uint8Array;
  pending: ChangeMarker[];
}

export interface RoomSync {
  state(): RoomSyncState;
  connect(): void;
  disconnect(): void;
  /** Closes the room to this device (its role may not read it) or opens it again. */
  setOpen(open: boolean): void;
  destroy(): void;
}

/**
 * One register document kept in sync with its relay room over the y-websocket
 * protocol, tracking which local edits the relay has confirmed: the relay
 * echoes every update it accepts, and its sync step 1 states what it holds.
 */
export function connectRoom(opts: RoomSyncOptions): RoomSync {
  const relayState: StateVector = opts.known ? Y.decodeStateVector(opts.known.stateVector) : new Map();
  let markers: ChangeMarker[] = opts.known ? [...opts.known.pending] : [];
  let refusal: string | undefined;
  let admission: RoomSyncState['admission'];
  let notice: string | undefined;
  let connected = false;
  let destroyed = false;
  // The workspace secret may have been rotated: while asking for the new credential the room shows "connecting".
  let renewing = false;
  let wanted = true;
  let closed = false;
  let askAgain: ReturnType<typeof setTimeout> | undefined;

  // Saved promptly (not on a timer a reload would cut short); one write at a time, the latest wins.
  let writing = false;
  let dirty = false;
  const persist = () => {
    if (!opts.save || destroyed) return;
    if (writing) {
      dirty = true;
      return;
    }
    writing = true;
    dirty = false;
    markers = pendingMarkers(markers, relayState);
    void opts
      .save({ stateVector: Y.encodeStateVector(relayState), pending: [...markers] })
      // Only what this device knew of the relay, not a record: the next change saves it again, so a failed write is logged, not shown.
      .catch((err: unknown) => console.warn('relay state not saved', err))
      .finally(() => {
        writing = false;
        if (dirty) persist();
      });
  };

  const provider = new WebsocketProvider(opts.serverUrl, opts.room, opts.doc, {
    params: { auth: opts.credential },
    // Tabs would otherwise feed each other through BroadcastChannel, which says nothing about the relay.
    disableBc: true,
    maxBackoffTime: 5000,
    // Each room is a channel of one websocket per relay: one handshake for all rooms (src/sync/mux.ts).
    WebSocketPolyfill: muxWebSocket(opts.WebSocketPolyfill ?? WebSocket),
  });

  const state = (): RoomSyncState => {
    // Not open to this device's role (issue 18): as synced as this device may have it.
    if (closed) return { status: 'synced', unconfirmed: 0 };
    // A room this role only reads: what the device holds beyond the relay stays here, and is not waiting for it.
    const ahead = readOnlyRooms.has(opts.room) ? 0 : itemsAhead(Y.decodeStateVector(Y.encodeStateVector(opts.doc)), relayState);
    const unconfirmed = unconfirmedChanges(markers, relayState, ahead);
    let status: RoomStatus;
    if (refusal) status = 'refused';
    else if (renewing && wanted) status = 'connecting';
    else if (!provider.shouldConnect) status = 'offline';
    else if (!connected) status = 'connecting';
    else status = provider.synced && ahead === 0 ? 'synced' : 'syncing';
    return { status, unconfirmed, ...(refusal ? { refusal } : {}), ...(admission ? { admission } : {}), ...(notice ? { notice } : {}) };
  };
  const changed = () => opts.onChange(state());

  const relayHolds = (sv: StateVector, replace: boolean) => {
    if (replace) relayState.clear();
    if (mergeInto(relayState, sv) || replace) persist();
  };

  // Peek at each sync message before the provider consumes it.
  const handleSync = provider.messageHandlers[messageSync]!;
  provider.messageHandlers[messageSync] = (encoder, decoder, p, emitSynced, messageType) => {
    let wentBack = false;
    try {
      const peek = decoding.clone(decoder);
      const kind = decoding.readVarUint(peek);
      const payload = decoding.readVarUint8Array(peek);
      if (kind === messageYjsSyncStep1) {
        const holds = Y.decodeStateVector(payload);
        wentBack = relayWentBack(relayState, holds);
        relayHolds(holds, true);
      }
      // Not encodeStateVectorFromUpdate: it counts a client only from clock 0, and echoes start mid-way.
      else if (kind === messageYjsSyncStep2 || kind === messageYjsUpdate) relayHolds(Y.parseUpdateMeta(payload).to, false);
    } catch {
      // A message we cannot read is left to the provider, which reports it.
    }
    handleSync(encoder, decoder, p, emitSynced, messageType);
    if (wentBack) resendAll();
    queueMicrotask(changed);
  };
  // The provider's reply to step 1 already carries what the relay lacks by its own count; after a
  // rollback the relay's count is not to be trusted, so it also gets the whole document, once.
  const resendAll = () => {
    const message = encoding.createEncoder();
    encoding.writeVarUint(message, messageSync);
    encoding.writeVarUint(message, messageYjsUpdate);
    encoding.writeVarUint8Array(message, Y.encodeStateAsUpdate(opts.doc));
    provider.ws?.send(encoding.toUint8Array(message));
    notice = RELAY_WENT_BACK;
  };

  provider.on('status', ({ status }) => {
    connected = status === 'connected';
    changed();
  });
  provider.on('sync', (synced: boolean) => {
    // Admitted after waiting: the refusal is over.
    if (synced && admission === 'waiting') {
      admission = undefined;
      refusal = undefined;
    }
    changed();
  });
  // 4401: the workspace's renewer (src/sync/rotation.ts) may hold or fetch a newer credential.
  const renew = (refused: string, reason?: string) => {
    const asked = renewCredential(opts.room.split('.', 1)[0]!, refused, reason);
    if (!asked) return false;
    renewing = true;
    void asked.then(
      (r: Renewal) => {
        if (destroyed) return;
        if ('credential' in r) {
          renewing = false;
          provider.params = { ...provider.params, auth: r.credential };
          if (wanted) provider.connect();
        } else if ('refusal' in r) {
          renewing = false;
          refusal = r.refusal;
        } else {
          setTimeout(() => !destroyed && renew(refused, reason), 5000);
        }
        changed();
      },
      () => {
        renewing = false;
        refusal = BAD_CREDENTIALS;
        changed();
      },
    );
    return true;
  };
  provider.on('closed', (event) => {
    // Not open to this device's role (issue 18): closed until the role changes (setOpen).
    if (event.code === CLOSE_ROOM) return setOpen(false);
    // What this device may receive here changed (server/audience.ts): its per-person copies must be fetched afresh.
    if (event.code === CLOSE_VIEW) {
      globalThis.localStorage?.setItem(audienceCacheKey(opts.room.split('.', 1)[0]!), STALE_VIEW);
      return changed();
    }
    // What the relay holds does not open with this device's content key: no use asking again.
    if (event.code === CLOSE_UNSEALED) {
      refusal = 'This device cannot open what the relay holds.';
      admission = undefined;
      provider.disconnect();
      // The whole sentence (its own chunk, off Home's path).
      void import('./admit-text').then(({ UNSEALED }) => {
        if (destroyed || refusal === undefined) return;
        refusal = UNSEALED;
        changed();
      });
      return changed();
    }
    if (event.code === 4401 && renew(provider.params['auth'] ?? '', event.reason)) return changed();
    // The workspace was enrolled before its genesis reached this device: connect again, this time with a proof.
    if (event.code === CLOSE_DEVICE && event.reason === 'device proof required' && wantProof(opts.room.split('.', 1)[0]!)) {
      if (wanted) provider.connect();
      return changed();
    }
    // 4403: an enrolled workspace did not admit this device (server/admission.ts): "waiting to be admitted", "removed".
    // 'device proof required' again: a proof was due but none could be made (its challenge did not come back): retried too.
    if (event.code === CLOSE_DEVICE) admission = event.reason === 'device removed' ? 'removed' : event.reason === 'device not enrolled' || event.reason === 'device proof required' ? 'waiting' : undefined;
    // The sentence for the reason (its own chunk, off Home's path).
    if (event.code === CLOSE_DEVICE) {
      const reason = event.reason;
      void import('./admit-text').then(({ admissionText }) => {
        if (refusal === undefined || destroyed) return;
        refusal = admissionText(opts.room.split('.', 1)[0]!, reason);
        changed();
      });
    }
    // Waiting for an owner to confirm it (or its invite to reach the relay): it asks again every 5 s; admitted, it syncs.
    if (admission === 'waiting') {
      clearTimeout(askAgain);
      askAgain = setTimeout(() => !destroyed && wanted && provider.connect(), 5000);
    }
    refusal =
      event.code === 4401
        ? BAD_CREDENTIALS
        : event.code === CLOSE_DEVICE
          ? 'The relay did not admit this device.'
          : `The relay refused the connection (${event.code} ${event.reason}).`;
    changed();
  });
  // A change made here, in this session, ends at a clock of this doc's client id;
  // updates loaded from IndexedDB carry older client ids and were marked when made.
  const onLocalUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === provider) return;
    const end = Y.parseUpdateMeta(update).to.get(opts.doc.clientID);
    if (end !== undefined) {
      markers.push([opts.doc.clientID, end]);
      persist();
    }
    changed();
  };
  opts.doc.on('update', onLocalUpdate);

  const connect = () => {
    wanted = true;
    if (!renewing && !closed) provider.connect();
    changed();
  };
  const setOpen = (open: boolean) => {
    closed = !open;
    if (closed) provider.disconnect();
    else if (wanted) provider.connect();
    changed();
  };
  return {
    state,
    connect,
    setOpen,
    disconnect: () => {
      wanted = false;
      provider.disconnect();
      changed();
    },
    destroy: () => {
      destroyed = true;
      clearTimeout(askAgain);
      opts.doc.off('update', onLocalUpdate);
      provider.destroy();
    },
  };
}

