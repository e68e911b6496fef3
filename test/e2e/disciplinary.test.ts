import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { cleanup, type RelayProcess } from '../integration/harness.ts';
import {
  addPerson,
  closeAll,
  createWorkspace,
  currentWorkspaceId,
  dismissOfflineReady,
  download,
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
  textOf,
  textsOf,
  visible,
  waitSyncStatus,
} from './browser.ts';
import { parseCsv } from './csv.ts';

/*
 * The disciplinary log on two phones. Mia sets up the documented process,
 * designates herself officer and records an entry about Sam; bad input is
 * refused with messages and stores nothing; the CSV export is redacted unless
 * names are asked for. Sam's phone joins: Sam can read the process, but the
 * log says only officers can read it and shows nothing of it — although the
 * (sealed) entry has synced to his device.
 */

const ORG = 'Acme Discipline';
const FACTS = 'Sam Staff left printed customer files on a café table.';
const OUTCOME = 'Written warning issued to Sam Staff, review in 3 months.';
// The e2e Register type predates this register; readStored works for any register name.
const DISCIPLINARY: Register = 'disciplinary';

let browser: Browser | undefined;
let relay: RelayProcess;
let ctxA: BrowserContext | undefined;
let ctxB: BrowserContext | undefined;

beforeAll(async () => {
  relay = await startRelay();
  browser = await launchBrowser();
});

afterAll(async () => {
  await closeAll(ctxA, ctxB, browser);
  await cleanup();
});

const hash = (p: Page) => p.evaluate(() => location.hash);
/** ISO date `days` from today in the phone's time zone (negative = past). */
const dayFromToday = (p: Page, days: number) =>
  p.evaluate((d) => {
    const t = new Date();
    t.setDate(t.getDate() + d);
    return `${t.getFullYear()}-${String(t.getMonth() + 1).padStart(2, '0')}-${String(t.getDate()).padStart(2, '0')}`;
  }, days);

async function exportCsv(p: Page, buttonName: string, fileName: RegExp) {
  const { name, bytes } = await download(p, p.getByRole('button', { name: buttonName, exact: true }));
  expect(name).toMatch(fileName);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString('utf8');
  const [header, ...rows] = parseCsv(text);
  for (const r of rows) expect(r).toHaveLength(header!.length);
  return { text, header: header!, rows: rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!]))) };
}

test('officer records an entry; staff read the process but not the log; export is redacted', async () => {
  let a: Page;
  ({ context: ctxA, page: a } = await newPhone(browser!));
  await createWorkspace(a, relay.url, ORG, 'Mia Manager');
  await dismissOfflineReady(a);
  await addPerson(a, { name: 'Mia Manager', team: 'Management' });
  await addPerson(a, { name: 'Sam Staff', team: 'Ops' });

  // No officer yet: nobody can read the log, and it says what to do.
  await goHash(a, '#/disciplinary');
  await visible(a.getByTestId('no-access'));
  expect(await textOf(a.getByTestId('no-access').locator('h2'))).toBe('Only designated officers can read the disciplinary log.');
  expect(await textOf(a.getByTestId('no-access'))).toContain('No officer has been designated yet');

  // The documented process, from the three standard tiers.
  await goHash(a, '#/disciplinary/process');
  await visible(a.getByRole('heading', { name: 'No process documented yet' }));
  await a.getByRole('button', { name: 'Add the three standard tiers' }).click();
  await poll(() => textsOf(a.getByTestId('tier').locator('.dc-step-name'))).toEqual(['Accidental error', 'Repeated or negligent', 'Intentional or malicious']);
  expect(await textOf(a.getByTestId('tier').first())).toContain('Coaching');
  // A tier with nothing filled in is refused, with a message per field.
  await a.getByRole('link', { name: 'Add tier' }).click();
  await visible(a.getByRole('heading', { name: 'Add a tier' }));
  await a.getByRole('button', { name: 'Add tier' }).click();
  await poll(() => fieldErrors(a)).toEqual(['Name the tier, e.g. Accidental error.', 'Say when this tier applies.', 'Say what the consequence is, e.g. coaching or a written warning.']);
  await a.getByLabel('Name').fill('accidental error');
  await a.getByLabel('When it applies').fill('Again');
  await a.getByLabel('Consequence').fill('Coaching');
  await a.getByRole('button', { name: 'Add tier' }).click();
  await poll(() => fieldErrors(a)).toEqual(['There is already a tier called Accidental error.']);
  await a.getByRole('link', { name: 'Back' }).click();
  await poll(() => a.getByTestId('tier').count()).toBe(3);
  // Reorder and back: the order is part of the process.
  await a.getByRole('button', { name: 'Move Intentional or malicious up' }).click();
  await poll(() => textsOf(a.getByTestId('tier').locator('.dc-step-name'))).toEqual(['Accidental error', 'Intentional or malicious', 'Repeated or negligent']);
  await a.getByRole('button', { name: 'Move Intentional or malicious down' }).click();
  await poll(() => textsOf(a.getByTestId('tier').locator('.dc-step-name'))).toEqual(['Accidental error', 'Repeated or negligent', 'Intentional or malicious']);
  await a.evaluate(() => window.scrollTo(0, 0));
  await screenshot(a, 'disciplinary-process');
  const process = await exportCsv(a, 'Export the process as CSV', /^muster-disciplinary-process-\d{4}-\d{2}-\d{2}\.csv$/);
  expect(process.rows.map((r) => [r['Step'], r['Tier']])).toEqual([
    ['1', 'Accidental error'],
    ['2', 'Repeated or negligent'],
    ['3', 'Intentional or malicious'],
  ]);

  // Mia designates herself: the first officer, under the bootstrap rule.
  await goHash(a, '#/disciplinary/officers');
  await visible(a.getByTestId('bootstrap'));
  await a.getByRole('button', { name: 'Designate me (Mia Manager)' }).click();
  await poll(() => textsOf(a.getByTestId('officer-row').locator('.title'))).toEqual(['Mia Manager']);
  expect(await textOf(a.getByTestId('whoami'))).toBe('You are Mia Manager: a designated officer.');
  await expectHidden(a.getByTestId('bootstrap'));
  await screenshot(a, 'disciplinary-officers');

  // The log is empty and says what to do.
  await goHash(a, '#/disciplinary');
  await visible(a.getByRole('heading', { name: 'No entries yet' }));
  await a.getByRole('link', { name: 'Record an entry' }).click();
  await visible(a.getByRole('heading', { name: 'New log entry' }));

  // Bad input: messages under the fields, nothing stored.
  const wsA = await currentWorkspaceId(a);
  await a.getByLabel('Date').fill(await dayFromToday(a, 1));
  await a.getByRole('button', { name: 'Record entry' }).click();
  await poll(() => fieldErrors(a)).toEqual([
    'Choose the person this entry is about.',
    'The date cannot be in the future.',
    'Choose the policy that was breached, or type it under “Other policy”.',
    'Choose the tier from the documented process.',
    'Describe the facts: what happened, and how it came to light.',
    'Record the outcome, e.g. coaching given, or a written warning issued.',
  ]);
  expect(await hash(a)).toBe('#/disciplinary/new');
  await a.evaluate(() => window.scrollTo(0, 0));
  await screenshot(a, 'disciplinary-entry-form-errors');
  expect(Object.keys((await readStored(a, wsA, DISCIPLINARY)).entries)).toHaveLength(0);

  // A proper entry about Sam.
  const date = await dayFromToday(a, -2);
  await a.getByLabel('Person').selectOption({ label: 'Sam Staff (Ops)' });
  await a.getByLabel('Date').fill(date);
  await a.getByLabel('Policy breached').selectOption({ label: 'Other (type it)' });
  await a.getByLabel('Other policy').fill('Clean desk rule');
  await a.getByLabel('Tier').selectOption({ label: '2. Repeated or negligent' });
  expect(await textOf(a.getByTestId('tier-hint'))).toContain('Written warning');
  await a.getByLabel('Facts').fill(FACTS);
  await a.getByLabel('Outcome').fill(OUTCOME);
  expect(await a.getByLabel('Decided by').inputValue()).not.toBe('');
  await a.getByLabel('Evidence reference').fill('HR-2026-014');
  await a.evaluate(() => window.scrollTo(0, 0));
  await screenshot(a, 'disciplinary-entry-form', { fullPage: true });
  await a.getByRole('button', { name: 'Record entry' }).click();
  await poll(() => hash(a)).toMatch(/^#\/disciplinary\/entry\?id=/);
  const detail = a.getByTestId('entry-detail');
  await visible(detail);
  expect(await textOf(detail.locator('h2'))).toBe('Sam Staff');
  expect(await textOf(detail)).toContain(FACTS);
  await screenshot(a, 'disciplinary-entry-detail', { fullPage: true });
  // After a reload the entry is opened again from what is stored (asynchronously, through the codec).
  await a.reload();
  await poll(() => textOf(a.getByTestId('entry-detail').locator('h2'))).toBe('Sam Staff');

  // The officer's log: one row, search and filters.
  await goHash(a, '#/disciplinary');
  await poll(() => a.getByTestId('entry-row').count()).toBe(1);
  expect(await textOf(a.getByTestId('entry-row').locator('.title'))).toBe('Sam Staff');
  await screenshot(a, 'disciplinary-log');
  await a.getByLabel('Search').fill('nobody matches this');
  await poll(() => a.getByTestId('entry-row').count()).toBe(0);
  await a.getByLabel('Search').fill('café');
  await poll(() => a.getByTestId('entry-row').count()).toBe(1);
  await a.getByLabel('Search').fill('');
  await a.getByLabel('Tier').selectOption({ label: 'Accidental error' });
  await poll(() => a.getByTestId('entry-row').count()).toBe(0);
  await a.getByLabel('Tier').selectOption({ label: 'Repeated or negligent' });
  await a.getByLabel('Year').selectOption(date.slice(0, 4));
  await a.getByLabel('Policy').selectOption('Clean desk rule');
  await poll(() => a.getByTestId('entry-row').count()).toBe(1);

  // Export: redacted by default — no names.
  const redacted = await exportCsv(a, 'Export redacted CSV', /^muster-disciplinary-redacted-\d{4}-\d{2}-\d{2}\.csv$/);
  expect(redacted.header).toEqual(['Entry id', 'Date', 'Tier', 'Policy', 'Outcome']);
  expect(redacted.rows).toHaveLength(1);
  expect(redacted.rows[0]).toMatchObject({ Date: date, Tier: 'Repeated or negligent', Policy: 'Clean desk rule', Outcome: 'Written warning issued to [redacted], review in 3 months.' });
  for (const secret of ['Sam Staff', 'Sam', 'Mia', 'café', 'HR-2026-014']) expect(redacted.text).not.toContain(secret);
  // With names: only after ticking, with a warning.
  await a.getByLabel('Include names').check();
  expect(await textOf(a.locator('.dc-warning'))).toMatch(/personal data/);
  const named = await exportCsv(a, 'Export CSV with names (personal data)', /^muster-disciplinary-with-names-\d{4}-\d{2}-\d{2}\.csv$/);
  expect(named.rows[0]).toMatchObject({ Person: 'Sam Staff', 'Decided by': 'Mia Manager', Facts: FACTS });
  await a.getByLabel('Include names').uncheck();

  // What is stored: the entry only in its sealed form (AES-GCM, plus its evidence-chain link); the process in plain records.
  const stored = await readStored(a, wsA, DISCIPLINARY);
  const entries = Object.values(stored.entries);
  expect(entries).toHaveLength(1);
  expect(Object.keys(entries[0]!).sort()).toEqual(['chain', 'codec', 'id', 'kind', 'sealed']);
  expect(entries[0]).toMatchObject({ kind: 'sealed', codec: 'aes-gcm-v1' });
  const storedText = JSON.stringify(stored.entries);
  for (const secret of ['Sam Staff', 'café', 'HR-2026-014', 'Clean desk']) expect(storedText).not.toContain(secret);
  // …and it does not decode as base64 either (the codec before encryption did).
  expect(() => JSON.parse(Buffer.from(String(entries[0]!['sealed']), 'base64').toString('utf8'))).toThrow();
  expect(Object.values(stored.records).filter((r) => r['type'] === 'tier')).toHaveLength(3);

  // Sam's phone joins as a member of staff.
  let b: Page;
  ({ context: ctxB, page: b } = await newPhone(browser!));
  await joinWorkspace(b, await joinLinkOf(a), ORG, 'Sam Staff');
  await confirmDevices(a, 'staff');
  await Promise.all([waitSyncStatus(a, 'synced'), waitSyncStatus(b, 'synced')]);
  await dismissOfflineReady(b);
  const wsB = await currentWorkspaceId(b);
  // The sealed entry has reached Sam's device…
  await poll(async () => Object.keys((await readStored(b, wsB, DISCIPLINARY)).entries).length, 30_000).toBe(1);
  // …but the log tells Sam only officers can read it, and shows nothing of it.
  await goHash(b, '#/disciplinary');
  await visible(b.getByTestId('no-access'));
  await poll(() => textOf(b.getByTestId('no-access'))).toContain('You are not a designated officer.');
  expect(await textOf(b.getByTestId('no-access').locator('h2'))).toBe('Only designated officers can read the disciplinary log.');
  await poll(() => b.getByTestId('tier').count()).toBe(3);
  expect(await b.getByTestId('entry-row').count()).toBe(0);
  const main = async () => b.locator('.content').innerText();
  for (const secret of [FACTS, 'café', 'Clean desk', 'Written warning issued', '1 entry', 'HR-2026']) expect(await main()).not.toContain(secret);
  await screenshot(b, 'disciplinary-staff-view');
  await screenshot(b, 'disciplinary-staff-view-full', { fullPage: true });
  // A direct link to the entry, the form or a correction gives the same refusal.
  const entryId = entries[0]!['id'] as string;
  for (const h of [`#/disciplinary/entry?id=${entryId}`, '#/disciplinary/new', `#/disciplinary/correct?id=${entryId}`]) {
    await goHash(b, h);
    await visible(b.getByTestId('no-access'));
    expect(await main()).not.toContain(FACTS);
  }
  // The documented process is there for everyone; the officer list can be seen, not changed.
  await goHash(b, '#/disciplinary/process');
  await poll(() => textsOf(b.getByTestId('tier').locator('.dc-step-name'))).toEqual(['Accidental error', 'Repeated or negligent', 'Intentional or malicious']);
  expect(await b.getByRole('button', { name: 'Add the three standard tiers' }).count()).toBe(0);
  expect(await b.getByRole('link', { name: 'Edit' }).count()).toBe(0);
  await screenshot(b, 'disciplinary-staff-process');
  await goHash(b, '#/disciplinary/officers');
  await poll(() => textsOf(b.getByTestId('officer-row').locator('.title'))).toEqual(['Mia Manager']);
  expect(await textOf(b.getByTestId('whoami'))).toBe('You are Sam Staff: not a designated officer.');
  expect(await textOf(b.getByText('Only a designated officer can change who the officers are.'))).toBeTruthy();
  expect(await b.getByRole('button', { name: 'Designate' }).count()).toBe(0);
  await screenshot(b, 'disciplinary-staff-officers');

  // A correction on Mia's phone: a new entry; the original is kept.
  await goHash(a, `#/disciplinary/entry?id=${entryId}`);
  await a.getByRole('link', { name: 'Correct this entry' }).click();
  await visible(a.getByRole('heading', { name: 'Correct an entry' }));
  await a.getByLabel('Tier').selectOption({ label: '1. Accidental error' });
  await a.getByRole('button', { name: 'Record correction' }).click();
  await poll(() => fieldErrors(a)).toEqual(['Say what is being corrected and why.']);
  await a.getByLabel('Reason for the correction').fill('First occurrence: coaching, not a warning');
  await a.getByRole('button', { name: 'Record correction' }).click();
  await poll(() => hash(a)).not.toContain(entryId);
  await visible(a.getByRole('heading', { name: 'Earlier versions' }));
  await goHash(a, '#/disciplinary');
  await poll(() => textOf(a.getByTestId('entry-count'))).toBe('1 of 2 entries');
  expect(Object.keys((await readStored(a, wsA, DISCIPLINARY)).entries)).toHaveLength(2);

  expect(errorsOf(a)).toEqual([]);
  expect(errorsOf(b)).toEqual([]);
});

async function expectHidden(locator: import('playwright-core').Locator): Promise<void> {
  await locator.first().waitFor({ state: 'detached', timeout: 15_000 });
}
