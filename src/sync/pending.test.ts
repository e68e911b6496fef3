import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mergeInto, unconfirmedCount } from './pending';

describe('unconfirmed changes', () => {
  it('counts local items the relay was not seen to hold', () => {
    expect(unconfirmedCount(new Map([[1, 10], [2, 5]]), new Map([[1, 7]]))).toBe(3 + 5);
    expect(unconfirmedCount(new Map([[1, 10]]), new Map([[1, 12]]))).toBe(0);
  });
  it('merging only raises clocks', () => {
    const t = new Map([[1, 10]]);
    expect(mergeInto(t, new Map([[1, 4], [2, 3]]))).toBe(true);
    expect(t).toEqual(new Map([[1, 10], [2, 3]]));
    expect(mergeInto(t, new Map([[1, 9]]))).toBe(false);
  });
  it('counts one per field edit of a Y.Map record, and reaches zero once the relay holds the update', () => {
    const doc = new Y.Doc();
    const relay = new Map<number, number>();
    const records = doc.getMap<Y.Map<unknown>>('records');
    let last: Uint8Array = new Uint8Array();
    doc.on('update', (u: Uint8Array) => (last = u));
    doc.transact(() => {
      const r = new Y.Map<unknown>();
      r.set('team', 'Ops');
      r.set('month', '2026-11');
      records.set('a', r);
    });
    const local = () => Y.decodeStateVector(Y.encodeStateVector(doc));
    expect(unconfirmedCount(local(), relay)).toBe(3);
    mergeInto(relay, Y.parseUpdateMeta(last).to);
    expect(unconfirmedCount(local(), relay)).toBe(0);
    records.get('a')!.set('team', 'Sales'); // an edit whose update starts mid-way through the client's clock
    expect(unconfirmedCount(local(), relay)).toBe(1);
    mergeInto(relay, Y.parseUpdateMeta(last).to);
    expect(unconfirmedCount(local(), relay)).toBe(0);
  });
});
