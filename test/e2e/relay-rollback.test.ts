import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, expect, test } from 'vitest';
import { cleanup, ROOT, type RelayProcess, spawnNode, spawnRelay, tmpDir } from '../integration/harness.ts';
import { closeAll, confirmDevices, createWorkspace, DIST, goHash, joinLinkOf, joinWorkspace, launchBrowser, newPhone, personNames, poll, startRelay, tapAndType, visible, waitSyncStatus } from './browser.ts';

/*
 * Issue 13 finding 6, as a phone sees it: the relay is restored from an older
 * backup (its operator starts it with --accept-restored-store); the phone
 * notices the relay holds less than it had confirmed, sends back what it
 * holds, and says so. Another phone then gets every person.
 */

const open: Array<{ close(): Promise<void> } | undefined> = [];
afterEach(async () => {
  await closeAll(...open.splice(0));
  await cleanup();
});

async function addPersonByTouch(page: Page, name: string, team: string): Promise<void> {
  await goHash(page, '#/people');
  await goHash(page, '#/people/new');
  await visible(page.getByRole('heading', { name: 'Add a person' }));
  await tapAndType(page.getByLabel('Full name'), name);
  await tapAndType(page.getByLabel('Team', { exact: true }), team);
  await page.getByRole('button', { name: 'Add person' }).tap();
  await visible(page.getByTestId('person-row').filter({ hasText: name }));
}

async function backup(dataDir: string): Promise<string> {
  const out = tmpDir('muster-e2e-backup-');
  const p = spawnNode(['--import', 'tsx', path.join(ROOT, 'scripts/relay-backup.ts'), out, '--data-dir', dataDir]);
  expect((await p.exited).code, p.stderr()).toBe(0);
  return path.join(out, fs.readdirSync(out)[0]!);
}

async function restart(relay: RelayProcess, dataDir: string, file: string): Promise<RelayProcess> {
  relay.child.kill('SIGTERM');
  expect((await relay.exited).code).toBe(0);
  fs.rmSync(path.join(dataDir, 'muster.sqlite-wal'), { force: true });
  fs.copyFileSync(file, path.join(dataDir, 'muster.sqlite'));
  // The same port: the phone's page keeps its origin and reconnects by itself.
  return spawnRelay({ dataDir, staticDir: DIST, args: ['--port', String(relay.port), '--accept-restored-store'] });
}

test('a relay restored from an older backup: the phone says it sent back what it holds, and another phone gets every person', { timeout: 120_000 }, async () => {
  const dataDir = tmpDir('muster-e2e-rollback-');
  const relay = await startRelay(dataDir);
  const browser = await launchBrowser();
  open.push(browser);
  const { context, page } = await newPhone(browser);
  open.push(context);
  await createWorkspace(page, relay.url, 'Harbour Trust', 'Mina');
  await addPersonByTouch(page, 'Ada Lovelace', 'Ops');
  await waitSyncStatus(page, 'synced');
  const file = await backup(dataDir);

  // After the backup: an edit the restored relay will not have.
  await addPersonByTouch(page, 'Grace Hopper', 'Ops');
  await waitSyncStatus(page, 'synced');
  expect(await page.getByTestId('sync-notice').count()).toBe(0);

  const restored = await restart(relay, dataDir, file);
  expect(restored.stderr()).toMatch(/warn store\.accepted .*reason=older/);
  const notice = page.getByTestId('sync-notice');
  await visible(notice, 30_000);
  await poll(() => notice.locator('span').textContent()).toBe('The relay lost recent changes; this device sent back what it holds.');
  await waitSyncStatus(page, 'synced');

  // Another phone joins the restored relay and sees both people.
  const second = await newPhone(browser);
  open.push(second.context);
  const link = await joinLinkOf(page);
  await joinWorkspace(second.page, link, 'Harbour Trust', 'Joe');
  await confirmDevices(page);
  await goHash(second.page, '#/people');
  await poll(() => personNames(second.page), 30_000).toEqual(['Ada Lovelace', 'Grace Hopper']);
  expect(await second.page.getByTestId('sync-notice').count()).toBe(0);

  // Dismissed with one tap; what the phone holds is unchanged after a reload.
  await notice.getByRole('button', { name: 'OK' }).tap();
  await poll(() => notice.count()).toBe(0);
  await page.reload();
  await goHash(page, '#/people');
  await poll(() => personNames(page)).toEqual(['Ada Lovelace', 'Grace Hopper']);
});
