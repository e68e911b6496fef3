import { strToU8 } from 'fflate';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { entryHash, linkOf, summariseLog, verifyLog, buildLogSection } from '../../src/domain/evidence-log.ts';
import { buildSamplePack, replaceIn } from '../fixtures/evidence-pack.ts';
import { fingerprintWords, signingKeyId } from '../../src/crypto/signing.ts';
import { buildPack } from '../../src/export/pack/build.ts';
import { acmeWorkspace, signInput, withForgedSignOff } from '../../src/export/pack/signed-fixture.ts';
import { fixtureInput } from '../../src/export/pack/test-fixture.ts';
import { BEFORE_SIGNING } from '../../src/export/verify-identity.ts';
import { cleanup, type RelayProcess } from '../integration/harness.ts';
import {
  addPerson,
  answer,
  closeAll,
  createWorkspace,
  currentWorkspaceId,
  dismissOfflineReady,
  errorsOf,
  ITEM_KEYS,
  launchBrowser,
  newPhone,
  poll,
  readStored,
  screenshot,
  signOff,
  startChecklist,
  startRelay,
  textOf,
  textsOf,
  visible,
} from './browser.ts';

/*
 * The evidence log in the built app: a sign-off made in Chromium is stored with
 * its chain link, hashed in the browser exactly as Node re-hashes it; and the
 * "Verify a pack" screen checks a pack on the phone, offline, in plain words.
 */

let browser: Browser | undefined;
let relay: RelayProcess;
let phone: { context: BrowserContext; page: Page };

beforeAll(async () => {
  relay = await startRelay();
  browser = await launchBrowser();
  phone = await newPhone(browser);
});

afterAll(async () => {
  await closeAll(phone?.context, browser);
  await cleanup();
});

const chooseFile = (page: Page, name: string, bytes: Uint8Array) =>
  page.getByTestId('verify-file').setInputFiles({ name, mimeType: name.endsWith('.zip') ? 'application/zip' : 'text/plain', buffer: Buffer.from(bytes) });

test('a sign-off is chained in the browser, and the Verify screen tells an intact pack from a tampered one', async () => {
  const page = phone.page;
  await createWorkspace(page, relay.url, 'Acme Ltd', 'Mia Manager');
  await dismissOfflineReady(page);

  // A sign-off made in the app carries a link that Node's SHA-256 confirms.
  await addPerson(page, { name: 'Mia Manager', team: 'Ops', jobTitle: 'Manager' });
  await startChecklist(page, 'Ops');
  for (const key of ITEM_KEYS) await answer(page, key, 'Done');
  await signOff(page, 'checklist', 'All four done');
  const ws = await currentWorkspaceId(page);
  const entries = Object.values((await readStored(page, ws, 'checklists')).entries);
  expect(entries).toHaveLength(1);
  const link = linkOf(entries[0]);
  expect(link).toMatchObject({ seq: 1, prev: null, device: entries[0]!['deviceId'] });
  expect(entryHash(entries[0]!)).toBe(link!.hash);
  const registers = { checklists: entries };
  expect(verifyLog(buildLogSection(registers, () => true), summariseLog(registers))).toMatchObject({ ok: true, checked: 1 });

  // The Verify screen, from More, offline: nothing is sent anywhere.
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'More' }).click();
  await page.getByRole('link', { name: /^Verify a pack/ }).click();
  await visible(page.getByRole('heading', { name: 'Verify a pack' }));
  expect(await page.evaluate(() => location.hash)).toBe('#/verify');
  await phone.context.setOffline(true);

  await chooseFile(page, 'acme-evidence-pack.zip', buildSamplePack());
  const summary = page.getByTestId('verify-summary');
  await poll(() => textOf(summary)).toContain('Intact: 3 files, 8 entries checked.');
  expect(await page.getByTestId('verify-result').getAttribute('data-ok')).toBe('true');
  expect(await textOf(page.getByTestId('verify-root'))).toMatch(/^[0-9a-f]{64}$/);
  const facts = (await textOf(page.locator('.verify-facts'))).replace(/\s+/g, ' ');
  expect(facts).toContain('Entries checked 8');
  expect(facts).toContain('Outside the period or scope (link checked) 1');
  expect(facts).toContain('Written before the log existed (not chained) 1');
  expect(await page.getByTestId('verify-log-problems').count()).toBe(0);
  // Made before signed identity: still intact, and it says it names no signer.
  expect(await textOf(page.getByTestId('verify-identity-state'))).toBe(BEFORE_SIGNING);
  expect(await page.getByTestId('verify-root-key').count()).toBe(0);
  await screenshot(page, 'verify-intact');

  // One byte changed in a CSV and one entry altered in evidence.json: both named.
  const tampered = buildSamplePack({
    tamper: (f) => {
      replaceIn(f, 'training.csv', 'p3', 'p9');
      replaceIn(f, 'evidence.json', '"typedName": "Alan Turing"', '"typedName": "Alan Turinh"');
    },
  });
  await chooseFile(page, 'acme-evidence-pack-edited.zip', tampered);
  await poll(() => textOf(summary)).toContain('Not intact: 3 problems found.');
  expect(await page.getByTestId('verify-result').getAttribute('data-ok')).toBe('false');
  expect(await textsOf(page.getByTestId('verify-file-problems').locator('li'))).toEqual([
    'evidence.json was changed after the pack was made: its content does not match the SHA-256 in the manifest.',
    'training.csv was changed after the pack was made: its content does not match the SHA-256 in the manifest.',
  ]);
  expect(await textsOf(page.getByTestId('verify-log-problems').locator('li'))).toEqual([
    'Acknowledgements entry AckEntry2 was altered after it was written: its content no longer matches its hash.',
  ]);
  await screenshot(page, 'verify-tampered');
  await screenshot(page, 'verify-tampered-full', { fullPage: true });

  // Not a pack at all.
  await chooseFile(page, 'people.csv', strToU8('name,team\r\nAda,Ops\r\n'));
  await poll(() => textOf(summary)).toContain('This file is not a ZIP archive, so it is not a Muster evidence pack. Choose the .zip file that Muster exported.');
  await screenshot(page, 'verify-not-a-pack');

  expect(errorsOf(page)).toEqual([]);
});

test('an auditor with no workspace opens Verify from the welcome screen', async () => {
  const auditor = await newPhone(browser!);
  try {
    const page = auditor.page;
    await page.goto(relay.url);
    await page.getByRole('link', { name: 'Verify an evidence pack' }).click();
    await visible(page.getByRole('heading', { name: 'Verify a pack' }));
    await chooseFile(page, 'acme-evidence-pack.zip', buildSamplePack());
    await poll(() => textOf(page.getByTestId('verify-summary'))).toContain('Intact: 3 files, 8 entries checked.');
    await screenshot(page, 'verify-no-workspace');
    // Nothing was created on the auditor's device: back on the welcome form.
    await page.getByRole('link', { name: 'Back to Muster' }).click();
    await visible(page.getByRole('heading', { name: 'Create a workspace' }));
    expect(errorsOf(page)).toEqual([]);
  } finally {
    await auditor.context.close();
  }
});

test('a signed pack: the root key on top, a forged sign-off flagged with its sentence, and who signed the rest', async () => {
  // A hand-made pack (real keys, the real builder): the owner Zoë's device and a staff phone whose
  // modified client wrote a checklist sign-off on Zoë's chain and signed it with its own key.
  const ws = await acmeWorkspace();
  const input = await withForgedSignOff(await signInput(fixtureInput(), ws), ws, { victim: 'device-a', forger: 'device-c', recordId: 'cl-ops-oct', at: '2026-10-21T15:00:00.000Z' });
  const { zip } = await buildPack(input);
  const root = fingerprintWords(signingKeyId(ws.keys.get('device-a')!));
  const short = (d: string) => fingerprintWords(signingKeyId(ws.keys.get(d)!)).split(' ').slice(0, 4).join(' ');

  // The auditor's own phone, no workspace, offline once the app has loaded.
  const auditor = await newPhone(browser!);
  const page = auditor.page;
  try {
  await page.goto(relay.url);
  await page.getByRole('link', { name: 'Verify an evidence pack' }).tap();
  await visible(page.getByRole('heading', { name: 'Verify a pack' }));
  await auditor.context.setOffline(true);
  await chooseFile(page, 'acme-signed-pack.zip', zip);
  const summary = page.getByTestId('verify-summary');
  await poll(() => textOf(summary)).toMatch(/Intact: \d+ files, 12 entries checked, 12 signatures checked\. 1 entry flagged \(not counted\)\./);
  expect(await textOf(page.getByTestId('verify-root-key'))).toContain(root);
  expect(await textOf(page.getByTestId('verify-root-key'))).toContain(`Zoë Ångström’s device (key ${short('device-a')})`);
  const flagged = await textsOf(page.getByTestId('verify-flagged').locator('li'));
  expect(flagged).toHaveLength(1);
  expect(flagged[0]).toMatch(new RegExp(`^The sign-off so-forged in Checklists “Ops 2026-10” \\(21 Oct 2026\\) is signed by 李小龍’s device \\(key ${short('device-c')}\\), a member of staff since 2 Jan 2026; it was written on another device’s chain, so only that device can sign it\\.$`));
  const signers = await textsOf(page.getByTestId('verify-signers').locator('li'));
  expect(signers[0]).toContain(`Zoë Ångström’s device (key ${short('device-a')}), an owner since 1 Jan 2026`);
  expect(signers[0]).toContain('signed 10: Acknowledgements 4, Training 3, Checklists 1, Policies 1, Resources 1');
  const counts = (await textOf(page.getByTestId('verify-sig-counts'))).replace(/\s+/g, ' ');
  expect(counts).toContain('Signed and allowed 11');
  expect(counts).toContain('Flagged 1');
  expect(counts).toContain('Membership entries valid 4');
  await screenshot(page, 'verify-signed');
  await screenshot(page, 'verify-signed-full', { fullPage: true });
  expect(errorsOf(page)).toEqual([]);
  } finally {
    await auditor.context.close();
  }
});
