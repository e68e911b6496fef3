import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as Y from 'yjs';
import { cleanup, type RelayProcess } from '../integration/harness.ts';
import { closeAll, createWorkspace, currentWorkspaceId, errorsOf, fieldErrors, goHash, launchBrowser, newPhone, poll, screenshot, startRelay, textOf, visible } from './browser.ts';

/*
 * A policy that applies to 3,000 people: the roster on the policy screen
 * renders only the rows on screen and still scrolls to the last person.
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

const COUNT = 3000;
const pad = (i: number) => String(i).padStart(4, '0');

/** Writes people straight into this device's y-indexeddb store for the people register; the app reads them on reload. */
async function seedPeople(page: Page, workspaceId: string): Promise<void> {
  const doc = new Y.Doc();
  const records = doc.getMap<Y.Map<unknown>>('records');
  doc.transact(() => {
    for (let i = 1; i <= COUNT; i++) {
      const m = new Y.Map<unknown>();
      for (const [k, v] of Object.entries({ name: `Person ${pad(i)}`, email: '', team: i % 2 ? 'Ops' : 'Sales', jobTitle: '', startDate: '', managerId: '', archived: false })) m.set(k, v);
      records.set(`seed-${pad(i)}`, m);
    }
  });
  const update = Array.from(Y.encodeStateAsUpdate(doc));
  await page.evaluate(
    async ({ name, update }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction('updates', 'readwrite');
        tx.objectStore('updates').add(Uint8Array.from(update));
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    { name: `muster.${workspaceId}.people`, update },
  );
}

test('the acknowledgement roster of a policy for 3,000 people is virtualised and scrolls to the end', { timeout: 120_000 }, async () => {
  const { context, page } = await newPhone(browser!);
  await createWorkspace(page, relay.url, 'Big Org', 'Mia Manager');
  const wsId = await currentWorkspaceId(page);
  await seedPeople(page, wsId);
  await page.reload();
  await poll(() => page.getByTestId('org-name').textContent()).toBe('Big Org');

  await goHash(page, '#/policies/new');
  await page.getByLabel('Title').fill('Acceptable use');
  await page.getByLabel('Owner').selectOption({ label: 'Person 0001 (Ops)' });
  await page.getByRole('button', { name: 'Add policy' }).click();
  await poll(() => page.evaluate(() => location.hash)).toMatch(/^#\/policies\/(?!new)[\w-]+$/);
  await page.getByRole('link', { name: 'Publish version' }).click();
  await page.getByLabel('Policy text').fill('Lock your screen.');
  await page.getByLabel('Approved by').fill('Cleo Chen');
  await page.getByRole('button', { name: 'Publish version' }).click();
  expect(await fieldErrors(page)).toEqual([]);
  await poll(() => textOf(page.getByTestId('roster-rate'))).toBe(`0 of ${COUNT}`);

  const rows = page.getByTestId('roster-row');
  await visible(rows);
  expect(await rows.count()).toBeLessThan(60);
  expect(await textOf(rows.first().locator('.title'))).toBe('Person 0001');

  // Scroll to the bottom of the page: the last person is rendered, the first is not.
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await poll(() => rows.evaluateAll((els) => els.map((e) => e.querySelector('.title')?.textContent))).toContain(`Person ${pad(COUNT)}`);
  expect(await rows.count()).toBeLessThan(60);
  expect(await rows.filter({ hasText: 'Person 0001' }).count()).toBe(0);
  await page.getByText(`Person ${pad(COUNT)}`, { exact: true }).scrollIntoViewIfNeeded();
  await screenshot(page, 'policy-roster-3000-bottom');

  // Find one person among them.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.getByLabel('Find a person').fill('Person 1234');
  await poll(() => rows.evaluateAll((els) => els.map((e) => e.querySelector('.title')?.textContent))).toEqual(['Person 1234']);
  await goHash(page, '#/policies');
  await poll(() => textOf(page.getByTestId('policy-rate'))).toBe(`0/${COUNT}`);

  expect(errorsOf(page)).toEqual([]);
  await closeAll(context);
});
