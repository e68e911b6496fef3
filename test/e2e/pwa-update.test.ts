import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, expect, test } from 'vitest';
import { cleanup, spawnRelay, tmpDir } from '../integration/harness.ts';
import { addPerson, closeAll, createWorkspace, DIST, dismissOfflineReady, launchBrowser, newPhone, personNames, poll, screenshot, visible, waitForServiceWorker } from './browser.ts';

/*
 * A new release reaches a phone that already has Muster: the waiting service
 * worker is offered with "A new version … Reload" instead of swapping code
 * under a half-filled form, and reloading keeps the data.
 */

let browser: Browser | undefined;
let context: BrowserContext | undefined;

afterAll(async () => {
  await closeAll(context, browser);
  await cleanup();
});

test('a new service worker is offered with a reload prompt, and reloading keeps the data', async () => {
  // Serve a copy of the build so the test can publish a "new release" into it.
  const staticDir = tmpDir('muster-release-');
  fs.cpSync(DIST, staticDir, { recursive: true });
  const relay = await spawnRelay({ dataDir: tmpDir('muster-e2e-'), staticDir });
  browser = await launchBrowser();
  let page: Page;
  ({ context, page } = await newPhone(browser));
  await createWorkspace(page, relay.url, 'Acme Release', 'Rita Release');
  await waitForServiceWorker(page);
  await dismissOfflineReady(page);
  await addPerson(page, { name: 'Ada Lovelace', team: 'Ops' });
  // The next visit is the first one the service worker controls; only a controlled page has a worker to replace.
  await page.reload();
  await poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);

  // Release: any byte change to sw.js is a new service worker for the browser.
  fs.appendFileSync(path.join(staticDir, 'sw.js'), '\n// release 2\n');
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());

  const prompt = page.locator('.toast').filter({ hasText: 'A new version of Muster is available.' });
  await visible(prompt, 30_000);
  // The new worker waits: nothing changes under the user until they choose to reload.
  expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting?.state)).toBe('installed');
  await screenshot(page, 'update-prompt');

  await prompt.getByRole('button', { name: 'Reload' }).click();
  // The waiting worker takes over and the page reloads under it.
  await poll(() => page.evaluate(async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    return !reg?.waiting && reg?.active?.state === 'activated' && !!navigator.serviceWorker.controller;
  })).toBe(true);
  await visible(page.getByTestId('org-name'));
  expect(await page.locator('.toast').filter({ hasText: 'A new version' }).count()).toBe(0);
  await page.goto(`${relay.url}/#/people`);
  await poll(() => personNames(page)).toEqual(['Ada Lovelace']);
});
