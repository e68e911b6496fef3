import type * as Y from 'yjs';
import type { Outbox, OutboxFilter, OutboxRecord } from '../store/outbox';
import { flushOutbox } from './outbox';
import { connectRoom, type RoomStatus } from './room-sync';

/*
 * A room this device only reads through its own connection and only adds to
 * through an outbox (speak-up's, where nothing is ever written to the local
 * copy): the copy is kept in sync while online; the outbox is sent over
 * separate short-lived connections, when online, and again now and then (a
 * relay that was down comes back without an `online` event).
 */

export interface OutboxRoomOptions<Db, R extends OutboxRecord> {
  doc: Y.Doc;
  room: string;
  serverUrl: string;
  /** The relay credential for the room (asked again for every flush: it may have been renewed). */
  credential: () => Promise<string>;
  outbox: Outbox<Db, R>;
  db: Db;
  /** The records of this outbox that go to this room. */
  mine: OutboxFilter<R>;
  onStatus: (s: RoomStatus) => void;
  /**
   * Called once the copy is first synced, on coming back online and on every
   * retry: the place for work that needs the room's current state (publishing).
   */
  onWake?: () => void;
  retryMs?: number;
  /** This device's proof for each send (a room opened with the workspace credential, never a public link's). */
  admit?: () => Promise<string | null>;
}

export interface OutboxRoom {
  /** Sends what is queued; resolves with how many items are left. */
  flush(): Promise<number>;
  /** True once the copy has been in sync with the relay. */
  synced(): boolean;
  stop(): void;
}

export async function startOutboxRoom<Db, R extends OutboxRecord>(opts: OutboxRoomOptions<Db, R>): Promise<OutboxRoom> {
  let synced = false;
  let stopped = false;
  const wake = () => opts.onWake?.();

  const sync = connectRoom({
    doc: opts.doc,
    room: opts.room,
    serverUrl: opts.serverUrl,
    credential: await opts.credential(),
    onChange: (s) => {
      if (s.status === 'synced' && !synced) {
        synced = true;
        wake();
      }
      opts.onStatus(s.status);
    },
  });

  const left = async () => (await opts.outbox.pendingIn(opts.db, opts.mine)).length;
  const flush = async (): Promise<number> => {
    if (stopped || !navigator.onLine) return left();
    const credential = await opts.credential();
    return (await flushOutbox(opts.outbox, opts.db, opts.mine, async () => ({ serverUrl: opts.serverUrl, room: opts.room, credential, ...(opts.admit ? { admit: await opts.admit() } : {}) }))).left;
  };

  const goOnline = () => {
    sync.connect();
    void flush();
    wake();
  };
  const goOffline = () => sync.disconnect();
  if (!navigator.onLine) goOffline();
  addEventListener('online', goOnline);
  addEventListener('offline', goOffline);
  const timer = setInterval(() => {
    void flush();
    wake();
  }, opts.retryMs ?? 15_000);
  void flush();

  return {
    flush,
    synced: () => synced,
    stop: () => {
      stopped = true;
      clearInterval(timer);
      removeEventListener('online', goOnline);
      removeEventListener('offline', goOffline);
      sync.destroy();
    },
  };
}
