import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import type { RelayProcess } from '../integration/harness.ts';
import { createWorkspace, dismissOfflineReady, errorsOf, goHash, poll, textOf, visible, withOnePhone } from './browser.ts';

/*
 * A link to a record this device does not hold (not synced yet, or a wrong
 * id): each screen names what is missing, says why it may be, and leads back.
 * Every such screen uses one component (ui/NotFound.tsx); these are its shapes.
 */

let relay: RelayProcess;
let page: Page;

withOnePhone((s) => ({ relay, page } = s));

const hash = () => page.evaluate(() => location.hash);
const missing = (title: string) => page.locator('.empty').filter({ has: page.getByRole('heading', { name: title, exact: true }) });

describe('a record id that is not on this device', () => {
  test('a role: its header, the reason and a link back to the list', async () => {
    await createWorkspace(page, relay.url, 'Acme Missing', 'Mia Manager');
    await dismissOfflineReady(page);
    await goHash(page, '#/roles/role-nobody-made');
    await visible(missing('Role not found'));
    await visible(page.getByRole('heading', { name: 'Role', level: 1 }));
    expect(await textOf(missing('Role not found').locator('p'))).toBe('It may not have synced to this device yet. Back to roles');
    await missing('Role not found').getByRole('link', { name: 'Back to roles' }).tap();
    await poll(hash).toBe('#/roles');
    await visible(page.getByRole('heading', { name: 'Roles & RACI', level: 1 }));
  });

  test('a briefing: the header’s back arrow leads back; no link in the text', async () => {
    await goHash(page, '#/briefings/no-such-briefing');
    await visible(missing('Briefing not found'));
    expect(await textOf(missing('Briefing not found').locator('p'))).toBe('It may not have synced to this device yet.');
    expect(await missing('Briefing not found').getByRole('link').count()).toBe(0);
    await page.getByRole('link', { name: 'Back', exact: true }).tap();
    await poll(hash).toBe('#/briefings');
  });

  test('a person, opened as a link and reloaded: the screen’s own words', async () => {
    await goHash(page, '#/people/no-such-person');
    await page.reload();
    await visible(missing('Person not found'));
    expect(await textOf(missing('Person not found').locator('p'))).toBe('They may not have synced to this device yet.');
    expect(errorsOf(page)).toEqual([]);
  });
});
