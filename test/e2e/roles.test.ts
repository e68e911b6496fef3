import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import type { RelayProcess } from '../integration/harness.ts';
import {
  addPerson,
  createWorkspace,
  currentWorkspaceId,
  dismissOfflineReady,
  download,
  errorsOf,
  escapeRegExp,
  fieldErrors,
  goHash,
  poll,
  readStored,
  type Register,
  screenshot,
  textOf,
  textsOf,
  visible,
  withOnePhone,
} from './browser.ts';

/*
 * Roles & RACI and the competency matrix on a phone: the default roles, a
 * holder, a RACI row with one A, a required competence, the gap it makes and
 * the holding that closes it; and bad input refused with a message.
 */

let relay: RelayProcess;
let page: Page;
let ws: string;

const DEFAULT_ROLES = [
  'Business continuity manager', 'CEO', 'Incident management', 'Information owners', 'ISMS manager', 'Leadership team', 'Management review team', 'Supplier manager',
];

withOnePhone((s) => ({ relay, page } = s));

const stored = (register: Register) => readStored(page, ws, register);
const hash = () => page.evaluate(() => location.hash);
const roleRow = (name: string) => page.getByTestId('role-row').filter({ has: page.locator('.title', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }) });
const activityCard = (name: string) => page.getByTestId('raci-activity').filter({ has: page.getByRole('heading', { name, exact: true }) });
const letter = (card: ReturnType<typeof activityCard>, role: string, l: 'R' | 'A' | 'C' | 'I') => card.getByRole('group', { name: role, exact: true }).getByRole('button', { name: l, exact: true });
const matrixCell = (person: string) => page.getByTestId('competency-row').filter({ hasText: person }).getByTestId('competency-cell');

async function personId(name: string): Promise<string> {
  const people = await stored('people');
  const found = Object.entries(people.records).find(([, f]) => f['name'] === name);
  if (!found) throw new Error(`${name} not stored`);
  return found[0];
}

async function openRole(name: string) {
  await goHash(page, '#/roles');
  await roleRow(name).click();
  await poll(hash).toMatch(/^#\/roles\/role-/);
  await visible(page.getByRole('heading', { name, level: 1 }));
}

describe('roles and RACI', () => {
  test('a new workspace shows the eight default roles', async () => {
    await createWorkspace(page, relay.url, 'Acme Roles', 'Mia Manager');
    ws = await currentWorkspaceId(page);
    await dismissOfflineReady(page);
    await goHash(page, '#/roles');
    await visible(roleRow('CEO'));
    await poll(() => textsOf(page.getByTestId('role-row').locator('.title'))).toEqual(DEFAULT_ROLES);
    expect(await textOf(page.locator('.count'))).toContain('8 roles · 8 with nobody holding them');
    await screenshot(page, 'roles-list');
  });

  test('tapping a person assigns them to ISMS manager', async () => {
    await addPerson(page, { name: 'Ada Lovelace', team: 'Security', jobTitle: 'ISMS lead' });
    await addPerson(page, { name: 'Mia Manager', team: 'Ops' });
    await openRole('ISMS manager');
    const ada = page.getByTestId('holder').filter({ hasText: /^Ada Lovelace$/ });
    await ada.click();
    await poll(() => ada.getAttribute('aria-pressed')).toBe('true');
    const adaId = await personId('Ada Lovelace');
    await poll(async () => (await stored('roles')).records['role-isms-manager']?.[`holder.${adaId}`]).toBe(true);
    await goHash(page, '#/roles');
    expect(await textOf(roleRow('ISMS manager'))).toContain('Ada Lovelace');
    expect(await textOf(roleRow('ISMS manager'))).toContain('1 holder');
  });

  test('an empty role name is refused with a message, and nothing is stored', async () => {
    const before = await stored('roles');
    await goHash(page, '#/roles/new');
    await visible(page.getByRole('heading', { name: 'Add a role' }));
    await page.getByLabel('Role name').fill('   ');
    await page.getByRole('button', { name: 'Add role' }).click();
    await poll(() => fieldErrors(page)).toEqual(['Enter the role’s name.']);
    await page.getByLabel('Role name').fill('isms manager');
    await page.getByRole('button', { name: 'Add role' }).click();
    await poll(() => fieldErrors(page)).toEqual(['There is already a role called ISMS manager.']);
    expect(await hash()).toBe('#/roles/new');

    await openRole('CEO');
    await page.getByLabel('Role name').fill('');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await poll(() => fieldErrors(page)).toEqual(['Enter the role’s name.']);
    expect(await stored('roles')).toEqual(before);
  });

  test('RACI: standard activities, a new activity with A for CEO and R for ISMS manager, one-A warnings, CSV', async () => {
    await goHash(page, '#/roles/raci');
    await visible(page.getByRole('heading', { name: 'No RACI activities yet' }));
    await page.getByRole('button', { name: 'Add the standard activities' }).click();
    await poll(() => page.getByTestId('raci-activity').count()).toBe(8);
    // Suggested letters give every standard row exactly one A.
    expect(await page.getByTestId('raci-warning').count()).toBe(0);

    await page.getByLabel('New activity').fill('Review access rights');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const card = activityCard('Review access rights');
    await visible(card);
    expect(await textOf(card.getByTestId('raci-warning'))).toBe('⚠ No role is accountable (A): choose exactly one.');

    await letter(card, 'CEO', 'A').click();
    await letter(card, 'ISMS manager', 'R').click();
    await poll(() => letter(card, 'CEO', 'A').getAttribute('aria-pressed')).toBe('true');
    await poll(() => letter(card, 'ISMS manager', 'R').getAttribute('aria-pressed')).toBe('true');
    await poll(() => card.getByTestId('raci-warning').count()).toBe(0);

    // A second A is flagged, not blocked; tapping it again clears it.
    await letter(card, 'Leadership team', 'A').click();
    await poll(() => textsOf(card.getByTestId('raci-warning'))).toEqual(['⚠ 2 roles are accountable (CEO, Leadership team): only one should be.']);
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'raci-phone-warning');
    await letter(card, 'Leadership team', 'A').click();
    await poll(() => card.getByTestId('raci-warning').count()).toBe(0);

    const roles = await stored('roles');
    const [id, fields] = Object.entries(roles.records).find(([, f]) => f['name'] === 'Review access rights')!;
    expect(fields).toMatchObject({ type: 'activity', 'raci.role-ceo': 'A', 'raci.role-isms-manager': 'R', 'raci.role-leadership': '' });
    expect(id).toMatch(/^activity-/);

    await page.getByTestId('raci-activity').first().scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'raci-phone');

    // The grid also works at 390 px: it scrolls sideways.
    await page.getByRole('button', { name: 'Grid', exact: true }).click();
    const cell = page.getByLabel('Review access rights — CEO');
    await visible(cell);
    expect(await cell.inputValue()).toBe('A');
    await screenshot(page, 'raci-grid-phone');
    await page.getByRole('button', { name: 'Cards', exact: true }).click();

    const { name, bytes } = await download(page, page.getByRole('button', { name: 'Export the matrix as CSV' }));
    expect(name).toMatch(/^muster-raci-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = bytes.toString('utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe(`Activity,${DEFAULT_ROLES.join(',')},Accountable check`);
    expect(lines).toContain('Review access rights,,A,,,R,,,,OK');
    expect(lines).toHaveLength(10);
  });
});

describe('competency matrix', () => {
  test('a required competence shows a gap for the holder until a holding at the required level is recorded', async () => {
    await openRole('ISMS manager');
    await page.getByRole('link', { name: 'Add a required competence' }).click();
    await visible(page.getByRole('heading', { name: 'Add a competence' }));
    // Added from the role: it is preselected at level 2.
    expect(await page.getByLabel('ISMS manager', { exact: true }).inputValue()).toBe('2');

    // Bad input first: no name, no kind.
    await page.getByRole('button', { name: 'Add competence' }).click();
    await poll(() => fieldErrors(page)).toEqual(['Enter the competence, e.g. Risk assessment.', 'Choose the kind: skill, training, certification or experience.']);
    expect(Object.values((await stored('competency')).records)).toHaveLength(0);

    await page.getByLabel('Competence', { exact: true }).fill('Risk assessment');
    await page.getByLabel('Kind').selectOption('skill');
    await screenshot(page, 'competency-form');
    await page.getByRole('button', { name: 'Add competence' }).click();
    await poll(hash).toBe('#/competency?role=role-isms-manager');

    await visible(page.getByRole('heading', { name: 'Competency matrix' }));
    await poll(() => matrixCell('Ada Lovelace').getAttribute('data-state')).toBe('missing');
    expect(await matrixCell('Ada Lovelace').getAttribute('aria-label')).toBe('Ada Lovelace, Risk assessment: Gap: needs level 2');
    expect(await textOf(page.locator('.count'))).toContain('1 gap');
    await screenshot(page, 'competency-matrix-gap');

    // Only gaps / search filters.
    await page.getByLabel('Search').fill('nobody');
    await visible(page.getByText('Nobody matches these filters.'));
    await page.getByLabel('Search').fill('');

    // Record the holding: bad date first, then level 2.
    await matrixCell('Ada Lovelace').click();
    await visible(page.getByRole('heading', { name: 'Record a level' }));
    await screenshot(page, 'competency-holding-form');
    await page.getByRole('button', { name: 'Save' }).click();
    await poll(() => fieldErrors(page)).toEqual(['Choose the level held.']);
    await page.getByText('2 Working', { exact: true }).click();
    await page.getByLabel('Assessed on').fill('2099-01-01');
    await page.getByRole('button', { name: 'Save' }).click();
    await poll(() => fieldErrors(page)).toEqual(['The assessment date cannot be in the future.']);
    expect(Object.values((await stored('competency')).records).filter((f) => f['type'] === 'holding')).toHaveLength(0);

    await page.getByLabel('Assessed on').fill('2026-11-02');
    await page.getByLabel('Evidence').fill('Appraisal 2026, risk workshop');
    await page.getByRole('button', { name: 'Save' }).click();
    await poll(hash).toBe('#/competency?role=role-isms-manager');
    await poll(() => matrixCell('Ada Lovelace').getAttribute('data-state')).toBe('met');
    expect(await textOf(page.locator('.count'))).toContain('no gaps');
    await screenshot(page, 'competency-matrix-met');

    const adaId = await personId('Ada Lovelace');
    const holdings = Object.entries((await stored('competency')).records).filter(([, f]) => f['type'] === 'holding');
    expect(holdings).toHaveLength(1);
    expect(holdings[0]![0]).toMatch(new RegExp(`^holding\\.${escapeRegExp(adaId)}\\.comp-`));
    expect(holdings[0]![1]).toMatchObject({ personId: adaId, level: 2, evidence: 'Appraisal 2026, risk workshop', assessedOn: '2026-11-02' });

    // The role detail shows what the role requires and that its holder has it.
    await openRole('ISMS manager');
    const req = page.getByTestId('role-competence');
    await visible(req);
    expect(await textOf(req)).toContain('Risk assessment');
    expect(await textOf(req)).toContain('Ada Lovelace: ✓ Level 2');
    await page.getByRole('heading', { name: 'Competences required' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'role-detail');
    await screenshot(page, 'role-detail-full', { fullPage: true });

    // The person view and the competences list.
    await goHash(page, '#/competency/people');
    await visible(page.getByTestId('competency-person').filter({ hasText: 'Ada Lovelace' }));
    expect(await textOf(page.getByTestId('competency-person'))).toContain('No gaps');
    await goHash(page, '#/competency/competences');
    expect(await textOf(page.getByTestId('competence-row'))).toContain('ISMS manager (2)');
    expect(errorsOf(page)).toEqual([]);
  });

  test('several holders and competences: gaps per cell, only-gaps filter, person view, CSV', async () => {
    await openRole('ISMS manager');
    const mia = page.getByTestId('holder').filter({ hasText: /^Mia Manager$/ });
    await mia.click();
    await poll(() => mia.getAttribute('aria-pressed')).toBe('true');

    for (const [name, kind, level] of [['ISO 27001 Lead Implementer', 'certification', '3'], ['Policy writing', 'experience', '1']] as const) {
      await goHash(page, '#/competency');
      await goHash(page, '#/competency/new?role=role-isms-manager');
      await visible(page.getByRole('heading', { name: 'Add a competence' }));
      await page.getByLabel('Competence', { exact: true }).fill(name);
      await page.getByLabel('Kind').selectOption(kind);
      await page.getByLabel('ISMS manager', { exact: true }).selectOption(level);
      await page.getByLabel('CEO', { exact: true }).selectOption('1');
      await page.getByRole('button', { name: 'Add competence' }).click();
      await poll(hash).toBe('#/competency?role=role-isms-manager');
    }
    await poll(() => page.getByTestId('competency-row').count()).toBe(2);
    await poll(() => matrixCell('Mia Manager').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))).toEqual(['missing', 'missing', 'missing']);
    expect(await matrixCell('Ada Lovelace').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))).toEqual(['missing', 'missing', 'met']);
    expect(await textOf(page.locator('.count'))).toContain('2 of 2 holders · 3 competences · 5 gaps');
    await screenshot(page, 'competency-matrix');

    await page.getByLabel('Only people with gaps').check();
    expect(await page.getByTestId('competency-row').count()).toBe(2);
    await page.getByLabel('Only people with gaps').uncheck();

    // The person view lists each role's competences; record one from there.
    await page.getByRole('link', { name: 'Mia Manager', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'Mia Manager', level: 1 }));
    expect(await page.getByTestId('person-competence').count()).toBe(3);
    await screenshot(page, 'competency-person');
    await page.getByTestId('person-competence').filter({ hasText: 'Policy writing' }).click();
    await visible(page.getByRole('heading', { name: 'Record a level' }));
    await page.getByText('1 Basic', { exact: true }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await poll(hash).toMatch(/^#\/competency\/person\?id=/);
    await poll(() => textOf(page.getByTestId('person-competence').filter({ hasText: 'Policy writing' }))).toContain('Level 1');

    await goHash(page, '#/competency?role=role-isms-manager');
    const { name, bytes } = await download(page, page.getByRole('button', { name: 'Export these as CSV' }));
    expect(name).toMatch(/^muster-competency-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = bytes.toString('utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('Person,Role,Competence,Kind,Required level,Proven by course,Level held,Status,Gap,Evidence,Assessed on');
    expect(lines).toContain('Ada Lovelace,ISMS manager,Risk assessment,Skill,2,,2,Level 2,No,"Appraisal 2026, risk workshop",2026-11-02');
    expect(lines).toContain('Mia Manager,ISMS manager,ISO 27001 Lead Implementer,Certification,3,,0,Gap: needs level 3,Yes,,');
    expect(lines).toHaveLength(7);

    // A wider screen: the RACI grid by default.
    await page.setViewportSize({ width: 1024, height: 800 });
    await goHash(page, '#/roles');
    await goHash(page, '#/roles/raci');
    await visible(page.getByTestId('raci-grid-row').first());
    await screenshot(page, 'raci-grid-wide');
    await page.setViewportSize({ width: 390, height: 844 });
    expect(errorsOf(page)).toEqual([]);
  });
});
