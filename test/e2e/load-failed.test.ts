import type { Route } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { cleanup, type RelayProcess } from '../integration/harness.ts';
import { closeAll, createWorkspace, errorsOf, launchBrowser, newPage, PHONE, poll, screenshot, startRelay, visible, waitSyncStatus } from './browser.ts';
import type { Browser, BrowserContext, Page } from 'playwright-core';

/*
 * Issue 16, item 7: errors are handled at the composition root. A screen whose
 * chunk does not arrive, or the later registers' chunk, shows what failed and
 * "Try again" (never "Loading…" for ever); once the network answers, one tap
 * brings the screen. No service worker here (`serviceWorkers: 'block'`): with
 * one, the precache would serve the chunks and nothing could fail.
 */

let relay: RelayProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  relay = await startRelay();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: PHONE, hasTouch: true, locale: 'en-GB', timezoneId: 'Europe/London', serviceWorkers: 'block' });
  page = await newPage(context);
});

let made = false;
const workspace = async () => {
  if (made) return;
  await createWorkspace(page, relay.url, 'Acme Retry', 'Rita Owner');
  await waitSyncStatus(page, 'synced');
  made = true;
};

afterAll(async () => {
  await closeAll(context, browser);
  await cleanup();
});

const refuse = (pattern: RegExp) => {
  const handler = (route: Route) => (pattern.test(new URL(route.request().url()).pathname) ? route.abort('internetdisconnected') : route.fallback());
  return { on: () => page.route('**/assets/**', handler), off: () => page.unroute('**/assets/**', handler) };
};

test('a screen whose chunk does not load says so, and Try again opens it once the network answers', async () => {
  // The Verify screen's chunk (a section every owner may open) is refused on the way.
  await workspace();
  const block = refuse(/\/VerifyScreen-[\w-]+\.js$/);
  await block.on();
  await page.goto(`${relay.url}/#/verify`);
  const failed = page.getByTestId('load-failed');
  await visible(failed);
  expect(await failed.textContent()).toContain('Verify a pack could not load.');
  await screenshot(page, 'load-failed-screen');
  // The rest of the shell still works: the tab bar is there and Home opens.
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Home' }).tap();
  await poll(() => page.getByTestId('load-failed').count()).toBe(0);
  await page.goto(`${relay.url}/#/verify`);
  await visible(page.getByTestId('load-failed'));
  await block.off();
  await page.getByRole('button', { name: 'Try again' }).tap();
  await visible(page.getByRole('heading', { name: /Verify/ }));
  expect(await page.getByTestId('load-failed').count()).toBe(0);
});

test('the registers loaded after Home: a failed chunk is named with a retry, not "Loading…" for ever', async () => {
  await workspace();
  const block = refuse(/\/session-later-[\w-]+\.js$/);
  await block.on();
  await page.goto(`${relay.url}/#/home`);
  await poll(() => page.getByTestId('org-name').textContent()).toBe('Acme Retry');
  await page.goto(`${relay.url}/#/resources`);
  const failed = page.getByTestId('load-failed');
  await visible(failed);
  expect(await failed.textContent()).toContain('Resources could not load.');
  await block.off();
  await page.getByRole('button', { name: 'Try again' }).tap();
  await visible(page.getByRole('heading', { name: 'Resource approvals' }));
  expect(errorsOf(page)).toEqual([]);
});
