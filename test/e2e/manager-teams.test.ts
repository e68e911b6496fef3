import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import {
  addPerson,
  createWorkspace,
  currentWorkspaceId,
  dismissOfflineReady,
  errorsOf,
  fieldErrors,
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
import { inviteLink, joinWithInvite, optionsOf, withPhones } from './invites.ts';

/*
 * Issue 11, item 2: managers see and start only their own teams.
 *   - Olga (owner) invites Lee as the manager of Operations, and Nia as a manager
 *     who is not in People yet (no team);
 *   - Lee's Home offers only Operations; Start opens the form with Operations and
 *     starts it; a hand-edited "?team=Sales" is refused at the field, nothing stored;
 *   - team filters list only Lee's team; Olga's list every team;
 *   - a form left open while Olga moves Lee to another team refuses the old team;
 *   - Nia is told what to do, and sees her team once Olga adds her to People.
 */

const ORG = 'Acme Teams';
const { relay, phone } = withPhones();

/** The teams listed in Home's "<month> checklists" card. */
const monthTeams = (page: Page) => textsOf(page.locator('section[aria-labelledby="month-title"] li > span'));
const hash = (page: Page) => page.evaluate(() => location.hash);

test('a manager of Operations is offered, starts and lists only Operations; another team by link or a stale form is refused at the field', { timeout: 300_000 }, async () => {
  const olga = await phone();
  await createWorkspace(olga, relay().url, ORG, 'Olga Owner');
  await dismissOfflineReady(olga);
  await addPerson(olga, { name: 'Olga Owner', team: 'Security' });
  await addPerson(olga, { name: 'Lee Lead', team: 'Operations' });
  await addPerson(olga, { name: 'Oscar Ops', team: 'Operations' });
  await addPerson(olga, { name: 'Ria Sales', team: 'Sales' });
  const ws = await currentWorkspaceId(olga);
  const leeId = storedWhere(await readStored(olga, ws, 'people'), 'name', 'Lee Lead')[0]![0];
  await waitSyncStatus(olga, 'synced');

  // ---- Lee, manager of Operations ----
  const lee = await phone();
  await joinWithInvite(lee, await inviteLink(olga, 'Lee Lead (Operations)', 'Manager'), ORG, 'Lee Lead');
  await waitSyncStatus(lee, 'synced');
  await goTab(lee, 'Home');
  await poll(() => monthTeams(lee)).toEqual(['Operations']);
  expect(await lee.getByRole('link', { name: 'Start' }).count()).toBe(1);
  await poll(() => optionsOf(lee, 'Team')).toEqual(['All teams', 'Operations']);
  await screenshot(lee, 'manager-teams-1-home');

  // Start opens the form with Operations chosen, and starts Operations's checklist.
  await lee.getByRole('link', { name: 'Start' }).tap();
  await visible(lee.getByRole('heading', { name: 'New checklist' }));
  expect(await lee.getByLabel('Team', { exact: true }).inputValue()).toBe('Operations');
  await lee.getByRole('button', { name: 'Start checklist' }).tap();
  await poll(() => hash(lee)).toMatch(/^#\/checklists\/(?!new)[\w-]+$/);
  await visible(lee.getByTestId('item-brief'));

  // A hand-edited link for Sales: the field shows no team and says why; Start stores nothing.
  await goHash(lee, '#/checklists');
  await goHash(lee, '#/checklists/new?team=Sales');
  await visible(lee.getByRole('heading', { name: 'New checklist' }));
  const refusal = 'You manage Operations, not Sales: choose one of your teams. Only a manager of Sales or an owner can choose it.';
  await poll(() => fieldErrors(lee)).toEqual([refusal]);
  expect(await lee.getByLabel('Team', { exact: true }).inputValue()).toBe('');
  await screenshot(lee, 'manager-teams-2-refused-link');
  await lee.getByRole('button', { name: 'Start checklist' }).tap();
  await poll(() => fieldErrors(lee)).toEqual([refusal]);
  expect(await hash(lee)).toBe('#/checklists/new?team=Sales');
  const checklists = await readStored(lee, ws, 'checklists');
  expect(storedWhere(checklists, 'team', 'Sales')).toHaveLength(0);
  expect(storedWhere(checklists, 'team', 'Operations')).toHaveLength(1);

  // Filters list Lee's team only.
  await goTab(lee, 'Checklists');
  await poll(() => textsOf(lee.getByTestId('checklist-row').locator('.title'))).toEqual(['Operations']);
  await poll(() => optionsOf(lee, 'Team')).toEqual(['All', 'Operations']);
  await goTab(lee, 'People');
  await poll(() => optionsOf(lee, 'Team')).toEqual(['All teams', 'Operations']);
  expect(await textOf(lee.locator('.count'))).toBe('2 people · 1 team');
  // Another team's person, by link: not shown, not editable.
  const riaId = storedWhere(await readStored(lee, ws, 'people'), 'name', 'Ria Sales')[0]![0];
  await goHash(lee, `#/people/${riaId}`);
  await visible(lee.getByTestId('person-refused'));
  expect(await lee.getByLabel('Full name').count()).toBe(0);

  // ---- Nia: a manager with no team ----
  const nia = await phone();
  await joinWithInvite(nia, await inviteLink(olga, 'Someone not in People yet', 'Manager', { name: 'Nia New' }), ORG, 'Nia New');
  await waitSyncStatus(nia, 'synced');
  await goTab(nia, 'Home');
  await poll(() => textOf(nia.getByTestId('no-team-visible'))).toMatch(/^You do not manage a team yet\. An owner must add you as a team’s manager: in People, with your team, or as the manager of the people in it\. This device signs as “Nia New”/);
  expect(await nia.getByRole('link', { name: 'Start' }).count()).toBe(0);
  await screenshot(nia, 'manager-teams-3-no-team');
  await goHash(nia, '#/checklists/new');
  await visible(nia.getByTestId('no-team-visible'));
  expect(await nia.getByRole('button', { name: 'Start checklist' }).count()).toBe(0);
  await goTab(nia, 'Home');
  expect(await nia.getByTestId('people-gaps').count() + (await nia.getByTestId('team-row').count())).toBe(0);

  // ---- A form left open while the owner moves Lee to another team ----
  await goHash(lee, '#/briefings');
  await goHash(lee, '#/briefings/new');
  await visible(lee.getByRole('heading', { name: 'New briefing' }));
  await poll(() => optionsOf(lee, 'Team')).toEqual(['Choose a team', 'Operations']);
  expect(await lee.getByLabel('Team', { exact: true }).inputValue()).toBe('Operations');
  await goHash(olga, `#/people/${leeId}`);
  const team = olga.getByLabel('Team', { exact: true });
  await team.tap();
  await olga.keyboard.press('Control+A');
  await olga.keyboard.type('Support');
  await olga.getByRole('button', { name: 'Save changes' }).tap();
  await visible(olga.getByText('Saved.'));
  // Lee's open form no longer shows or submits Operations.
  const moved = 'You manage Support, not Operations: choose one of your teams. Only a manager of Operations or an owner can choose it.';
  await poll(() => fieldErrors(lee), 30_000).toEqual([moved]);
  expect(await lee.getByLabel('Team', { exact: true }).inputValue()).toBe('');
  await lee.getByRole('button', { name: 'Start minutes' }).tap();
  await poll(() => fieldErrors(lee)).toEqual([moved]);
  expect(await hash(lee)).toBe('#/briefings/new');
  expect(Object.keys((await readStored(lee, ws, 'briefings')).records)).toHaveLength(0);
  // Choosing the team offered now starts it.
  await lee.getByLabel('Team', { exact: true }).selectOption('Support');
  await lee.getByRole('button', { name: 'Start minutes' }).tap();
  await poll(() => hash(lee)).toMatch(/^#\/briefings\/(?!new)[\w-]+$/);
  expect(storedWhere(await readStored(lee, ws, 'briefings'), 'team', 'Support')).toHaveLength(1);
  await goTab(lee, 'Briefings');
  await poll(() => optionsOf(lee, 'Team')).toEqual(['All teams', 'Support']);

  // ---- Olga adds Nia to People: Nia's Home now offers her team ----
  await addPerson(olga, { name: 'Nia New', team: 'Sales' });
  await goTab(nia, 'Home');
  await poll(() => monthTeams(nia), 30_000).toEqual(['Sales']);
  expect(await nia.getByTestId('no-team-visible').count()).toBe(0);

  // The owner sees every team.
  await goTab(olga, 'Home');
  await poll(() => monthTeams(olga)).toEqual(['Operations', 'Sales', 'Security', 'Support']);
  await poll(() => optionsOf(olga, 'Team')).toEqual(['All teams', 'Operations', 'Sales', 'Security', 'Support']);

  for (const p of [olga, lee, nia]) expect(errorsOf(p)).toEqual([]);
});
