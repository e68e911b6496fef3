import type { EntityTable, IDType } from 'dexie';
import { randomId } from './device-records';

/*
 * An outbox in device storage: updates waiting for the network, one Dexie
 * record each (the update and where it goes, nothing else). Sending is
 * src/sync/outbox.ts; a record is removed once the relay holds its update.
 * Whoever shows the outbox hears of every change in this tab (onChange).
 */

/** What every outbox record carries: its id and the update it waits to send. */
export interface OutboxRecord {
  id: string;
  update: Uint8Array;
}

export type OutboxFilter<R> = (r: R) => boolean;

export interface Outbox<Db, R extends OutboxRecord> {
  enqueue(db: Db, rec: Omit<R, 'id'>): Promise<string>;
  pendingIn(db: Db, filter: OutboxFilter<R>): Promise<R[]>;
  /** Drops a record whose update the relay now holds. */
  remove(db: Db, id: string): Promise<void>;
  /** Tells `f` whenever the outbox changed in this tab; returns the way to stop. */
  onChange(f: () => void): () => void;
}

/**
 * An outbox kept in the Dexie table `table(db)` picks.
 *
 * @example
 * const outbox = createOutbox((db: DeviceDb) => db.speakupOutbox);
 * await outbox.enqueue(deviceDb, { workspaceId, via: 'workspace', update });
 */
export function createOutbox<Db, R extends OutboxRecord>(table: (db: Db) => EntityTable<R, 'id'>): Outbox<Db, R> {
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const f of listeners) f();
  };
  return {
    async enqueue(db, rec) {
      const id = randomId();
      await table(db).add({ ...rec, id } as R);
      notify();
      return id;
    },
    pendingIn: async (db, filter) => (await table(db).toArray()).filter(filter),
    async remove(db, id) {
      await table(db).delete(id as IDType<R, 'id'>);
      notify();
    },
    onChange(f) {
      listeners.add(f);
      return () => listeners.delete(f);
    },
  };
}
