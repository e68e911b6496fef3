import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { addDays, addMonths, localIsoDate } from '../../src/domain/dates.ts';
import { dueStatus } from '../../src/domain/schedules.ts';
import { appendEntry } from '../../src/store/records.ts';
import type { RelayProcess } from '../integration/harness.ts';
import { createWorkspace, currentWorkspaceId, deviceIdOf, dismissOfflineReady, errorsOf, goHash, poll, screenshot, textOf, visible, injectUpdate, withOnePhone } from './browser.ts';

/*
 * The Due screen with 10,000 training renewals (10,000 people, one annual
 * course each, expiring from two months ago to eleven months ahead) on a
 * phone: the groups render through the virtualised list, tapping the Later
 * count shows that group alone and it scrolls to its last row, the folded
 * Later heading is reachable at the end, and a team filter narrows it. The data is written
 * straight into the device's IndexedDB as Yjs updates, then the app reloads.
 * Timings are printed, never asserted: the machine is shared.
 */

let relay: RelayProcess;
let page: Page;

withOnePhone((s) => ({ relay, page } = s));

const PEOPLE = 10_000;
const TEAMS = ['Ops', 'Sales', 'Support', 'Finance', 'Engineering'];
const pad = (n: number) => String(n).padStart(5, '0');

/** Completion i: completed between 14 and 1 months ago, so it expires between 2 months ago and 11 months ahead. */
const completedOn = (today: string, i: number) => addDays(addMonths(today, -14), i % 395);

function seedUpdates(today: string, device: string): { people: string; training: string } {
  const people = new Y.Doc();
  const records = people.getMap<Y.Map<unknown>>('records');
  people.transact(() => {
    for (let i = 0; i < PEOPLE; i++) {
      const r = new Y.Map<unknown>();
      for (const [k, v] of Object.entries({ name: `Person ${pad(i)}`, email: '', team: TEAMS[i % TEAMS.length]!, jobTitle: '', startDate: '', managerId: '', archived: false, createdAt: '2024-01-01T00:00:00.000Z' })) r.set(k, v);
      records.set(`person-${pad(i)}`, r);
    }
  });
  const training = new Y.Doc();
  training.transact(() => {
    const course = new Y.Map<unknown>();
    for (const [k, v] of Object.entries({ title: 'Annual security awareness', renewalMonths: 12, everyone: true, provider: 'In-house', archived: false, createdAt: '2024-01-01T00:00:00.000Z', createdBy: 'Seed' })) course.set(k, v);
    training.getMap<Y.Map<unknown>>('records').set('course-aware', course);
    for (let i = 0; i < PEOPLE; i++) {
      const done = completedOn(today, i);
      appendEntry(training, {
        id: `seed-${i}`,
        kind: 'completion',
        personId: `person-${pad(i)}`,
        courseId: 'course-aware',
        completedOn: done,
        provider: 'In-house',
        evidence: `Certificate ${i}`,
        expiresOn: addMonths(done, 12),
        source: '',
        byName: 'Seed',
        at: '2026-01-01T00:00:00.000Z',
        deviceId: device,
      } as { id: string }, device);
    }
  });
  const b64 = (doc: Y.Doc) => Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64');
  return { people: b64(people), training: b64(training) };
}


/** The count tiles at the top (overdue, this week, this month) and "… · N later" in the count line. */
async function groupCount(status: string): Promise<number> {
  if (status === 'later') return Number(/· (\d+) later/.exec(await textOf(page.getByTestId('due-count')))?.[1]);
  return Number(await textOf(page.getByTestId('due-summary').locator(`[data-status=${status}] .due-count-n`)));
}
const renderedRows = () => page.getByTestId('due-row').count();

test('10,000 training renewals: grouped, virtualised, Later shown alone and scrolled to its end, team filter', { timeout: 240_000 }, async () => {
  await createWorkspace(page, relay.url, 'Big Due Co', 'Mia Manager');
  await dismissOfflineReady(page);
  const today = localIsoDate();
  const ws = await currentWorkspaceId(page);
  const seed = seedUpdates(today, await deviceIdOf(page));
  await injectUpdate(page, ws, 'people', seed.people);
  await injectUpdate(page, ws, 'training', seed.training);

  // What the list must show, by the same rules.
  const expected = { overdue: 0, 'this-week': 0, 'this-month': 0, later: 0 } as Record<string, number>;
  for (let i = 0; i < PEOPLE; i++) expected[dueStatus(addMonths(completedOn(today, i), 12), today)]! += 1;
  expected['this-week']! += 1; // the first management review, due today
  // Each of the 5 teams owes this month's checklist: this week or this month.
  const [y, m] = today.split('-').map(Number) as [number, number];
  const monthEnd = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  expected[dueStatus(monthEnd, today)]! += TEAMS.length;

  await goHash(page, '#/due');
  const t0 = Date.now();
  await page.reload();
  await poll(() => groupCount('overdue'), 60_000).toBe(expected['overdue']);
  console.log(`reload → Due screen with ${PEOPLE} renewals grouped: ${Date.now() - t0} ms`);
  expect(await groupCount('this-week')).toBe(expected['this-week']);
  expect(await groupCount('this-month')).toBe(expected['this-month']);
  expect(await groupCount('later')).toBe(expected['later']);

  // Only a window of rows is in the DOM.
  const onScreen = await renderedRows();
  expect(onScreen).toBeGreaterThan(3);
  expect(onScreen).toBeLessThan(80);
  await screenshot(page, 'due-10k');

  // Later sits below thousands of overdue rows: tap its count to show only that group, then scroll to its end.
  const t1 = Date.now();
  await page.getByTestId('due-count').getByRole('button', { name: `${expected['later']} later` }).click();
  await visible(page.getByTestId('due-only'));
  await poll(() => page.getByTestId('due-row').first().getAttribute('data-status')).toBe('later');
  console.log(`show only ${expected['later']} later rows: ${Date.now() - t1} ms`);
  expect(await page.getByTestId('due-group').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).toEqual(['later']);
  await screenshot(page, 'due-10k-later');
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const lastIndex = expected['later']!; // the heading is row 0
  await poll(() => page.locator(`li[data-index="${lastIndex}"]`).count()).toBe(1);
  expect(await renderedRows()).toBeLessThan(80);
  const lastExpiry = addMonths(completedOn(today, 394), 12);
  const last = page.locator(`li[data-index="${lastIndex}"] [data-testid=due-row]`);
  await visible(last);
  expect(await last.getAttribute('data-status')).toBe('later');
  expect(await last.innerText()).toContain('Renew Annual security awareness');
  expect(lastExpiry > today).toBe(true);
  await screenshot(page, 'due-10k-end');

  // Back to every group; scrolling to the end reaches the folded Later heading.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.getByRole('button', { name: 'Show all' }).click();
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await visible(page.locator('[data-testid=due-group][data-status=later]'));
  expect(await page.locator('[data-testid=due-group][data-status=later]').getAttribute('aria-expanded')).toBe('false');
  await screenshot(page, 'due-10k-bottom');

  // Team filter: a fifth of the renewals.
  await page.evaluate(() => window.scrollTo(0, 0));
  const t2 = Date.now();
  await page.getByLabel('Team').selectOption('Ops');
  await poll(() => groupCount('overdue')).toBeLessThan(expected['overdue']!);
  console.log(`team filter over ${PEOPLE} duties: ${Date.now() - t2} ms`);
  const opsRows = await page.getByTestId('due-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-id') ?? ''));
  expect(opsRows.length).toBeGreaterThan(0);
  // Ops is every 5th person: 0, 5, 10, …
  expect(opsRows.filter((id) => id.startsWith('training:')).every((id) => Number(id.split(':')[1]!.slice('person-'.length)) % 5 === 0)).toBe(true);
  await screenshot(page, 'due-10k-ops');

  expect(errorsOf(page)).toEqual([]);
});
