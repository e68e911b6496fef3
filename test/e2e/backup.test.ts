import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { cleanup, type RelayProcess } from '../integration/harness.ts';
import {
  addPerson,
  answer,
  checklistStatus,
  closeAll,
  createWorkspace,
  dismissOfflineReady,
  currentWorkspaceId,
  download,
  errorsOf,
  goHash,
  goTab,
  ITEM_KEYS,
  launchBrowser,
  newPhone,
  personNames,
  poll,
  pressChip,
  readStored,
  type Register,
  screenshot,
  signOff,
  startBriefing,
  startChecklist,
  startRelay,
  textOf,
  visible,
} from './browser.ts';

/*
 * Whole-workspace JSON backup: download on one phone, restore on a fresh
 * browser profile into a new workspace, identical records; restoring again
 * adds nothing; files that are not backups, or are cut off, are refused and
 * store nothing.
 */

let browser: Browser | undefined;
let relay: RelayProcess;
let a: { context: BrowserContext; page: Page };
let b: { context: BrowserContext; page: Page };

beforeAll(async () => {
  relay = await startRelay();
  browser = await launchBrowser();
  a = await newPhone(browser);
  b = await newPhone(browser);
});

afterAll(async () => {
  await closeAll(a?.context, b?.context, browser);
  await cleanup();
});

const DATA_REGISTERS: Register[] = ['people', 'checklists', 'briefings', 'roles'];
const restoreInput = (page: Page) => page.getByTestId('restore-file');

async function stored(page: Page) {
  const ws = await currentWorkspaceId(page);
  const out: Record<string, unknown> = {};
  for (const r of DATA_REGISTERS) out[r] = await readStored(page, ws, r);
  return out;
}

/** Waits for the restore summary; fails with the panel's message when the file was refused. */
async function confirmShown(page: Page) {
  const confirm = page.getByTestId('restore-confirm');
  const error = page.getByTestId('restore-error');
  await poll(async () => (await confirm.count()) + (await error.count())).toBeGreaterThan(0);
  if (await error.count()) throw new Error(`restore refused: ${await error.innerText()}`);
  return confirm;
}

async function chooseFile(page: Page, name: string, buffer: Buffer) {
  await restoreInput(page).setInputFiles({ name, mimeType: name.endsWith('.json') ? 'application/json' : 'text/plain', buffer });
}

test('backup on one phone, restore on a fresh profile, idempotent, bad files refused', async () => {
  // --- Device A: people, a signed-off checklist and signed briefing minutes.
  const pa = a.page;
  await createWorkspace(pa, relay.url, 'Acme Ltd', 'Mia Manager');
  await addPerson(pa, { name: 'Mia Manager', team: 'Ops', jobTitle: 'Manager' });
  await addPerson(pa, { name: 'Sam Staff', team: 'Ops', jobTitle: 'Engineer' });
  const checklistId = await startChecklist(pa, 'Ops');
  for (const key of ITEM_KEYS) await answer(pa, key, 'Done');
  await signOff(pa, 'checklist', 'All four done');
  const statusA = await checklistStatus(pa);
  const signoffA = await textOf(pa.getByTestId('signoff-state'));
  expect(signoffA).toContain('Mia Manager');
  const briefingId = await startBriefing(pa, 'Ops');
  await pressChip(pa, 'attendee', 'Sam Staff');
  await pressChip(pa, 'topic', 'Screen locking');
  await signOff(pa, 'minutes');

  await goTab(pa, 'Settings');
  await visible(pa.getByTestId('backup-panel'));
  const file = await download(pa, pa.getByRole('button', { name: 'Download backup' }));
  expect(file.name).toMatch(/^muster-backup-acme-ltd-\d{4}-\d{2}-\d{2}\.json$/);
  const backup = JSON.parse(file.bytes.toString('utf8'));
  expect(backup).toMatchObject({ format: 'muster-backup', schemaVersion: 1, workspace: { orgName: 'Acme Ltd' } });
  expect(backup.summary.people).toEqual({ records: 2, entries: 0 });
  expect(backup.summary.checklists.entries).toBe(1);
  expect(backup.sha256).toMatch(/^[0-9a-f]{64}$/);
  const storedA = await stored(pa);

  // --- Device B: a fresh profile with a new workspace.
  const pb = b.page;
  await createWorkspace(pb, relay.url, 'Acme Restored', 'Rita Restorer');
  await dismissOfflineReady(pb);
  await goTab(pb, 'Settings');
  await visible(pb.getByTestId('backup-panel'));
  const empty = await stored(pb);

  // A file that is not a backup: refused, nothing stored.
  await chooseFile(pb, 'people.csv', Buffer.from('name,team\nAda,Ops\n'));
  await poll(() => textOf(pb.getByTestId('restore-error'))).toContain('not a Muster backup');
  await pb.getByTestId('restore-error').scrollIntoViewIfNeeded();
  await screenshot(pb, 'backup-error-not-backup');
  await chooseFile(pb, 'other.json', Buffer.from('{"hello":"world"}'));
  await poll(() => textOf(pb.getByTestId('restore-error'))).toContain('not a Muster backup');
  // A truncated backup: refused, nothing stored.
  await chooseFile(pb, file.name, file.bytes.subarray(0, Math.floor(file.bytes.length * 0.6)));
  await poll(() => textOf(pb.getByTestId('restore-error'))).toContain('incomplete');
  await pb.getByTestId('restore-error').scrollIntoViewIfNeeded();
  await screenshot(pb, 'backup-error-truncated');
  // A backup from a newer Muster: refused with the update message.
  await chooseFile(pb, file.name, Buffer.from(JSON.stringify({ ...backup, schemaVersion: 2 })));
  await poll(() => textOf(pb.getByTestId('restore-error'))).toBe(
    'This backup was made by a newer version of Muster (schema 2); update Muster to restore it.',
  );
  expect(await pb.getByTestId('restore-confirm').count()).toBe(0);
  expect(await stored(pb)).toEqual(empty);

  // The real backup: summary, confirmation, then what was added.
  await chooseFile(pb, file.name, file.bytes);
  const confirm = await confirmShown(pb);
  expect(await pb.getByTestId('restore-error').count()).toBe(0);
  expect(await textOf(confirm)).toContain('Acme Ltd');
  const rows = await pb.getByTestId('summary-row').allInnerTexts();
  expect(rows.map((r) => r.replace(/\s+/g, ' ').trim())).toEqual(expect.arrayContaining(['People 2 0', 'Checklists 1 1', 'Briefings 1 1']));
  await confirm.getByRole('button', { name: 'Restore' }).scrollIntoViewIfNeeded();
  await screenshot(pb, 'backup-confirm');
  // Nothing is applied before confirming.
  expect(await stored(pb)).toEqual(empty);
  await confirm.getByRole('button', { name: 'Restore' }).click();
  const result = pb.getByTestId('restore-result');
  await visible(result);
  expect(await textOf(result)).toContain('People: 2 records');
  expect(await textOf(result)).toContain('Checklists: 1 record, 1 entry');
  await result.scrollIntoViewIfNeeded();
  await screenshot(pb, 'backup-restored');

  // Same records, same evidence, stored on B.
  await poll(() => stored(pb)).toEqual(storedA);
  await poll(() => pb.getByTestId('org-name').textContent()).toBe('Acme Restored');
  await goTab(pb, 'People');
  await poll(() => personNames(pb)).toEqual(['Mia Manager', 'Sam Staff']);
  await goHash(pb, `#/checklists/${checklistId}`);
  await poll(() => checklistStatus(pb)).toBe(statusA);
  expect(await textOf(pb.getByTestId('signoff-state'))).toBe(signoffA);
  await goHash(pb, `#/briefings/${briefingId}`);
  await visible(pb.getByTestId('signoff-state'));

  // Restoring again changes nothing.
  await goTab(pb, 'Settings');
  await chooseFile(pb, file.name, file.bytes);
  await (await confirmShown(pb)).getByRole('button', { name: 'Restore' }).click();
  await poll(() => textOf(pb.getByTestId('restore-result'))).toContain('Nothing to add');
  await pb.getByTestId('restore-result').scrollIntoViewIfNeeded();
  await screenshot(pb, 'backup-restored-again');
  expect(await stored(pb)).toEqual(storedA);

  // After a restore, bad files still change nothing.
  await chooseFile(pb, file.name, file.bytes.subarray(0, file.bytes.length - 40));
  await poll(() => textOf(pb.getByTestId('restore-error'))).toContain('incomplete');
  expect(await stored(pb)).toEqual(storedA);

  // A's own workspace is not empty: B's backup (another workspace) is refused there.
  await goTab(pb, 'Settings');
  const fileB = await download(pb, pb.getByRole('button', { name: 'Download backup' }));
  expect(fileB.name).toMatch(/^muster-backup-acme-restored-/);
  const other = JSON.parse(fileB.bytes.toString('utf8'));
  expect(other.workspace.id).not.toBe(backup.workspace.id);

  expect(errorsOf(pa)).toEqual([]);
  expect(errorsOf(pb)).toEqual([]);
});
