import { unzipSync } from 'fflate';
import type { Locator, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import type { RelayProcess } from '../integration/harness.ts';
import { pdfText } from '../pdftext.ts';
import {
  addPerson,
  createWorkspace,
  currentWorkspaceId,
  dismissOfflineReady,
  download,
  errorsOf,
  fieldErrors,
  goHash,
  poll,
  pressChip,
  readStored,
  screenshot,
  startBriefing,
  tapAndType,
  textOf,
  textsOf,
  visible,
  waitForServiceWorker,
  withOnePhone,
} from './browser.ts';

/*
 * Issue 11, item 5. Due is complete and fair: open briefing and review
 * actions with a due date are listed (overdue flagged, however old); a
 * workspace made today does not owe last month's checklist; a new action
 * dated in the past asks for confirmation before anything is stored.
 */

let relay: RelayProcess;
let page: Page;
withOnePhone((s) => ({ relay, page } = s));

const rows = (p: Page) => p.getByTestId('due-row').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-id')}|${e.getAttribute('data-status')}`));

/** Types a date into a native date field as a person does: tap its first part, then type the digits (Chromium here shows month, day, year). */
async function tapAndTypeDate(field: Locator, iso: string): Promise<void> {
  const box = (await field.boundingBox())!;
  await field.tap({ position: { x: 12, y: box.height / 2 } });
  await field.page().keyboard.type(`${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(0, 4)}`);
}

test('a workspace made today owes this month’s checklist, not last month’s, though its people started long before', { timeout: 240_000 }, async () => {
  await createWorkspace(page, relay.url, 'Acme Due', 'Mia Manager');
  await waitForServiceWorker(page);
  await dismissOfflineReady(page);
  const month = await page.evaluate(() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
  });
  // People who started long before the workspace existed.
  await addPerson(page, { name: 'Mia Manager', team: 'Ops', startDate: '2024-03-01' });
  await addPerson(page, { name: 'Sam Staff', team: 'Ops', startDate: '2025-01-06' });

  await goHash(page, '#/due');
  await visible(page.getByRole('heading', { name: 'Due', exact: true }));
  // 7fb5941 also listed last month's checklist, overdue on the first day.
  await poll(async () => (await rows(page)).map((r) => r.split('|')[0]).sort()).toEqual([`checklist:Ops:${month}`, 'management-review']);
  expect(await page.getByTestId('due-summary').locator('[data-status=overdue] .due-count-n').innerText()).toBe('0');
  await screenshot(page, 'due-new-workspace');
  expect(errorsOf(page)).toEqual([]);
});

test('a new action due in 2020 asks for confirmation and stores nothing until then; once added, Due lists it as overdue until ticked off', { timeout: 240_000 }, async () => {
  // Minutes with an action due in 2020: the form asks first, and stores nothing until confirmed.
  const id = await startBriefing(page, 'Ops');
  await pressChip(page, 'attendee', 'Mia Manager');
  await tapAndType(page.getByLabel('New action'), 'Replace the shared admin password');
  await page.getByLabel('Owner').selectOption({ label: 'Sam Staff' });
  await tapAndTypeDate(page.getByLabel('Due'), '2020-03-01');
  await poll(() => page.getByLabel('Due').inputValue()).toBe('2020-03-01');
  await page.getByRole('button', { name: 'Add action' }).tap();
  await poll(() => fieldErrors(page)).toEqual(['1 Mar 2020 is in the past: the action will be overdue at once. Tap “Add with this date” to keep it, or change the date.']);
  expect(await textsOf(page.getByTestId('action'))).toEqual([]);
  const ws = await currentWorkspaceId(page);
  expect(Object.keys((await readStored(page, ws, 'briefings')).records[id]!).filter((k) => k.startsWith('action.'))).toEqual([]);
  await screenshot(page, 'due-past-date-confirm');
  await page.getByRole('button', { name: 'Add with this date' }).tap();
  await poll(() => textsOf(page.getByTestId('action'))).toEqual([expect.stringContaining('Replace the shared admin password · Sam Staff · due 1 Mar 2020')]);
  expect(await fieldErrors(page)).toEqual([]);

  // A date in the future is added at the first tap.
  await tapAndType(page.getByLabel('New action'), 'Shred the old files');
  await page.getByRole('button', { name: 'Add action' }).tap();
  await poll(() => page.getByTestId('action').count()).toBe(2);

  await goHash(page, '#/due');
  const stored = (await readStored(page, ws, 'briefings')).records[id]!;
  const actionId = Object.keys(stored).find((k) => k.startsWith('action.') && (stored[k] as { due?: string }).due === '2020-03-01')!.slice('action.'.length);
  await poll(() => rows(page)).toContain(`action:briefings:${id}:${actionId}|overdue`);
  const row = page.locator(`[data-testid=due-row][data-id="action:briefings:${id}:${actionId}"]`);
  expect(await textOf(row.locator('.title'))).toBe('Replace the shared admin password');
  expect(await textOf(row.locator('.muted.small').first())).toBe(`Sam Staff · Ops briefing, ${await page.evaluate(() => new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' }).format(new Date()))}`);
  expect(await textOf(row.locator('.due-rel'))).toMatch(/^\d+ days overdue$/);
  expect(await page.getByTestId('due-summary').locator('[data-status=overdue] .due-count-n').innerText()).toBe('1');
  // Undated actions are not duties.
  expect((await rows(page)).filter((r) => r.startsWith('action:'))).toHaveLength(1);
  await screenshot(page, 'due-actions', { fullPage: true });

  // The row opens the minutes where it is ticked off; ticked off, it leaves Due.
  await row.tap();
  await poll(() => page.evaluate(() => location.hash)).toBe(`#/briefings/${id}`);
  await page.getByTestId('action').filter({ hasText: 'Replace the shared admin password' }).getByRole('checkbox').tap();
  await visible(page.getByTestId('action-done'));
  await goHash(page, '#/due');
  await visible(page.getByTestId('due-row').first());
  await poll(async () => (await rows(page)).filter((r) => r.startsWith('action:'))).toEqual([]);
  expect(errorsOf(page)).toEqual([]);
});

test('the first evidence pack of a workspace made today counts no checklist from before it existed', { timeout: 240_000 }, async () => {
  await goHash(page, '#/more');
  await page.getByRole('link', { name: /^Evidence pack/ }).tap();
  await visible(page.getByRole('heading', { name: 'Evidence pack', level: 1 }));
  const file = await download(page, page.getByRole('button', { name: 'Export pack' }));
  await visible(page.getByTestId('pack-done'));
  const report = pdfText(unzipSync(new Uint8Array(file.bytes))['report.pdf']!).replace(/\s+/g, ' ');
  // 7fb5941: "Checklists signed on time: 0 of 24 (0%)" for a workspace one day old.
  // The summary cell wraps after "nothing" in Noto Sans (wider than Helvetica): pdftotext reads the next column between.
  expect(report).toMatch(/Checklists signed on time: nothing\b/);
  expect(report).toContain('No checklist was due yet: the workspace was created on');
  expect(report).not.toMatch(/Checklists signed on time: 0 of/);
  expect(errorsOf(page)).toEqual([]);
});
