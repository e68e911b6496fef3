import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import type { RelayProcess } from '../integration/harness.ts';
import {
  addPerson,
  createWorkspace,
  dismissOfflineReady,
  currentWorkspaceId,
  download,
  errorsOf,
  fieldErrors,
  goHash,
  poll,
  pressChip,
  readStored,
  type Register,
  screenshot,
  startBriefing,
  textOf,
  visible,
  withOnePhone,
} from './browser.ts';
import { parseCsv } from './csv.ts';

/*
 * The training log on a phone: a course from the empty state, another through
 * the form, a briefing with two attendees, one step recording the training for
 * everyone present, the matrix, refused bad input, and the CSV exports.
 */

let relay: RelayProcess;
let page: Page;

withOnePhone((s) => ({ relay, page } = s));


async function exportCsv(buttonName: string, fileName: RegExp) {
  const { name, bytes } = await download(page, page.getByRole('button', { name: buttonName, exact: true }));
  expect(name).toMatch(fileName);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const [header, ...rows] = parseCsv(bytes.subarray(3).toString('utf8'));
  for (const r of rows) expect(r).toHaveLength(header!.length);
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}

/** An ISO date `days` before today in the phone's time zone (Europe/London). */
const daysAgo = (days: number) => page.evaluate((d) => {
  const t = new Date();
  t.setDate(t.getDate() - d);
  return `${t.getFullYear()}-${String(t.getMonth() + 1).padStart(2, '0')}-${String(t.getDate()).padStart(2, '0')}`;
}, days);

const hash = () => page.evaluate(() => location.hash);
const stored = async () => readStored(page, await currentWorkspaceId(page), 'training');
const matrixStatus = (name: string) => page.getByTestId('matrix-row').filter({ hasText: name }).getAttribute('data-status');

test('courses, bulk entry for a briefing’s attendees, matrix, bad input and CSV', async () => {
  await createWorkspace(page, relay.url, 'Acme', 'Mia Manager');
  await dismissOfflineReady(page);
  await addPerson(page, { name: 'Ada Lovelace', team: 'Ops' });
  await addPerson(page, { name: 'Bo Builder', team: 'Ops' });
  await addPerson(page, { name: 'Cy Seller', team: 'Sales' });

  // Empty state: what to do, and the one-tap starter course.
  await goHash(page, '#/training');
  await visible(page.getByRole('heading', { name: 'No courses yet' }));
  await screenshot(page, 'training-empty');
  await page.getByRole('button', { name: 'Add annual security awareness (everyone, 12 months)' }).click();
  await visible(page.getByRole('heading', { name: 'No training recorded yet' }));

  // A second course through the form: only the Ops team, renewed every 6 months.
  await goHash(page, '#/training/courses');
  await visible(page.getByTestId('course-row').filter({ hasText: 'Annual security awareness' }));
  await page.getByRole('link', { name: 'Add', exact: true }).click();
  await visible(page.getByRole('heading', { name: 'Add a course' }));
  await page.getByLabel('Title').fill('Phishing drill');
  await page.getByLabel('Renewal interval (months)').fill('six');
  await page.getByLabel('Everyone').uncheck();
  await page.getByRole('button', { name: 'Add course' }).click();
  expect(await fieldErrors(page)).toEqual([
    'Enter the renewal interval in whole months, from 0 (never expires) to 120.',
    'Choose who must do it: everyone, some teams or some security roles.',
  ]);
  await page.getByLabel('Renewal interval (months)').fill('6');
  await page.getByTestId('audience-team').filter({ hasText: 'Ops' }).click();
  await page.getByRole('button', { name: 'Add course' }).click();
  await poll(hash).toBe('#/training/courses');
  await visible(page.getByTestId('course-row').filter({ hasText: 'Phishing drill' }));
  expect(await textOf(page.getByTestId('course-row').filter({ hasText: 'Phishing drill' }).locator('.muted'))).toBe('Every 6 months · Ops team');
  await screenshot(page, 'training-courses');

  // A briefing of the Ops team three days ago, with two people present.
  const briefingDate = await daysAgo(3);
  const briefingId = await startBriefing(page, 'Ops', briefingDate);
  await pressChip(page, 'attendee', 'Ada Lovelace');
  await pressChip(page, 'attendee', 'Bo Builder');

  // One step records the course for both, dated the day of the briefing.
  await goHash(page, '#/training');
  await page.getByRole('link', { name: 'Record for a briefing’s attendees' }).click();
  await visible(page.getByRole('heading', { name: 'Record for several people' }));
  await poll(() => page.getByLabel('Briefing').inputValue()).toBe(briefingId);
  await page.getByLabel('Course').selectOption({ label: 'Annual security awareness' });
  expect(await page.getByLabel('Completed on').inputValue()).toBe(briefingDate);
  await poll(() => textOf(page.getByTestId('bulk-preview'))).toBe('2 completions will be recorded: Ada Lovelace, Bo Builder.');
  expect(await page.getByLabel('Evidence reference').inputValue()).toMatch(/^Briefing minutes: Ops, /);
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'training-bulk');
  await page.getByRole('button', { name: 'Record 2 completions' }).click();

  // The matrix of the course: both valid, the Sales person still missing.
  await poll(hash).toMatch(/^#\/training\/matrix\?course=/);
  await poll(() => matrixStatus('Ada Lovelace')).toBe('valid');
  expect(await matrixStatus('Bo Builder')).toBe('valid');
  expect(await matrixStatus('Cy Seller')).toBe('missing');
  expect(await textOf(page.getByTestId('matrix-count-valid').locator('strong'))).toBe('2');
  expect(await textOf(page.getByTestId('matrix-count-missing').locator('strong'))).toBe('1');
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'training-matrix');
  const matrix = await exportCsv('Export this matrix as CSV', /^muster-training-matrix-\d{4}-\d{2}-\d{2}\.csv$/);
  expect(matrix.map((r) => [r['Person'], r['Status']])).toEqual([
    ['Cy Seller', 'Missing'],
    ['Ada Lovelace', 'Valid'],
    ['Bo Builder', 'Valid'],
  ]);

  // What is stored: one append-only completion per attendee, with who, when and which device.
  let s = await stored();
  let completions = Object.values(s.entries);
  expect(completions).toHaveLength(2);
  for (const c of completions) {
    expect(c).toMatchObject({ kind: 'completion', completedOn: briefingDate, source: `briefing:${briefingId}`, byName: 'Mia Manager' });
    expect(c['expiresOn']).toBe(`${Number(briefingDate.slice(0, 4)) + 1}${briefingDate.slice(4)}`.replace(/-02-29$/, '-02-28'));
    expect(typeof c['deviceId']).toBe('string');
    expect(Number.isNaN(Date.parse(String(c['at'])))).toBe(false);
  }

  // Bad input: an expiry before the completion date is refused with a message, and nothing is stored.
  await goHash(page, '#/training');
  await goHash(page, '#/training/new');
  await visible(page.getByRole('heading', { name: 'Record a completion' }));
  await page.getByLabel('Person').selectOption({ label: 'Cy Seller (Sales)' });
  await page.getByLabel('Course').selectOption({ label: 'Annual security awareness' });
  await page.getByLabel('Completed on').fill(await daysAgo(1));
  await page.getByLabel('Expires on').fill(await daysAgo(2));
  await page.getByRole('button', { name: 'Record completion' }).click();
  await poll(() => fieldErrors(page)).toEqual(['The expiry date cannot be before the completion date.']);
  expect(await hash()).toBe('#/training/new');
  await screenshot(page, 'training-bad-expiry');
  s = await stored();
  expect(Object.values(s.entries)).toHaveLength(2);

  // The log: search, filter, and the CSV of what it shows.
  await goHash(page, '#/training');
  await poll(() => page.getByTestId('completion-row').count()).toBe(2);
  // Required: awareness × 3 people + phishing drill × 2 in Ops = 5; in date: 2.
  expect(await textOf(page.getByTestId('training-rate'))).toBe('40%');
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'training-list');
  await page.getByLabel('Search').fill('ada');
  await poll(() => page.getByTestId('completion-row').count()).toBe(1);
  await page.getByLabel('Search').fill('');
  await page.getByLabel('Team', { exact: true }).selectOption('Sales');
  await poll(() => page.getByTestId('completion-row').count()).toBe(0);
  await page.getByLabel('Team', { exact: true }).selectOption('');
  await poll(() => page.getByTestId('completion-row').count()).toBe(2);
  const log = await exportCsv('Export these as CSV', /^muster-training-\d{4}-\d{2}-\d{2}\.csv$/);
  expect(log.map((r) => [r['Person'], r['Team'], r['Course'], r['Completed on'], r['Status'], r['Recorded by'], r['Recorded from']]).sort()).toEqual([
    ['Ada Lovelace', 'Ops', 'Annual security awareness', briefingDate, 'Valid', 'Mia Manager', `briefing:${briefingId}`],
    ['Bo Builder', 'Ops', 'Annual security awareness', briefingDate, 'Valid', 'Mia Manager', `briefing:${briefingId}`],
  ]);

  // A correction voids a completion without changing it; the person drops back to missing.
  await page.getByTestId('completion-row').filter({ hasText: 'Bo Builder' }).click();
  await visible(page.getByRole('heading', { name: 'Correct this entry' }));
  await page.getByRole('button', { name: 'Void this completion' }).click();
  await poll(() => fieldErrors(page)).toEqual(['Say why this completion is being corrected.']);
  await page.getByLabel('Reason').fill('Bo left before the awareness part');
  await page.getByRole('button', { name: 'Void this completion' }).click();
  await visible(page.getByRole('heading', { name: 'Corrected' }));
  await screenshot(page, 'training-entry-corrected', { fullPage: true });
  s = await stored();
  expect(Object.values(s.entries).map((e) => e['kind']).sort()).toEqual(['completion', 'completion', 'correction']);
  await page.getByRole('link', { name: 'Annual security awareness' }).click();
  await poll(() => matrixStatus('Bo Builder')).toBe('missing');

  expect(errorsOf(page)).toEqual([]);
});
