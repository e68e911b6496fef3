import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { cleanup, type RelayProcess } from '../integration/harness.ts';
import { closeAll, goHash, launchBrowser, newPhone, poll, screenshot, startRelay, visible } from './browser.ts';

/**
 * One relay and one browser for a file's tests, and as many phones (contexts) as a
 * test asks for; everything is closed after the file.
 *
 * @example
 * const phones = withPhones();
 * const owner = await phones.phone();
 * await createWorkspace(owner, phones.relay().url, ORG, 'Olga Owner');
 */
export function withPhones(relayArgs: string[] = []): { relay: () => RelayProcess; phone: () => Promise<Page> } {
  let browser: Browser | undefined;
  let relay: RelayProcess | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    relay = await startRelay(undefined, relayArgs);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await closeAll(...contexts, browser);
    await cleanup();
  });
  return {
    relay: () => relay!,
    phone: async () => {
      const { context, page } = await newPhone(browser!);
      contexts.push(context);
      return page;
    },
  };
}

/** Owner or manager: invites `person` (its label in the Person list, e.g. "Sam Staff (Ops)") with `role` from Members; returns the link shown. */
export async function inviteLink(page: Page, person: string, role: 'Staff' | 'Manager' | 'Owner', opts: { name?: string; screenshot?: string } = {}): Promise<string> {
  await goHash(page, '#/members');
  await page.getByRole('link', { name: 'Invite', exact: true }).first().tap();
  await visible(page.getByRole('heading', { name: 'Invite a person' }));
  await page.getByLabel('Person').selectOption({ label: person });
  if (opts.name !== undefined) {
    await page.getByLabel('Their name').tap();
    await page.keyboard.type(opts.name);
  }
  await page.getByLabel('Role').selectOption({ label: role });
  if (opts.screenshot) await screenshot(page, opts.screenshot);
  await page.getByRole('button', { name: 'Create invite link' }).tap();
  await poll(() => page.evaluate(() => location.hash)).toMatch(/^#\/members\/invite\?id=[\w-]+$/);
  await visible(page.getByTestId('invite-qr'));
  return page.getByTestId('invite-link').inputValue();
}

/** Opens an invite link on a new phone and joins: the name is already filled in from the invite. */
export async function joinWithInvite(page: Page, link: string, org: string, expectedName: string): Promise<void> {
  await page.goto(link);
  await visible(page.getByRole('heading', { name: `Join ${org}` }));
  expect(await page.getByLabel('Your name').inputValue()).toBe(expectedName);
  await page.getByRole('button', { name: 'Join workspace' }).tap();
  await poll(() => page.getByTestId('org-name').textContent()).toBe(org);
}

/** An owner, on Members, sets the role of the device named `device` (tap its row, choose the role). */
export async function setRole(owner: Page, device: string, role: 'owner' | 'manager' | 'staff'): Promise<void> {
  await goHash(owner, '#/members');
  await owner.getByTestId('member-row').filter({ hasText: device }).first().tap();
  await owner.getByLabel('Role').selectOption(role);
  await poll(() => owner.getByTestId('member-done').textContent()).toBe('Role saved.');
}

/** The option labels of a select, by its label. */
export const optionsOf = (page: Page, label: string) =>
  page.getByLabel(label, { exact: true }).evaluate((el) => [...(el as HTMLSelectElement).options].map((o) => o.textContent?.trim() ?? ''));
