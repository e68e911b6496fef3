import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import {
  addPerson,
  createWorkspace,
  currentWorkspaceId,
  dismissOfflineReady,
  errorsOf,
  goHash,
  goTab,
  poll,
  readStored,
  screenshot,
  storedWhere,
  textOf,
  textsOf,
  visible,
  waitSyncStatus,
} from './browser.ts';
import { inviteLink, joinWithInvite, withPhones } from './invites.ts';
import { createPolicy, publish, TITLE, V1_TEXT } from './policy-flows.ts';

/*
 * Issue 11, item 8: staff never hit a dead end. Sam (staff) has a policy to
 * acknowledge, a course to do and no agreement on file. Every card his Home
 * shows opens a screen he may use; none says "not available on this device".
 * Counts agree with their number ("1 gap").
 */

const ORG = 'Acme Staff';
const { relay, phone } = withPhones();

/** What the screen says is not open to this device, if anything. */
const deadEnd = async (page: Page) =>
  (await page.getByTestId('section-refused').count()) + (await page.getByTestId('team-refused').count()) > 0 || /not available on this device/i.test(await page.locator('main').innerText());

/** Taps each link of `locator` in turn from Home; returns "label → hash" and asserts none is a dead end. */
async function tapEach(page: Page, locator: (p: Page) => ReturnType<Page['locator']>, expected: number): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < expected; i++) {
    await goTab(page, 'Home');
    await poll(() => locator(page).count()).toBe(expected);
    const link = locator(page).nth(i);
    const label = (await link.innerText()).replace(/\s+/g, ' ').trim();
    await link.tap();
    await poll(() => page.evaluate(() => location.hash)).not.toBe('#/home');
    await visible(page.locator('main h1'));
    const where = await page.evaluate(() => location.hash);
    expect(await deadEnd(page), `${label} → ${where}`).toBe(false);
    seen.push(`${label} → ${where.split(/[/?]/)[1]}`);
  }
  return seen;
}

let mia: Page;
let sam: Page;

test('counts agree with their number: “1 gap”, “2 gaps”', { timeout: 120_000 }, async () => {
  mia = await phone();
  await createWorkspace(mia, relay().url, ORG, 'Mia Manager');
  await dismissOfflineReady(mia);
  await addPerson(mia, { name: 'Mia Manager', team: 'Ops' });
  await addPerson(mia, { name: 'Sam Staff', team: 'Ops' });
  await addPerson(mia, { name: 'Ria Sales', team: 'Sales' });
  // Nothing is published yet: each person's one gap is the missing agreement.
  await goTab(mia, 'Home');
  await poll(() => textsOf(mia.getByTestId('team-row').locator('.badge'))).toEqual(['2 gaps', '1 gap']);
  expect(await textOf(mia.getByTestId('person-gaps').filter({ hasText: 'Ria Sales' }))).toMatch(/^Ria Sales · Sales · 1 gap\b/);
});

test('every gap and figure on a staff member’s Home opens a screen he may use', { timeout: 300_000 }, async () => {

  const policyId = await createPolicy(mia);
  await publish(mia, policyId, '1.0', V1_TEXT);
  await goHash(mia, '#/training');
  await mia.getByRole('button', { name: /^Add annual security awareness/ }).tap();
  await waitSyncStatus(mia, 'synced');

  sam = await phone();
  await joinWithInvite(sam, await inviteLink(mia, 'Sam Staff (Ops)', 'Staff'), ORG, 'Sam Staff');
  await waitSyncStatus(sam, 'synced');
  await goTab(sam, 'Home');
  await poll(() => sam.getByTestId('gap').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-kind')))).toEqual(['policy-unacknowledged', 'training-missing', 'agreement-missing']);
  await screenshot(sam, 'staff-home-1', { fullPage: true });

  // Every gap opens his policy, his training or his gap page: none is refused.
  const gaps = await tapEach(sam, (p) => p.getByTestId('gap'), 3);
  expect(gaps.map((g) => g.split(' → ')[1])).toEqual(['my-policies', 'training', 'home']);
  // His Home is about him: his gaps, counted, no team roll-up.
  await goTab(sam, 'Home');
  expect(await textOf(sam.getByTestId('kpi-gaps'))).toMatch(/^3\s*gaps to close$/);
  expect(await textOf(sam.getByRole('heading', { level: 2 }).filter({ hasText: 'Your gaps' }))).toBe('Your gaps');
  expect(await textOf(sam.getByTestId('person-gaps'))).toMatch(/^Sam Staff · Ops · 3 gaps/);
  expect(await sam.getByTestId('team-row').count()).toBe(0);
  // Every figure and his own name, too.
  const cards = await tapEach(sam, (p) => p.locator('.kpis a, [data-testid=person-gaps] a.title'), 4);
  expect(cards.map((g) => g.split(' → ')[1])).toEqual(['my-policies', 'training', 'home', 'home']);

  // The agreement gap: his gap page says who records it.
  await goTab(sam, 'Home');
  await sam.getByTestId('gap').filter({ hasText: 'No agreement' }).tap();
  await poll(() => sam.evaluate(() => location.hash)).toMatch(/^#\/home\/person\?id=[\w-]+&gap=agreement-missing$/);
  await visible(sam.getByRole('heading', { name: 'Your gaps' }));
  expect(await textOf(sam.locator('[data-testid=gap-detail].current [data-testid=closed-by]'))).toBe(
    'Agreements are kept by an owner in Agreements. If you have signed one, give it to Mia Manager: this gap closes when they record it.',
  );
  await screenshot(sam, 'staff-home-2-gap-page', { fullPage: true });
  // The policy gap on that page opens his policy, where he acknowledges it.
  await sam.locator('[data-testid=gap-detail][data-kind=policy-unacknowledged] a').tap();
  await visible(sam.getByRole('heading', { name: TITLE }));
  expect(await deadEnd(sam)).toBe(false);

  // Someone else's gap page, by a hand-edited link: says why, no dead end wording.
  const riaId = storedWhere(await readStored(mia, await currentWorkspaceId(mia), 'people'), 'name', 'Ria Sales')[0]![0];
  await goHash(sam, `#/home/person?id=${riaId}`);
  await visible(sam.getByTestId('person-not-visible'));
  expect(await deadEnd(sam)).toBe(false);

  for (const p of [mia, sam]) expect(errorsOf(p)).toEqual([]);
});
