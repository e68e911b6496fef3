import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { cleanup, type RelayProcess } from '../integration/harness.ts';
import {
  addPerson,
  answer,
  answerOf,
  checklistStatus,
  closeAll,
  createWorkspace,
  dismissOfflineReady,
  currentWorkspaceId,
  errorsOf,
  fillAndLeave,
  goHash,
  goTab,
  indicator,
  ITEM_KEYS,
  itemNote,
  openItemNotes,
  joinLinkOf,
  confirmDevices,
  joinWorkspace,
  launchBrowser,
  newPhone,
  personNames,
  poll,
  pressChip,
  readStored,
  screenshot,
  signOff,
  startRelay,
  startBriefing,
  startChecklist,
  storedWhere,
  textOf,
  textsOf,
  unconfirmed,
  visible,
  waitForServiceWorker,
  waitSyncStatus,
} from './browser.ts';

/*
 * Two phones in one workspace work offline at the same time, on the same
 * checklist and on new minutes, then come back online: both keep everything.
 */

let browser: Browser | undefined;
let relay: RelayProcess;

beforeAll(async () => {
  relay = await startRelay();
  browser = await launchBrowser();
});

afterAll(async () => {
  await closeAll(browser);
  await cleanup();
});

const ORG = 'Acme Security';
const B_NOTE = 'Reminded the team that shared passwords get a written warning.';
const BRIEFING_NOTES = 'Lock the screen (Win+L) whenever you leave the desk.';

/** What a device shows for the merged checklist and briefing, read from its screens. */
async function expectMergedScreens(page: Page, checklistId: string, briefingTitle: string): Promise<void> {
  await goHash(page, `#/checklists/${checklistId}`);
  await visible(page.getByTestId('item-brief'));
  for (const key of ITEM_KEYS) await poll(() => answerOf(page, key)).toBe(key === 'lead' ? 'N/A' : 'Done');
  await poll(() => itemNote(page, 'enforce').inputValue()).toBe(B_NOTE);
  // A signed what A saw; B's note came in afterwards, so the sign-off no longer covers the checklist.
  await poll(() => checklistStatus(page)).toBe('Changed since sign-off');
  expect(await textOf(page.getByTestId('signoff-state'))).toMatch(/^Changed since it was signed off by Mia Manager on \d{1,2} \w{3} \d{4} \d{2}:\d{2} — sign again to cover the changes\.$/);
  expect(await textsOf(page.getByTestId('signoff-entry').locator('strong'))).toEqual(['Signed off']);
  expect(await textOf(page.getByTestId('signoff-entry'))).toContain('Handled in the Ops briefing.');

  await goTab(page, 'Briefings');
  await poll(() => textsOf(page.getByTestId('briefing-row'))).toHaveLength(1);
  const row = page.getByTestId('briefing-row');
  expect(await textOf(row.locator('.title'))).toBe(briefingTitle);
  expect(await textOf(row.locator('.muted'))).toBe('1 present · Screen locking');

  await goTab(page, 'Checklists');
  await poll(() => textsOf(page.getByTestId('checklist-row'))).toHaveLength(1);
  expect(await textOf(page.getByTestId('checklist-row'))).toMatch(/Ops\s+\w{3} \d{4} · 4\/4 answered\s+Changed since sign-off/);
}

test('two devices edit offline at once (checklist sign-off, a note, new minutes) and both keep everything', { timeout: 120_000 }, async () => {
  const { context: ctxA, page: a } = await newPhone(browser!);
  const { context: ctxB, page: b } = await newPhone(browser!);

  // --- Device A sets up the workspace; device B joins with the link from Settings.
  await createWorkspace(a, relay.url, ORG, 'Mia Manager');
  await addPerson(a, { name: 'Mia Manager', team: 'Ops', email: 'mia@example.org', jobTitle: 'Operations manager' });
  await addPerson(a, { name: 'Sam Staff', team: 'Ops', email: 'sam@example.org' });
  const link = await joinLinkOf(a);
  expect(link).toMatch(new RegExp(`^${relay.url}/#join\\?w=[\\w-]+&k=[\\w-]{43}&org=Acme\\+Security&c=[\\w-]{43}&r=[0-9a-f]{32}$`));
  await joinWorkspace(b, link, ORG, 'Sam Staff');
  await confirmDevices(a);
  const wsId = await currentWorkspaceId(a);
  expect(await currentWorkspaceId(b)).toBe(wsId);

  await goTab(b, 'People');
  await poll(() => personNames(b)).toEqual(['Mia Manager', 'Sam Staff']);

  const checklistId = await startChecklist(a, 'Ops');
  expect(await checklistStatus(a)).toBe('In progress');
  await goTab(b, 'Checklists');
  await poll(() => textsOf(b.getByTestId('checklist-row'))).toHaveLength(1);
  expect(await textOf(b.getByTestId('checklist-row'))).toMatch(/^Ops\s+\w{3} \d{4} · 0\/4 answered\s+In progress$/);

  await Promise.all([waitSyncStatus(a, 'synced'), waitSyncStatus(b, 'synced')]);
  await Promise.all([waitForServiceWorker(a), waitForServiceWorker(b)]);
  await Promise.all([dismissOfflineReady(a), dismissOfflineReady(b)]);

  // --- Both phones lose the network.
  await Promise.all([ctxA.setOffline(true), ctxB.setOffline(true)]);
  await Promise.all([waitSyncStatus(a, 'offline'), waitSyncStatus(b, 'offline')]);

  // A answers every action and signs off.
  expect(await a.getByRole('button', { name: 'Sign off checklist' }).isDisabled()).toBe(true);
  await answer(a, 'brief', 'Done');
  await answer(a, 'compliance', 'Done');
  await answer(a, 'enforce', 'Done');
  await answer(a, 'lead', 'N/A');
  expect(await checklistStatus(a)).toBe('Ready to sign');
  expect(await a.getByRole('button', { name: 'Sign off checklist' }).isDisabled()).toBe(false);
  await signOff(a, 'checklist', 'Handled in the Ops briefing.');
  await poll(() => checklistStatus(a)).toBe('Complete');
  expect(await textOf(a.getByTestId('signoff-state'))).toMatch(/^Signed off by Mia Manager on \d{1,2} \w{3} \d{4} \d{2}:\d{2}\.$/);
  await screenshot(a, 'checklist-detail-signed-offline');
  await screenshot(a, 'checklist-detail-signed-offline-full', { fullPage: true });

  // B, also offline, records the Ops briefing...
  await startBriefing(b, 'Ops');
  const briefingTitle = await textOf(b.getByRole('heading', { level: 1 }));
  expect(briefingTitle).toMatch(/^Ops · \d{1,2} \w{3} \d{4}$/);
  expect(await b.getByRole('button', { name: 'Sign off minutes' }).isDisabled()).toBe(true);
  await pressChip(b, 'attendee', 'Sam Staff');
  await pressChip(b, 'topic', 'Screen locking');
  await fillAndLeave(b.getByLabel('Notes'), BRIEFING_NOTES);
  await poll(() => b.getByRole('button', { name: 'Sign off minutes' }).isDisabled()).toBe(false);
  expect(await b.getByTestId('attendee').filter({ hasText: 'Mia Manager' }).getAttribute('aria-pressed')).toBe('false');
  await screenshot(b, 'briefing-detail-offline');
  await screenshot(b, 'briefing-detail-offline-full', { fullPage: true });

  // ...and edits another field of the same checklist A signed.
  await goHash(b, `#/checklists/${checklistId}`);
  await visible(b.getByTestId('item-enforce'));
  expect(await checklistStatus(b)).toBe('In progress');
  await openItemNotes(b, 'enforce');
  await fillAndLeave(itemNote(b, 'enforce'), B_NOTE);

  // B's screen says it is offline with edits the relay does not have.
  expect(await indicator(b).getAttribute('data-status')).toBe('offline');
  await poll(() => unconfirmed(b)).toBeGreaterThan(0);
  expect(await indicator(b).getAttribute('aria-label')).toMatch(/^Offline\. \d+ changes? saved on this device, not yet on the relay$/);
  expect(await textOf(indicator(b))).toMatch(/^Offline\s*\d+$/);
  await b.evaluate(() => window.scrollTo(0, 0));
  await screenshot(b, 'offline-indicator');

  // --- Both come back online and converge.
  await Promise.all([ctxA.setOffline(false), ctxB.setOffline(false)]);
  await Promise.all([waitSyncStatus(a, 'synced', 45_000), waitSyncStatus(b, 'synced', 45_000)]);
  await poll(() => unconfirmed(b)).toBe(0);
  expect(await indicator(a).getAttribute('aria-label')).toBe('Synced. Everything on this device is on the relay');

  for (const page of [a, b]) await expectMergedScreens(page, checklistId, briefingTitle);
  await goHash(b, `#/checklists/${checklistId}`);
  await visible(b.getByTestId('signoff-state'));
  await screenshot(b, 'checklist-detail-merged');
  await screenshot(b, 'checklist-detail-merged-full', { fullPage: true });

  // --- What each device stores in IndexedDB: the same merged documents.
  const stored = async (page: Page) => ({ checklists: await readStored(page, wsId, 'checklists'), briefings: await readStored(page, wsId, 'briefings'), people: await readStored(page, wsId, 'people') });
  const [sa, sb] = [await stored(a), await stored(b)];
  expect(sb).toEqual(sa);
  const samId = storedWhere(sa.people, 'name', 'Sam Staff')[0]![0];
  const cl = sa.checklists.records[checklistId]!;
  expect(cl).toMatchObject({
    team: 'Ops',
    'item.brief.status': 'done',
    'item.compliance.status': 'done',
    'item.enforce.status': 'done',
    'item.lead.status': 'na',
    'item.enforce.note': B_NOTE,
  });
  const signOffs = Object.values(sa.checklists.entries);
  expect(signOffs).toHaveLength(1);
  expect(signOffs[0]).toMatchObject({ recordId: checklistId, kind: 'signoff', byName: 'Mia Manager', note: 'Handled in the Ops briefing.' });
  // The snapshot A signed has no note on "Enforce rules": B's note is what changed since.
  expect(JSON.parse(signOffs[0]!['snapshot'] as string).items.find((i: { key: string }) => i.key === 'enforce').note).toBe('');
  const briefings = Object.values(sa.briefings.records);
  expect(briefings).toHaveLength(1);
  expect(briefings[0]).toMatchObject({ team: 'Ops', notes: BRIEFING_NOTES, [`attendee.${samId}`]: true, 'topic.Screen locking': true });

  // --- And it survives a reload with the network off on both devices: it comes from IndexedDB.
  await Promise.all([ctxA.setOffline(true), ctxB.setOffline(true)]);
  for (const page of [a, b]) {
    await page.reload();
    await poll(() => page.getByTestId('org-name').textContent()).toBe(ORG);
    await waitSyncStatus(page, 'offline');
    await expectMergedScreens(page, checklistId, briefingTitle);
  }

  expect(errorsOf(a)).toEqual([]);
  expect(errorsOf(b)).toEqual([]);
  await closeAll(ctxA, ctxB);
});
