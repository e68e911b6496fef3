import Dexie, { type EntityTable } from 'dexie';
import { describe, expect, it } from 'vitest';
import { createOutbox, type OutboxRecord } from './outbox';

/* The outbox's storage part with tables of its own: no register, no network (sending: test/integration/outbox.test.ts). */

interface Item extends OutboxRecord {
  to: string;
}
class TestDb extends Dexie {
  first!: EntityTable<Item, 'id'>;
  second!: EntityTable<Item, 'id'>;
  constructor(name: string) {
    super(name);
    this.version(1).stores({ first: 'id', second: 'id' });
  }
}
const bytes = (...b: number[]) => new Uint8Array(b);

describe('createOutbox', () => {
  it('keeps queued updates across a reopened database until removed, and tells only its own listeners', async () => {
    const name = `outbox-${Math.random()}`;
    const db = new TestDb(name);
    const first = createOutbox((d: TestDb) => d.first);
    const second = createOutbox((d: TestDb) => d.second);
    const heard: string[] = [];
    const stopFirst = first.onChange(() => heard.push('first'));
    second.onChange(() => heard.push('second'));

    const a = await first.enqueue(db, { to: 'room-a', update: bytes(1, 2, 3) });
    const b = await first.enqueue(db, { to: 'room-b', update: bytes(4) });
    expect(a).not.toBe(b);
    expect(heard).toEqual(['first', 'first']);
    expect(await second.pendingIn(db, () => true)).toEqual([]);

    // Nothing queued is lost when the device reloads.
    db.close();
    const again = new TestDb(name);
    const pending = await first.pendingIn(again, () => true);
    expect(pending.map((r) => [r.to, [...r.update]]).sort()).toEqual([['room-a', [1, 2, 3]], ['room-b', [4]]]);
    expect((await first.pendingIn(again, (r) => r.to === 'room-b')).map((r) => r.id)).toEqual([b]);

    await first.remove(again, a);
    expect(heard).toEqual(['first', 'first', 'first']);
    expect((await first.pendingIn(again, () => true)).map((r) => r.id)).toEqual([b]);

    stopFirst();
    await first.enqueue(again, { to: 'room-c', update: bytes(5) });
    expect(heard).toHaveLength(3);
    again.close();
  });
});
