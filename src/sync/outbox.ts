import type { Outbox, OutboxFilter, OutboxRecord } from '../store/outbox';
import { type Connection, RelayClosed, sendUpdate } from './short-room';

/*
 * Sending an outbox (store/outbox.ts): each update over its own short-lived
 * connection (short-room.ts), removed once the relay holds it. Sending is
 * idempotent: the relay's state vector says whether it already has it.
 */

export interface FlushResult {
  sent: number;
  left: number;
  /** Why something could not be sent (the first problem). */
  problem?: string;
}

/** The flush running (or last run) per outbox: flushes of one outbox never overlap. */
const running = new WeakMap<object, Promise<unknown>>();

/**
 * Sends every queued update that `filter` selects, one at a time, removing
 * each once the relay holds it. Stops at the first network failure (offline).
 * An update the relay refuses for good (44xx) stays queued and is reported.
 */
export function flushOutbox<Db, R extends OutboxRecord>(outbox: Outbox<Db, R>, db: Db, filter: OutboxFilter<R>, connection: (r: R) => Promise<Connection>): Promise<FlushResult> {
  const run = (running.get(outbox) ?? Promise.resolve()).then(async (): Promise<FlushResult> => {
    const items = await outbox.pendingIn(db, filter);
    let sent = 0;
    let problem: string | undefined;
    for (const item of items) {
      try {
        await sendUpdate({ ...(await connection(item)), update: item.update });
        await outbox.remove(db, item.id);
        sent += 1;
      } catch (e) {
        problem = e instanceof Error ? e.message : String(e);
        if (!(e instanceof RelayClosed && e.final)) break;
      }
    }
    return { sent, left: (await outbox.pendingIn(db, filter)).length, ...(problem ? { problem } : {}) };
  });
  // The chain of flushes only orders them; the caller of this flush gets its own failure from `run`.
  running.set(outbox, run.catch(() => undefined));
  return run;
}
