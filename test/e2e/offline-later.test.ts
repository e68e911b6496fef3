import { afterEach, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { cleanup, tmpDir } from '../integration/harness.ts';
import {
  addPerson,
  closeAll,
  createWorkspace,
  currentWorkspaceId,
  dismissOfflineReady,
  errorsOf,
  launchPersistentPhone,
  poll,
  readStored,
  startRelay,
  syncStatus,
  tapAndType,
  textsOf,
  visible,
  waitForServiceWorker,
  waitSyncStatus,
} from './browser.ts';

/*
 * Home loads without the registers it does not draw (speak-up, disciplinary,
 * resources: src/ui/session-later.ts); they come after Home is synced, or when
 * their screen opens. A returning member with no network, who reloads and
 * opens one of them, gets it from the service worker's precache.
 */

let context: BrowserContext | undefined;
let browser: Browser | undefined;

afterEach(async () => {
  await closeAll(context, browser);
  context = browser = undefined;
  await cleanup();
});

const more = async (page: Page, entry: RegExp) => {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'More' }).tap();
  await page.getByRole('link', { name: entry }).tap();
};

test('offline, after a reload, a returning member opens and uses the registers Home loads later', async () => {
  const relay = await startRelay();
  let page: Page;
  ({ context, page } = await launchPersistentPhone(tmpDir('muster-e2e-profile-')));

  await createWorkspace(page, relay.url, 'Acme Later', 'Lee Owner');
  await addPerson(page, { name: 'Lee Owner', team: 'Ops' });
  const wsId = await currentWorkspaceId(page);
  await waitSyncStatus(page, 'synced');
  await waitForServiceWorker(page);
  await dismissOfflineReady(page);

  // No network; reload on Home: the shell from the precache, Home from IndexedDB, no later register loaded yet.
  await context.setOffline(true);
  await waitSyncStatus(page, 'offline');
  await page.goto(`${relay.url}/#/home`);
  await poll(() => page.getByTestId('org-name').textContent()).toBe('Acme Later');
  expect(await syncStatus(page)).toBe('offline');

  // Resources, through More, as a person taps: record an approval with no network.
  await more(page, /^Resources/);
  await visible(page.getByRole('heading', { name: 'Resource approvals' }));
  await page.getByRole('link', { name: 'Record an approval' }).tap();
  await visible(page.getByRole('heading', { name: 'Record a resource approval' }));
  await page.getByLabel('What was approved').selectOption('staff-time');
  await tapAndType(page.getByLabel('Description'), 'Security champion, half a day a week');
  await tapAndType(page.getByLabel('Hours'), '104');
  await tapAndType(page.getByLabel('For control or objective'), 'A 5.4 awareness');
  await page.getByLabel('Approved by').selectOption({ label: 'Lee Owner' });
  await page.getByRole('button', { name: 'Record approval' }).tap();
  await poll(() => textsOf(page.getByTestId('resource-row').locator('.title'))).toEqual(['Security champion, half a day a week']);

  // The later registers' chunk came from the service worker's precache (there is no network).
  const laterChunks = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => /\/session-later-[\w-]+\.js$/.test(p)));
  expect(laterChunks).toHaveLength(1);
  expect(await page.evaluate(async (p) => !!(await caches.match(p)), laterChunks[0]!)).toBe(true);

  // Speak-up and the disciplinary log open too (their own chunks and the later stores, all from the precache).
  await more(page, /^Speak up/);
  await visible(page.getByRole('heading', { name: 'Speak up' }));
  await more(page, /^Disciplinary/);
  await visible(page.getByRole('heading', { name: 'Disciplinary log' }));

  // A reload straight onto a later register, still offline: it loads at once, and the approval is still there.
  await page.goto(`${relay.url}/#/resources`);
  await poll(() => textsOf(page.getByTestId('resource-row').locator('.title'))).toEqual(['Security champion, half a day a week']);
  expect(await syncStatus(page)).toBe('offline');
  const stored = await readStored(page, wsId, 'resources');
  expect(Object.values(stored.records)).toEqual([expect.objectContaining({ kind: 'staff-time', description: 'Security champion, half a day a week', hours: 104 })]);
  expect(errorsOf(page)).toEqual([]);
}, 120_000);
