import { afterAll, afterEach, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { frameForViewer, updateForViewer, updateFromViewer } from '../../server/audience.ts';
import { randomId } from '../../src/crypto/base64url.ts';
import { appendEntry, createRecord } from '../../src/store/records.ts';
import { keyringOf, RoomSealer } from '../../src/sync/seal.ts';
import { encodeUpdate, type Struct } from '../../src/sync/update-codec.ts';
import { appendEntries, connectAsDevice, enrolledWorkspace, nextClose, type NodeDevice } from '../adversary.ts';
import { cleanup, destroyProvider, records, spawnRelay, tmpDir, waitFor, waitSynced } from './harness.ts';

afterEach(cleanup);

/*
 * A room with a person audience (server/audience.ts, issue 18): a member of staff's device receives its own
 * person's records and entries and no one's (a course), and of a colleague's only GC structs of the same clocks.
 * First the filter alone on sealed updates as the devices make them (src/sync/seal.ts); then a real relay and
 * enrolled devices, the adversary an official y-websocket client that asks for everything.
 */

const SAM = 'person-sam';
const KIM = 'person-kim';
const KIM_TEXT = ['Kim Colleague', 'Disciplinary hearing notes', 'Forklift licence'];
const counts = { hiddenItems: 0, shownItems: 0 };
afterAll(() => console.log(`audience: ${counts.shownItems} items shown to staff, ${counts.hiddenItems} sent as GC`));

/** What an owner's device writes to the training room: a course (no one's), a completion each for Sam and Kim with signatures, and a record each. */
function ownerWrites(doc: Y.Doc) {
  doc.transact(() => {
    createRecord(doc, 'course-fire', { type: 'course', title: 'Fire safety' });
    createRecord(doc, 'agreement-sam', { personId: SAM, title: 'Sam employment contract', notes: 'Signed in person' });
    createRecord(doc, 'agreement-kim', { personId: KIM, title: 'Kim Colleague contract', notes: 'Disciplinary hearing notes' });
    appendEntry(doc, { id: 'entry-sam', kind: 'completion', personId: SAM, courseId: 'course-fire', provider: 'Own provider' } as { id: string }, 'owner-device');
    appendEntry(doc, { id: 'entry-kim', kind: 'completion', personId: KIM, courseId: 'course-fire', provider: 'Forklift licence' } as { id: string }, 'owner-device');
    doc.getMap('sigs').set('entry-sam', { by: 'owner-key', sig: 'sig-sam' });
    doc.getMap('sigs').set('entry-kim', { by: 'owner-key', sig: 'sig-kim' });
  });
}

const count = (before: Uint8Array, after: Uint8Array) => {
  const gc = (u: Uint8Array) => Y.decodeUpdate(u).structs.filter((s) => s instanceof Y.GC).length;
  const hidden = gc(after) - gc(before);
  counts.hiddenItems += hidden;
  counts.shownItems += Y.decodeUpdate(after).structs.filter((s) => s instanceof Y.Item).length;
  return hidden;
};

describe('the filter on sealed updates', () => {
  test('a member of staff gets their own records and the course; a colleague’s only as GC, also later edits; sync stays whole', async () => {
    const ring = await keyringOf('ws-a', [randomId(32)]);
    const owner = new Y.Doc();
    const ownerSeal = new RoomSealer(ring, 'ws-a.training', owner);
    const relay = new Y.Doc();
    const relayUpdates: Uint8Array[] = [];
    relay.on('update', (u: Uint8Array) => relayUpdates.push(u));
    owner.on('update', (u: Uint8Array) => void ownerSeal.seal(u).then((sealed) => Y.applyUpdate(relay, sealed)));
    ownerWrites(owner);
    await waitFor('relay has the owner’s update', () => relayUpdates.length > 0);
    // The relay's copy: ids tagged by person, entries with `for`, nothing readable.
    const tags = [...relay.getMap('records').keys()].map((k) => k.slice(0, k.indexOf('/') + 1)).sort();
    expect(tags).toEqual(['@/', `@${SAM}/`, `@${KIM}/`].sort());
    expect([...relay.getMap('entries').values()].map((v) => (v as { for: string }).for).sort()).toEqual([KIM, SAM].sort());

    // Sam's phone: the relay's whole state as Sam may receive it, opened with the content key.
    const sam = new Y.Doc();
    const samSeal = new RoomSealer(ring, 'ws-a.training', sam);
    const whole = Y.encodeStateAsUpdate(relay);
    const forSam = updateForViewer(relay, whole, { person: SAM });
    expect(count(whole, forSam)).toBeGreaterThan(0);
    Y.applyUpdate(sam, await samSeal.open(forSam));
    expect([...records(sam).keys()].sort()).toEqual(['agreement-sam', 'course-fire']);
    expect([...sam.getMap('entries').keys()]).toEqual(['entry-sam']);
    expect([...sam.getMap('sigs').keys()]).toEqual(['entry-sam']);
    expect(records(sam).get('agreement-sam')!.get('title')).toBe('Sam employment contract');
    // Same clocks as the relay: nothing left to ask for, nothing pending.
    expect(Y.encodeStateVector(sam)).toEqual(Y.encodeStateVector(relay));
    expect(sam.store.pendingStructs).toBeNull();
    // Not even Kim's ciphertext is on Sam's phone: its stored update is smaller than the relay's by Kim's share.
    const stored = Y.encodeStateAsUpdate(sam);
    for (const t of KIM_TEXT) expect(Buffer.from(stored).toString('latin1')).not.toContain(t);
    expect([...Y.decodeUpdate(stored).structs].filter((s) => s instanceof Y.Item && s.content instanceof Y.ContentAny && JSON.stringify(s.content.arr).includes(KIM))).toEqual([]);

    // Later edits: Kim's goes to Sam as GC, Sam's own arrives; Sam's doc still converges with the relay's clocks.
    relayUpdates.length = 0;
    records(owner).get('agreement-kim')!.set('notes', 'Disciplinary hearing notes, second meeting');
    records(owner).get('agreement-sam')!.set('notes', 'Countersigned');
    await waitFor('relay has both edits', () => relayUpdates.length >= 2);
    for (const u of relayUpdates) {
      const filtered = updateForViewer(relay, u, { person: SAM });
      count(u, filtered);
      Y.applyUpdate(sam, await samSeal.open(filtered));
    }
    expect(records(sam).get('agreement-sam')!.get('notes')).toBe('Countersigned');
    expect(records(sam).has('agreement-kim')).toBe(false);
    expect(Y.encodeStateVector(sam)).toEqual(Y.encodeStateVector(relay));

    // Sam's copy sent back (his step 2): Yjs puts his GC structs in its delete set; from Sam, those ranges are dropped.
    const samState = Y.encodeStateAsUpdate(sam, Y.encodeStateVector(new Y.Doc()));
    const deletes = (u: Uint8Array) => [...Y.decodeUpdate(u).ds.clients.values()].flat().reduce((n, r) => n + r.len, 0);
    expect(deletes(samState)).toBeGreaterThan(0);
    const fromSam = updateFromViewer(relay, samState, { person: SAM });
    const check = new Y.Doc();
    Y.applyUpdate(check, whole);
    Y.applyUpdate(check, fromSam);
    // (The relay's copy is sealed: its keys are the tagged sealed ids.)
    expect([...records(check).keys()].sort()).toEqual([...relay.getMap('records').keys()].sort());
    expect(records(check).size).toBe(3);
    expect(check.getMap('entries').size).toBe(2);
    expect(deletes(fromSam)).toBeLessThan(deletes(samState));
    // A device linked to no person receives the course only; an owner's view (no filter) is not asked for here.
    const nobody = new Y.Doc();
    Y.applyUpdate(nobody, await new RoomSealer(ring, 'ws-a.training', nobody).open(updateForViewer(relay, Y.encodeStateAsUpdate(relay), { person: null })));
    expect([...records(nobody).keys()]).toEqual(['course-fire']);
    expect(nobody.getMap('entries').size).toBe(0);
  });

  test('a sealed id without a tag, or a sealed entry without `for`, is no one’s to see; a frame other than an update passes as it is', async () => {
    const ring = await keyringOf('ws-b', [randomId(32)]);
    const owner = new Y.Doc();
    // A sealer that does not tag (an older device): nothing of what it sealed reaches staff.
    const untagged = new RoomSealer(ring, 'ws-b.training');
    const strip = (u: Uint8Array) => {
      const { structs } = Y.decodeUpdate(u);
      for (const s of structs) if (s instanceof Y.Item && s.parentSub?.startsWith('@')) s.parentSub = s.parentSub.slice(s.parentSub.indexOf('/') + 1);
      for (const s of structs) if (s instanceof Y.Item && s.content instanceof Y.ContentAny) s.content = new Y.ContentAny(s.content.arr.map((v) => (v && typeof v === 'object' && 'for' in v ? (({ for: _f, ...rest }) => rest)(v as Record<string, unknown>) : v)));
      return encodeUpdate(structs as Struct[], Y.decodeUpdate(u).ds);
    };
    const relay = new Y.Doc();
    const got: Uint8Array[] = [];
    owner.on('update', (u: Uint8Array) => got.push(u));
    ownerWrites(owner);
    Y.applyUpdate(relay, strip(await untagged.seal(got[0]!)));
    const forSam = updateForViewer(relay, Y.encodeStateAsUpdate(relay), { person: SAM });
    const sam = new Y.Doc();
    Y.applyUpdate(sam, await untagged.open(forSam));
    expect(records(sam).size).toBe(0);
    expect(sam.getMap('entries').size).toBe(0);
    expect(Y.encodeStateVector(sam)).toEqual(Y.encodeStateVector(relay));
    const awareness = new Uint8Array([1, 5, 1, 2, 3, 4, 5]);
    expect(frameForViewer(relay, awareness, { person: SAM })).toBe(awareness);
  });

  test('agreements (person-only): a party person is whose the record is; a supplier’s agreement is no one’s and not for staff', async () => {
    const ring = await keyringOf('ws-c', [randomId(32)]);
    const owner = new Y.Doc();
    const seal = new RoomSealer(ring, 'ws-c.agreements', owner);
    const got: Uint8Array[] = [];
    owner.on('update', (u: Uint8Array) => got.push(u));
    owner.transact(() => {
      createRecord(owner, 'contract-sam', { partyPersonId: SAM, partyName: '', documentRef: 'HR/sam.pdf' });
      createRecord(owner, 'contract-kim', { partyPersonId: KIM, partyName: '', documentRef: 'HR/kim-final-warning.pdf' });
      createRecord(owner, 'nda-supplier', { partyPersonId: '', partyName: 'Acme Couriers', documentRef: 'LEGAL/acme-nda.pdf' });
    });
    const relay = new Y.Doc();
    Y.applyUpdate(relay, await seal.seal(got[0]!));
    const whole = Y.encodeStateAsUpdate(relay);
    const open = async (u: Uint8Array) => {
      const d = new Y.Doc();
      Y.applyUpdate(d, await new RoomSealer(ring, 'ws-c.agreements', d).open(u));
      return [...records(d).keys()].sort();
    };
    expect(await open(updateForViewer(relay, whole, { person: SAM }, { audience: 'person-only' }))).toEqual(['contract-sam']);
    // The same room read as 'person' would show the supplier's to staff: agreements declare 'person-only'.
    expect(await open(updateForViewer(relay, whole, { person: SAM }, { audience: 'person' }))).toEqual(['contract-sam', 'nda-supplier']);
  });

  test('People (a directory): every name and team reaches staff; of a colleague, not the private fields, also when edited later', async () => {
    const ring = await keyringOf('ws-d', [randomId(32)]);
    const PRIVATE = new Set(['email', 'jobTitle', 'startDate', 'managerId']);
    const rule = { audience: 'directory' as const, privateFields: PRIVATE };
    const owner = new Y.Doc();
    const seal = new RoomSealer(ring, 'ws-d.people', owner, PRIVATE);
    const relay = new Y.Doc();
    const relayUpdates: Uint8Array[] = [];
    relay.on('update', (u: Uint8Array) => relayUpdates.push(u));
    owner.on('update', (u: Uint8Array) => void seal.seal(u).then((sealed) => Y.applyUpdate(relay, sealed)));
    owner.transact(() => {
      createRecord(owner, SAM, { name: 'Sam Staff', team: 'Ops', email: 'sam@example.org', jobTitle: 'Picker', startDate: '2025-01-06', managerId: '' });
      createRecord(owner, KIM, { name: 'Kim Colleague', team: 'Ops', email: 'kim.private@example.org', jobTitle: 'Forklift driver', startDate: '2019-03-04', managerId: SAM });
    });
    await waitFor('relay has the people', () => relayUpdates.length > 0);
    const sam = new Y.Doc();
    const samSeal = new RoomSealer(ring, 'ws-d.people', sam, PRIVATE);
    const apply = async (u: Uint8Array) => Y.applyUpdate(sam, await samSeal.open(updateForViewer(relay, u, { person: SAM }, rule)));
    await apply(Y.encodeStateAsUpdate(relay));
    expect(records(sam).get(SAM)!.toJSON()).toMatchObject({ name: 'Sam Staff', team: 'Ops', email: 'sam@example.org', jobTitle: 'Picker', startDate: '2025-01-06' });
    expect(records(sam).get(KIM)!.toJSON()).toEqual({ name: 'Kim Colleague', team: 'Ops' });
    expect(Y.encodeStateVector(sam)).toEqual(Y.encodeStateVector(relay));
    // Later: Kim's email changes, her team changes, Sam's job title changes.
    relayUpdates.length = 0;
    owner.transact(() => {
      records(owner).get(KIM)!.set('email', 'kim.new@example.org');
      records(owner).get(KIM)!.set('team', 'Returns');
    });
    records(owner).get(SAM)!.set('jobTitle', 'Team lead');
    await waitFor('relay has the edits', () => relayUpdates.length >= 2);
    for (const u of relayUpdates) await apply(u);
    expect(records(sam).get(KIM)!.toJSON()).toEqual({ name: 'Kim Colleague', team: 'Returns' });
    expect(records(sam).get(SAM)!.get('jobTitle')).toBe('Team lead');
    const stored = Buffer.from(Y.encodeStateAsUpdate(sam)).toString('latin1');
    for (const t of ['kim.private', 'kim.new', 'Forklift driver', '2019-03-04']) expect(stored).not.toContain(t);
    // An owner's (unfiltered) copy has all of it; a plain room (no content key) is judged by the field names.
    const plain = new Y.Doc();
    Y.applyUpdate(plain, Y.encodeStateAsUpdate(owner));
    const plainSam = new Y.Doc();
    Y.applyUpdate(plainSam, updateForViewer(plain, Y.encodeStateAsUpdate(plain), { person: SAM }, rule));
    expect(records(plainSam).get(KIM)!.toJSON()).toEqual({ name: 'Kim Colleague', team: 'Returns' });
    expect(records(plainSam).get(SAM)!.get('email')).toBe('sam@example.org');
    // Sam's copy sent back deletes nothing of Kim's private fields.
    const back = updateFromViewer(relay, Y.encodeStateAsUpdate(sam), { person: SAM }, rule);
    const check = new Y.Doc();
    Y.applyUpdate(check, Y.encodeStateAsUpdate(relay));
    Y.applyUpdate(check, back);
    expect(Y.encodeStateAsUpdate(check)).toEqual(Y.encodeStateAsUpdate(relay));
  });

  test('a workspace without a content key: plain records and entries are judged by their personId', () => {
    const owner = new Y.Doc();
    ownerWrites(owner);
    const sam = new Y.Doc();
    Y.applyUpdate(sam, updateForViewer(owner, Y.encodeStateAsUpdate(owner), { person: SAM }));
    expect([...records(sam).keys()].sort()).toEqual(['agreement-sam', 'course-fire']);
    expect([...sam.getMap('entries').keys()]).toEqual(['entry-sam']);
    expect(JSON.stringify(sam.toJSON())).not.toContain('Kim');
  });
});

const ENFORCE = ['--enforce-device-admission'];
const open = async (relay: { url: string }, room: string, token: string, device: NodeDevice) => {
  const doc = new Y.Doc();
  const provider = await connectAsDevice(relay.url, room, doc, token, device);
  await waitSynced(provider, 10_000);
  return { doc, provider };
};

test('through a real relay: staff receive their own, managers and officers everything, and an officer designation opens it at the next connection', { timeout: 60_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir(), args: ENFORCE });
  const w = await enrolledWorkspace(relay, { staff: [['Sam', 'staff', SAM], ['Mia', 'manager'], ['Lee', 'staff']] });
  const [sam, mia, lee] = w.staff as [NodeDevice, NodeDevice, NodeDevice];
  const room = `${w.id}.training`;
  const o = await open(relay, room, w.token, w.owner);
  ownerWrites(o.doc);
  const keys = (d: Y.Doc) => [...records(d).keys(), ...d.getMap('entries').keys()].sort();
  // The owner's write reaches the relay: a manager's fresh copy holds all of it.
  const m = await open(relay, room, w.token, mia);
  await waitFor('manager has everything', () => keys(m.doc).length === 5);
  destroyProvider(m.provider);

  // Sam (staff, linked to person-sam): the official provider asks for everything and gets only Sam's and the course.
  const s = await open(relay, room, w.token, sam);
  await new Promise((r) => setTimeout(r, 300));
  expect(keys(s.doc)).toEqual(['agreement-sam', 'course-fire', 'entry-sam']);
  expect(JSON.stringify(s.doc.toJSON())).not.toContain('Kim');
  // Live: an edit of Kim's record does not reach Sam, an edit of Sam's does.
  records(o.doc).get('agreement-kim')!.set('notes', 'Kim: second meeting');
  records(o.doc).get('agreement-sam')!.set('notes', 'Countersigned');
  await waitFor('Sam sees the edit of his own', () => records(s.doc).get('agreement-sam')?.get('notes') === 'Countersigned');
  expect(records(s.doc).has('agreement-kim')).toBe(false);
  // Sam's own new entry goes up and reaches the owner.
  appendEntry(s.doc, { id: 'entry-sam-2', kind: 'completion', personId: SAM, courseId: 'course-fire' } as { id: string }, sam.keys.deviceId);
  await waitFor('owner receives Sam’s entry', () => o.doc.getMap('entries').has('entry-sam-2'));
  destroyProvider(s.provider);
  // Sam's phone comes back with what it holds: its step 2's delete set names Kim's items (Yjs counts its GC structs
  // as deleted). The relay drops those ranges: Sam stays connected, Kim's records stay on the relay.
  const back = await connectAsDevice(relay.url, room, s.doc, w.token, sam);
  const closedBack = nextClose(back);
  await waitSynced(back, 10_000);
  expect(await Promise.race([closedBack, new Promise((r) => setTimeout(() => r('open'), 800))])).toBe('open');
  destroyProvider(back);
  const after = await open(relay, room, w.token, mia);
  await waitFor('Kim’s records are still on the relay', () => records(after.doc).has('agreement-kim') && after.doc.getMap('entries').has('entry-kim'));
  destroyProvider(after.provider);

  // A member of staff linked to no person: the course only.
  const l = await open(relay, room, w.token, lee);
  await new Promise((r) => setTimeout(r, 300));
  expect(keys(l.doc)).toEqual(['course-fire']);
  destroyProvider(l.provider);

  // People, a directory: Sam's phone gets every name and team, and of Kim's record no private field.
  const people = await open(relay, `${w.id}.people`, w.token, w.owner);
  createRecord(people.doc, SAM, { name: 'Sam Staff', team: 'Ops', email: 'sam@example.org' });
  createRecord(people.doc, KIM, { name: 'Kim Colleague', team: 'Ops', email: 'kim.private@example.org', jobTitle: 'Forklift driver' });
  const samPeople = await open(relay, `${w.id}.people`, w.token, sam);
  await waitFor('Sam has the directory', () => records(samPeople.doc).has(KIM) && records(samPeople.doc).get(SAM)?.get('email') === 'sam@example.org');
  expect(records(samPeople.doc).get(KIM)!.toJSON()).toEqual({ name: 'Kim Colleague', team: 'Ops' });
  destroyProvider(samPeople.provider);
  destroyProvider(people.provider);

  // Sam designated officer: his open connection is closed (what he may receive changed: his copy was filled as
  // staff, CLOSE_VIEW), and his next connection receives everything.
  const before = await open(relay, room, w.token, sam);
  const closedByView = nextClose(before.provider);
  await appendEntries(relay.url, w, w.owner, [{ type: 'officer', personId: SAM, designated: true }]);
  expect(await closedByView).toEqual({ code: 4409, reason: 'what you may receive changed' });
  destroyProvider(before.provider);
  const again = await open(relay, room, w.token, sam);
  await waitFor('officer has everything', () => keys(again.doc).length === 6, 10_000);
  destroyProvider(again.provider);
  destroyProvider(o.provider);
});
