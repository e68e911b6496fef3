import { afterEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import type { TrustLookup, Verdict } from '../../src/domain/evidence-trust.ts';
import { rights as checklistRights } from '../../src/registers/checklists/rights.ts';
import { rights as reviewRights } from '../../src/registers/reviews/rights.ts';
import { judgeDoc, readMembershipLog, type SignKey, signEvidence, signPending } from '../../src/store/evidence-signer.ts';
import { appendEntry, createRecord } from '../../src/store/records.ts';
import { admitParam, appendEntries, connectAsDevice, enrol, enrolledWorkspace, nextClose, type NodeDevice, nodeDevice, redeemEntry, signAfter, writeSigned } from '../adversary.ts';
import { cleanup, destroyProvider, rawSocket, spawnRelay, tmpDir, waitFor, waitSynced, within } from './harness.ts';

afterEach(cleanup);

/*
 * Issue 17's attacks, one after another, by a modified client: an official y-websocket client holding the
 * workspace secret and its own enrolled staff key (Sam), writing hand-made updates through a real relay.
 * The honest owner's device reads every room back from the relay and judges it with the app's own code (the
 * member list under the root it pinned, the registers' rights). Each attack is refused by the relay or flagged
 * with its sentence, and the honest figures (the sign-offs and approvals that count, every member's role) stay
 * what they were. The secret-only client and the admission proofs have their own file (admission.test.ts).
 */

const signKey = (d: NodeDevice): SignKey => ({ privateKey: d.key.privateKey, alg: d.key.alg, keyId: d.keyId });

const PEOPLE: Record<string, { id: string; name: string; team: string; managerId?: string }> = {
  'p-owner': { id: 'p-owner', name: 'Owner', team: 'Board' },
  'p-mia': { id: 'p-mia', name: 'Mia', team: 'Finance' },
  'p-sam': { id: 'p-sam', name: 'Sam', team: 'Finance', managerId: 'p-mia' },
  'p-bo': { id: 'p-bo', name: 'Bo', team: 'Finance', managerId: 'p-mia' },
};
const look = (doc: Y.Doc): TrustLookup => ({
  person: (id) => PEOPLE[id],
  personNamed: (name) => Object.values(PEOPLE).find((p) => p.name === name),
  record: (id) => doc.getMap<Y.Map<unknown>>('records').get(id)?.toJSON(),
});

/** A device's copy of one room, through the relay, proven as that device. */
async function room(url: string, w: { id: string; token: string }, name: string, d: NodeDevice) {
  const doc = new Y.Doc();
  const provider = await connectAsDevice(url, `${w.id}.${name}`, doc, w.token, d);
  await waitSynced(provider);
  return { doc, provider };
}

/** What counts, as the honest owner's device sees it: entry id → verdict. */
const counted = (v: Map<string, Verdict>) => [...v].filter(([, x]) => x.ok).map(([id]) => id).sort();
const reasonOf = (v: Map<string, Verdict>, id: string) => {
  const x = v.get(id);
  return x && !x.ok ? x.reason : undefined;
};

test('a modified client with the secret and its own staff key: every attack of issue 17 is refused or flagged, and no honest figure changes', { timeout: 60_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir() });
  const w = await enrolledWorkspace(relay, { staff: [['Mia', 'manager'], ['Sam', 'staff'], ['Bo', 'staff']], invite: { name: 'Ida', role: 'staff' } });
  const [mia, sam, bo] = w.staff as [NodeDevice, NodeDevice, NodeDevice];
  const owner = w.owner;

  // The honest owner's device: the member list, the checklists and the management reviews.
  const om = await room(relay.url, w, 'members', owner);
  const oc = await room(relay.url, w, 'checklists', owner);
  const or = await room(relay.url, w, 'reviews', owner);
  createRecord(oc.doc, 'c1', { team: 'Finance', month: '2026-11' });
  createRecord(or.doc, 'r1', { title: 'Q4 review', chairId: 'p-owner' });
  const ownerLog = () => readMembershipLog(om.doc, w.id, owner.keyId);
  await waitFor('owner sees the log', () => om.doc.getMap('membership').size === w.entries.length);
  expect((await ownerLog()).current.devices.size).toBe(4);

  // Mia, the Finance manager, signs off the checklist on her phone: the honest figure.
  const mc = await room(relay.url, w, 'checklists', mia);
  await waitFor('record at Mia', () => mc.doc.getMap('records').has('c1'));
  appendEntry(mc.doc, { id: 'so-mia', recordId: 'c1', kind: 'signoff', byName: 'Mia', at: new Date().toISOString(), deviceId: mia.deviceId, note: '', snapshot: '{}' } as { id: string });
  const miaLog = await readMembershipLog(om.doc, w.id, owner.keyId);
  expect(await signPending('checklists', mc.doc, mia.deviceId, signKey(mia), miaLog)).toBe(1);
  await waitFor('Mia’s sign-off at the owner', () => oc.doc.getMap('sigs').has('so-mia'));
  const before = await judgeDoc('checklists', oc.doc, await ownerLog(), checklistRights, look(oc.doc), owner.deviceId);
  expect(counted(before)).toEqual(['so-mia']);

  // Sam's modified client, proven as Sam: the relay opens neither checklists nor reviews to a staff device (room
  // access by role, issue 18, room-access.test.ts): 4404, and not one byte of either room.
  for (const name of ['checklists', 'reviews']) {
    const d = new Y.Doc();
    const p = await connectAsDevice(relay.url, `${w.id}.${name}`, d, w.token, sam);
    expect(await within(`Sam opens ${name}`, nextClose(p))).toEqual({ code: 4404, reason: 'not open to your role' });
    destroyProvider(p);
    expect(d.store.clients.size).toBe(0);
  }
  // Where no relay enforces that (a legacy workspace, --enforce-device-admission=0), Sam's copies could still be had and
  // written back: the honest devices judge what Sam signs, whatever a relay let through. Sam's copies, by hand:
  const copyOf = (doc: Y.Doc) => {
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    return { doc: copy };
  };
  const sc = copyOf(oc.doc);
  const sr = copyOf(or.doc);
  expect(sc.doc.getMap('records').has('c1') && sr.doc.getMap('records').has('r1')).toBe(true);
  const samLog = await readMembershipLog(om.doc, w.id, owner.keyId);

  // 1. Sign off as another person: a sign-off "by Mia" on Sam's own chain, signed with Sam's key.
  appendEntry(sc.doc, { id: 'forged-as-mia', recordId: 'c1', kind: 'signoff', byName: 'Mia', at: new Date().toISOString(), deviceId: sam.deviceId, note: '', snapshot: '{}' } as { id: string });
  // …and one put on Mia's chain (her device id), still signed with Sam's key.
  appendEntry(sc.doc, { id: 'forged-on-mia', recordId: 'c1', kind: 'signoff', byName: 'Mia', at: new Date().toISOString(), deviceId: mia.deviceId, note: '', snapshot: '{}' } as { id: string }, mia.deviceId);
  expect(await signPending('checklists', sc.doc, sam.deviceId, signKey(sam), samLog)).toBe(1); // signs its own chain only
  const onMia = sc.doc.getMap('entries').get('forged-on-mia') as object;
  sc.doc.getMap('sigs').set('forged-on-mia', await signEvidence('checklists', onMia, signKey(sam), samLog.tips));

  // 2. Forge the chair's approval of the management review.
  appendEntry(sr.doc, { id: 'forged-approval', recordId: 'r1', kind: 'signoff', byName: 'Owner', at: new Date().toISOString(), deviceId: sam.deviceId, note: 'Approved', snapshot: '{}' } as { id: string });
  expect(await signPending('reviews', sr.doc, sam.deviceId, signKey(sam), samLog)).toBe(1);

  // …delivered to the owner's copies as a relay that does not enforce room access would.
  Y.applyUpdate(oc.doc, Y.encodeStateAsUpdate(sc.doc));
  Y.applyUpdate(or.doc, Y.encodeStateAsUpdate(sr.doc));
  await waitFor('forgeries at the owner', () => oc.doc.getMap('sigs').has('forged-as-mia') && oc.doc.getMap('sigs').has('forged-on-mia') && or.doc.getMap('sigs').has('forged-approval'));
  const after = await judgeDoc('checklists', oc.doc, await ownerLog(), checklistRights, look(oc.doc), owner.deviceId);
  expect(counted(after)).toEqual(['so-mia']);
  expect(reasonOf(after, 'forged-as-mia')).toBe('Signed by Sam’s device (staff). A checklist sign-off for Finance needs a manager of Finance or an owner.');
  expect(reasonOf(after, 'forged-on-mia')).toMatch(/^Signed by Sam’s device \(staff\)\. /);
  const reviews = await judgeDoc('reviews', or.doc, await ownerLog(), reviewRights, look(or.doc), owner.deviceId);
  expect(counted(reviews)).toEqual([]);
  expect(reasonOf(reviews, 'forged-approval')).toBe('Signed by Sam’s device (staff). A review approval needs the chair’s device (Owner).');

  // 3. Promote itself to owner, and designate itself disciplinary officer: entries Sam signs into the member list.
  const promote = await signAfter(w.id, w.entries, sam, { type: 'grant', device: sam.keys, name: 'Sam', role: 'owner' });
  const officer = await signAfter(w.id, w.entries, sam, { type: 'officer', personId: 'p-sam', designated: true });
  await writeSigned(relay.url, w, sam, [promote, officer], false);
  await waitFor('Sam’s entries at the owner', () => om.doc.getMap('membership').size >= w.entries.length + 2);
  let log = await ownerLog();
  expect(log.current.devices.get(sam.deviceId)?.role).toBe('staff');
  expect(log.current.officers.size).toBe(0);
  expect(log.refused.map((r) => r.type).sort()).toEqual(['grant', 'officer']);

  // 4. Replay an old grant after a removal: the owner removes Bo; Bo's socket is closed and Bo is refused; Sam
  //    writes Bo's old grant again (the same entry: nothing new) and a fresh grant of Bo's key, signed by Sam.
  const boRoom = await room(relay.url, w, 'people', bo);
  const boClosed = nextClose(boRoom.provider);
  await appendEntries(relay.url, w, owner, [{ type: 'remove', deviceId: bo.deviceId }]);
  expect((await within('Bo closed', boClosed)).code).toBe(4403);
  destroyProvider(boRoom.provider);
  const oldGrant = w.entries.find((e) => e.type === 'grant' && (e as { device?: { deviceId: string } }).device?.deviceId === bo.deviceId)!;
  const regrant = await signAfter(w.id, w.entries, sam, { type: 'grant', device: bo.keys, name: 'Bo', role: 'staff' });
  await writeSigned(relay.url, w, sam, [oldGrant, regrant], false);
  await waitFor('the regrant at the owner', () => om.doc.getMap('membership').size >= w.entries.length + 3);
  log = await ownerLog();
  expect(log.current.devices.get(bo.deviceId)?.removed).toBeTruthy();
  const back = rawSocket(relay.syncUrl, `${w.id}.people`, `${w.token}&admit=${encodeURIComponent(await admitParam(relay.url, w.id, w.token, bo))}`);
  expect(await within('Bo refused', back.closed)).toMatchObject({ code: 4403 });

  // 5. Reuse a redeemed invite: Ida takes it up; a second device with the same invite is refused by the relay.
  const first = await nodeDevice('Ida');
  const redeem = await redeemEntry(w, first);
  expect((await enrol(relay.url, w.id, w.token, redeem)).status).toBe(200);
  w.entries.push(redeem);
  expect(await enrol(relay.url, w.id, w.token, await redeemEntry(w, await nodeDevice('Eve')))).toEqual({ status: 403, body: { error: 'the invite was already used: an invite works once' } });

  // No honest figure changed: the same sign-off counts, the review is still unapproved, every role is as granted.
  const final = await ownerLog();
  expect(counted(await judgeDoc('checklists', oc.doc, final, checklistRights, look(oc.doc), owner.deviceId))).toEqual(['so-mia']);
  expect(counted(await judgeDoc('reviews', or.doc, final, reviewRights, look(or.doc), owner.deviceId))).toEqual([]);
  expect(Object.fromEntries([...final.current.devices.values()].filter((d) => !d.removed).map((d) => [d.name, d.role]))).toEqual({ Owner: 'owner', Mia: 'manager', Sam: 'staff', Ida: 'staff' });
  for (const r of [om, oc, or, mc]) destroyProvider(r.provider);
});
