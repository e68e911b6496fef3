import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { addMonths, localIsoDate } from '../../src/domain/dates.ts';
import { appendEntry } from '../../src/store/records.ts';
import type { RelayProcess } from '../integration/harness.ts';
import { createWorkspace, currentWorkspaceId, deviceIdOf, dismissOfflineReady, errorsOf, goHash, poll, screenshot, textOf, visible, injectUpdate, withOnePhone } from './browser.ts';

/*
 * The training log with 10,000 completions (200 people, 50 each) on a phone:
 * it renders, filters, sorts and scrolls through a virtualised list. The data
 * is written straight into the device's IndexedDB as Yjs updates (as a device
 * that had synced them would hold them), then the app is reloaded.
 *
 * Timings are printed for the report, never asserted: the machine is shared.
 */

let relay: RelayProcess;
let page: Page;

withOnePhone((s) => ({ relay, page } = s));

const PEOPLE = 200;
const COMPLETIONS = 10_000;
const TEAMS = ['Ops', 'Sales', 'Support', 'Finance', 'Engineering'];
const pad = (n: number) => String(n).padStart(3, '0');

function seedUpdates(device: string): { people: string; training: string } {
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
  const today = localIsoDate();
  training.transact(() => {
    const course = new Y.Map<unknown>();
    for (const [k, v] of Object.entries({ title: 'Annual security awareness', renewalMonths: 12, everyone: true, provider: 'In-house', archived: false, createdAt: '2024-01-01T00:00:00.000Z', createdBy: 'Seed' })) course.set(k, v);
    training.getMap<Y.Map<unknown>>('records').set('course-aware', course);
    for (let i = 0; i < COMPLETIONS; i++) {
      const [y, m, d] = today.split('-').map(Number) as [number, number, number];
      const completedOn = new Date(Date.UTC(y, m - 1, d - (i % 900))).toISOString().slice(0, 10);
      appendEntry(training, {
        id: `seed-${i}`,
        kind: 'completion',
        personId: `person-${pad(i % PEOPLE)}`,
        courseId: 'course-aware',
        completedOn,
        provider: 'In-house',
        evidence: `Certificate ${i}`,
        expiresOn: addMonths(completedOn, 12),
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


/** Changes a search box or select in the page and returns ms until the next frame has been painted after the update. */
async function timeInput(selector: string, value: string): Promise<number> {
  return page.evaluate(
    async ({ selector, value }) => {
      const el = document.querySelector(selector) as HTMLInputElement | HTMLSelectElement;
      const t0 = performance.now();
      el.value = value;
      el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
      await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      return Math.round(performance.now() - t0);
    },
    { selector, value },
  );
}

const count = () => textOf(page.getByTestId('completion-count'));
const renderedRows = () => page.getByTestId('completion-row').count();

test('10,000 completions render, filter, sort and scroll', async () => {
  await createWorkspace(page, relay.url, 'Big Co', 'Mia Manager');
  await dismissOfflineReady(page);
  const ws = await currentWorkspaceId(page);
  const seed = seedUpdates(await deviceIdOf(page));
  console.log(`seed updates: people ${Math.round(seed.people.length * 0.75 / 1024)} KiB, training ${Math.round(seed.training.length * 0.75 / 1024)} KiB`);
  await injectUpdate(page, ws, 'people', seed.people);
  await injectUpdate(page, ws, 'training', seed.training);

  // Reload on the training log: time from navigation to the full list being counted and shown.
  await goHash(page, '#/training');
  const t0 = Date.now();
  await page.reload();
  await poll(count, 60_000)
    .toMatch(/^10,000 of 10,000 completions/)
    .catch(async (e) => {
      await screenshot(page, 'training-list-10k-failed');
      throw e;
    });
  await visible(page.getByTestId('completion-row'));
  const loadMs = Date.now() - t0;
  const inPage = await page.evaluate(() => Math.round(performance.now()));
  console.log(`reload → 10,000-row log shown: ${loadMs} ms (page clock ${inPage} ms since navigation)`);

  // Only the rows on screen are in the DOM.
  const onScreen = await renderedRows();
  expect(onScreen).toBeGreaterThan(3);
  expect(onScreen).toBeLessThan(60);
  await screenshot(page, 'training-list-10k');

  // Scroll to the end: the last rows are there, still only a window of them.
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await poll(() => page.locator('li[data-index="9999"]').count()).toBe(1);
  expect(await renderedRows()).toBeLessThan(60);
  await visible(page.locator('li[data-index="9999"] [data-testid="completion-row"]'));
  await screenshot(page, 'training-list-10k-end');
  // And back to the middle.
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight / 2));
  await poll(() => page.locator('li[data-index^="49"], li[data-index^="50"]').count()).toBeGreaterThan(0);
  await page.evaluate(() => window.scrollTo(0, 0));

  // Filters: search, status, team, sort.
  const search = await timeInput('input[type="search"]', 'person 017');
  await poll(count).toMatch(/^50 of 10,000 completions/);
  const clear = await timeInput('input[type="search"]', '');
  await poll(count).toMatch(/^10,000 of 10,000/);
  const statusSelect = page.getByLabel('Status');
  const statusId = await statusSelect.getAttribute('id');
  const expired = await timeInput(`#${statusId}`, 'expired');
  const expiredCount = Number((await count()).split(' ')[0]!.replace(/,/g, ''));
  expect(expiredCount).toBeGreaterThan(0);
  expect(expiredCount).toBeLessThan(COMPLETIONS);
  await timeInput(`#${statusId}`, '');
  const teamId = await page.getByLabel('Team', { exact: true }).getAttribute('id');
  const team = await timeInput(`#${teamId}`, 'Ops');
  await poll(count).toMatch(/^2,000 of 10,000/);
  await timeInput(`#${teamId}`, '');
  const sortId = await page.getByLabel('Sort').getAttribute('id');
  const sortPerson = await timeInput(`#${sortId}`, 'person');
  // The first row of the sorted list (rows are virtualised: read index 0, at the top of the page).
  await page.evaluate(() => window.scrollTo(0, 0));
  await poll(() => textOf(page.locator('li[data-index="0"]').getByTestId('completion-row').locator('.title'))).toBe('Person 000');
  const sortExpiry = await timeInput(`#${sortId}`, 'expiry');
  console.log(`filter/sort of 10,000 rows, input → next frame: search ${search} ms, clear ${clear} ms, status ${expired} ms, team ${team} ms, sort by person ${sortPerson} ms, sort by expiry ${sortExpiry} ms`);

  // The course matrix for 200 people.
  const t1 = Date.now();
  await goHash(page, '#/training/matrix');
  await poll(() => textOf(page.getByTestId('matrix-count-valid').locator('strong'))).toMatch(/^\d+$/);
  console.log(`matrix of 200 people × 1 course from 10,000 completions: ${Date.now() - t1} ms`);
  const tiles = await Promise.all(['missing', 'expired', 'expiring', 'valid'].map(async (s) => Number(await textOf(page.getByTestId(`matrix-count-${s}`).locator('strong')))));
  expect(tiles.reduce((a, b) => a + b, 0)).toBe(PEOPLE);
  await screenshot(page, 'training-matrix-10k');

  expect(errorsOf(page)).toEqual([]);
});
