import 'fake-indexeddb/auto';
import Dexie, { type EntityTable } from 'dexie';
import { afterEach, expect, test } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { createOutbox, type OutboxRecord } from '../../src/store/outbox.ts';
import { flushOutbox } from '../../src/sync/outbox.ts';
import { fetchRoom } from '../../src/sync/short-room.ts';
import { cleanup, createdWorkspace, spawnRelay, tmpDir } from './harness.ts';

afterEach(cleanup);

/*
 * The generic outbox (store/outbox.ts + sync/outbox.ts) against a real relay,
 * with a table and records of its own (no register): what is sent is removed,
 * what the relay refuses for good stays and the rest still goes, an
 * unreachable relay stops the flush with everything kept, and two flushes at
 * once send each update once.
 */

interface Item extends OutboxRecord {
  room: string;
  credential: string;
}
class TestDb extends Dexie {
  items!: EntityTable<Item, 'id'>;
  constructor(name: string) {
    super(name);
    this.version(1).stores({ items: 'id' });
  }
}
const WS = WebSocket as unknown as typeof globalThis.WebSocket;
let dbs = 0;

/** One self-contained update: a fresh document with one value in map `notes`. */
function noteUpdate(key: string): Uint8Array {
  const d = new Y.Doc();
  d.getMap('notes').set(key, { text: `note ${key}` });
  return Y.encodeStateAsUpdate(d);
}

async function roomNotes(serverUrl: string, room: string, credential: string): Promise<string[]> {
  const d = new Y.Doc();
  Y.applyUpdate(d, await fetchRoom({ serverUrl, room, credential, WebSocketImpl: WS }));
  return [...d.getMap('notes').keys()].sort();
}

test('an outbox flush sends what it selects, keeps what the relay refuses for good, stops when the relay is gone', { timeout: 30_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir() });
  const ws = await createdWorkspace(relay);
  const room = `${ws.id}.notes-probe`;
  const db = new TestDb(`outbox-probe-${++dbs}`);
  const outbox = createOutbox((d: TestDb) => d.items);
  let changes = 0;
  const stop = outbox.onChange(() => changes++);
  const connection = async (r: Item) => ({ serverUrl: relay.syncUrl, room: r.room, credential: r.credential, WebSocketImpl: WS, timeoutMs: 5_000 });
  const all = () => true;

  await outbox.enqueue(db, { room, credential: ws.token, update: noteUpdate('a') });
  await outbox.enqueue(db, { room, credential: 'not-a-credential', update: noteUpdate('refused') });
  await outbox.enqueue(db, { room, credential: ws.token, update: noteUpdate('b') });
  await outbox.enqueue(db, { room: `${ws.id}.other`, credential: ws.token, update: noteUpdate('elsewhere') });
  expect(changes).toBe(4);

  // Only what the filter selects; a 4401 (final) stays queued, reported, and does not stop the others.
  const mine = (r: Item) => r.room === room;
  const first = await flushOutbox(outbox, db, mine, connection);
  expect(first).toEqual({ sent: 2, left: 1, problem: 'The relay did not accept the credentials.' });
  const key = (r: Item) => `${r.room} ${r.credential}`;
  expect((await outbox.pendingIn(db, all)).map(key).sort()).toEqual([`${room} not-a-credential`, `${ws.id}.other ${ws.token}`].sort());
  expect(await roomNotes(relay.syncUrl, room, ws.token)).toEqual(['a', 'b']);
  expect(changes).toBe(6); // two removals

  // Two flushes at once: serialised, so each update is sent once.
  const [x, y] = await Promise.all([flushOutbox(outbox, db, all, connection), flushOutbox(outbox, db, all, connection)]);
  expect(x.sent + y.sent).toBe(1);
  expect(await roomNotes(relay.syncUrl, `${ws.id}.other`, ws.token)).toEqual(['elsewhere']);

  // The relay goes away: the flush stops at the first item and keeps everything.
  await outbox.enqueue(db, { room, credential: ws.token, update: noteUpdate('c') });
  await outbox.enqueue(db, { room, credential: ws.token, update: noteUpdate('d') });
  relay.child.kill('SIGTERM');
  await relay.exited;
  const offline = await flushOutbox(outbox, db, (r) => r.credential === ws.token, connection);
  expect(offline).toEqual({ sent: 0, left: 2, problem: 'Could not reach the relay.' });
  expect((await outbox.pendingIn(db, all)).length).toBe(3);
  stop();
  db.close();
});
