import fs from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { addMonths, addDays, localIsoDate } from '../../src/domain/dates.ts';
import { verifyPack } from '../../src/export/verify.ts';
import { seedYear } from '../bench/pack-seed.ts';
import { cleanup, type RelayProcess } from '../integration/harness.ts';
import { pdfText } from '../pdftext.ts';
import {
  addPerson,
  answer,
  closeAll,
  createWorkspace,
  currentWorkspaceId,
  deviceIdOf,
  dismissOfflineReady,
  download,
  errorsOf,
  fieldErrors,
  goHash,
  injectUpdate,
  ITEM_KEYS,
  launchBrowser,
  SCREENS_DIR,
  newPhone,
  poll,
  pressChip,
  readStored,
  type Register,
  screenshot,
  signOff,
  startBriefing,
  startChecklist,
  startRelay,
  textOf,
  textsOf,
  typePartialDate,
  visible,
  waitForServiceWorker,
  waitSyncStatus,
} from './browser.ts';
import { parseCsv } from './csv.ts';
import { createPolicy, publish, V1_TEXT } from './policy-flows.ts';

/*
 * The A 5.4 evidence pack in Chromium at 390×844: data made through the UI
 * (people with names in several scripts, a signed checklist, signed minutes,
 * a published policy acknowledged by one person), exported from #/export,
 * the download caught, unzipped here, its CSVs parsed, report.pdf read with
 * pdftotext, and the whole pack checked with the verifier. Then: one register
 * as PDF, one briefing's minutes as PDF, an export with the network off, and,
 * on a second phone with a year of a 200-person organisation, the progress
 * bar and Cancel.
 */

let browser: Browser | undefined;
let relay: RelayProcess;
let a: { context: BrowserContext; page: Page };
let b: { context: BrowserContext; page: Page } | undefined;

beforeAll(async () => {
  relay = await startRelay();
  browser = await launchBrowser();
  a = await newPhone(browser);
});

afterAll(async () => {
  await closeAll(a?.context, b?.context, browser);
  await cleanup();
});

const NAMES = { mia: 'Mia Manager', zoe: 'Zoë Ångström', lukasz: 'Łukasz Żółkiewski', li: '李小龍' } as const;
const flat = (text: string) => text.replace(/\s+/g, ' ');
const csv = (files: Record<string, Uint8Array>, name: string) => {
  const bytes = files[`csv/${name}.csv`];
  if (!bytes) throw new Error(`no csv/${name}.csv in the pack: ${Object.keys(files).join(', ')}`);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return parseCsv(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
};
const rowsOf = (table: string[][]) => table.slice(1);

async function openPackScreen(page: Page): Promise<void> {
  await goHash(page, '#/more');
  await page.getByRole('link', { name: /^Evidence pack/ }).click();
  await poll(() => page.evaluate(() => location.hash)).toBe('#/export');
  await visible(page.getByRole('heading', { name: 'Evidence pack', level: 1 }));
}

/** Exports the pack; returns the file and what the done state lists. */
async function exportPack(page: Page): Promise<{ name: string; bytes: Buffer; files: Record<string, Uint8Array>; listed: string[] }> {
  const file = await download(page, page.getByRole('button', { name: 'Export pack' }));
  await visible(page.getByTestId('pack-done'));
  const listed = (await textsOf(page.getByTestId('pack-files').locator('tbody tr td:first-child'))).sort();
  return { ...file, files: unzipSync(new Uint8Array(file.bytes)), listed };
}

test('export the A 5.4 evidence pack: CSVs, PDF text, manifest verified; one register and one briefing as PDF; offline', { timeout: 240_000 }, async () => {
  const page = a.page;
  const today = localIsoDate();
  const from = addDays(addMonths(today, -12), 1);
  await createWorkspace(page, relay.url, 'Acmé Ltd', NAMES.mia);
  await waitForServiceWorker(page);
  await dismissOfflineReady(page);

  // --- The screen, from More, with its defaults.
  await openPackScreen(page);
  expect(await page.getByRole('radio', { name: 'Last 12 months' }).isChecked()).toBe(true);
  expect(await textOf(page.getByTestId('pack-period'))).toMatch(/^\d{1,2} \w{3} \d{4} – \d{1,2} \w{3} \d{4}$/);
  await screenshot(page, 'pack-idle');

  // --- A custom period is checked before anything is built.
  await page.getByText('Custom', { exact: true }).click();
  await page.getByLabel('From', { exact: true }).fill('2026-12-01');
  await page.getByLabel('To', { exact: true }).fill('2026-01-31');
  await page.getByRole('button', { name: 'Export pack' }).click();
  await poll(() => fieldErrors(page)).toEqual(['The last day cannot be before the first day.']);
  await typePartialDate(page.getByLabel('From', { exact: true }));
  await page.getByRole('button', { name: 'Export pack' }).click();
  await poll(() => fieldErrors(page)).toEqual(['Enter the first day of the period.']);
  await screenshot(page, 'pack-period-errors');
  expect(await page.getByTestId('pack-done').count()).toBe(0);
  await page.getByText('Last 12 months', { exact: true }).click();
  await poll(() => fieldErrors(page)).toEqual([]);

  // --- An empty workspace still gives a pack, and says what is missing.
  const empty = await exportPack(page);
  expect(empty.name).toBe(`muster-evidence-acmé-ltd-${from}-${today}.zip`);
  expect((await verifyPack(new Uint8Array(empty.bytes))).ok).toBe(true);
  const missing = await textsOf(page.getByTestId('pack-missing').locator('li'));
  expect(missing).toEqual(expect.arrayContaining(['Monthly checklists and briefings: No monthly checklist in the period', 'Management reviews: No management review held in the period', 'Training and awareness: No training courses recorded']));
  await page.getByTestId('pack-done').scrollIntoViewIfNeeded();
  await screenshot(page, 'pack-empty-done');

  // --- Data made through the UI.
  await addPerson(page, { name: NAMES.mia, team: 'Ops', jobTitle: 'Ops manager' });
  await addPerson(page, { name: NAMES.zoe, team: 'Ops' });
  await addPerson(page, { name: NAMES.lukasz, team: 'Ops' });
  await addPerson(page, { name: NAMES.li, team: 'Sales' });
  await startChecklist(page, 'Ops');
  for (const key of ITEM_KEYS) await answer(page, key, 'Done');
  await signOff(page, 'checklist', 'All done at the team meeting');
  const briefingId = await startBriefing(page, 'Ops');
  await pressChip(page, 'attendee', NAMES.zoe);
  await pressChip(page, 'attendee', NAMES.lukasz);
  await pressChip(page, 'topic', 'Phishing');
  await signOff(page, 'minutes');
  const policyId = await createPolicy(page);
  await publish(page, policyId, '1.0', V1_TEXT);
  const ws = await currentWorkspaceId(page);
  const people = await readStored(page, ws, 'people');
  const zoeId = Object.entries(people.records).find(([, f]) => f['name'] === NAMES.zoe)![0];
  // Zoë acknowledges on her personal link.
  await goHash(page, `#/my-policies/${zoeId}`);
  await page.getByTestId('my-policy-due').filter({ hasText: 'Acceptable use' }).click();
  await page.getByLabel('Type your full name').fill(NAMES.zoe);
  await page.getByRole('button', { name: 'Acknowledge' }).click();
  await visible(page.getByTestId('ack-done'));
  await poll(async () => Object.keys((await readStored(page, ws, 'acknowledgements')).entries).length).toBe(1);

  // --- The pack: the download, its files, its CSVs, its PDF, its manifest.
  await openPackScreen(page);
  const pack = await exportPack(page);
  expect(pack.name).toBe(`muster-evidence-acmé-ltd-${from}-${today}.zip`);
  const paths = Object.keys(pack.files).sort();
  expect(pack.listed).toEqual(paths);
  expect(paths).toEqual(expect.arrayContaining(['report.pdf', 'evidence.json', 'manifest.json', 'csv/people.csv', 'csv/checklists.csv', 'csv/briefings.csv', 'csv/acknowledgements.csv', 'csv/training-log.csv']));
  expect(await textOf(page.getByTestId('pack-done').locator('.pack-done-title'))).toMatch(new RegExp(`^Downloaded ${pack.name.replace(/\./g, '\\.')} \\([\\d.]+ KB, report of \\d+ pages\\)\\.$`));
  await page.getByTestId('pack-done').scrollIntoViewIfNeeded();
  await screenshot(page, 'pack-done');
  await screenshot(page, 'pack-done-full', { fullPage: true });

  expect(rowsOf(csv(pack.files, 'people')).map((r) => r[0]).sort()).toEqual(Object.values(NAMES).sort());
  const answers = rowsOf(csv(pack.files, 'checklists'));
  expect(answers).toHaveLength(4);
  for (const r of answers) expect([r[1], r[2], r[4], r[9]]).toEqual(['Ops', 'Complete', 'Done', NAMES.mia]);
  const briefings = rowsOf(csv(pack.files, 'briefings'));
  expect(briefings.map((r) => [r[1], r[2], r[7]])).toEqual([['Ops', [NAMES.lukasz, NAMES.zoe].sort().join('; '), 'Signed']]);
  const acks = rowsOf(csv(pack.files, 'acknowledgements'));
  expect(Object.fromEntries(acks.map((r) => [r[0], r[4]]))).toEqual({ [NAMES.mia]: 'Not acknowledged', [NAMES.zoe]: 'Acknowledged', [NAMES.lukasz]: 'Not acknowledged', [NAMES.li]: 'Not acknowledged' });
  expect(acks.find((r) => r[0] === NAMES.zoe)?.[7]).toBe(NAMES.zoe);

  // Kept for a person to look at: test-results/evidence-pack-report.pdf.
  fs.writeFileSync(path.join(SCREENS_DIR, '..', 'evidence-pack-report.pdf'), pack.files['report.pdf']!);
  const report = pdfText(pack.files['report.pdf']!);
  expect(report).toContain('Acmé Ltd: evidence pack');
  expect(report).toMatch(/Generated by\s+Mia Manager/);
  for (const name of [NAMES.mia, NAMES.zoe, NAMES.lukasz, NAMES.li]) expect(report, name).toContain(name);
  expect(flat(report)).toContain('Acknowledged: 1 of 4 (25%)');
  expect(flat(report)).toContain('1 briefing recorded, 1 signed off');
  expect(flat(report)).toContain('4 done, 0 not done, 0 N/A, 0 open');
  expect(report).toMatch(/Page 1 of \d+/);
  const evidence = JSON.parse(strFromU8(pack.files['evidence.json']!));
  expect(evidence).toMatchObject({ format: 'muster-evidence', schemaVersion: 1, organisation: 'Acmé Ltd', period: { from, to: today }, scope: { teams: 'all' }, generatedBy: NAMES.mia });
  expect(evidence.log.entries.acknowledgements).toHaveLength(1);
  const verified = await verifyPack(new Uint8Array(pack.bytes));
  expect(verified.problems).toEqual([]);
  expect(verified.ok).toBe(true);

  // --- Only the Sales team.
  await page.getByTestId('scope-team').filter({ hasText: /^Sales$/ }).click();
  await poll(() => page.getByTestId('scope-all').getAttribute('aria-pressed')).toBe('false');
  const sales = await exportPack(page);
  expect(rowsOf(csv(sales.files, 'people')).map((r) => r[0])).toEqual([NAMES.li]);
  expect(rowsOf(csv(sales.files, 'briefings'))).toEqual([]);
  expect(JSON.parse(strFromU8(sales.files['evidence.json']!)).scope).toEqual({ teams: ['Sales'] });
  expect((await verifyPack(new Uint8Array(sales.bytes))).ok).toBe(true);
  await page.getByTestId('scope-all').click();

  // --- One register as PDF.
  await page.getByLabel('Register', { exact: true }).selectOption({ label: 'Briefing minutes' });
  const section = await download(page, page.getByRole('button', { name: 'Export as PDF' }));
  expect(section.name).toBe(`muster-briefing-minutes-acmé-ltd-${from}-${today}.pdf`);
  const sectionText = pdfText(new Uint8Array(section.bytes));
  expect(sectionText).toContain('Briefing minutes');
  expect(sectionText).toContain(NAMES.zoe);
  expect(sectionText).toContain('Page 1 of 1');

  // --- One briefing's minutes, from its screen.
  await goHash(page, `#/briefings/${briefingId}`);
  const minutes = await download(page, page.getByRole('button', { name: 'Export minutes as PDF' }));
  expect(minutes.name).toBe(`muster-briefing-ops-${today}.pdf`);
  const minutesText = flat(pdfText(new Uint8Array(minutes.bytes)));
  expect(minutesText).toContain('Acmé Ltd · Briefing minutes');
  expect(minutesText).toContain(`Present (2) ${NAMES.lukasz}, ${NAMES.zoe}`);
  expect(minutesText).toContain('Phishing');
  expect(minutesText).toMatch(/Signed off by Mia Manager on \d{1,2} \w{3} \d{4} \d\d:\d\d/);
  expect(minutesText).toContain('Page 1 of 1');

  // --- Offline: the app, the worker and the export come from this device.
  await a.context.setOffline(true);
  await waitSyncStatus(page, 'offline');
  await page.reload();
  await visible(page.getByTestId('org-name'));
  await openPackScreen(page);
  const offline = await exportPack(page);
  expect(offline.name).toBe(pack.name);
  expect(rowsOf(csv(offline.files, 'people'))).toHaveLength(4);
  expect((await verifyPack(new Uint8Array(offline.bytes))).ok).toBe(true);
  // Noto Sans is precached: Latin names stay exact offline. The CJK font is cached only once fetched under the
  // service worker; before that the PDF writes codes and says so.
  const offlineReport = flat(pdfText(offline.files['report.pdf']!));
  expect(offlineReport).toContain(NAMES.lukasz);
  if (!offlineReport.includes(NAMES.li)) expect(offlineReport).toContain('could not be drawn and are written as [U+…] codes');
  await a.context.setOffline(false);

  expect(errorsOf(page)).toEqual([]);
});

test('a year of a 200-person organisation: progress with its step, Cancel downloads nothing, then the full pack', { timeout: 240_000 }, async () => {
  b = await newPhone(browser!);
  const page = b.page;
  await createWorkspace(page, relay.url, 'Big Co', 'Bea Bench');
  await dismissOfflineReady(page);
  const ws = await currentWorkspaceId(page);
  const seed = seedYear({ today: localIsoDate(), device: await deviceIdOf(page) });
  for (const [register, update] of Object.entries(seed.updates)) await injectUpdate(page, ws, register as Register, update!);
  await page.reload();
  await visible(page.getByTestId('org-name'));
  await openPackScreen(page);
  await poll(() => page.getByTestId('scope-team').count(), 30_000).toBe(10);

  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await page.getByRole('button', { name: 'Export pack' }).click();
  await visible(page.getByTestId('pack-progress'));
  // A step past reading the registers, with its share done.
  await poll(() => textOf(page.getByTestId('pack-step'))).toMatch(/^(?!Reading the registers).+… [1-9]\d*%$/);
  expect(await page.getByRole('progressbar', { name: 'Building the evidence pack' }).getAttribute('aria-valuemax')).toBe('100');
  await screenshot(page, 'pack-in-progress');
  // The screen stays responsive while the worker builds: the page answers at once.
  const t0 = Date.now();
  await page.evaluate(() => 1);
  expect(Date.now() - t0).toBeLessThan(1_000);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await visible(page.getByText('Export cancelled. Nothing was downloaded.'));
  await new Promise((r) => setTimeout(r, 1_500));
  expect(downloads).toHaveLength(0);
  await screenshot(page, 'pack-cancelled');

  const t1 = Date.now();
  const pack = await exportPack(page);
  console.log(`200 people, ${seed.counts.completions} completions, ${seed.counts.acknowledgements} acknowledgements: click → ZIP downloaded in ${Date.now() - t1} ms (${(pack.bytes.length / 1024).toFixed(0)} KB)`);
  expect(rowsOf(csv(pack.files, 'people'))).toHaveLength(seed.counts.people);
  expect(rowsOf(csv(pack.files, 'checklists'))).toHaveLength(seed.counts.checklists * 4);
  const report = flat(pdfText(pack.files['report.pdf']!));
  expect(report).toContain('Big Co: evidence pack');
  expect(report).toMatch(/Showing the first 60 of [\d,]+ rows\. Every row is in csv\/training-log\.csv \(the other [\d,]+ from row 61 on\)\./);
  expect((await verifyPack(new Uint8Array(pack.bytes))).ok).toBe(true);
  expect(errorsOf(page)).toEqual([]);
});
