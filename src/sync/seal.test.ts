import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { randomId } from '../crypto/base64url';
import { keyringOf, RoomSealer, SealError, splitUpdate } from './seal';

const ROOM = 'ws-1.people';
const sealerFor = async (contentKey: string | string[], room = ROOM) => new RoomSealer(await keyringOf('ws-1', typeof contentKey === 'string' ? [contentKey] : contentKey), room);
const updatesOf = (doc: Y.Doc) => {
  const out: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => out.push(u));
  return out;
};
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

describe('a sealed room: the relay merges what it cannot read', () => {
  it('two devices edit through a relay document that holds no typed text, and converge', async () => {
    const key = randomId(32);
    const a = new Y.Doc();
    const b = new Y.Doc();
    const relay = new Y.Doc();
    const sa = await sealerFor(key);
    const sb = await sealerFor(key);
    const fromA = updatesOf(a);
    a.transact(() => {
      const r = new Y.Map<unknown>();
      r.set('name', 'Lukasz Wisniewski');
      r.set('team', 'Warehouse');
      r.set('team.Night shift', true);
      r.set('startedOn', '2026-03-01');
      r.set('hours', 37.5);
      r.set('photo', new Uint8Array([1, 2, 3]));
      a.getMap('records').set('person-lukasz', r);
    });
    for (const u of fromA) Y.applyUpdate(relay, await sa.seal(u));
    // B joins: the relay's whole state, opened.
    Y.applyUpdate(b, await sb.open(Y.encodeStateAsUpdate(relay)));
    expect(b.getMap('records').toJSON()).toEqual(a.getMap('records').toJSON());
    // Both edit the same field offline; each update goes through the relay sealed.
    const fromB = updatesOf(b);
    fromA.length = 0;
    (a.getMap('records').get('person-lukasz') as Y.Map<unknown>).set('team', 'Dispatch');
    (b.getMap('records').get('person-lukasz') as Y.Map<unknown>).set('team', 'Returns');
    for (const u of fromA) Y.applyUpdate(relay, await sa.seal(u));
    for (const u of fromB) Y.applyUpdate(relay, await sb.seal(u));
    Y.applyUpdate(a, await sa.open(Y.encodeStateAsUpdate(relay, Y.encodeStateVector(a))));
    Y.applyUpdate(b, await sb.open(Y.encodeStateAsUpdate(relay, Y.encodeStateVector(b))));
    expect(a.getMap('records').toJSON()).toEqual(b.getMap('records').toJSON());
    expect(['Dispatch', 'Returns']).toContain((a.getMap('records').toJSON() as Record<string, Record<string, unknown>>)['person-lukasz']!['team']);
    // The relay holds one key per field (equal names seal equal), and not one typed word.
    const relayRecord = [...relay.getMap('records').values()][0] as Y.Map<unknown>;
    expect(relayRecord.size).toBe(6);
    expect(Y.encodeStateVector(relay)).toEqual(Y.encodeStateVector(a));
    const stored = text(Y.encodeStateAsUpdate(relay));
    for (const typed of ['Lukasz', 'Wisniewski', 'Warehouse', 'Night shift', 'Dispatch', 'Returns', 'person-lukasz', 'startedOn', '2026-03-01'])
      expect(stored, typed).not.toContain(typed);
    expect(stored).toContain('records');
  });

  it('keeps in clear what the relay rules read: the member list, entry ids, chain links, signers and vouches', async () => {
    const s = await sealerFor(randomId(32), 'ws-1.training');
    const doc = new Y.Doc();
    const ups = updatesOf(doc);
    const chain = { device: 'dev-1', seq: 1, prev: null, hash: 'ab'.repeat(32) };
    doc.getMap('entries').set('e-1', { type: 'completion', person: 'Zoë Adams', course: 'Phishing', chain });
    doc.getMap('sigs').set('e-1', { by: 'k'.repeat(32), sig: 'c2ln', vouch: true, note: 'vouched by Zoë' });
    doc.getMap('membership').set('m-1', { type: 'genesis', name: 'Owner Olga' });
    const relay = new Y.Doc();
    for (const u of ups) Y.applyUpdate(relay, await s.seal(u));
    const entry = relay.getMap('entries').get('e-1') as Record<string, unknown>;
    expect(entry['chain']).toEqual(chain);
    for (const typed of ['Zoë Adams', 'Phishing', 'completion']) expect(JSON.stringify(entry)).not.toContain(typed);
    const sig = relay.getMap('sigs').get('e-1') as Record<string, unknown>;
    expect(sig).toMatchObject({ by: 'k'.repeat(32), vouch: true });
    expect(sig['sig']).toBeUndefined();
    expect(JSON.stringify(sig)).not.toContain('vouched');
    expect(relay.getMap('membership').get('m-1')).toEqual({ type: 'genesis', name: 'Owner Olga' });
    const back = new Y.Doc();
    Y.applyUpdate(back, await s.open(Y.encodeStateAsUpdate(relay)));
    for (const m of ['entries', 'sigs', 'membership']) expect(back.getMap(m).toJSON()).toEqual(doc.getMap(m).toJSON());
  });

  it('carries deletions: an overwritten value is gone on the other side too', async () => {
    const s = await sealerFor(randomId(32));
    const a = new Y.Doc();
    const ups = updatesOf(a);
    a.getMap('records').set('settings', 'first');
    a.getMap('records').set('settings', 'second');
    a.getMap('records').delete('settings');
    const b = new Y.Doc();
    for (const u of ups) Y.applyUpdate(b, await s.open(await s.seal(u)));
    expect(b.getMap('records').has('settings')).toBe(false);
    expect(Y.encodeStateAsUpdate(b)).toEqual(Y.encodeStateAsUpdate(a));
  });

  it('stops at a key it does not hold; empties what does not open with its key (moved from another room, altered)', async () => {
    const key = randomId(32);
    const doc = new Y.Doc();
    const ups = updatesOf(doc);
    doc.getMap('records').set('r', 'Confidential note');
    const sealed = await (await sealerFor(key)).seal(ups[0]!);
    await expect((await sealerFor(randomId(32))).open(sealed)).rejects.toBeInstanceOf(SealError);
    const openedIn = async (room: string, update: Uint8Array) => {
      const d = new Y.Doc();
      Y.applyUpdate(d, await (await sealerFor(key, room)).open(update));
      return d.getMap('records').toJSON() as Record<string, unknown>;
    };
    // Moved to another room: neither its name nor its value opens there.
    const moved = await openedIn('ws-1.reviews', sealed);
    expect(Object.keys(moved)).toHaveLength(1);
    expect(Object.keys(moved)[0]).toMatch(/^~/);
    expect(Object.values(moved)).toEqual([null]);
    // One byte of the value altered: emptied, the name still opens.
    const flipped = sealed.slice();
    flipped[flipped.length - 12]! ^= 1;
    expect(await openedIn(ROOM, flipped)).toEqual({ r: null });
    expect(await openedIn(ROOM, sealed)).toEqual({ r: 'Confidential note' });
    // With the key, a plain value is emptied: the relay (or a device whose link had no key) cannot slip in a value,
    // and the rest of the room still opens: the item stays, its value is null.
    const withPlain = new Y.Doc();
    Y.applyUpdate(withPlain, Y.encodeStateAsUpdate(doc));
    const more = updatesOf(withPlain);
    withPlain.getMap('records').set('s', 'Sealed note');
    const mixed = Y.mergeUpdates([ups[0]!, await (await sealerFor(key)).seal(more[0]!)]);
    const opened = new Y.Doc();
    Y.applyUpdate(opened, await (await sealerFor(key)).open(mixed));
    expect(opened.getMap('records').toJSON()).toEqual({ r: null, s: 'Sealed note' });
    // The signed member list stays plain, also when an update re-sets an entry (no map named).
    const members = new Y.Doc();
    const mups = updatesOf(members);
    const entry = { type: 'genesis', ws: 'ws-1', by: 'k'.repeat(32), sig: 'c2ln', name: 'Olga Owner' };
    members.getMap('membership').set('m-1', entry);
    members.getMap('membership').set('m-1', { ...entry });
    const membersSealer = await sealerFor(key, 'ws-1.members');
    for (const u of mups) expect(await membersSealer.open(u)).toBe(u);
    // A device without the content key (a workspace from before sealing) sends as it is, takes plain updates as
    // they are, and nothing sealed.
    const keyless = new RoomSealer(null, ROOM);
    expect(await keyless.seal(ups[0]!)).toBe(ups[0]);
    expect(await keyless.open(ups[0]!)).toBe(ups[0]);
    await expect(keyless.open(sealed)).rejects.toThrow('this device holds no content key');
  });
});

describe('a rotation on removal: a new content key for what comes next', () => {
  it('old values still open, new ones do not for the removed device, and a field keeps one name on the relay', async () => {
    const k1 = randomId(32);
    const k2 = randomId(32);
    const before = await sealerFor([k1]);
    const after = await sealerFor([k2, k1]);
    const a = new Y.Doc();
    const ups = updatesOf(a);
    const relay = new Y.Doc();
    a.transact(() => {
      const r = new Y.Map<unknown>();
      r.set('note', 'Written before the removal');
      a.getMap('records').set('r-1', r);
    });
    for (const u of ups.splice(0)) Y.applyUpdate(relay, await before.seal(u));
    (a.getMap('records').get('r-1') as Y.Map<unknown>).set('note', 'Written after the removal');
    for (const u of ups.splice(0)) Y.applyUpdate(relay, await after.seal(u));
    // One field, one sealed name on the relay, across the rotation.
    expect(([...relay.getMap('records').values()][0] as Y.Map<unknown>).size).toBe(1);
    // A device holding both keys opens everything.
    const b = new Y.Doc();
    Y.applyUpdate(b, await after.open(Y.encodeStateAsUpdate(relay)));
    expect((b.getMap('records').get('r-1') as Y.Map<unknown>).get('note')).toBe('Written after the removal');
    // The removed device, with the old key only, opens nothing written after.
    await expect(before.open(Y.encodeStateAsUpdate(relay))).rejects.toBeInstanceOf(SealError);
  });
});

describe('a large update is sent in parts', () => {
  it('parts applied in order make the same document, each under the limit, deletions with the last', async () => {
    const doc = new Y.Doc();
    for (let i = 0; i < 300; i++) {
      const r = new Y.Map<unknown>();
      r.set('name', `Person ${i}`);
      r.set('note', 'x'.repeat(200));
      doc.getMap('records').set(`p-${i}`, r);
    }
    doc.getMap('records').delete('p-7');
    const update = Y.encodeStateAsUpdate(doc);
    const parts = splitUpdate(update, 10_000);
    expect(parts.length).toBeGreaterThan(5);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(10_000);
    const copy = new Y.Doc();
    for (const p of parts) Y.applyUpdate(copy, p);
    expect(copy.getMap('records').toJSON()).toEqual(doc.getMap('records').toJSON());
    expect(copy.getMap('records').has('p-7')).toBe(false);
    expect(Y.encodeStateVector(copy)).toEqual(Y.encodeStateVector(doc));
    // Small enough: as it is.
    expect(splitUpdate(update, update.length)).toEqual([update]);
    // Sealed parts open and apply in order too.
    const s = await sealerFor(randomId(32));
    const sealedParts = await s.parts(update);
    const opened = new Y.Doc();
    for (const p of sealedParts) Y.applyUpdate(opened, await s.open(p));
    expect(opened.getMap('records').toJSON()).toEqual(doc.getMap('records').toJSON());
  });
});
