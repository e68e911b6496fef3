import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { cleanup, type RelayProcess } from '../integration/harness.ts';
import {
  addPerson,
  closeAll,
  createWorkspace,
  currentWorkspaceId,
  dismissOfflineReady,
  errorsOf,
  fieldErrors,
  goHash,
  joinLinkOf,
  confirmDevices,
  joinWorkspace,
  launchBrowser,
  newPhone,
  poll,
  readStored,
  type Register,
  screenshot,
  startRelay,
  storedWorkspaceCount,
  textOf,
  textsOf,
  visible,
  waitSyncStatus,
} from './browser.ts';

/*
 * The speak-up channel end to end, on phones (390×844):
 *   Rita (owner) makes herself the recipient and turns the public link on.
 *   Sam, on his own phone, goes OFFLINE and reports; he gets a receipt and the
 *   report is queued; back online it is sent.
 *   Rita reads it on her phone, replies and sets the status.
 *   The reporter, in a FRESH browser profile with nothing but the receipt and
 *   the organisation's published speak-up link, reads the reply and answers.
 *   Rita sees the answer.
 */

const ORG = 'Acme Speak';
const WHAT = 'The finance director had the helpdesk switch off MFA on his mailbox because it slowed him down.';
const WHERE = 'Finance office, 3rd floor';
const REPLY = 'Thank you for telling us. Do you know when MFA was switched off?';
const ANSWER = 'Last Tuesday morning, I saw the helpdesk ticket.';
const SPEAKUP: Register = 'speakup' as Register;

let browser: Browser | undefined;
let relay: RelayProcess;
let ctxRita: BrowserContext | undefined;
let ctxSam: BrowserContext | undefined;
let ctxFresh: BrowserContext | undefined;

beforeAll(async () => {
  relay = await startRelay();
  browser = await launchBrowser();
});

afterAll(async () => {
  await closeAll(ctxRita, ctxSam, ctxFresh, browser);
  await cleanup();
});

const outboxCount = (p: Page) =>
  p.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('muster-device');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    try {
      if (!db.objectStoreNames.contains('speakupOutbox')) return -1;
      return await new Promise<number>((resolve, reject) => {
        const r = db.transaction('speakupOutbox', 'readonly').objectStore('speakupOutbox').count();
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    } finally {
      db.close();
    }
  });

/** Everything this page's origin keeps: localStorage and every IndexedDB record, as text. */
const everythingStored = (p: Page) =>
  p.evaluate(async () => {
    let out = JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage });
    for (const { name } of await indexedDB.databases()) {
      if (!name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      for (const store of db.objectStoreNames) {
        const rows = await new Promise<unknown[]>((resolve, reject) => {
          const r = db.transaction(store, 'readonly').objectStore(store).getAll();
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        });
        out += `\n${name}/${store}: ` + rows.map((row) => (row instanceof Uint8Array ? new TextDecoder().decode(row) : JSON.stringify(row, (_k, v) => (v instanceof Uint8Array ? new TextDecoder().decode(v) : v)))).join(' ');
      }
      db.close();
    }
    return out;
  });

test('report offline, recipient replies, reporter follows up from a fresh profile with the receipt', async () => {
  // ---- Rita: owner, recipient, public link ----
  ({ context: ctxRita } = await newPhone(browser!));
  const rita = ctxRita.pages()[0]!;
  await createWorkspace(rita, relay.url, ORG, 'Rita Recipient');
  await dismissOfflineReady(rita);
  await addPerson(rita, { name: 'Rita Recipient', team: 'Security' });
  await addPerson(rita, { name: 'Sam Staff', team: 'Finance' });
  const ws = await currentWorkspaceId(rita);
  const joinLink = await joinLinkOf(rita);

  // Speak up is on More, first after the tabs.
  await rita.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'More' }).click();
  const firstMore = await textOf(rita.locator('.list .list-item .title'));
  expect(firstMore).toBe('Speak up');
  await rita.getByRole('link', { name: /^Speak up/ }).click();
  await visible(rita.getByTestId('report-blocked'));
  expect(await textOf(rita.getByTestId('report-blocked'))).toMatch(/No one has been designated/);

  await goHash(rita, '#/speakup/settings');
  await rita.getByTestId('recipient-chip').filter({ hasText: 'Rita Recipient' }).click();
  await poll(() => textOf(rita.getByTestId('recipient-devices'))).toMatch(/Rita Recipient\s+1 device/);
  await rita.getByTestId('link-toggle').check();
  await poll(() => rita.getByTestId('speakup-link').inputValue()).toMatch(/#speakup\?w=.+&t=.+&r=.+/);
  await poll(() => textOf(rita.getByTestId('link-state')), 30_000).toBe('Published: the link works.');
  const publicLink = await rita.getByTestId('speakup-link').inputValue();
  expect(publicLink.startsWith(`${relay.url}/#speakup?w=${ws}&`)).toBe(true);
  await visible(rita.getByRole('img', { name: 'QR code of the public report link' }));
  await screenshot(rita, 'speakup-1-owner-settings', { fullPage: true });

  // Process page, generated from the settings.
  await goHash(rita, '#/speakup/process');
  const process = await textOf(rita.getByTestId('process'));
  expect(process).toContain('Rita Recipient.');
  expect(process).toContain('within 7 days');
  expect(process).toContain('within 3 months');
  expect(process).toMatch(/No retaliation/);
  await screenshot(rita, 'speakup-2-process');

  // ---- Sam: joins, goes offline, reports ----
  let sam: Page;
  ({ context: ctxSam, page: sam } = await newPhone(browser!));
  await joinWorkspace(sam, joinLink, ORG, 'Sam Staff');
  await confirmDevices(rita);
  await waitSyncStatus(sam, 'synced');
  await goHash(sam, '#/speakup');
  await visible(sam.getByTestId('report-form'));
  expect(await textOf(sam.locator('.su-lock'))).toContain('only Rita Recipient can read it');

  // Bad input: messages under the fields, nothing queued.
  await sam.getByRole('button', { name: 'Send report' }).click();
  expect(await fieldErrors(sam)).toEqual(['Choose what kind of problem this is.', 'Enter the date it happened, or tick “I don’t know the exact date”.', 'Describe what happened.']);
  expect(await outboxCount(sam)).toBe(0);
  await screenshot(sam, 'speakup-3-report-errors', { fullPage: true });

  await ctxSam.setOffline(true);
  await visible(sam.getByText('You are offline. You can still write and send the report'));
  await sam.getByLabel('What kind of problem?').selectOption('policy-bypass');
  const yesterday = await sam.evaluate(() => {
    const t = new Date();
    t.setDate(t.getDate() - 1);
    return `${t.getFullYear()}-${String(t.getMonth() + 1).padStart(2, '0')}-${String(t.getDate()).padStart(2, '0')}`;
  });
  await sam.getByLabel('When did it happen?').fill(yesterday);
  await sam.getByLabel('Where? (optional)').fill(WHERE);
  await sam.getByLabel('What happened?').fill(WHAT);
  await screenshot(sam, 'speakup-4-report-filled', { fullPage: true });
  await sam.getByRole('button', { name: 'Send report' }).click();
  await visible(sam.getByTestId('receipt-card'));
  expect(await textOf(sam.getByTestId('send-state'))).toMatch(/^Queued, will be sent when you are online/);
  const receiptShown = await textOf(sam.getByTestId('receipt'));
  expect(receiptShown).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);
  const receipt = receiptShown.replace(/ /g, '');
  expect(await outboxCount(sam)).toBe(1);
  await screenshot(sam, 'speakup-5-receipt-queued');

  // Back online: sent, and the outbox is empty.
  await ctxSam.setOffline(false);
  await poll(() => textOf(sam.getByTestId('send-state')), 30_000).toMatch(/^The recipients will see it/);
  await poll(() => outboxCount(sam)).toBe(0);
  await screenshot(sam, 'speakup-6-receipt-sent');
  await sam.getByLabel('I have written down my receipt').check();
  await sam.getByRole('button', { name: 'Done' }).click();
  await visible(sam.getByTestId('report-form'));
  // Nothing of the report or the receipt is left on Sam's phone in readable form; his registers never saw it.
  const samStore = await everythingStored(sam);
  for (const secret of [receipt, WHAT.slice(0, 40), WHERE]) expect(samStore).not.toContain(secret);
  expect(JSON.stringify(await readStored(sam, ws, 'people'))).not.toContain('helpdesk');

  // ---- Rita: inbox, reply, status ----
  await goHash(rita, '#/speakup/inbox');
  await poll(() => rita.getByTestId('inbox-row').count(), 30_000).toBe(1);
  expect(await textOf(rita.getByTestId('inbox-row'))).toMatch(/Policy bypassed[\s\S]*Not yet acknowledged/);
  await screenshot(rita, 'speakup-7-inbox');
  await rita.getByTestId('inbox-row').click();
  expect(await textOf(rita.getByTestId('report-what'))).toBe(WHAT);
  await rita.getByLabel('Reply to the reporter').fill(REPLY);
  await rita.getByRole('button', { name: 'Send reply' }).click();
  await poll(() => textsOf(rita.getByTestId('message').locator('p')), 30_000).toEqual([REPLY]);
  await rita.getByLabel('New status').selectOption('under-review');
  await rita.getByRole('button', { name: 'Set status' }).click();
  await poll(() => textsOf(rita.getByTestId('status-event')), 30_000).toEqual([expect.stringMatching(/Rita Recipient set the status to Under review/)]);
  await poll(() => textOf(rita.locator('[data-testid="report"] .badge'))).toBe('Under review');
  await screenshot(rita, 'speakup-8-recipient-thread', { fullPage: true });

  // ---- the reporter, later, in a fresh browser profile: only the public link and the receipt ----
  let fresh: Page;
  ({ context: ctxFresh, page: fresh } = await newPhone(browser!));
  await fresh.goto(publicLink);
  await visible(fresh.getByRole('heading', { name: `Speak up to ${ORG}` }));
  expect(await storedWorkspaceCount(fresh)).toBe(0);
  await fresh.getByRole('tab', { name: 'Follow up' }).click();
  // A wrong receipt finds nothing.
  const wrong = receipt.slice(0, 15) + String((Number(receipt[15]) + 1) % 10);
  await fresh.getByLabel('Receipt').fill(wrong);
  await fresh.getByRole('button', { name: 'Open my report' }).click();
  await poll(() => fieldErrors(fresh), 30_000).toEqual([expect.stringMatching(/^No report matches this receipt/)]);
  await screenshot(fresh, 'speakup-9-public-wrong-receipt');
  await fresh.getByLabel('Receipt').fill(receiptShown);
  await fresh.getByRole('button', { name: 'Open my report' }).click();
  await visible(fresh.getByTestId('report'));
  expect(await textOf(fresh.getByTestId('report-what'))).toBe(WHAT);
  expect(await textOf(fresh.locator('[data-testid="report"] .badge'))).toBe('Under review');
  expect(await textsOf(fresh.getByTestId('message').locator('p'))).toEqual([REPLY]);
  expect(await textOf(fresh.getByTestId('message').locator('.su-msg-head'))).toMatch(/^Rita Recipient ·/);
  await fresh.getByLabel('Your answer').fill(ANSWER);
  await fresh.getByRole('button', { name: 'Send answer' }).click();
  await visible(fresh.getByText('Sent.'));
  await poll(() => textsOf(fresh.getByTestId('message').locator('p')), 30_000).toEqual([REPLY, ANSWER]);
  await screenshot(fresh, 'speakup-10-public-follow-up', { fullPage: true });
  // The other views of the public page: the form (to the published recipients) and the process.
  await fresh.getByRole('tab', { name: 'Report' }).click();
  expect(await textOf(fresh.locator('.su-lock'))).toContain('only Rita Recipient can read it');
  await screenshot(fresh, 'speakup-10b-public-report-form');
  await fresh.getByRole('tab', { name: 'Process' }).click();
  expect(await textOf(fresh.getByTestId('process'))).toContain('Rita Recipient.');
  // The fresh profile keeps nothing: no workspace, an empty outbox, no receipt, no text.
  expect(await storedWorkspaceCount(fresh)).toBe(0);
  expect(await outboxCount(fresh)).toBe(0);
  const freshStore = await everythingStored(fresh);
  for (const secret of [receipt, WHAT.slice(0, 40), ANSWER]) expect(freshStore).not.toContain(secret);
  expect(freshStore).not.toContain(`muster.${ws}.`);

  // A link whose fingerprint does not match the published keys is refused: nothing can be sent through it.
  const forged = await newPhone(browser!);
  const forgedLink = publicLink.replace(/r=[A-Za-z0-9_-]{43}/, `r=${'A'.repeat(43)}`);
  await forged.page.goto(forgedLink);
  expect(await textOf(forged.page.getByTestId('public-problem'))).toMatch(/does not match the recipients this organisation published/);
  expect(await forged.page.getByTestId('report-form').count()).toBe(0);
  await screenshot(forged.page, 'speakup-10c-public-link-mismatch');
  await forged.context.close();

  // ---- Rita sees the answer ----
  await poll(() => textsOf(rita.getByTestId('message').locator('p')), 30_000).toEqual([REPLY, ANSWER]);
  expect(await textOf(rita.getByTestId('message').nth(1).locator('.su-msg-head'))).toMatch(/^Reporter ·/);
  await screenshot(rita, 'speakup-11-recipient-sees-answer', { fullPage: true });

  // Sam's phone holds the room like every member's, sealed: the report is there, its text is not.
  const samCopy = await everythingStored(sam);
  expect(samCopy).toContain(`muster.${ws}.speakup`);
  expect(samCopy).not.toContain('helpdesk');
  expect(JSON.stringify(await readStored(rita, ws, SPEAKUP))).not.toContain('helpdesk');

  for (const p of [rita, sam, fresh]) expect(errorsOf(p)).toEqual([]);
});
