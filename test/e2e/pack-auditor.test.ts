import fs from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { localIsoDate } from '../../src/domain/dates.ts';
import { verifyPack } from '../../src/export/verify.ts';
import { NEW_HIRES, seedYear } from '../bench/pack-seed.ts';
import { cleanup, type RelayProcess } from '../integration/harness.ts';
import { pdfText } from '../pdftext.ts';
import { closeAll, createWorkspace, currentWorkspaceId, deviceIdOf, dismissOfflineReady, errorsOf, goHash, injectUpdate, launchBrowser, newPhone, poll, type Register, SCREENS_DIR, startRelay, textOf, textsOf, visible } from './browser.ts';
import { parseCsv } from './csv.ts';

/*
 * The auditor's read of the evidence pack (issue 14): a year of a
 * 200-person organisation with ten new hires (two, one a new COO, with no
 * acknowledgement and no training; one expired contract; one agreement
 * without security clauses), exported by touch at 390×844 on the device of
 * a designated disciplinary officer who never opened the disciplinary
 * screen. report.pdf is read with pdftotext: each new hire's gaps, the COO
 * by name, every gap of the summary in the appendix, the matrices, the
 * minutes' notes and the management reviews' inputs, and the redacted
 * disciplinary counts. The PDF is kept as test-results/screens/auditor-report.pdf.
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

const OFFICER = 'Bea Bench';
const flat = (text: string) => text.replace(/\s+/g, ' ');

test('a 200-person year with ten new hires: every question answered in report.pdf', { timeout: 300_000 }, async () => {
  const page = phone.page;
  await createWorkspace(page, relay.url, 'Big Co', OFFICER);
  await dismissOfflineReady(page);
  const ws = await currentWorkspaceId(page);
  const seed = seedYear({ today: localIsoDate(), officer: { name: OFFICER, decisions: 3 }, device: await deviceIdOf(page) });
  // The member list is signed, so the seeded year's plain officer record does not count: with People in, Bea
  // designates herself officer on the Officers screen (a signed entry). Then the rest of the year arrives, written
  // on Bea's own device (so her phone signs it: an owner's, officer by then), and a fresh start, so nothing has
  // opened the log.
  await injectUpdate(page, ws, 'people', seed.updates['people']!);
  await page.reload();
  await goHash(page, '#/disciplinary/officers');
  await page.getByRole('button', { name: `Designate me (${OFFICER})` }).tap();
  await poll(() => textsOf(page.getByTestId('officer-row').locator('.title')), 30_000).toEqual([OFFICER]);
  for (const [register, update] of Object.entries(seed.updates)) if (register !== 'people') await injectUpdate(page, ws, register as Register, update!);
  await page.reload();
  await visible(page.getByTestId('org-name'));
  // Straight to the pack, never through More → Disciplinary's log.
  await goHash(page, '#/more');
  await page.getByRole('link', { name: /^Evidence pack/ }).tap();
  await visible(page.getByRole('heading', { name: 'Evidence pack', level: 1 }));
  await poll(() => page.getByTestId('scope-team').count(), 30_000).toBe(10);

  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByRole('button', { name: 'Export pack' }).tap()]);
  await visible(page.getByTestId('pack-done'));
  const bytes = fs.readFileSync(await (dl as Download).path());
  const files = unzipSync(new Uint8Array(bytes));
  expect((await verifyPack(new Uint8Array(bytes))).ok).toBe(true);
  const pdf = files['report.pdf']!;
  fs.mkdirSync(SCREENS_DIR, { recursive: true });
  fs.writeFileSync(path.join(SCREENS_DIR, 'auditor-report.pdf'), pdf);
  const report = flat(pdfText(pdf));
  const from = (heading: string) => report.slice(report.indexOf(` ${heading} `));

  // 1. New hires: their own section, every gap named, the COO by name.
  const hires = from('New hires').slice(0, from('New hires').indexOf(' Security roles and RACI '));
  expect(hires).toContain('10 people started in the period, executives included: 6 with');
  expect(hires).toContain('Morgan Achterberg (Chief Operating Officer, Team A)');
  for (const h of seed.newHires) expect(hires, h.name).toContain(h.name);
  expect(hires.match(/No policy acknowledged \(0 of 20\): Policy 00 v1\.0/g)).toHaveLength(2);
  expect(hires.match(/No initial training done \(0 of 10\): Course 00/g)).toHaveLength(2);
  expect(hires).toMatch(/Contractor agreement expired on \d{1,2} \w{3} \d{4}/);
  expect(hires).toContain('Employment contract without security clauses');
  expect(NEW_HIRES).toHaveLength(10);

  // 2. Every gap of the summary named in the appendix; nothing cut to "… and n more".
  expect(report).not.toMatch(/… and \d+ more/);
  const appendix = report.slice(report.lastIndexOf('Appendix: every gap, by team and person'));
  for (const who of ['Morgan Achterberg', 'Priya Raman', 'Tomasz Nowak', 'Hannah Schmidt']) expect(appendix, who).toContain(who);
  for (let p = 0; p < 20; p++) expect(appendix).toContain(`Policy ${String(p).padStart(2, '0')} v1.0 not acknowledged`);
  for (let c = 0; c < 10; c++) expect(appendix).toContain(`Course ${String(c).padStart(2, '0')} not done`);

  // 3. Matrices with dates; a cut log says where the rest is and how many rows.
  expect(report).toContain('Every person × policy: day the current version was acknowledged: columns 11–20 of 20');
  expect(report).toContain('Every person × course: day of the completion that counts');
  expect(report).toMatch(/Every row is in csv\/training-log\.csv \(the other [\d,]+ from row 61 on\)/);
  const matrix = parseCsv(new TextDecoder().decode(files['csv/training-by-person.csv']!));
  expect(matrix.find((r) => r[0] === 'Morgan Achterberg')!.slice(2)).toEqual(Array(10).fill('Missing'));

  // 4. The minutes themselves.
  expect(report).toContain('Briefing 0: phishing, screen locks and the speak-up channel.');
  expect(report).toContain('training log checked, two reminders sent');
  expect(report).toContain('LMS export Team A');
  for (const q of [1, 2, 3, 4]) {
    expect(report).toContain(`Changes affecting the ISMS Quarter ${q}: new office in Leeds`);
    expect(report).toContain(`Audit findings Quarter ${q}: two laptops without disk encryption`);
    expect(report).toContain(`Incidents Quarter ${q}: one phishing click, contained`);
  }

  // 5. The officer's device opened the log for the export: redacted rows and counts, no facts.
  const redacted = parseCsv(new TextDecoder().decode(files['csv/disciplinary-log-redacted.csv']!));
  expect(redacted.slice(1).map((r) => r[0])).toEqual(['dc-0', 'dc-1', 'dc-2']);
  expect(report).toMatch(/Confidential log: 3 decisions standing in the period \(Accidental error 2, Negligence 1\)/);
  expect(report).not.toContain('Confidential facts');
  // 9. The backup says what it leaves out: the photo's bytes (no speak-up report in this workspace).
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'More' }).tap();
  await page.getByRole('link', { name: /^Settings/ }).tap();
  await visible(page.getByTestId('backup-panel'));
  expect(await textOf(page.getByTestId('backup-left-out'))).toBe(
    "Not in the backup: 1 attached file (0.2 MB of photos and PDFs; the records keep each file's name, size and SHA-256, and the evidence pack includes the files this device holds).",
  );

  expect(errorsOf(page)).toEqual([]);
});
