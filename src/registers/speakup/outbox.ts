import type { DeviceDb, SpeakupOutboxRecord } from '../../store/device-db';
import { createOutbox, type OutboxFilter as Filter } from '../../store/outbox';
import { type FlushResult, flushOutbox as flush } from '../../sync/outbox';
import type { Connection } from '../../sync/short-room';

/*
 * The speak-up outbox: sealed updates waiting for the network, in Dexie
 * (`speakupOutbox`, store/outbox.ts), sent by sync/outbox.ts. A record holds
 * the update and where it goes (workspace, and the workspace credential or
 * the public link's token), nothing else: no time, no author.
 */

export type OutboxFilter = Filter<SpeakupOutboxRecord>;
export type { FlushResult };

export const outbox = createOutbox((db: DeviceDb) => db.speakupOutbox);

export const enqueue = outbox.enqueue;
export const pendingIn = outbox.pendingIn;
/** Tell open screens that the outbox changed (same tab). */
export const onOutboxChange = outbox.onChange;

/** Sends every queued update `filter` selects (sync/outbox.ts flushOutbox); flushes never overlap. */
export const flushOutbox = (db: DeviceDb, filter: OutboxFilter, connection: (r: SpeakupOutboxRecord) => Promise<Connection>): Promise<FlushResult> =>
  flush(outbox, db, filter, connection);

/** The items a member's device sends for `workspaceId` with its workspace credential. */
export const viaWorkspace = (workspaceId: string): OutboxFilter => (r) => r.workspaceId === workspaceId && r.via === 'workspace';
