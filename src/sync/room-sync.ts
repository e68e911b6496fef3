import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { mergeInto, type StateVector, unconfirmedCount } from './pending';

export type RoomStatus = 'offline' | 'connecting' | 'syncing' | 'synced' | 'refused';

export interface RoomSyncState {
  status: RoomStatus;
  /** Local edits the relay has not yet confirmed holding. */
  unconfirmed: number;
  /** Why the relay refused this device, when it did. */
  refusal?: string;
}

export interface RoomSyncOptions {
  doc: Y.Doc;
  room: string;
  /** e.g. "ws://127.0.0.1:8787/sync" */
  serverUrl: string;
  credential: string;
  /** What this device last knew the relay to hold (encoded state vector), from device storage. */
  knownRelayState?: Uint8Array;
  /** Called (debounced) when the relay is known to hold more; store it for the next start. */
  saveRelayState?: (stateVector: Uint8Array) => void;
  onChange: (state: RoomSyncState) => void;
  /** For Node: the `ws` package. */
  WebSocketPolyfill?: typeof WebSocket;
}

export interface RoomSync {
  state(): RoomSyncState;
  connect(): void;
  disconnect(): void;
  destroy(): void;
}

const SYNC_STEP_1 = 0;
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;

/**
 * One register document kept in sync with its relay room over the y-websocket
 * protocol, tracking which local edits the relay has confirmed: the relay
 * echoes every update it accepts, and its sync step 1 states what it holds.
 */
export function connectRoom(opts: RoomSyncOptions): RoomSync {
  const relayState: StateVector = opts.knownRelayState ? Y.decodeStateVector(opts.knownRelayState) : new Map();
  let refusal: string | undefined;
  let connected = false;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;

  const provider = new WebsocketProvider(opts.serverUrl, opts.room, opts.doc, {
    params: { auth: opts.credential },
    // Tabs would otherwise feed each other through BroadcastChannel, which says nothing about the relay.
    disableBc: true,
    maxBackoffTime: 5000,
    ...(opts.WebSocketPolyfill ? { WebSocketPolyfill: opts.WebSocketPolyfill } : {}),
  });

  const state = (): RoomSyncState => {
    const unconfirmed = unconfirmedCount(Y.decodeStateVector(Y.encodeStateVector(opts.doc)), relayState);
    let status: RoomStatus;
    if (refusal) status = 'refused';
    else if (!provider.shouldConnect) status = 'offline';
    else if (!connected) status = 'connecting';
    else status = provider.synced && unconfirmed === 0 ? 'synced' : 'syncing';
    return { status, unconfirmed, ...(refusal ? { refusal } : {}) };
  };
  const changed = () => opts.onChange(state());

  const relayHolds = (sv: StateVector, replace: boolean) => {
    if (replace) relayState.clear();
    mergeInto(relayState, sv);
    if (opts.saveRelayState) {
      clearTimeout(saveTimer);
      saveTimer = setTimeout(() => opts.saveRelayState?.(Y.encodeStateVector(relayState)), 300);
    }
  };

  // Peek at each sync message before the provider consumes it.
  const handleSync = provider.messageHandlers[0]!;
  provider.messageHandlers[0] = (encoder, decoder, p, emitSynced, messageType) => {
    try {
      const peek = decoding.clone(decoder);
      const kind = decoding.readVarUint(peek);
      const payload = decoding.readVarUint8Array(peek);
      if (kind === SYNC_STEP_1) relayHolds(Y.decodeStateVector(payload), true);
      // Not encodeStateVectorFromUpdate: it counts a client only from clock 0, and echoes start mid-way.
      else if (kind === SYNC_STEP_2 || kind === SYNC_UPDATE) relayHolds(Y.parseUpdateMeta(payload).to, false);
    } catch {
      // A message we cannot read is left to the provider, which reports it.
    }
    handleSync(encoder, decoder, p, emitSynced, messageType);
    queueMicrotask(changed);
  };

  provider.on('status', ({ status }) => {
    connected = status === 'connected';
    changed();
  });
  provider.on('sync', changed);
  provider.on('closed', (event) => {
    refusal = event.code === 4401 ? 'The relay did not accept this device’s credentials.' : `The relay refused the connection (${event.code} ${event.reason}).`;
    changed();
  });
  const onLocalUpdate = (_u: Uint8Array, origin: unknown) => {
    if (origin !== provider) changed();
  };
  opts.doc.on('update', onLocalUpdate);

  return {
    state,
    connect: () => {
      provider.connect();
      changed();
    },
    disconnect: () => {
      provider.disconnect();
      changed();
    },
    destroy: () => {
      clearTimeout(saveTimer);
      opts.doc.off('update', onLocalUpdate);
      provider.destroy();
    },
  };
}

