import { type DeviceDb, randomId, type SpeakupOutboxRecord } from '../../store/device-db';
import { RelayClosed, sendUpdate, type Connection } from './transport';

/*
 * The speak-up outbox: sealed updates waiting for the network, in Dexie
 * (`speakupOutbox`). A record holds the update and where it goes, nothing
 * else (no time, no author). It is deleted once the relay holds the update.
 * Sending is idempotent: the relay's state vector says whether it already has it.
 */

export type OutboxFilter = (r: SpeakupOutboxRecord) => boolean;

export async function enqueue(db: DeviceDb, rec: Omit<SpeakupOutboxRecord, 'id'>): Promise<string> {
  const id = randomId();
  await db.speakupOutbox.add({ ...rec, id });
  notify();
  return id;
}

export const pendingIn = async (db: DeviceDb, filter: OutboxFilter) => (await db.speakupOutbox.toArray()).filter(filter);

// Tell open screens that the outbox changed (same tab).
const listeners = new Set<() => void>();
export function onOutboxChange(f: () => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}
function notify() {
  for (const f of listeners) f();
}

export interface FlushResult {
  sent: number;
  left: number;
  /** Why something could not be sent (the first problem). */
  problem?: string;
}

let running: Promise<unknown> = Promise.resolve();

/**
 * Sends every queued update that `filter` selects, one at a time, deleting each
 * once the relay holds it. Stops at the first network failure (offline). An
 * update the relay refuses for good (44xx) stays queued and is reported.
 * Flushes never overlap.
 */
export function flushOutbox(db: DeviceDb, filter: OutboxFilter, connection: (r: SpeakupOutboxRecord) => Promise<Connection>): Promise<FlushResult> {
  const run = running.then(async (): Promise<FlushResult> => {
    const items = await pendingIn(db, filter);
    let sent = 0;
    let problem: string | undefined;
    for (const item of items) {
      try {
        await sendUpdate({ ...(await connection(item)), update: item.update });
        await db.speakupOutbox.delete(item.id);
        sent += 1;
        notify();
      } catch (e) {
        problem = e instanceof Error ? e.message : String(e);
        if (!(e instanceof RelayClosed && e.final)) break;
      }
    }
    return { sent, left: (await pendingIn(db, filter)).length, ...(problem ? { problem } : {}) };
  });
  running = run.catch(() => undefined);
  return run;
}
