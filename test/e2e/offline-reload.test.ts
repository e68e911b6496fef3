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
  goTab,
  indicator,
  launchBrowser,
  launchPersistentPhone,
  newPhone,
  newPage,
  personNames,
  poll,
  readStored,
  sample,
  screenshot,
  startRelay,
  syncStatus,
  textOf,
  unconfirmed,
  visible,
  waitForServiceWorker,
  waitSyncStatus,
} from './browser.ts';

/*
 * One phone, with its profile on disk: the app shell comes from the service
 * worker and the data from IndexedDB when there is no network at all, across
 * a reload, a new tab and a browser restart.
 */

let context: BrowserContext | undefined;
let browser: Browser | undefined;

afterEach(async () => {
  await closeAll(context, browser);
  context = browser = undefined;
  await cleanup();
});

const names = (stored: Awaited<ReturnType<typeof readStored>>) => Object.values(stored.records).map((f) => f['name']).sort();

test('with the network off, a reload, a new tab and a browser restart all show the app and its data', async () => {
  const relay = await startRelay();
  const profile = tmpDir('muster-e2e-profile-');
  let page: Page;
  ({ context, page } = await launchPersistentPhone(profile));

  await createWorkspace(page, relay.url, 'Acme Offline', 'Olive Owner');
  await addPerson(page, { name: 'Ada Lovelace', team: 'Ops' });
  const wsId = await currentWorkspaceId(page);
  // Stored on the device before anything else happens.
  await poll(async () => names(await readStored(page, wsId, 'people'))).toEqual(['Ada Lovelace']);
  await waitSyncStatus(page, 'synced');
  await waitForServiceWorker(page);
  await dismissOfflineReady(page);

  // Network off, then reload: shell from the service worker, data from IndexedDB.
  await context.setOffline(true);
  await waitSyncStatus(page, 'offline');
  await page.reload();
  await poll(() => page.getByTestId('org-name').textContent()).toBe('Acme Offline');
  expect(await syncStatus(page)).toBe('offline');
  expect(await indicator(page).getAttribute('aria-label')).toMatch(/^Offline\. /);
  await goTab(page, 'People');
  await poll(() => personNames(page)).toEqual(['Ada Lovelace']);

  // Adding someone works offline, is stored, and counts as not yet on the relay.
  await addPerson(page, { name: 'Grace Hopper', team: 'Ops' });
  await poll(() => personNames(page)).toEqual(['Ada Lovelace', 'Grace Hopper']);
  await poll(async () => names(await readStored(page, wsId, 'people'))).toEqual(['Ada Lovelace', 'Grace Hopper']);
  await poll(() => unconfirmed(page)).toBeGreaterThan(0);
  expect(await indicator(page).getAttribute('aria-label')).toMatch(/^Offline\. \d+ changes? saved on this device, not yet on the relay$/);
  await screenshot(page, 'people-list-offline');

  // Close the tab, open a new one in the same (still offline) browser.
  await page.close();
  page = await newPage(context);
  await page.goto(`${relay.url}/#/people`);
  await poll(() => page.getByTestId('org-name').textContent()).toBe('Acme Offline');
  await poll(() => personNames(page)).toEqual(['Ada Lovelace', 'Grace Hopper']);
  expect(errorsOf(page)).toEqual([]);

  // Restart the browser with the relay gone for good: nothing can come from the network.
  await context.close();
  context = undefined;
  relay.child.kill('SIGKILL');
  await relay.exited;
  ({ context, page } = await launchPersistentPhone(profile, { offline: true }));
  await page.goto(`${relay.url}/#/people`);
  await poll(() => page.getByTestId('org-name').textContent()).toBe('Acme Offline');
  await poll(() => personNames(page)).toEqual(['Ada Lovelace', 'Grace Hopper']);
  expect(await syncStatus(page)).toBe('offline');
  // The unconfirmed edit is still counted after the restart: the relay never had it.
  await poll(() => unconfirmed(page)).toBeGreaterThan(0);
  await visible(page.getByTestId('person-row').filter({ hasText: 'Grace Hopper' }));
  expect(await textOf(page.getByRole('heading', { level: 1 }))).toBe('People');
  expect(names(await readStored(page, wsId, 'people'))).toEqual(['Ada Lovelace', 'Grace Hopper']);
  expect(errorsOf(page)).toEqual([]);
});

/*
 * Regression: what the relay has confirmed is saved to device storage promptly,
 * so closing the app right after "Synced" and reopening it offline does not show
 * confirmed edits as "not yet on the relay".
 */
test('closing the app right after "Synced" does not make confirmed edits look unconfirmed', async () => {
  const relay = await startRelay();
  browser = await launchBrowser();
  let page: Page;
  ({ context, page } = await newPhone(browser));
  await createWorkspace(page, relay.url, 'Acme Quick', 'Quinn Quick');
  // The new workspace's recovery code, shown once its signed member list is written: kept, as its creator does.
  await page.getByTestId('recovery-kept').tap();
  await waitForServiceWorker(page);
  await waitSyncStatus(page, 'synced');

  await addPerson(page, { name: 'Ada Lovelace', team: 'Ops' });
  await waitSyncStatus(page, 'synced');
  expect(await unconfirmed(page)).toBe(0);
  expect(await indicator(page).getAttribute('aria-label')).toBe('Synced. Everything on this device is on the relay');

  // The user puts the phone away as soon as it says Synced, and opens the app later with no signal.
  await context.setOffline(true);
  await page.reload();
  await poll(() => page.getByTestId('org-name').textContent()).toBe('Acme Quick');
  await waitSyncStatus(page, 'offline');
  // The count is computed once the sync code has loaded: watch the indicator for a moment.
  expect(await sample(() => indicator(page).getAttribute('aria-label'))).toEqual(['Offline. Saved on this device']);
  expect(await unconfirmed(page)).toBe(0);
});
