import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { addDays, localIsoDate } from '../../src/domain/dates.ts';
import { cleanup, type RelayProcess } from '../integration/harness.ts';
import {
  addPerson,
  closeAll,
  createWorkspace,
  dismissOfflineReady,
  errorsOf,
  goHash,
  goTab,
  joinLinkOf,
  confirmDevices,
  joinWorkspace,
  launchBrowser,
  newPhone,
  poll,
  screenshot,
  startRelay,
  textOf,
  textsOf,
  visible,
  waitForServiceWorker,
  waitSyncStatus,
} from './browser.ts';
import { createPolicy, drawSignature, publish, TITLE, V1_TEXT } from './policy-flows.ts';

/*
 * The manager's first screen shows who has not done what. Staff acknowledge a
 * policy on their own phone with no signal; once it syncs, the manager's
 * dashboard drops the gap and the acknowledgement rate goes up.
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

/** Policy gap lines per person on the dashboard: "Name|kind label" (people also show "No agreement" here: none were filed). */
const gapsShown = (page: import('playwright-core').Page, kinds = /^policy-/) =>
  page.getByTestId('people-gaps').getByTestId('person-gaps').evaluateAll(
    (cards, source) =>
      cards.flatMap((c) =>
        [...c.querySelectorAll('[data-testid=gap]')]
          .filter((g) => new RegExp(source).test(g.getAttribute('data-kind') ?? ''))
          .map((g) => `${c.querySelector('.title')?.textContent}|${g.querySelector('.gap-kind')?.textContent}`),
      ),
    kinds.source,
  );

test('the dashboard shows gaps per person and team, and updates when staff acknowledge offline on another phone', { timeout: 180_000 }, async () => {
  const { context: ctxA, page: a } = await newPhone(browser!);
  const { context: ctxB, page: b } = await newPhone(browser!);
  const today = localIsoDate();

  await createWorkspace(a, relay.url, 'Acme Dash', 'Mia Manager');
  // Empty state first: no people yet.
  await goTab(a, 'Home');
  await visible(a.getByRole('heading', { name: 'Start with your people' }));

  await addPerson(a, { name: 'Mia Manager', team: 'Ops', startDate: '2024-03-01' });
  await addPerson(a, { name: 'Sam Staff', team: 'Ops', startDate: addDays(today, -10) });
  await addPerson(a, { name: 'Lee Sales', team: 'Sales', startDate: '2025-06-01' });
  await goTab(a, 'Home');
  // Nobody has an agreement on file yet; no policy is published, so none is owed.
  await poll(() => gapsShown(a, /^agreement-/)).toEqual(['Lee Sales|No agreement', 'Mia Manager|No agreement', 'Sam Staff|No agreement']);
  expect(await gapsShown(a)).toEqual([]);
  expect(await textOf(a.getByTestId('kpi-ack'))).toContain('nothing due yet');

  const policyId = await createPolicy(a);
  await publish(a, policyId, '1.0', V1_TEXT);

  // Every active person now owes an acknowledgement; Sam joined 10 days ago.
  await goTab(a, 'Home');
  await poll(() => gapsShown(a)).toEqual(['Lee Sales|Policy not acknowledged', 'Mia Manager|Policy not acknowledged', 'Sam Staff|Policy not acknowledged']);
  expect(await textOf(a.getByTestId('kpi-ack'))).toMatch(/^0%\s*Policies acknowledged\s*0 of 3$/);
  expect(await textsOf(a.getByTestId('new-joiners').locator('.title'))).toEqual(['Sam Staff']);
  expect(await textsOf(a.getByTestId('team-row').locator('strong'))).toEqual(['Ops', 'Sales']);
  await screenshot(a, 'dashboard-gaps');
  await screenshot(a, 'dashboard-gaps-full', { fullPage: true });

  // A team filter narrows the people list.
  await a.getByTestId('team-row').filter({ hasText: 'Sales' }).click();
  await poll(() => gapsShown(a)).toEqual(['Lee Sales|Policy not acknowledged']);
  await a.getByTestId('team-row').filter({ hasText: 'Sales' }).click();

  // Tapping a gap goes to where it is fixed.
  await a.getByTestId('new-joiners').getByTestId('gap').first().click();
  await poll(() => a.evaluate(() => location.hash)).toMatch(new RegExp(`^#/my-policies/[\\w-]+\\?policy=${policyId}$`));
  await visible(a.getByRole('heading', { name: TITLE }));

  // Sam's phone joins, goes offline and acknowledges.
  await joinWorkspace(b, await joinLinkOf(a), 'Acme Dash', 'Sam Staff');
  await confirmDevices(a);
  await Promise.all([waitSyncStatus(a, 'synced'), waitSyncStatus(b, 'synced')]);
  await waitForServiceWorker(b);
  await dismissOfflineReady(b);
  await ctxB.setOffline(true);
  await waitSyncStatus(b, 'offline');
  await goHash(b, '#/my-policies');
  await b.getByTestId('my-policy-due').filter({ hasText: TITLE }).click();
  await b.getByLabel('Type your full name').fill('Sam Staff');
  await drawSignature(b);
  await b.getByRole('button', { name: 'Acknowledge' }).click();
  await visible(b.getByTestId('ack-done'));
  // Offline, Sam's own dashboard already counts it.
  await goTab(b, 'Home');
  await poll(() => gapsShown(b)).toEqual(['Lee Sales|Policy not acknowledged', 'Mia Manager|Policy not acknowledged']);

  // The manager's screen has not changed yet.
  await goTab(a, 'Home');
  await poll(() => gapsShown(a).then((g) => g.length)).toBe(3);

  await ctxB.setOffline(false);
  await waitSyncStatus(b, 'synced');
  await poll(() => gapsShown(a), 30_000).toEqual(['Lee Sales|Policy not acknowledged', 'Mia Manager|Policy not acknowledged']);
  expect(await textOf(a.getByTestId('kpi-ack'))).toMatch(/^33%\s*Policies acknowledged\s*1 of 3$/);
  // Sam is still a new joiner with a gap (no agreement on file), but not the policy one.
  expect(await a.getByTestId('new-joiners').getByTestId('gap').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-kind')))).toEqual(['agreement-missing']);
  await screenshot(a, 'dashboard-after-sync');

  expect(errorsOf(a)).toEqual([]);
  expect(errorsOf(b)).toEqual([]);
  await closeAll(ctxA, ctxB);
});
