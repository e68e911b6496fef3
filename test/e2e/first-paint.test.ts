import { afterEach, expect, test } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { cleanup } from '../integration/harness.ts';
import { closeAll, createWorkspace, launchBrowser, newPage, newPhone, screenshot, startRelay, visible, waitSyncStatus } from './browser.ts';

/*
 * The first paint comes from index.html (markup and its inline critical CSS), not from the main script:
 * a phone on a slow network sees Muster's splash before any JS has arrived, and the splash is right for
 * a new user (the top of the welcome screen) and for a returning member (no welcome form before Home).
 */

let browser: Browser | undefined;
let context: BrowserContext | undefined;

afterEach(async () => {
  await closeAll(context, browser);
  context = browser = undefined;
  await cleanup();
});

test('before any script has loaded, the page shows Muster’s name and what it is for, styled', async () => {
  const relay = await startRelay();
  browser = await launchBrowser();
  const phone = await newPhone(browser);
  context = phone.context;
  const page = phone.page;
  // A network that has delivered the page but none of its scripts yet.
  await page.route(/\.js(\?|$)/, (route) => route.abort());
  await page.goto(relay.url);
  await visible(page.getByRole('heading', { name: 'Muster', level: 1 }));
  await visible(page.getByText('Run and prove your team’s monthly security checks — on your phone, with or without signal.'));
  // Styled by index.html's own CSS: the welcome layout, not the browser's defaults.
  const style = await page.evaluate(() => {
    const h1 = getComputedStyle(document.querySelector('h1')!);
    return { background: getComputedStyle(document.documentElement).backgroundColor, h1Size: h1.fontSize, align: h1.textAlign };
  });
  expect(style).toEqual({ background: 'rgb(245, 247, 250)', h1Size: '28.8px', align: 'center' });
  // Nothing that only fits a first visit: the form comes with the app, once it knows this device has no workspace.
  await expect(page.getByRole('button', { name: 'Create workspace' }).count()).resolves.toBe(0);
  await screenshot(page, 'first-paint-static-shell');
});

test('a returning member never sees the welcome form while the app opens; a new user sees one Muster heading', async () => {
  const relay = await startRelay();
  browser = await launchBrowser();
  const phone = await newPhone(browser);
  context = phone.context;
  // Every welcome form that ever enters the page, however briefly.
  await context.addInitScript(() => {
    const w = window as unknown as { formsSeen: number };
    w.formsSeen = 0;
    new MutationObserver(() => {
      if (document.querySelector('form.card')) w.formsSeen++;
    }).observe(document, { childList: true, subtree: true });
  });
  const page = phone.page;
  await page.goto(relay.url);
  await visible(page.getByRole('button', { name: 'Create workspace' }));
  // One heading, where index.html drew it: the app took the splash over without a second copy or a jump.
  await expect(page.getByRole('heading', { name: 'Muster', level: 1 }).count()).resolves.toBe(1);
  await createWorkspace(page, relay.url, 'Acme Return', 'Rita Return');
  await waitSyncStatus(page, 'synced');

  const again = await newPage(context);
  await again.goto(`${relay.url}/#/home`);
  await visible(again.getByTestId('org-name'));
  await waitSyncStatus(again, 'synced');
  expect(await again.evaluate(() => (window as unknown as { formsSeen: number }).formsSeen)).toBe(0);
  expect(await again.getByRole('button', { name: 'Create workspace' }).count()).toBe(0);
});
