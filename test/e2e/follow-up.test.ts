import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import type { RelayProcess } from '../integration/harness.ts';
import {
  addPerson,
  createWorkspace,
  currentWorkspaceId,
  dismissOfflineReady,
  errorsOf,
  goHash,
  poll,
  pressChip,
  readStored,
  screenshot,
  signOff,
  startBriefing,
  tapAndType,
  textOf,
  textsOf,
  visible,
  waitForServiceWorker,
  withOnePhone,
} from './browser.ts';

/*
 * Issue 11, items 3 and 4. One status everywhere: minutes signed and then
 * edited say "Changed since sign-off" in the list, its filter and the detail,
 * never "Draft" or "Not signed". Follow-up is not an edit: ticking an action
 * off on signed minutes, or setting an action done on an approved review,
 * keeps the sign-off and records who did it and when.
 */

let relay: RelayProcess;
let page: Page;
withOnePhone((s) => ({ relay, page } = s));

const localToday = (p: Page) =>
  p.evaluate(() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  });
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const human = (iso: string) => `${Number(iso.slice(8, 10))} ${MONTHS[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}`;

/** The badge of the briefing row for `team`, as the list shows it. */
const rowBadge = (p: Page) => textOf(p.getByTestId('briefing-row').locator('.badge'));

test('ticking an action off on signed minutes keeps them signed and shows who did it; an edit shows "Changed since sign-off" in list, filter and detail', { timeout: 240_000 }, async () => {
  await createWorkspace(page, relay.url, 'Acme Follow-up', 'Mia Manager');
  await waitForServiceWorker(page);
  await dismissOfflineReady(page);
  const today = await localToday(page);
  await addPerson(page, { name: 'Mia Manager', team: 'Ops' });
  const id = await startBriefing(page, 'Ops');
  const ws = await currentWorkspaceId(page);
  await pressChip(page, 'attendee', 'Mia Manager');

  // Add an action the way a person does: tap the field, type, tap the button once.
  await tapAndType(page.getByLabel('New action'), 'Enable MFA on the VPN');
  await page.getByRole('button', { name: 'Add action' }).tap();
  await poll(() => textsOf(page.getByTestId('action'))).toEqual([expect.stringContaining('Enable MFA on the VPN')]);
  await signOff(page, 'minutes');

  // Tick it off: follow-up, not an edit (7fb5941: "Changed since it was signed off").
  const tick = page.getByTestId('action').getByRole('checkbox');
  await tick.tap();
  await poll(() => tick.isChecked()).toBe(true);
  await poll(() => readStored(page, ws, 'briefings').then((r) => (Object.entries(r.records[id]!).find(([k]) => k.startsWith('action.'))![1] as { done?: boolean }).done)).toBe(true);
  expect(await textOf(page.getByTestId('signoff-state'))).toMatch(/^Signed off by Mia Manager on /);
  expect(await textOf(page.locator('.screen-header + .row .badge'))).toBe('Signed');
  await poll(() => textOf(page.getByTestId('action-done'))).toBe(`Done ${human(today)} by Mia Manager`);
  await screenshot(page, 'follow-up-briefing-ticked', { fullPage: true });

  await goHash(page, '#/briefings');
  expect(await rowBadge(page)).toBe('Signed');

  // A real edit of the minutes: tap the notes, type, tap the next control once.
  await goHash(page, `#/briefings/${id}`);
  await tapAndType(page.getByLabel('Notes'), 'Also covered phishing.');
  await page.getByRole('heading', { name: 'Topics covered' }).tap();
  await poll(() => textOf(page.getByTestId('signoff-state'))).toMatch(/^Changed since it was signed off by Mia Manager/);
  expect(await textOf(page.locator('.screen-header + .row .badge'))).toBe('Changed since sign-off');

  await goHash(page, '#/briefings');
  expect(await rowBadge(page)).toBe('Changed since sign-off');
  const filter = page.getByLabel('Sign-off');
  expect(await filter.locator('option').allInnerTexts()).toEqual(['Any', 'Signed', 'Changed since sign-off', 'Not signed']);
  await filter.selectOption({ label: 'Not signed' });
  await poll(() => page.getByTestId('briefing-row').count()).toBe(0);
  await filter.selectOption({ label: 'Changed since sign-off' });
  await poll(() => page.getByTestId('briefing-row').count()).toBe(1);
  await screenshot(page, 'follow-up-briefing-list-changed');

  // What is stored, after a reload: who ticked it and when, beside the action.
  await page.reload();
  await visible(page.getByTestId('briefing-row'));
  const stored = await readStored(page, ws, 'briefings');
  const action = Object.entries(stored.records[id]!).find(([k]) => k.startsWith('action.'))![1];
  expect(action).toMatchObject({ text: 'Enable MFA on the VPN', done: true, doneOn: today, doneBy: 'Mia Manager' });
  expect(Object.keys(stored.entries)).toHaveLength(1);
  expect(errorsOf(page)).toEqual([]);
});

test('setting an action done on an approved review keeps the approval and shows who did it and when', { timeout: 240_000 }, async () => {
  const today = await localToday(page);
  await goHash(page, '#/reviews');
  await goHash(page, '#/reviews/new');
  await visible(page.getByRole('heading', { name: 'New management review' }));
  await page.getByLabel('Chair').selectOption({ label: 'Mia Manager' });
  await page.getByRole('button', { name: 'Start the review' }).tap();
  await poll(() => page.evaluate(() => location.hash)).toMatch(/^#\/reviews\/(?!new)[\w-]+$/);
  const id = await page.evaluate(() => decodeURIComponent(location.hash.split('/')[2]!));

  await tapAndType(page.getByLabel('New action'), 'Buy a password manager');
  await page.getByRole('button', { name: 'Add action' }).tap();
  await visible(page.getByTestId('review-action'));
  await signOff(page, 'minutes');
  expect(await textOf(page.locator('.screen-header + .row .badge'))).toBe('Approved');

  // 7fb5941: "Changed since approval".
  await page.getByTestId('review-action').getByLabel('Status').selectOption('done');
  await poll(() => page.getByTestId('review-action').getAttribute('data-status')).toBe('done');
  expect(await textOf(page.locator('.screen-header + .row .badge'))).toBe('Approved');
  expect(await textOf(page.getByTestId('signoff-state'))).toMatch(/^Signed off by Mia Manager/);
  await poll(() => textOf(page.getByTestId('review-action').getByTestId('action-done'))).toBe(`Done ${human(today)} by Mia Manager`);

  await goHash(page, '#/reviews');
  expect(await textOf(page.getByTestId('review-row').locator('.badge'))).toBe('Approved');
  const approval = page.getByLabel('Approval');
  expect(await approval.locator('option').allInnerTexts()).toEqual(['Any', 'Approved', 'Changed since approval', 'Draft']);

  await page.reload();
  await visible(page.getByTestId('review-row'));
  const stored = await readStored(page, await currentWorkspaceId(page), 'reviews');
  const action = Object.entries(stored.records[id]!).find(([k]) => k.startsWith('action.'))![1];
  expect(action).toMatchObject({ text: 'Buy a password manager', status: 'done', doneOn: today, doneBy: 'Mia Manager' });
  expect(errorsOf(page)).toEqual([]);
});
