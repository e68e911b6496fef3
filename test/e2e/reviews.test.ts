import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { addDays, addMonths, daysInMonth } from '../../src/domain/dates.ts';
import type { RelayProcess } from '../integration/harness.ts';
import {
  addPerson,
  answer,
  createWorkspace,
  currentWorkspaceId,
  dismissOfflineReady,
  download,
  errorsOf,
  fieldErrors,
  goHash,
  ITEM_KEYS,
  poll,
  readStored,
  type Register,
  screenshot,
  signOff,
  startBriefing,
  startChecklist,
  textOf,
  textsOf,
  visible,
  withOnePhone,
} from './browser.ts';
import { parseCsv } from './csv.ts';

/*
 * A quarterly management review on a phone: the second review pulls in the
 * first review's open action and the KPIs of its period, the chair approves
 * it, and a resource approval linked to it shows on the review.
 */

let relay: RelayProcess;
let page: Page;

withOnePhone((s) => ({ relay, page } = s));

const hash = () => page.evaluate(() => location.hash);
const stored = async (register: Register) => readStored(page, await currentWorkspaceId(page), register);
const kpi = (key: string) => textOf(page.getByTestId(`kpi-${key}`).getByTestId('kpi-value'));

async function newReview() {
  await goHash(page, '#/reviews');
  await goHash(page, '#/reviews/new');
  await visible(page.getByRole('heading', { name: 'New management review' }));
}

async function addReviewAction(text: string, owner: string, due: string) {
  const form = page.locator('#rv-actions form');
  await form.getByLabel('New action').fill(text);
  await form.getByLabel('Owner').selectOption({ label: owner });
  await form.getByLabel('Due').fill(due);
  await form.getByRole('button', { name: 'Add action' }).click();
  // A due date in the past asks first (issue 11): the first review's actions are dated three months back.
  if (due < (await localToday())) {
    await visible(form.getByText('is in the past: the action will be overdue at once.', { exact: false }));
    await form.getByRole('button', { name: 'Add with this date' }).click();
  }
  await visible(page.getByTestId('review-action').filter({ hasText: text }));
}

/** The phone's local date, as the app compares due dates with it. */
const localToday = () =>
  page.evaluate(() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  });

test('a second review pulls in the open action and the KPIs, the chair approves it, a resource approval is linked to it', async () => {
  await createWorkspace(page, relay.url, 'Acme', 'Cleo Chair');
  await dismissOfflineReady(page);
  await addPerson(page, { name: 'Cleo Chair', team: 'Board' });
  await addPerson(page, { name: 'Ana Admin', team: 'Ops' });
  await addPerson(page, { name: 'Bo Builder', team: 'Ops' });

  const today = await page.evaluate(() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  });
  const monthStart = `${today.slice(0, 8)}01`;
  const monthEnd = `${today.slice(0, 8)}${daysInMonth(Number(today.slice(0, 4)), Number(today.slice(5, 7)))}`;
  const firstDate = addMonths(today, -3);

  // A briefing with an action for Ops, due today.
  await startBriefing(page, 'Ops');
  await page.getByLabel('New action').fill('Lock screens when away');
  await page.getByLabel('Owner').selectOption({ label: 'Ana Admin' });
  await page.getByLabel('Due').fill(today);
  await page.getByRole('button', { name: 'Add action' }).click();
  await visible(page.getByTestId('action').filter({ hasText: 'Lock screens when away' }));

  // This month's checklist for Ops, signed off today: on time. Board has none.
  await startChecklist(page, 'Ops');
  for (const key of ITEM_KEYS) await answer(page, key, 'Done');
  await signOff(page, 'checklist');

  // Empty list.
  await goHash(page, '#/reviews');
  await visible(page.getByRole('heading', { name: 'No management reviews yet' }));

  // Bad input: an empty date, then a period that ends before it starts. Nothing is stored.
  await newReview();
  expect(await page.getByLabel('Chair').locator('option:checked').innerText()).toBe('Cleo Chair');
  await page.getByLabel('Date of the review').fill('');
  await page.getByRole('button', { name: 'Start the review' }).click();
  await poll(() => fieldErrors(page)).toEqual(['Enter the date of the review.']);
  await page.getByLabel('Date of the review').fill(firstDate);
  await page.getByLabel('From').fill('2026-03-31');
  await page.getByLabel('To', { exact: true }).fill('2026-01-01');
  await page.getByRole('button', { name: 'Start the review' }).click();
  await poll(() => fieldErrors(page)).toEqual(['The end of the period cannot be before its start.']);
  await screenshot(page, 'reviews-new-errors');
  expect(await hash()).toBe('#/reviews/new');
  expect(Object.keys((await stored('reviews')).records)).toHaveLength(0);

  // The first review: its period follows the date (the quarter before) until edited.
  await newReview();
  await page.getByLabel('Date of the review').fill(firstDate);
  const q = await page.getByLabel('From').inputValue();
  expect(q).toMatch(/^\d{4}-(01|04|07|10)-01$/);
  expect(await page.getByLabel('To', { exact: true }).inputValue()).toBe(addDays(addMonths(q, 3), -1));
  await page.getByRole('button', { name: 'Start the review' }).click();
  await poll(hash).toMatch(/^#\/reviews\/(?!new)[\w-]+$/);
  const firstId = decodeURIComponent((await hash()).split('/')[2]!);
  await visible(page.getByRole('heading', { name: 'Actions from the previous review' }));
  expect(await textsOf(page.getByTestId('earlier-action'))).toEqual([]);
  await page.getByTestId('review-attendee').filter({ hasText: 'Ana Admin' }).click();
  await poll(() => page.getByTestId('review-attendee').filter({ hasText: 'Ana Admin' }).getAttribute('aria-pressed')).toBe('true');
  await page.getByLabel('New decision').fill('Adopt MFA for every account');
  await page.getByRole('button', { name: 'Add decision' }).click();
  await visible(page.getByTestId('decision').filter({ hasText: 'Adopt MFA' }));
  await addReviewAction('Roll out MFA', 'Ana Admin', addDays(firstDate, 30));
  await addReviewAction('Write the MFA policy', 'Cleo Chair', addDays(firstDate, 10));
  await page.getByTestId('review-action').filter({ hasText: 'Write the MFA policy' }).getByLabel('Status').selectOption('done');
  await poll(() => page.getByTestId('review-action').filter({ hasText: 'Write the MFA policy' }).getAttribute('data-status')).toBe('done');

  // Only the chair approves: with Ana in the chair, Cleo's device cannot, and is told why.
  await page.locator('#rv-meeting').getByLabel('Chair').selectOption({ label: 'Ana Admin' });
  const approve = page.getByRole('button', { name: 'Sign off minutes' });
  await poll(() => approve.isDisabled()).toBe(true);
  await visible(page.getByText('Only the chair, Ana Admin, can approve these minutes. This device signs as Cleo Chair.'));
  await page.locator('#rv-approval').scrollIntoViewIfNeeded();
  await screenshot(page, 'reviews-approval-not-chair');
  await page.locator('#rv-meeting').getByLabel('Chair').selectOption({ label: 'Cleo Chair' });
  await poll(() => approve.isEnabled()).toBe(true);
  await signOff(page, 'minutes');
  await poll(() => textOf(page.getByTestId('signoff-state'))).toMatch(/^Signed off by Cleo Chair/);
  await poll(() => textOf(page.locator('.screen-header + .row .badge'))).toBe('Approved');

  // The second review, today, over this month.
  await newReview();
  await page.getByLabel('From').fill(monthStart);
  await page.getByLabel('To', { exact: true }).fill(monthEnd);
  await page.getByRole('button', { name: 'Start the review' }).click();
  await poll(hash).toMatch(/^#\/reviews\/(?!new)[\w-]+$/);
  const secondId = decodeURIComponent((await hash()).split('/')[2]!);
  expect(secondId).not.toBe(firstId);

  // Pulled in: the first review's action not done, with its owner and due date.
  const earlier = page.getByTestId('earlier-action');
  await poll(() => textsOf(earlier.locator('.rv-action-text'))).toEqual(['Roll out MFA']);
  expect(await earlier.first().innerText()).toContain('Ana Admin');
  expect(await earlier.first().getAttribute('data-status')).toBe('open');

  // KPIs of the period: no policy published, Ops signed this month's checklist on time, Board did not;
  // open actions: the briefing's and the first review's.
  await poll(() => kpi('ack')).toBe('—');
  await poll(() => kpi('training')).toBe('—');
  await poll(() => kpi('checklists')).toBe('1 of 2');
  expect(await textsOf(page.getByTestId('kpi-team'))).toEqual([
    expect.stringMatching(/^Board\s+0 of 1/),
    expect.stringMatching(/^Ops\s+1 of 1/),
  ]);
  await poll(() => kpi('actions')).toBe('2');
  await poll(() => kpi('agreements')).toBe('0');
  await poll(() => kpi('speakup')).toBe('not available');
  expect(await textOf(page.getByTestId('kpi-source'))).toBe('Computed now from the registers.');
  await screenshot(page, 'reviews-detail-top');
  await page.getByTestId('review-kpis').scrollIntoViewIfNeeded();
  await screenshot(page, 'reviews-detail-kpis');
  await screenshot(page, 'reviews-detail-full', { fullPage: true });

  // Update the carried action here: the first review's approved minutes are untouched.
  await earlier.first().getByLabel('Status').selectOption('in-progress');
  await poll(() => earlier.first().getAttribute('data-status')).toBe('in-progress');
  await page.getByLabel('Audit findings', { exact: true }).fill('One minor nonconformity: MFA not enforced on the VPN.');
  await page.getByLabel('Audit findings', { exact: true }).blur();

  // The chair approves; the figures are pinned.
  await signOff(page, 'minutes', 'Approved at the meeting');
  await poll(() => textOf(page.locator('.screen-header + .row .badge'))).toBe('Approved');
  await poll(() => textOf(page.getByTestId('kpi-source'))).toMatch(/^As approved on /);
  expect(await page.getByTestId('review-kpis').getByRole('status').count()).toBe(0);
  await page.locator('#rv-approval').scrollIntoViewIfNeeded();
  await screenshot(page, 'reviews-approval');
  const entries = Object.values((await stored('reviews')).entries).filter((e) => e['recordId'] === secondId);
  expect(entries).toHaveLength(1);
  const snapshot = JSON.parse(String(entries[0]!['snapshot'])) as { inputs: { kpis: { checklists: { onTime: number; due: number } }; previousActions: Array<{ text: string }> } };
  expect(snapshot.inputs.kpis.checklists).toMatchObject({ onTime: 1, due: 2 });
  expect(snapshot.inputs.previousActions.map((a) => a.text)).toEqual(['Roll out MFA']);
  expect(entries[0]).toMatchObject({ kind: 'signoff', byName: 'Cleo Chair', note: 'Approved at the meeting' });

  await goHash(page, `#/reviews/${firstId}`);
  await poll(() => textOf(page.locator('.screen-header + .row .badge'))).toBe('Approved');
  expect(await page.getByTestId('review-action').filter({ hasText: 'Roll out MFA' }).getAttribute('data-status')).toBe('open');

  // A resource approval linked to the second review, from the review.
  await goHash(page, `#/reviews/${secondId}`);
  await visible(page.getByText('No resource approval is linked to this review.'));
  await page.getByRole('link', { name: 'Record a resource approval' }).click();
  await visible(page.getByRole('heading', { name: 'Record a resource approval' }));
  expect(await page.getByLabel('Decided at management review').inputValue()).toBe(secondId);
  await page.getByLabel('What was approved').selectOption('tool');
  await page.getByLabel('Description').fill('Password manager for all staff');
  await page.getByLabel('Amount').fill('1200');
  await page.getByLabel('Currency').fill('XYZ');
  await page.getByLabel('For control or objective').fill('A 5.17 authentication information');
  await page.getByRole('button', { name: 'Record approval' }).click();
  await poll(() => fieldErrors(page)).toEqual(['XYZ is not an ISO 4217 currency code: use a three-letter code such as GBP, EUR or USD.']);
  await screenshot(page, 'resources-form-error');
  expect(Object.keys((await stored('resources')).records)).toHaveLength(0);
  expect(Object.keys((await stored('resources')).entries)).toHaveLength(0);
  await page.getByLabel('Currency').fill('gbp');
  await page.getByRole('button', { name: 'Record approval' }).click();
  await poll(hash).toBe(`#/reviews/${secondId}`);
  const linked = page.getByTestId('linked-resource');
  await poll(() => textsOf(linked)).toEqual([expect.stringContaining('Password manager for all staff')]);
  expect(await linked.first().innerText()).toContain('£1,200.00');
  await linked.first().scrollIntoViewIfNeeded();
  await screenshot(page, 'reviews-linked-resource');

  // The approval is evidence: a record and one append-only entry.
  const res = await stored('resources');
  const [[resId, record]] = Object.entries(res.records) as [[string, Record<string, unknown>]];
  expect(record).toMatchObject({ kind: 'tool', amount: 1200, currency: 'GBP', reviewId: secondId, createdBy: 'Cleo Chair' });
  expect(Object.values(res.entries)).toEqual([expect.objectContaining({ kind: 'approval', recordId: resId, approvedOn: today, byName: 'Cleo Chair' })]);

  // Staff time, then the list with totals per currency and hours.
  await goHash(page, '#/resources');
  await goHash(page, '#/resources/new');
  await page.getByLabel('What was approved').selectOption('staff-time');
  await page.getByLabel('Description').fill('Security champion, half a day a week');
  await page.getByLabel('Hours').fill('104');
  await page.getByLabel('For control or objective').fill('A 5.4 awareness');
  await page.getByRole('button', { name: 'Record approval' }).click();
  await poll(hash).toBe('#/resources');
  await poll(() => page.getByTestId('resource-row').count()).toBe(2);
  expect(await textsOf(page.getByTestId('resource-total'))).toEqual(['£1,200.00', '104 h']);
  await screenshot(page, 'resources-list');
  await page.getByLabel('Kind').selectOption('tool');
  await poll(() => textsOf(page.getByTestId('resource-total'))).toEqual(['£1,200.00']);
  await page.getByLabel('Kind').selectOption('');
  await page.getByLabel('Management review').selectOption('__none__');
  await poll(() => textsOf(page.getByTestId('resource-row').locator('.title'))).toEqual(['Security champion, half a day a week']);
  await page.getByLabel('Management review').selectOption('');
  const { name, bytes } = await download(page, page.getByRole('button', { name: 'Export these as CSV' }));
  expect(name).toMatch(/^muster-resource-approvals-\d{4}-\d{2}-\d{2}\.csv$/);
  const [header, ...rows] = parseCsv(bytes.subarray(3).toString('utf8'));
  const recs = rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
  expect(recs.map((r) => [r['Kind'], r['Amount'], r['Currency'], r['Hours'], r['Approved by'], r['Management review']]).sort()).toEqual([
    ['Staff time', '', '', '104', 'Cleo Chair', ''],
    ['Tool', '1200.00', 'GBP', '', 'Cleo Chair', expect.stringMatching(/^Review /)],
  ]);

  // A wrong approver is corrected by a new entry; the first stays in the history.
  await page.getByTestId('resource-row').filter({ hasText: 'Security champion' }).click();
  await visible(page.getByRole('heading', { name: 'Approval' }));
  await page.getByRole('button', { name: 'Correct who approved it or when' }).click();
  await page.locator('.rs-approval').getByLabel('Approved by').selectOption({ label: 'Ana Admin' });
  await page.getByRole('button', { name: 'Add correction' }).click();
  await poll(() => fieldErrors(page)).toEqual(['Say what is being corrected and why.']);
  await page.getByLabel('What is being corrected, and why').fill('Ana approved it as budget holder');
  await page.getByRole('button', { name: 'Add correction' }).click();
  await poll(() => page.getByTestId('approval-entry').count()).toBe(2);
  expect(await textOf(page.getByTestId('resource-approval'))).toContain('approved by Ana Admin');
  await screenshot(page, 'resources-detail');
  expect(Object.keys((await stored('resources')).entries)).toHaveLength(3);

  // The review list, and its CSV with the approved figures.
  await goHash(page, '#/reviews');
  await poll(() => page.getByTestId('review-row').count()).toBe(2);
  expect(await textsOf(page.getByTestId('review-row').locator('.badge'))).toEqual(['Approved', 'Approved']);
  await screenshot(page, 'reviews-list');
  const csv = await download(page, page.getByRole('button', { name: 'Export these as CSV' }));
  const [h2, ...r2] = parseCsv(csv.bytes.subarray(3).toString('utf8'));
  const second = r2.map((r) => Object.fromEntries(h2!.map((h, i) => [h, r[i]!]))).find((r) => r['Review id'] === secondId)!;
  expect(second).toMatchObject({
    'Monthly checklists on time': '1 of 2',
    'Policy acknowledgement rate': '—',
    'Open actions': '2',
    'Speak-up reports': 'not available',
    Approval: 'Approved',
    'Approved by': 'Cleo Chair',
    Figures: 'As approved',
    'Actions from earlier reviews': 'Roll out MFA (owner: Ana Admin) due ' + addDays(firstDate, 30) + ' [In progress]',
  });
  await page.getByLabel('Approval').selectOption({ label: 'Draft' });
  await poll(() => page.getByTestId('review-row').count()).toBe(0);

  expect(errorsOf(page)).toEqual([]);
});
