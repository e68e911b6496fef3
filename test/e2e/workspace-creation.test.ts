import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { cleanup, spawnRelay, tmpDir } from '../integration/harness.ts';
import { closeAll, confirmDevices, DIST, joinLinkOf, launchBrowser, newPhone, poll, screenshot, startRelay, storedWorkspaceCount, tapAndType, textOf, visible, waitForServiceWorker, waitSyncStatus } from './browser.ts';

/*
 * Issue 13, finding 3: the relay keeps a workspace only once asked to create it
 * (server/creation.ts). On a `token` relay the welcome screen asks for the
 * creation token when the relay answers "creation token required"; on the
 * default (loopback, open) relay nothing changes for the person; a workspace
 * made offline is created on the relay at its first sync.
 */

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await closeAll(browser);
  await cleanup();
});

const TOKEN = 'MUSTER-E2E-TOKEN-2026';

test('on a token relay a person creates a workspace by typing the creation token; a wrong one gets a sentence', { timeout: 120_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir('muster-e2e-'), staticDir: DIST, env: { WORKSPACE_CREATION: 'token', CREATION_TOKENS: TOKEN } });
  const { context, page } = await newPhone(browser);
  try {
    await page.goto(relay.url);
    await tapAndType(page.getByLabel('Organisation name'), 'Acme Tokens');
    await tapAndType(page.getByLabel('Your name'), 'Tia Token');
    await page.getByRole('button', { name: 'Create workspace' }).tap();
    // The relay answered 403 "creation token required": the field appears, with the relay's sentence.
    const field = page.getByLabel('Creation token');
    await visible(field);
    await visible(page.getByText('This relay creates a workspace only with a creation token from whoever runs it.'));
    expect(await storedWorkspaceCount(page)).toBe(0);
    await screenshot(page, 'workspace-creation-token-asked');

    await tapAndType(field, 'not-the-right-token-123');
    await page.getByRole('button', { name: 'Create workspace' }).tap();
    await visible(page.getByText('That creation token is not one this relay issued. Check it and type it again.'));
    expect(await storedWorkspaceCount(page)).toBe(0);

    // Select what was typed and type the right one, as on a phone (lower case, spaces: it still matches).
    await field.tap();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('muster e2e token 2026');
    await page.getByRole('button', { name: 'Create workspace' }).tap();
    await poll(() => page.getByTestId('org-name').textContent()).toBe('Acme Tokens');
    await waitSyncStatus(page, 'synced');
    expect(await storedWorkspaceCount(page)).toBe(1);
    await page.reload();
    await poll(() => page.getByTestId('org-name').textContent()).toBe('Acme Tokens');
    await waitSyncStatus(page, 'synced');
    expect(relay.stderr()).toMatch(/workspace\.created .*via=token/);
  } finally {
    await closeAll(context);
  }
});

test('on the default relay nothing changes for the person; a workspace made offline is created on the relay at its first sync', { timeout: 120_000 }, async () => {
  const relay = await startRelay();
  const { context, page } = await newPhone(browser);
  try {
    await page.goto(relay.url);
    await tapAndType(page.getByLabel('Organisation name'), 'Acme Open');
    await tapAndType(page.getByLabel('Your name'), 'Olly Open');
    await page.getByRole('button', { name: 'Create workspace' }).tap();
    await poll(() => page.getByTestId('org-name').textContent()).toBe('Acme Open');
    await expect(page.getByLabel('Creation token').count()).resolves.toBe(0);
    await waitSyncStatus(page, 'synced');
  } finally {
    await closeAll(context);
  }

  // Offline: the workspace is made on the phone; back online, its first sync creates it on the relay.
  const phone = await newPhone(browser);
  try {
    await phone.page.goto(relay.url);
    await waitForServiceWorker(phone.page);
    await phone.context.setOffline(true);
    await tapAndType(phone.page.getByLabel('Organisation name'), 'Acme Offline');
    await tapAndType(phone.page.getByLabel('Your name'), 'Ola Offline');
    await phone.page.getByRole('button', { name: 'Create workspace' }).tap();
    await poll(() => phone.page.getByTestId('org-name').textContent()).toBe('Acme Offline');
    await waitSyncStatus(phone.page, 'offline');
    await phone.context.setOffline(false);
    await waitSyncStatus(phone.page, 'synced', 45_000);
    expect(relay.stderr()).toMatch(/ws\.refused .*reason="unknown workspace"/);
    expect((relay.stderr().match(/workspace\.created /g) ?? []).length).toBe(2);
    expect(await textOf(phone.page.getByTestId('org-name'))).toBe('Acme Offline');
  } finally {
    await closeAll(phone.context);
  }
});

test('a device that joins a workspace its creator made offline is told why it does not sync, and syncs once the creator has', { timeout: 150_000 }, async () => {
  const relay = await startRelay();
  const creator = await newPhone(browser);
  const joiner = await newPhone(browser);
  try {
    await creator.page.goto(relay.url);
    await waitForServiceWorker(creator.page);
    await creator.context.setOffline(true);
    await tapAndType(creator.page.getByLabel('Organisation name'), 'Acme Later');
    await tapAndType(creator.page.getByLabel('Your name'), 'Cara Creator');
    await creator.page.getByRole('button', { name: 'Create workspace' }).tap();
    await poll(() => creator.page.getByTestId('org-name').textContent()).toBe('Acme Later');
    const link = await joinLinkOf(creator.page);

    await joiner.page.goto(link);
    await visible(joiner.page.getByRole('heading', { name: 'Join Acme Later' }));
    await tapAndType(joiner.page.getByLabel('Your name'), 'Jo Joiner');
    await joiner.page.getByRole('button', { name: 'Join workspace' }).tap();
    await poll(() => joiner.page.getByTestId('org-name').textContent()).toBe('Acme Later');
    await waitSyncStatus(joiner.page, 'refused');
    await visible(joiner.page.getByText('The relay does not hold this workspace yet: the device that created it has not synced. Ask its creator to open Muster while online, then reload this page.'));
    await screenshot(joiner.page, 'workspace-creation-joiner-waits');

    await creator.context.setOffline(false);
    await waitSyncStatus(creator.page, 'synced', 45_000);
    await joiner.page.reload();
    // The member list is signed now: the creator confirms the phone that joined with the plain link.
    await confirmDevices(creator.page);
    await waitSyncStatus(joiner.page, 'synced', 45_000);
  } finally {
    await closeAll(creator.context, joiner.context);
  }
});
