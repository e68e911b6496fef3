import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import type { RelayProcess } from '../integration/harness.ts';
import { inviteLink } from './invites.ts';
import { addPerson, createWorkspace, dismissOfflineReady, poll, sample, withOnePhone } from './browser.ts';

/*
 * Sharing an invite link with the phone's share sheet: closing the sheet says
 * nothing (the person chose not to share), a browser that refuses to share
 * says so, and the link stays on screen to copy.
 */

let relay: RelayProcess;
let page: Page;

withOnePhone((s) => ({ relay, page } = s));

const alerts = () => page.getByRole('alert').allInnerTexts();

describe('sharing an invite', () => {
  test('closing the share sheet is silent; a refused share is shown', async () => {
    // The share sheet, as the page sees it: each call answers as the test sets `__share` (rejected with that error name).
    await page.addInitScript(() => {
      const w = window as unknown as { __share: string; __shared: number };
      w.__share = 'AbortError';
      w.__shared = 0;
      navigator.share = () => (w.__shared++, Promise.reject(new DOMException('share', w.__share)));
    });
    await createWorkspace(page, relay.url, 'Acme Share', 'Olga Owner');
    await dismissOfflineReady(page);
    await addPerson(page, { name: 'Sam Staff', team: 'Ops' });
    const link = await inviteLink(page, 'Sam Staff (Ops)', 'Staff');

    await page.getByRole('button', { name: 'Share…' }).tap();
    await poll(() => page.evaluate(() => (window as unknown as { __shared: number }).__shared)).toBe(1);
    expect((await sample(alerts, 600)).flat()).toEqual([]);

    await page.evaluate(() => ((window as unknown as { __share: string }).__share = 'NotAllowedError'));
    await page.getByRole('button', { name: 'Share…' }).tap();
    await poll(alerts).toEqual(['This browser did not share the link: copy it and send it yourself.']);
    expect(await page.getByTestId('invite-link').inputValue()).toBe(link);
  });
});
