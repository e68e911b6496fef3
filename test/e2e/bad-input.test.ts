import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import type { RelayProcess } from '../integration/harness.ts';
import {
  addPerson,
  answer,
  checklistStatus,
  closeAll,
  createWorkspace,
  currentWorkspaceId,
  describedBy,
  errorsOf,
  fieldErrors,
  fillPerson,
  goHash,
  goTab,
  item,
  ITEM_KEYS,
  joinLinkOf,
  newPhone,
  openPersonForm,
  personNames,
  poll,
  readStored,
  screenshot,
  signOff,
  startChecklist,
  storedWorkspaceCount,
  textOf,
  textsOf,
  typePartialDate,
  visible,
  withOnePhone,
} from './browser.ts';

/*
 * Every form refuses what it cannot store, says why next to the field, and
 * stores nothing: the lists and the IndexedDB documents do not change.
 */

let browser: Browser | undefined;
let relay: RelayProcess;
let context: BrowserContext;
let page: Page;
let wsId: string;

withOnePhone((s) => ({ relay, browser, context, page } = s));

const storedCount = async (register: 'people' | 'checklists' | 'briefings') => Object.keys((await readStored(page, wsId, register)).records).length;
const rows = (testId: string) => page.getByTestId(testId).count();

describe.sequential('bad input is refused with a clear message and nothing is stored', () => {
  test('welcome form: empty and blank names', async () => {
    await page.goto(relay.url);
    await visible(page.getByRole('heading', { name: 'Create a workspace' }));
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await poll(() => fieldErrors(page)).toEqual(['Enter your organisation’s name.', 'Enter your name: it goes on your sign-offs.']);
    expect(await describedBy(page.getByLabel('Organisation name'))).toContain('Enter your organisation’s name.');
    expect(await page.getByLabel('Your name').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'welcome-errors');

    // Only spaces is as empty as nothing.
    await page.getByLabel('Organisation name').fill('   ');
    await page.getByLabel('Your name').fill('Mia Manager');
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await poll(() => fieldErrors(page)).toEqual(['Enter your organisation’s name.']);
    expect(await storedWorkspaceCount(page)).toBe(0);
    await visible(page.getByRole('heading', { name: 'Create a workspace' }));
    expect(await page.getByTestId('org-name').count()).toBe(0);

    await createWorkspace(page, relay.url, 'Acme Checks', 'Mia Manager');
    expect(await storedWorkspaceCount(page)).toBe(1);
    wsId = await currentWorkspaceId(page);
  });

  test('person form: empty name and team, bad email, incomplete start date', async () => {
    await addPerson(page, { name: 'Mia Manager', team: 'Ops' });
    await addPerson(page, { name: 'Sol Sales', team: 'Sales' });
    await poll(() => personNames(page)).toEqual(['Mia Manager', 'Sol Sales']);
    expect(await storedCount('people')).toBe(2);

    await openPersonForm(page);
    await page.getByRole('button', { name: 'Add person' }).click();
    await poll(() => fieldErrors(page)).toEqual(['Enter the person’s name.', 'Enter a team: checklists and briefings are per team.']);
    expect(await describedBy(page.getByLabel('Full name'))).toContain('Enter the person’s name.');
    expect(await describedBy(page.getByLabel('Team', { exact: true }))).toContain('Enter a team: checklists and briefings are per team.');
    await screenshot(page, 'person-form-errors');

    // Blank (spaces only) counts as empty too.
    await fillPerson(page, { name: '  ', team: 'Ops' });
    await page.getByRole('button', { name: 'Add person' }).click();
    await poll(() => fieldErrors(page)).toEqual(['Enter the person’s name.']);

    await fillPerson(page, { name: 'Eve Example', team: 'Ops', email: 'eve at example' });
    await page.getByRole('button', { name: 'Add person' }).click();
    await poll(() => fieldErrors(page)).toEqual(['Enter an email like name@example.org, or leave it empty.']);
    expect(await describedBy(page.getByLabel('Email'))).toContain('Enter an email like name@example.org, or leave it empty.');

    await page.getByLabel('Email').fill('eve@example.org');
    await typePartialDate(page.getByLabel('Start date'));
    await page.getByRole('button', { name: 'Add person' }).click();
    await poll(() => fieldErrors(page)).toEqual(['Enter a complete start date (day, month and year), or clear it.']);
    expect(await describedBy(page.getByLabel('Start date'))).toContain('Enter a complete start date (day, month and year), or clear it.');
    // Still on the form: nothing was added.
    expect(await page.evaluate(() => location.hash)).toBe('#/people/new');

    await goTab(page, 'People');
    await poll(() => personNames(page)).toEqual(['Mia Manager', 'Sol Sales']);
    expect(await rows('person-row')).toBe(2);
    expect(await storedCount('people')).toBe(2);
  });

  test('new checklist: no team, no month, and a second one for the same team and month', async () => {
    await goTab(page, 'Checklists');
    await goHash(page, '#/checklists/new');
    await visible(page.getByRole('heading', { name: 'New checklist' }));
    // Two teams: nothing is chosen for you.
    expect(await page.getByLabel('Team').inputValue()).toBe('');
    await page.getByRole('button', { name: 'Start checklist' }).click();
    await poll(() => fieldErrors(page)).toEqual(['Choose the team this checklist is for.']);
    expect(await describedBy(page.getByLabel('Team'))).toContain('Choose the team this checklist is for.');

    await page.getByLabel('Team').selectOption('Ops');
    await page.getByLabel('Month').fill('');
    await page.getByRole('button', { name: 'Start checklist' }).click();
    await poll(() => fieldErrors(page)).toEqual(['Enter the month as YYYY-MM, e.g. 2026-11.']);
    expect(await page.evaluate(() => location.hash)).toBe('#/checklists/new');
    expect(await storedCount('checklists')).toBe(0);

    // The first one for Ops this month is fine...
    await startChecklist(page, 'Ops');
    const month = Object.values((await readStored(page, wsId, 'checklists')).records)[0]!['month'] as string;
    expect(month).toMatch(/^\d{4}-\d{2}$/);
    await goTab(page, 'Checklists');
    await poll(() => rows('checklist-row')).toBe(1);

    // ...a second one is refused, pointing at the first.
    await goHash(page, '#/checklists/new');
    await page.getByLabel('Team').selectOption('Ops');
    expect(await page.getByLabel('Month').inputValue()).toBe(month);
    await page.getByRole('button', { name: 'Start checklist' }).click();
    await poll(() => fieldErrors(page)).toEqual([`Ops already has a checklist for ${month}.`]);
    expect(await describedBy(page.getByLabel('Month'))).toContain(`Ops already has a checklist for ${month}.`);
    await screenshot(page, 'checklist-duplicate-error');

    await goTab(page, 'Checklists');
    await poll(() => rows('checklist-row')).toBe(1);
    expect(await textOf(page.locator('.count'))).toBe('1 of 1 checklist');
    expect(await storedCount('checklists')).toBe(1);
  });

  test('sign-off correction: no reason is refused; a withdrawal is a new entry, the original stays', async () => {
    await goTab(page, 'Checklists');
    await page.getByTestId('checklist-row').click();
    await visible(item(page, 'brief'));
    for (const key of ITEM_KEYS) await answer(page, key, 'Done');
    await signOff(page, 'checklist');
    await poll(() => checklistStatus(page)).toBe('Complete');
    const entriesStored = async () => Object.values((await readStored(page, wsId, 'checklists')).entries);
    await poll(async () => (await entriesStored()).length).toBe(1);

    await page.getByTestId('signoff-entry').getByRole('button', { name: 'Add a correction' }).click();
    const dialog = page.getByRole('dialog', { name: 'Correct a sign-off' });
    await visible(dialog);
    expect(await dialog.getByLabel('The corrected sign-off no longer stands').isChecked()).toBe(true);
    await dialog.getByRole('button', { name: 'Add correction' }).click();
    await poll(() => textsOf(dialog.getByRole('alert'))).toEqual(['Say what is being corrected and why.']);
    await dialog.getByLabel('What is being corrected, and why').fill('   ');
    await dialog.getByRole('button', { name: 'Add correction' }).click();
    await poll(() => textsOf(dialog.getByRole('alert'))).toEqual(['Say what is being corrected and why.']);
    await screenshot(page, 'correction-dialog-error');
    await dialog.locator('button', { hasText: /^Cancel$/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.getByTestId('signoff-entry').count()).toBe(1);
    expect(await checklistStatus(page)).toBe('Complete');
    expect(await entriesStored()).toHaveLength(1);

    // A real correction is appended; the sign-off it withdraws is still in the history.
    await page.getByTestId('signoff-entry').getByRole('button', { name: 'Add a correction' }).click();
    await visible(dialog);
    await dialog.getByLabel('What is being corrected, and why').fill('Signed for the wrong month.');
    await dialog.getByRole('button', { name: 'Add correction' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await poll(() => textsOf(page.getByTestId('signoff-entry').locator('strong'))).toEqual(['Sign-off withdrawn', 'Signed off']);
    expect(await checklistStatus(page)).toBe('Ready to sign');
    expect(await textOf(page.locator('.signoff'))).toContain('Not signed off yet.');
    const entries = await entriesStored();
    expect(entries).toHaveLength(2);
    const original = entries.find((e) => e['kind'] === 'signoff')!;
    expect(entries.find((e) => e['kind'] === 'correction')).toMatchObject({ corrects: original['id'], withdraws: true, note: 'Signed for the wrong month.', byName: 'Mia Manager' });
  });

  test('new briefing: no team, no date, incomplete date', async () => {
    await goHash(page, '#/briefings/new');
    await visible(page.getByRole('heading', { name: 'New briefing' }));
    expect(await page.getByLabel('Team').inputValue()).toBe('');
    await page.getByRole('button', { name: 'Start minutes' }).click();
    await poll(() => fieldErrors(page)).toEqual(['Choose the team that was briefed.']);
    expect(await describedBy(page.getByLabel('Team'))).toContain('Choose the team that was briefed.');

    await page.getByLabel('Team').selectOption('Ops');
    await page.getByLabel('Date').fill('');
    await page.getByRole('button', { name: 'Start minutes' }).click();
    await poll(() => fieldErrors(page)).toEqual(['Enter the date as YYYY-MM-DD, e.g. 2026-11-25.']);

    await typePartialDate(page.getByLabel('Date'));
    await page.getByRole('button', { name: 'Start minutes' }).click();
    await poll(() => fieldErrors(page)).toEqual(['Enter a complete date (day, month and year).']);
    expect(await page.evaluate(() => location.hash)).toBe('#/briefings/new');

    await goTab(page, 'Briefings');
    await visible(page.getByRole('heading', { name: 'No briefings recorded' }));
    expect(await rows('briefing-row')).toBe(0);
    expect(await storedCount('briefings')).toBe(0);
    expect(errorsOf(page)).toEqual([]);
  });

  test('join: a damaged link, and joining without a name', async () => {
    const link = await joinLinkOf(page);
    const { context: other, page: p2 } = await newPhone(browser!);
    try {
      // A link cut short by a chat app: the key is incomplete.
      await p2.goto(link.slice(0, link.indexOf('&k=') + 20));
      await poll(() => textsOf(p2.getByRole('alert'))).toEqual(['This join link is incomplete or damaged. Ask for a new link and open it whole.']);
      expect(await p2.getByRole('button', { name: 'Join workspace' }).count()).toBe(0);
      expect(await storedWorkspaceCount(p2)).toBe(0);

      await p2.goto('about:blank');
      await p2.goto(link);
      await visible(p2.getByRole('heading', { name: 'Join Acme Checks' }));
      await p2.getByRole('button', { name: 'Join workspace' }).click();
      await poll(() => fieldErrors(p2)).toEqual(['Enter your name: it goes on your sign-offs.']);
      expect(await storedWorkspaceCount(p2)).toBe(0);
      expect(errorsOf(p2)).toEqual([]);
    } finally {
      await closeAll(other);
    }
  });
});

/*
 * Regression: the "Cancel" buttons of the sign-off and correction dialogs are
 * announced as "Cancel", not Kobalte's default "Dismiss" (WCAG 2.5.3 Label in Name).
 */
describe('dialog buttons are named as they read', () => {
  test('the sign-off dialog\'s Cancel button is announced as "Cancel"', async () => {
    await goTab(page, 'Checklists');
    await page.getByTestId('checklist-row').click();
    await page.getByRole('button', { name: 'Sign off checklist' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign off the checklist' });
    await visible(dialog);
    // The accessibility tree's buttons, by the names assistive technology gets.
    const buttons = (await dialog.ariaSnapshot()).split('\n').filter((l) => l.trim().startsWith('- button'));
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(buttons.map((l) => l.trim())).toEqual(['- button "Cancel"', '- button "Sign off"']);
  });
});
