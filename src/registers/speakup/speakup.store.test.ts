import { createRoot, createSignal } from 'solid-js';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateDeviceKeyPair } from '../../crypto/device-keys';
import { generateSigningKeyPair, signingKeyId } from '../../crypto/signing';
import { DeviceDb, type DeviceKeyRecord } from '../../store/device-db';
import { recordsOf } from '../../store/records';
import { createMemberStore } from '../members/store';
import { createPeopleStore } from '../people/store';
import { REPORTS } from './doc';
import { createSpeakupStore } from './store';

const WS = 'storeTestWorkspace0001';
const WHAT = 'Badge access of a leaver was never revoked; he still enters at night.';
const CONTENT = { v: 1 as const, category: 'security-weakness' as const, when: { roughly: 'last month' }, where: '', what: WHAT };

const disposers: Array<() => void> = [];
afterEach(() => disposers.splice(0).forEach((d) => d()));

async function workspace() {
  const settings = new Y.Doc();
  const membersDoc = new Y.Doc();
  const peopleDoc = new Y.Doc();
  const db = new DeviceDb(`speakup-store-${Math.random()}`);
  const keys: Record<string, DeviceKeyRecord> = {};
  for (const d of ['owner-dev', 'rita-dev', 'sam-dev']) keys[d] = { key: 'self', ...(await generateDeviceKeyPair()), createdAt: '', sign: await signingPair() };
  return { settings, membersDoc, peopleDoc, db, keys };
}

async function signingPair() {
  const pair = await generateSigningKeyPair();
  return { ...pair, keyId: signingKeyId(pair) };
}

function device(w: Awaited<ReturnType<typeof workspace>>, deviceId: string, name: string, flushLeft = 1) {
  return createRoot((dispose) => {
    disposers.push(dispose);
    const people = createPeopleStore(w.peopleDoc);
    const members = createMemberStore(w.membersDoc);
    const [keys] = createSignal<DeviceKeyRecord | undefined>(w.keys[deviceId]);
    const doc = new Y.Doc();
    const personId = () => people.active().find((p) => p.name === name)?.id;
    const store = createSpeakupStore({
      workspaceId: WS,
      deviceId,
      doc,
      settingsDoc: w.settings,
      members,
      people,
      fallbackOrgName: 'Acme',
      signer: () => ({ name, deviceId, ...(personId() ? { personId: personId()! } : {}) }),
      deviceKeys: keys,
      db: w.db,
      flush: async () => flushLeft,
    });
    return { store, doc, people, members };
  });
}

const until = async (label: string, f: () => boolean) => {
  const end = Date.now() + 10_000;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timed out: ${label}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('speak-up store', () => {
  it('only owners change the settings; bad input writes nothing', async () => {
    const w = await workspace();
    const owner = device(w, 'owner-dev', 'Olga Owner');
    const sam = device(w, 'sam-dev', 'Sam Staff');
    const rita = owner.people.add({ name: 'Rita Recipient', email: '', team: 'Security', jobTitle: '', startDate: '', managerId: '' });
    if (!rita.ok) throw new Error('person');
    owner.members.registerSelf({ deviceId: 'owner-dev', name: 'Olga Owner', publicKey: w.keys['owner-dev']!.publicKey, roleIfNew: 'owner' });
    sam.members.registerSelf({ deviceId: 'sam-dev', name: 'Sam Staff', publicKey: w.keys['sam-dev']!.publicKey, roleIfNew: 'staff' });

    expect(sam.store.canManage()).toBe(false);
    expect(sam.store.setRecipient(rita.value.id, true)).toMatch(/Only an owner/);
    expect(recordsOf(w.settings).has('speakup')).toBe(false);

    expect(owner.store.setRecipient(rita.value.id, true)).toBeUndefined();
    expect(sam.store.config().recipients).toEqual([rita.value.id]);

    const bad = owner.store.saveProcess({ ackDays: '14', feedbackMonths: '3', statement: 'x', nextSteps: '', external: '' });
    expect(bad.ok).toBe(false);
    expect(owner.store.config().ackDays).toBe(7);
    expect(owner.store.saveProcess({ ackDays: '5', feedbackMonths: '3', statement: 'No retaliation, ever.', nextSteps: '', external: '' }).ok).toBe(true);
    expect(sam.store.config()).toMatchObject({ ackDays: 5, statement: 'No retaliation, ever.' });

    expect(owner.store.setPublicLink(true)).toBeUndefined();
    const token = owner.store.config().token;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    owner.store.regenerateLink();
    expect(owner.store.config().token).not.toBe(token);
  });

  it('a queued report: in the outbox only, with no identifiers; found by its receipt; opened by the recipient', async () => {
    const w = await workspace();
    const owner = device(w, 'owner-dev', 'Rita Recipient');
    const sam = device(w, 'sam-dev', 'Sam Staff', 1);
    expect(await sam.store.submit(CONTENT, new Set())).toEqual({ ok: false, error: expect.stringMatching(/No recipients have been designated/) });
    // Not in use yet: the management review shows "not available".
    expect(sam.store.reviewRows()).toBeUndefined();

    const rita = owner.people.add({ name: 'Rita Recipient', email: '', team: 'Security', jobTitle: '', startDate: '', managerId: '' });
    owner.people.add({ name: 'Sam Staff', email: '', team: 'Ops', jobTitle: '', startDate: '', managerId: '' });
    if (!rita.ok) throw new Error('person');
    owner.members.registerSelf({ deviceId: 'owner-dev', name: 'Rita Recipient', publicKey: w.keys['owner-dev']!.publicKey, personId: rita.value.id, roleIfNew: 'owner' });
    owner.store.setRecipient(rita.value.id, true);
    expect(sam.store.reviewRows()).toEqual([]);
    // Excluding the only recipient leaves nobody to read it.
    expect(await sam.store.submit(CONTENT, new Set([rita.value.id]))).toEqual({ ok: false, error: expect.stringMatching(/Everyone who could read this report is excluded/) });
    expect(await w.db.speakupOutbox.count()).toBe(0);

    const sent = await sam.store.submit(CONTENT, new Set());
    if (!sent.ok) throw new Error(sent.error);
    expect(sent.result).toBe('queued');
    const [item, ...rest] = await w.db.speakupOutbox.toArray();
    expect(rest).toEqual([]);
    expect(Object.keys(item!).sort()).toEqual(['id', 'update', 'via', 'workspaceId']);
    const text = new TextDecoder().decode(item!.update);
    for (const s of ['Sam', 'sam-dev', WHAT.slice(0, 20), sent.receipt]) expect(text).not.toContain(s);
    // Sam's copy of the room is untouched: the report waits in the outbox, and shows from there.
    expect(sam.doc.getMap(REPORTS).size).toBe(0);
    await until('pending loaded', () => sam.store.outboxCount() === 1);
    const mine = await sam.store.openByReceipt(sent.receipt);
    expect(mine).toMatchObject({ queued: true, status: 'new', content: CONTENT });

    // The relay delivers it to Rita's device: her inbox opens it.
    Y.applyUpdate(owner.doc, item!.update);
    await until('inbox', () => (owner.store.inbox.latest?.reports.length ?? 0) === 1);
    const r = owner.store.inbox.latest!.reports[0]!;
    expect(r.content).toEqual(CONTENT);
    expect(r.keys.staffKey).toBeDefined();
    // A reply and a status go to the outbox; closing also records the day for the review count.
    expect((await owner.store.reply(r, 'recipient', '  ')).ok).toBe(false);
    expect((await owner.store.reply(r, 'recipient', 'Thanks, we are looking into it.')).ok).toBe(true);
    expect((await owner.store.setStatus(r, 'closed')).ok).toBe(true);
    const outbox = await w.db.speakupOutbox.toArray();
    for (const o of outbox) Y.applyUpdate(owner.doc, o.update);
    await until('closed', () => owner.store.inbox.latest?.reports[0]?.status === 'closed');
    expect(owner.store.kpiRows()).toEqual([{ receivedOn: r.day, closedOn: r.day }]);
    // Sam cannot read the inbox: he is not a recipient.
    expect(sam.store.isRecipient()).toBe(false);
  });
});
