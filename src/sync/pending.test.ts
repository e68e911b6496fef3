import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type ChangeMarker, itemsAhead, mergeInto, pendingMarkers, unconfirmedChanges } from './pending';

describe('what the relay holds', () => {
  it('counts local items the relay was not seen to hold', () => {
    expect(itemsAhead(new Map([[1, 10], [2, 5]]), new Map([[1, 7]]))).toBe(3 + 5);
    expect(itemsAhead(new Map([[1, 10]]), new Map([[1, 12]]))).toBe(0);
  });
  it('merging only raises clocks', () => {
    const t = new Map([[1, 10]]);
    expect(mergeInto(t, new Map([[1, 4], [2, 3]]))).toBe(true);
    expect(t).toEqual(new Map([[1, 10], [2, 3]]));
    expect(mergeInto(t, new Map([[1, 9]]))).toBe(false);
  });
});

describe('unconfirmed changes', () => {
  it('counts one per local change (transaction), not one per field', () => {
    const doc = new Y.Doc();
    const relay = new Map<number, number>();
    const markers: ChangeMarker[] = [];
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => {
      updates.push(u);
      markers.push([doc.clientID, Y.parseUpdateMeta(u).to.get(doc.clientID)!]);
    });
    const records = doc.getMap<Y.Map<unknown>>('records');
    doc.transact(() => {
      const r = new Y.Map<unknown>();
      r.set('team', 'Ops');
      r.set('month', '2026-11');
      records.set('a', r);
    });
    records.get('a')!.set('item.brief.status', 'done');
    const ahead = () => itemsAhead(Y.decodeStateVector(Y.encodeStateVector(doc)), relay);
    expect(ahead()).toBe(4);
    expect(unconfirmedChanges(markers, relay, ahead())).toBe(2);

    // The relay echoes the first change only: one left.
    mergeInto(relay, Y.parseUpdateMeta(updates[0]!).to);
    expect(unconfirmedChanges(markers, relay, ahead())).toBe(1);
    expect(pendingMarkers(markers, relay)).toHaveLength(1);
    // The second echo starts mid-way through the client's clock: parseUpdateMeta still places it.
    mergeInto(relay, Y.parseUpdateMeta(updates[1]!).to);
    expect(ahead()).toBe(0);
    expect(unconfirmedChanges(markers, relay, ahead())).toBe(0);
  });
  it('never reports 0 while the relay lacks items, even with no markers (lost in a crash)', () => {
    expect(unconfirmedChanges([], new Map(), 5)).toBe(1);
    expect(unconfirmedChanges([[1, 3]], new Map([[1, 3]]), 0)).toBe(0);
  });
});
