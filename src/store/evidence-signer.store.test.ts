import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { signMembershipEntry } from '../crypto/membership';
import { generateSigningKeyPair, signingKeyId } from '../crypto/signing';
import { parseEvidenceSig } from '../domain/evidence-sigs';
import type { TrustLookup } from '../domain/evidence-trust';
import { type MembershipPayload, membershipDraft, membershipId } from '../domain/membership';
import type { Role } from '../domain/permissions';
import { checklistDuties } from '../registers/checklists/due';
import { readChecklistEntries, readChecklists, STANDARD_ITEMS } from '../registers/checklists/model';
import { rights as checklistRights } from '../registers/checklists/rights';
import { createChecklistStore } from '../registers/checklists/store';
import type { Person } from '../registers/people/model';
import { createLiveSource } from './live-source';
import { rights as reviewRights } from '../registers/reviews/rights';
import { applyTrust, judgeDoc, readMembershipLog, type SignKey, signPending, sigsOf, watchEvidence } from './evidence-signer';
import { createDocView } from './reactive';
import { appendEntry, createRecord } from './records';
import { appendSignOff } from './signoffs';

const WS = 'ws1';

async function device(deviceId: string) {
  const pair = await generateSigningKeyPair();
  const key: SignKey = { privateKey: pair.privateKey, alg: pair.alg, keyId: signingKeyId(pair) };
  return { deviceId, key, keys: { deviceId, signKey: pair.publicKey, alg: pair.alg } };
}

/** A members document: the owner's genesis, then grants signed by the owner. */
async function workspace() {
  const owner = await device('d-owner');
  const manager = await device('d-manager');
  const staff = await device('d-staff');
  const members = new Y.Doc();
  const map = members.getMap('membership');
  let tips: string[] = [];
  const add = async (payload: MembershipPayload, by = owner) => {
    const e = await signMembershipEntry(membershipDraft(payload, { workspace: WS, tips, by: by.key.keyId }), by.key);
    const id = membershipId(e);
    map.set(id, e);
    tips = [id];
    return id;
  };
  await add({ type: 'genesis', device: owner.keys, name: 'Olu Owner', personId: 'p-owner' });
  const grant = (d: typeof owner, name: string, personId: string, role: Role) => add({ type: 'grant', device: d.keys, name, personId, role });
  await grant(manager, 'Mia Manager', 'p-mia', 'manager');
  await grant(staff, 'Sam Lee', 'p-sam', 'staff');
  return { owner, manager, staff, members, add };
}

const people: Record<string, { id: string; name: string; team: string; managerId?: string }> = {
  'p-owner': { id: 'p-owner', name: 'Olu Owner', team: '' },
  'p-mia': { id: 'p-mia', name: 'Mia Manager', team: 'Finance' },
  'p-sam': { id: 'p-sam', name: 'Sam Lee', team: 'Finance', managerId: 'p-mia' },
};
const lookIn = (doc: Y.Doc): TrustLookup => ({
  person: (id) => people[id],
  record: (id) => doc.getMap<Y.Map<unknown>>('records').get(id)?.toJSON(),
});
const signer = (name: string, personId: string, deviceId: string) => ({ name, personId, deviceId });

function sync(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
}

describe('evidence signer and judge (two Y.Docs merging)', () => {
  it('a staff device’s forged checklist sign-off is flagged with its sentence; the manager’s counts; the view’s entries leave it out', async () => {
    const w = await workspace();
    const log = await readMembershipLog(w.members, WS);
    const mine = new Y.Doc(); // the manager's phone
    const theirs = new Y.Doc(); // the staff phone running a modified client
    createRecord(mine, 'c1', { team: 'Finance', month: '2026-11' });
    sync(mine, theirs);
    // The modified client writes a sign-off as the manager (name and person id), on its own chain, and signs it with its own key.
    appendSignOff(theirs, 'c1', 'snap', signer('Mia Manager', 'p-mia', 'd-staff'), 'forged');
    expect(await signPending('checklists', theirs, 'd-staff', w.staff.key, log)).toBe(1);
    sync(mine, theirs);

    await createRoot(async (dispose) => {
      const view = createDocView(mine);
      expect(view.entries()).toHaveLength(1); // before judging: as today
      await applyTrust('checklists', mine, log, checklistRights, lookIn(mine), 'd-manager');
      expect(view.entries()).toHaveLength(0);
      expect(view.flagged()).toHaveLength(1);
      expect(view.flagged()[0]!.verdict.reason).toBe('Signed by Sam Lee’s device (staff). A checklist sign-off for Finance needs a manager of Finance or an owner.');

      // The real manager signs off: pending until signed (own device), then signed; both count.
      appendSignOff(mine, 'c1', 'snap', signer('Mia Manager', 'p-mia', 'd-manager'), 'real');
      await applyTrust('checklists', mine, log, checklistRights, lookIn(mine), 'd-manager');
      expect(view.entries()).toHaveLength(1);
      await signPending('checklists', mine, 'd-manager', w.manager.key, log);
      const verdicts = await judgeDoc('checklists', mine, log, checklistRights, lookIn(mine));
      expect([...verdicts.values()].map((v) => (v.ok ? v.kind : 'flagged')).sort()).toEqual(['flagged', 'signed']);
      dispose();
    });
  });

  it('a forged chair approval, a bad signature, a missing signature and a vouch by a non-owner are each flagged', async () => {
    const w = await workspace();
    const log = await readMembershipLog(w.members, WS);
    const doc = new Y.Doc();
    createRecord(doc, 'r1', { chairId: 'p-mia', date: '2026-11-25' });
    appendSignOff(doc, 'r1', 'snap', signer('Mia Manager', 'p-mia', 'd-staff'), 'forged chair');
    await signPending('reviews', doc, 'd-staff', w.staff.key, log);
    const look = lookIn(doc);
    let v = [...(await judgeDoc('reviews', doc, log, reviewRights, look)).values()];
    expect(v[0]).toMatchObject({ ok: false, reason: 'Signed by Sam Lee’s device (staff). A review approval needs the chair’s device (Mia Manager).' });

    // The chair's own entry whose signature is then tampered with.
    appendSignOff(doc, 'r1', 'snap', signer('Mia Manager', 'p-mia', 'd-manager'), 'real');
    await signPending('reviews', doc, 'd-manager', w.manager.key, log);
    const [id] = [...sigsOf(doc).keys()].filter((k) => parseEvidenceSig(sigsOf(doc).get(k))!.by === w.manager.key.keyId);
    const good = parseEvidenceSig(sigsOf(doc).get(id!))!;
    v = [...(await judgeDoc('reviews', doc, log, reviewRights, look)).values()];
    expect(v.filter((x) => x.ok)).toHaveLength(1);
    sigsOf(doc).set(id!, { ...good, at: '2020-01-01T00:00:00.000Z' });
    expect((await judgeDoc('reviews', doc, log, reviewRights, look)).get(id!)).toMatchObject({ ok: false, reason: expect.stringContaining('does not verify') });

    // Unsigned on another device's chain: flagged (it is only 'pending' on its own device).
    appendSignOff(doc, 'r1', 'snap', signer('Mia Manager', 'p-mia', 'd-manager'), 'unsigned');
    const unsigned = [...doc.getMap('entries').keys()].find((k) => !sigsOf(doc).has(k))!;
    expect((await judgeDoc('reviews', doc, log, reviewRights, look, 'd-owner')).get(unsigned)).toMatchObject({ ok: false, reason: 'It is not signed by the device that wrote it.' });
    expect((await judgeDoc('reviews', doc, log, reviewRights, look, 'd-manager')).get(unsigned)).toMatchObject({ ok: true, kind: 'pending' });

    // A manager cannot vouch: signPending with a non-owner key vouches for nothing, and a hand-made vouch is refused.
    appendEntry(doc, <{ id: string }>{ id: 'old1', kind: 'signoff', recordId: 'r1', byName: 'Mia Manager', byPersonId: 'p-mia', at: '2025-01-01T00:00:00.000Z', deviceId: 'd-gone', note: '', snapshot: 's' });
    expect(await signPending('reviews', doc, 'd-manager', w.manager.key, log, { vouch: true })).toBe(1); // only its own unsigned entry
    expect(sigsOf(doc).has('old1')).toBe(false);
    const { signEvidence } = await import('./evidence-signer');
    sigsOf(doc).set('old1', await signEvidence('reviews', doc.getMap('entries').get('old1') as object, w.manager.key, log.tips, true));
    expect((await judgeDoc('reviews', doc, log, reviewRights, look)).get('old1')).toMatchObject({ ok: false, reason: 'Signed by Mia Manager’s device (manager). Only an owner can vouch for another device’s entry.' });
  });

  it('an owner back-fills a vouch for old entries of a device that is gone; a removed device’s entries signed before removal stay counted', async () => {
    const w = await workspace();
    const doc = new Y.Doc();
    createRecord(doc, 'c1', { team: 'Finance', month: '2026-11' });
    appendSignOff(doc, 'c1', 'snap', signer('Mia Manager', 'p-mia', 'd-manager'), 'before removal');
    let log = await readMembershipLog(w.members, WS);
    await signPending('checklists', doc, 'd-manager', w.manager.key, log);
    appendEntry(doc, <{ id: string }>{ id: 'legacy', kind: 'signoff', recordId: 'c1', byName: 'Olu Owner', at: '2025-01-01T00:00:00.000Z', deviceId: 'd-old-phone', note: '', snapshot: 's' });
    await w.add({ type: 'remove', deviceId: 'd-manager' });
    log = await readMembershipLog(w.members, WS);
    // Without `vouch` an owner's device signs only its own entries; with it, it vouches for the gone device's.
    expect(await signPending('checklists', doc, 'd-owner', w.owner.key, log)).toBe(0);
    expect(sigsOf(doc).has('legacy')).toBe(false);
    expect(await signPending('checklists', doc, 'd-owner', w.owner.key, log, { vouch: true })).toBe(1);
    expect(parseEvidenceSig(sigsOf(doc).get('legacy'))).toMatchObject({ vouch: true, by: w.owner.key.keyId });
    const verdicts = await judgeDoc('checklists', doc, log, checklistRights, lookIn(doc), 'd-owner');
    expect([...verdicts.values()].map((v) => (v.ok ? v.kind : v.reason)).sort()).toEqual(['signed', 'vouched']);
  });

  it('an owner’s watching device signs its own entries only: an entry synced in on a made-up device’s chain stays unsigned and flagged', async () => {
    const w = await workspace();
    const doc = new Y.Doc(); // the owner's phone, its watcher running
    createRecord(doc, 'c1', { team: 'Finance', month: '2026-11' });
    const stop = watchEvidence({ register: 'checklists', doc, members: w.members, workspace: WS, self: 'd-owner', key: async () => w.owner.key, rules: checklistRights, look: lookIn(doc) });
    try {
      appendSignOff(doc, 'c1', 'snap', signer('Olu Owner', 'p-owner', 'd-owner'), 'mine');
      // A modified client's update: a sign-off on the chain of a device the log has never heard of.
      const forged = new Y.Doc();
      appendEntry(forged, <{ id: string }>{ id: 'forged', kind: 'signoff', recordId: 'c1', byName: 'Mia Manager', at: '2026-11-20T09:00:00.000Z', deviceId: 'd-made-up', note: '', snapshot: 's' });
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(forged));
      const own = [...doc.getMap('entries').keys()].find((k) => k !== 'forged')!;
      const deadline = Date.now() + 10_000;
      while (!sigsOf(doc).has(own) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 200)); // any further run the signature caused
      expect(parseEvidenceSig(sigsOf(doc).get(own))).toMatchObject({ by: w.owner.key.keyId });
      expect(sigsOf(doc).has('forged')).toBe(false);
      const verdicts = await judgeDoc('checklists', doc, await readMembershipLog(w.members, WS), checklistRights, lookIn(doc), 'd-owner');
      expect(verdicts.get(own)).toMatchObject({ ok: true, kind: 'signed' });
      expect(verdicts.get('forged')).toMatchObject({ ok: false });
    } finally {
      stop();
    }
  });

  it('a modified client’s competing genesis makes it owner of nothing on a device that pinned its root', async () => {
    const w = await workspace();
    const mallory = await device('d-mallory');
    // Mallory writes a genesis of her own (no tips) and signs off the checklist "as an owner" of that log.
    const genesis = await signMembershipEntry(membershipDraft({ type: 'genesis', device: mallory.keys, name: 'Mallory', personId: 'p-sam' }, { workspace: WS, tips: [], by: mallory.key.keyId }), mallory.key);
    w.members.getMap('membership').set(membershipId(genesis), genesis);
    const doc = new Y.Doc();
    createRecord(doc, 'c1', { team: 'Finance', month: '2026-11' });
    appendSignOff(doc, 'c1', 'snap', signer('Mallory', 'p-sam', 'd-mallory'), 'forged');
    const pinned = await readMembershipLog(w.members, WS, w.owner.key.keyId);
    expect(pinned.current.root).toBe(w.owner.key.keyId);
    expect(await signPending('checklists', doc, 'd-mallory', mallory.key, pinned)).toBe(0); // not a member: signs nothing here
    const hers = await readMembershipLog(w.members, WS, mallory.key.keyId);
    expect(hers.current.root).toBe(mallory.key.keyId);
    expect(await signPending('checklists', doc, 'd-mallory', mallory.key, hers)).toBe(1);
    const [id] = [...doc.getMap('entries').keys()];
    // Judged under her own root her sign-off counts; under the pinned root it is refused.
    expect((await judgeDoc('checklists', doc, hers, checklistRights, lookIn(doc))).get(id!)).toMatchObject({ ok: true });
    expect((await judgeDoc('checklists', doc, pinned, checklistRights, lookIn(doc))).get(id!)).toMatchObject({ ok: false, reason: 'It is signed by a key that was not a member of the workspace at the time.' });
  });

  it('a workspace with no genesis yet trusts every entry, as before signing', async () => {
    const doc = new Y.Doc();
    appendSignOff(doc, 'c1', 'snap', signer('Sam Lee', 'p-sam', 'd-staff'), '');
    const log = await readMembershipLog(new Y.Doc(), WS);
    const v = await judgeDoc('checklists', doc, log, checklistRights, lookIn(doc));
    expect([...v.values()][0]).toMatchObject({ ok: true });
  });

  it('a forged manager sign-off arriving by sync changes neither the checklist’s status nor the Due figure Home reads', async () => {
    const w = await workspace();
    const log = await readMembershipLog(w.members, WS);
    const mine = new Y.Doc();
    const theirs = new Y.Doc();
    await createRoot(async (dispose) => {
      const store = createChecklistStore(mine);
      const made = store.create({ team: 'Finance', month: '2026-11' }, STANDARD_ITEMS, signer('Mia Manager', 'p-mia', 'd-manager'));
      if (!made.ok) throw new Error('not made');
      for (const item of STANDARD_ITEMS) store.setItem(made.value.id, item.key, 'status', 'done');
      const source = createLiveSource({ checklists: mine }, (at) => at.slice(0, 10));
      const staff: Person[] = Object.values(people).map((p) => ({ email: '', jobTitle: '', startDate: '2026-01-01', archived: false, managerId: '', ...p }));
      const figures = () => {
        const c = store.all()[0]!;
        const duties = checklistDuties({ people: staff, checklists: source.read(readChecklists), checklistEntries: source.read(readChecklistEntries), today: '2026-11-20' });
        return { status: store.status(c), done: duties.filter((d) => d.status === 'done').length };
      };
      const before = figures();
      await applyTrust('checklists', mine, log, checklistRights, lookIn(mine), 'd-manager');
      sync(mine, theirs);
      const c = createChecklistStore(theirs).all()[0]!;
      appendSignOff(theirs, c.id, (await import('../registers/checklists/model')).checklistSnapshot(c), signer('Mia Manager', 'p-mia', 'd-staff'), 'forged');
      await signPending('checklists', theirs, 'd-staff', w.staff.key, log);
      sync(mine, theirs);
      // What an unjudged device (today's app) would count: the forgery signs the checklist off.
      const unjudged = figures();
      expect(unjudged.status).not.toEqual(before.status);
      expect(unjudged.done).toBe(before.done + 1);
      await applyTrust('checklists', mine, log, checklistRights, lookIn(mine), 'd-manager');
      expect(figures()).toEqual(before);
      expect(store.flagged(c.id).map((f) => f.reason)).toEqual(['Signed by Sam Lee’s device (staff). A checklist sign-off for Finance needs a manager of Finance or an owner.']);
      dispose();
    });
  });
});
