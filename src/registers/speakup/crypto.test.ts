import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateDeviceKeyPair } from '../../crypto/device-keys';
import {
  isReportEntry,
  keysFingerprint,
  newReceipt,
  openAsRecipient,
  openMessage,
  openReportContent,
  openWithReceipt,
  RECEIPT_ITERATIONS,
  receiptKeys,
  REPORT_ENTRY_FIELDS,
  sealMessage,
  sealReport,
} from './crypto';
import { closedIn, messagesIn, messageUpdate, reportIn, reportUpdate } from './doc';
import { type MessageBody, recipientKeysOf, type ReportContent, threadState } from './model';

const WS = 'workspaceAAAAAAAAAAAAA';
const FAST = 1000; // PBKDF2 iterations in tests; the real count is measured once below.
const DAY = '2026-03-14';
const CONTENT: ReportContent = { v: 1, category: 'policy-bypass', when: { date: '2026-03-12' }, where: 'Server room', what: 'The CFO asked IT to switch off MFA for his account.' };

async function device(personId: string) {
  const keys = await generateDeviceKeyPair();
  return { personId, ...keys, member: { deviceId: `dev-${personId}-${Math.random()}`, personId, publicKey: keys.publicKey, removed: false } };
}

const body = (b: Partial<MessageBody>): MessageBody => ({ v: 1, from: 'reporter', kind: 'reply', text: '', day: DAY, seq: 1, ...b });

describe('sealing a report', () => {
  it('round-trips: a recipient and the receipt both open the report and its thread', async () => {
    const rita = await device('rita');
    const sealed = await sealReport({ workspaceId: WS, content: CONTENT, recipients: recipientKeysOf(['rita'], [rita.member]), day: DAY, iterations: FAST });
    expect(sealed.receipt).toMatch(/^\d{16}$/);
    expect(JSON.stringify(sealed.entry)).not.toContain('MFA');

    const asRecipient = await openAsRecipient(WS, sealed.locator, sealed.entry, rita);
    expect(asRecipient?.staffKey).toBeDefined();
    expect(await openReportContent(WS, sealed.locator, sealed.entry, asRecipient!)).toEqual(CONTENT);

    const { locator, wrapKey } = await receiptKeys(WS, sealed.receipt, FAST);
    expect(locator).toBe(sealed.locator);
    const asReporter = await openWithReceipt(WS, locator, wrapKey, sealed.entry);
    expect(asReporter).not.toBeNull();
    expect(asReporter!.staffKey).toBeUndefined();
    expect(await openReportContent(WS, locator, sealed.entry, asReporter!)).toEqual(CONTENT);

    // The recipient replies; the reporter reads it and answers; the recipient verifies the reply is a recipient's.
    const reply = await sealMessage({ workspaceId: WS, locator, id: 'm1', keys: asRecipient!, body: body({ from: 'recipient', author: 'Rita', text: 'When exactly?', seq: 1 }) });
    expect(reply.sealed).not.toContain('exactly');
    const readByReporter = await openMessage({ workspaceId: WS, id: 'm1', entry: reply, keys: asReporter! });
    expect(readByReporter).toMatchObject({ text: 'When exactly?', from: 'recipient', author: 'Rita', verified: false });
    const answer = await sealMessage({ workspaceId: WS, locator, id: 'm2', keys: asReporter!, body: body({ text: 'Tuesday morning.', seq: 2 }) });
    expect(await openMessage({ workspaceId: WS, id: 'm2', entry: answer, keys: asRecipient! })).toMatchObject({ text: 'Tuesday morning.', from: 'reporter' });
    expect((await openMessage({ workspaceId: WS, id: 'm1', entry: reply, keys: asRecipient! }))?.verified).toBe(true);
    // A message does not open under another id (no moving ciphertexts around).
    expect(await openMessage({ workspaceId: WS, id: 'm3', entry: reply, keys: asRecipient! })).toBeNull();
  });

  it('a wrong receipt finds nothing and reads nothing', async () => {
    const rita = await device('rita');
    const sealed = await sealReport({ workspaceId: WS, content: CONTENT, recipients: recipientKeysOf(['rita'], [rita.member]), day: DAY, iterations: FAST });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, reportUpdate(sealed.locator, sealed.entry));

    const wrong = sealed.receipt.slice(0, 15) + String((Number(sealed.receipt[15]) + 1) % 10);
    const w = await receiptKeys(WS, wrong, FAST);
    expect(w.locator).not.toBe(sealed.locator);
    expect(reportIn([doc], w.locator)).toBeUndefined();
    // Even pointed at the right report, the wrong key opens nothing.
    expect(await openWithReceipt(WS, sealed.locator, w.wrapKey, sealed.entry)).toBeNull();
    // Same receipt in another workspace: another locator.
    expect((await receiptKeys('otherWorkspaceBBBBBBB', sealed.receipt, FAST)).locator).not.toBe(sealed.locator);
    // The right receipt finds it.
    expect(reportIn([doc], (await receiptKeys(WS, sealed.receipt, FAST)).locator)).toEqual(sealed.entry);
  });

  it('a recipient removed from the list cannot read reports sealed afterwards', async () => {
    const rita = await device('rita');
    const bob = await device('bob');
    const members = [rita.member, bob.member];
    const before = await sealReport({ workspaceId: WS, content: CONTENT, recipients: recipientKeysOf(['rita', 'bob'], members), day: DAY, iterations: FAST });
    expect(await openAsRecipient(WS, before.locator, before.entry, bob)).not.toBeNull();

    // The owner takes Bob off the recipients.
    const after = await sealReport({ workspaceId: WS, content: CONTENT, recipients: recipientKeysOf(['rita'], members), day: DAY, iterations: FAST });
    expect(after.entry.keys).toHaveLength(1);
    expect(await openAsRecipient(WS, after.locator, after.entry, bob)).toBeNull();
    expect(await openAsRecipient(WS, after.locator, after.entry, rita)).not.toBeNull();

    // A removed device of a current recipient gets nothing either.
    const ritaOld = await device('rita');
    const withOld = recipientKeysOf(['rita'], [rita.member, { ...ritaOld.member, removed: true }]);
    expect(withOld.map((k) => k.publicKey)).toEqual([rita.publicKey]);
  });

  it('an excluded recipient gets no envelope, and the envelope count does not show it', async () => {
    const rita = await device('rita');
    const bob = await device('bob');
    const bobPhone2 = await device('bob');
    const keys = recipientKeysOf(['rita', 'bob'], [rita.member, bob.member, bobPhone2.member]);
    const all = await sealReport({ workspaceId: WS, content: CONTENT, recipients: keys, day: DAY, iterations: FAST });
    const aboutBob = await sealReport({ workspaceId: WS, content: CONTENT, recipients: keys, exclude: new Set(['bob']), day: DAY, iterations: FAST });
    expect(aboutBob.entry.keys).toHaveLength(all.entry.keys.length);
    expect(await openAsRecipient(WS, aboutBob.locator, aboutBob.entry, bob)).toBeNull();
    expect(await openAsRecipient(WS, aboutBob.locator, aboutBob.entry, bobPhone2)).toBeNull();
    expect(await openAsRecipient(WS, aboutBob.locator, aboutBob.entry, rita)).not.toBeNull();
    // The decoys are not Bob's keys wrapped to anything.
    expect(JSON.stringify(aboutBob.entry)).not.toContain(bob.publicKey);
    // Excluding everyone is refused.
    await expect(sealReport({ workspaceId: WS, content: CONTENT, recipients: keys, exclude: new Set(['rita', 'bob']), day: DAY, iterations: FAST })).rejects.toThrow(/Nobody could read/);
  });

  it('the stored report has no identifier fields and a day-only date', async () => {
    const rita = await device('rita');
    const sealed = await sealReport({ workspaceId: WS, content: CONTENT, recipients: recipientKeysOf(['rita'], [rita.member]), day: DAY, iterations: FAST });
    expect(Object.keys(sealed.entry).sort()).toEqual([...REPORT_ENTRY_FIELDS].sort());
    expect(sealed.entry.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(isReportEntry(sealed.entry)).toBe(true);
    for (const env of sealed.entry.keys) expect(Object.keys(env).sort()).toEqual(['ct', 'epk', 'v']);
    const json = JSON.stringify(sealed.entry);
    for (const id of ['rita', rita.member.deviceId, rita.publicKey]) expect(json).not.toContain(id);
    await expect(sealReport({ workspaceId: WS, content: CONTENT, recipients: recipientKeysOf(['rita'], [rita.member]), day: '2026-03-14T10:22:00Z', iterations: FAST })).rejects.toThrow(/day only/);

    // The Yjs update carrying it: a fresh client id, only the one map entry.
    const update = reportUpdate(sealed.locator, sealed.entry);
    const structs = Y.decodeUpdate(update).structs;
    expect(structs).toHaveLength(1);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, update);
    expect(doc.getMap('reports').toJSON()).toEqual({ [sealed.locator]: sealed.entry });
  });

  it('messages: the reporter cannot pass as a recipient (status needs the staff key)', async () => {
    const rita = await device('rita');
    const sealed = await sealReport({ workspaceId: WS, content: CONTENT, recipients: recipientKeysOf(['rita'], [rita.member]), day: DAY, iterations: FAST });
    const { wrapKey } = await receiptKeys(WS, sealed.receipt, FAST);
    const asReporter = (await openWithReceipt(WS, sealed.locator, wrapKey, sealed.entry))!;
    await expect(sealMessage({ workspaceId: WS, locator: sealed.locator, id: 'x', keys: asReporter, body: body({ from: 'recipient', kind: 'status', status: 'closed' }) })).rejects.toThrow();
    // A hand-made "recipient" status sealed with the report key alone is not verified, so it does not count.
    const someKey = await crypto.subtle.importKey('raw', crypto.getRandomValues(new Uint8Array(32)), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    const forged = await sealMessage({ workspaceId: WS, locator: sealed.locator, id: 'x', keys: { ...asReporter, staffKey: someKey }, body: body({ from: 'recipient', kind: 'status', status: 'closed' }) });
    const asRita = (await openAsRecipient(WS, sealed.locator, sealed.entry, rita))!;
    const opened = (await openMessage({ workspaceId: WS, id: 'x', entry: forged, keys: asRita }))!;
    expect(opened.verified).toBe(false);
    expect(threadState([opened], { requireVerified: true }).status).toBe('new');
    const real = await sealMessage({ workspaceId: WS, locator: sealed.locator, id: 'y', keys: asRita, body: body({ from: 'recipient', kind: 'status', status: 'under-review', seq: 2 }) });
    const openedReal = (await openMessage({ workspaceId: WS, id: 'y', entry: real, keys: asRita }))!;
    expect(threadState([opened, openedReal], { requireVerified: true }).status).toBe('under-review');
  });

  it('a closing message also records the closing day, in clear, for the review count', async () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, messageUpdate('m1', { v: 1, locator: 'L', day: DAY, sealed: 'x' }, DAY));
    expect(messagesIn([doc], 'L').size).toBe(1);
    expect(doc.getMap('closed').get('m1')).toEqual({ l: 'L', d: DAY });
    expect(closedIn([doc]).get('L')).toBe(DAY);
  });
});

describe('receipts and fingerprints', () => {
  it('receipts are 16 digits with every digit used', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const r = newReceipt();
      expect(r).toMatch(/^\d{16}$/);
      for (const c of r) seen.add(c);
    }
    expect(seen.size).toBe(10);
  });

  it('the fingerprint ignores order and duplicates, and changes with any key', async () => {
    const a = await generateDeviceKeyPair();
    const b = await generateDeviceKeyPair();
    const c = await generateDeviceKeyPair();
    const f = await keysFingerprint([a.publicKey, b.publicKey]);
    expect(f).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await keysFingerprint([b.publicKey, a.publicKey, a.publicKey])).toBe(f);
    expect(await keysFingerprint([a.publicKey, c.publicKey])).not.toBe(f);
  });

  it(`the real receipt derivation (${RECEIPT_ITERATIONS.toLocaleString('en')} PBKDF2 iterations) is deterministic`, async () => {
    const t0 = performance.now();
    const one = await receiptKeys(WS, '1234567890123456');
    const ms = performance.now() - t0;
    const two = await receiptKeys(WS, '1234567890123456');
    expect(one.locator).toBe(two.locator);
    console.log(`receipt derivation: ${ms.toFixed(0)} ms`);
  });
});
