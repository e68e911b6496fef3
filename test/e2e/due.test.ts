import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { addDays, formatMonth } from '../../src/domain/dates.ts';
import { dueStatus, lastDayOfMonth } from '../../src/domain/schedules.ts';
import { cleanup, type RelayProcess } from '../integration/harness.ts';
import {
  addPerson,
  answer,
  closeAll,
  createWorkspace,
  dismissOfflineReady,
  errorsOf,
  goHash,
  ITEM_KEYS,
  launchBrowser,
  newPhone,
  poll,
  screenshot,
  signOff,
  startChecklist,
  startRelay,
  textOf,
  visible,
  waitForServiceWorker,
  waitSyncStatus,
} from './browser.ts';

/*
 * The Due screen lists the recurring duties computed on the phone: this
 * month's checklist per team (until it is signed off), policy reviews,
 * the management review… grouped Overdue / This week / This month, with a
 * team filter, rows that open the place to do it, and the same list offline.
 */

let browser: Browser | undefined;
let relay: RelayProcess;

beforeAll(async () => {
  relay = await startRelay();
  browser = await launchBrowser();
});

afterAll(async () => {
  await closeAll(browser);
  await cleanup();
});

/** Duty rows on screen, in order: "id|status". */
const rows = (page: Page) =>
  page.getByTestId('due-row').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-id')}|${e.getAttribute('data-status')}`));

/** Group headings on screen, in order: "status:count". */
const groups = (page: Page) =>
  page.getByTestId('due-group').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-status')}:${e.querySelector('[data-testid=due-group-count]')?.textContent}`));

test('Due lists each team’s checklist until signed off, an overdue policy review, filters per team, opens the place to do it, and works offline', { timeout: 240_000 }, async () => {
  const { context, page } = await newPhone(browser!);
  await createWorkspace(page, relay.url, 'Acme Due', 'Mia Manager');
  // The phone's own local date (Europe/London in these tests): what the app computes with.
  const today = await page.evaluate(() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  });
  const month = today.slice(0, 7);
  // The first install's "ready to work offline" toast: tap OK so it covers nothing below.
  await waitForServiceWorker(page);
  await dismissOfflineReady(page);

  // Before anything else: only the first management review is due.
  await goHash(page, '#/due');
  await visible(page.getByRole('heading', { name: 'Due', exact: true }));
  await poll(() => rows(page)).toEqual(['management-review|this-week']);

  // Two teams; Ops signs this month's checklist off, Sales has not started.
  await addPerson(page, { name: 'Mia Manager', team: 'Ops' });
  await addPerson(page, { name: 'Sam Staff', team: 'Ops' });
  await addPerson(page, { name: 'Lee Sales', team: 'Sales' });
  const opsId = await startChecklist(page, 'Ops');
  for (const key of ITEM_KEYS) await answer(page, key, 'Done');
  await signOff(page, 'checklist');

  // A policy whose next review date has passed.
  await goHash(page, '#/policies/new');
  await visible(page.getByRole('heading', { name: 'New policy' }));
  await page.getByLabel('Title').fill('Acceptable use');
  await page.getByLabel('Owner').selectOption({ label: 'Mia Manager (Ops)' });
  const pastReview = addDays(today, -10);
  await page.getByLabel('Next review').fill(pastReview);
  await page.getByRole('button', { name: 'Add policy' }).click();
  await poll(() => page.evaluate(() => location.hash)).toMatch(/^#\/policies\/(?!new)[\w-]+$/);
  const policyId = await page.evaluate(() => decodeURIComponent(location.hash.split('/')[2]!));

  await goHash(page, '#/due');
  const salesStatus = dueStatus(lastDayOfMonth(month), today); // this week or this month, by today's date
  const expected = [`policy:${policyId}|overdue`, 'management-review|this-week', `checklist:Sales:${month}|${salesStatus}`];
  // Grouped, soonest first within a group: Overdue, This week, then This month.
  const order = ['overdue', 'this-week', 'this-month'];
  expected.sort((a, b) => order.indexOf(a.split('|')[1]!) - order.indexOf(b.split('|')[1]!));
  await poll(() => rows(page)).toEqual(expected);
  // The signed-off Ops checklist is not listed: it sits, folded, under Done.
  expect((await rows(page)).some((r) => r.startsWith(`checklist:Ops:${month}`))).toBe(false);
  const week = salesStatus === 'this-week' ? 2 : 1;
  expect(await groups(page)).toEqual(['overdue:1', `this-week:${week}`, ...(salesStatus === 'this-month' ? ['this-month:1'] : []), 'done:1']);
  const salesRow = page.getByTestId('due-row').filter({ hasText: `Sales checklist for ${formatMonth(month)}` });
  await visible(salesRow);
  expect(await salesRow.innerText()).toContain(`${Number(lastDayOfMonth(month).slice(8))} ${formatMonth(month).slice(0, 3)}`);
  expect(await textOf(page.getByTestId('due-summary').locator('[data-status=overdue] .due-count-n'))).toBe('1');
  expect(await textOf(page.getByTestId('due-count'))).toBe('3 due within 30 days · 0 later · 1 done');
  await screenshot(page, 'due-list');
  await screenshot(page, 'due-list-full', { fullPage: true });

  // Tap a count to show only that group.
  await page.getByTestId('due-summary').locator('[data-status=overdue]').click();
  await poll(() => rows(page)).toEqual([`policy:${policyId}|overdue`]);
  expect(await textOf(page.getByTestId('due-only'))).toContain('Showing only: Overdue');
  await page.getByRole('button', { name: 'Show all' }).click();
  await poll(() => rows(page)).toEqual(expected);

  // Unfold Done: the Ops checklist is there, done.
  await page.getByTestId('due-group').filter({ hasText: 'Done' }).click();
  await poll(() => rows(page)).toEqual([...expected, `checklist:Ops:${month}|done`]);
  expect(await page.getByTestId('due-group').filter({ hasText: 'Done' }).getAttribute('aria-expanded')).toBe('true');
  await page.getByTestId('due-row').last().scrollIntoViewIfNeeded();
  await screenshot(page, 'due-done-unfolded');
  await page.getByTestId('due-group').filter({ hasText: 'Done' }).click();
  await poll(() => rows(page)).toEqual(expected);

  // Filter per team.
  await page.getByLabel('Team').selectOption('Sales');
  await poll(() => rows(page)).toEqual([`checklist:Sales:${month}|${salesStatus}`]);
  expect(await textOf(page.getByTestId('due-count'))).toBe('1 due within 30 days (for the Sales team) · 0 later · 0 done');
  await screenshot(page, 'due-filtered-sales');
  await page.getByLabel('Team').selectOption('Ops');
  // Ops: the policy its member owns; its checklist is done; the org-wide review is not a team's.
  await poll(() => rows(page)).toEqual([`policy:${policyId}|overdue`]);
  expect(await groups(page)).toEqual(['overdue:1', 'done:1']);
  // Person filter narrows within the team.
  expect(await page.getByLabel('Person').locator('option').allInnerTexts()).toEqual(['Everyone', 'Mia Manager', 'Sam Staff']);
  await page.getByLabel('Person').selectOption({ label: 'Sam Staff' });
  await poll(() => rows(page)).toEqual([]);
  await visible(page.getByRole('heading', { name: 'Nothing due' }));
  expect(await textOf(page.getByTestId('due-count'))).toBe('0 due within 30 days (for Sam Staff) · 0 later · 0 done');
  await screenshot(page, 'due-nothing-due');
  await page.getByLabel('Person').selectOption({ label: 'Everyone' });
  await page.getByLabel('Team').selectOption({ label: 'All teams' });
  await poll(() => rows(page)).toEqual(expected);
  await page.getByLabel('Kind').selectOption({ label: 'Policy review' });
  await poll(() => rows(page)).toEqual([`policy:${policyId}|overdue`]);
  await page.getByLabel('Kind').selectOption({ label: 'All' });
  await poll(() => rows(page)).toEqual(expected);

  // Tapping a row goes where it is done: Sales' checklist is started for this month…
  await salesRow.click();
  await poll(() => page.evaluate(() => location.hash)).toBe(`#/checklists/new?team=Sales&month=${month}`);
  await visible(page.getByRole('heading', { name: 'New checklist' }));
  expect(await page.getByLabel('Team').inputValue()).toBe('Sales');
  // …and the policy opens on its review form.
  await goHash(page, '#/due');
  await page.getByTestId('due-row').filter({ hasText: 'Review Acceptable use' }).click();
  await poll(() => page.evaluate(() => location.hash)).toBe(`#/policies/${policyId}?do=review`);
  await visible(page.getByRole('heading', { name: 'Record a review' }));
  // …the management review opens a new review…
  await goHash(page, '#/due');
  await page.getByTestId('due-row').filter({ hasText: 'First management review' }).click();
  await poll(() => page.evaluate(() => location.hash)).toBe('#/reviews/new');
  // …and the done checklist row (once unfolded) opens the checklist itself.
  await goHash(page, '#/due');
  await page.getByTestId('due-group').filter({ hasText: 'Done' }).click();
  await page.getByTestId('due-row').filter({ hasText: `Ops checklist for ${formatMonth(month)}` }).click();
  await poll(() => page.evaluate(() => location.hash)).toBe(`#/checklists/${opsId}`);
  // Wait for the checklist itself: leaving before it renders could come back to the same Due screen, still unfolded.
  await visible(page.getByTestId('item-brief'));

  // Offline: reload and the same list comes from the device.
  await goHash(page, '#/due');
  await poll(() => rows(page)).toEqual(expected);
  await waitSyncStatus(page, 'synced');
  await context.setOffline(true);
  await page.reload();
  await waitSyncStatus(page, 'offline');
  await visible(page.getByRole('heading', { name: 'Due', exact: true }));
  await poll(() => rows(page)).toEqual(expected);
  await page.getByLabel('Team').selectOption('Sales');
  await poll(() => rows(page)).toEqual([`checklist:Sales:${month}|${salesStatus}`]);
  await screenshot(page, 'due-offline-filtered');

  expect(errorsOf(page)).toEqual([]);
  await closeAll(context);
});
