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
  indicator,
  personNames,
  poll,
  readStored,
  screenshot,
  startChecklist,
  storedWhere,
  textOf,
  textsOf,
  unconfirmed,
  visible,
  waitSyncStatus,
} from './browser.ts';
import { inviteLink, joinWithInvite as joinInvite, withPhones } from './invites.ts';

/*
 * Invites and access on phones (390×844):
 *   - the owner invites Sam (staff) and Lee (manager) with links read from the screen;
 *   - Sam's phone joins, is linked to Sam with the invite's role, sees only his
 *     own training and is told why People is not open to him;
 *   - the owner removes Lee's phone: the workspace key changes, Sam's phone picks
 *     up the new one and keeps syncing, Lee's says it was removed and its edits
 *     no longer reach the relay; the old invite link no longer works.
 */

const ORG = 'Acme Access';
const { relay, phone } = withPhones();

/** This device's workspace record in Dexie (`muster-device`): the secret it holds and its epoch. */
const storedWorkspace = (page: Page) =>
  page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('muster-device');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    try {
      const rows = await new Promise<Array<{ id: string; secret: string; epoch?: number; inviteId?: string; joinedWith?: string; contentKey?: string; pastContentKeys?: string[] }>>((resolve, reject) => {
        const r = db.transaction('workspaces', 'readonly').objectStore('workspaces').getAll();
        r.onsuccess = () => resolve(r.result as never);
        r.onerror = () => reject(r.error);
      });
      return rows[0]!;
    } finally {
      db.close();
    }
  });

/** Owner: invites `person` with `role` from Members and returns the link shown on screen. */
const invite = (page: Page, person: string, role: 'Staff' | 'Manager' | 'Owner') => inviteLink(page, person, role, role === 'Staff' ? { screenshot: 'access-0-invite-form' } : {});
const joinWithInvite = (page: Page, link: string, expectedName: string) => joinInvite(page, link, ORG, expectedName);

const tabNames = (page: Page) => textsOf(page.getByRole('navigation', { name: 'Sections' }).getByRole('link'));

test('invite → linked staff phone with only its own data; removal rotates the key: the others keep syncing, the removed phone cannot', { timeout: 240_000 }, async () => {
  // ---- Olga creates the workspace, adds people and training ----
  const olga = await phone();
  await createWorkspace(olga, relay().url, ORG, 'Olga Owner');
  await dismissOfflineReady(olga);
  await addPerson(olga, { name: 'Olga Owner', team: 'Security' });
  await addPerson(olga, { name: 'Sam Staff', team: 'Ops' });
  await addPerson(olga, { name: 'Lee Lead', team: 'Ops' });
  await addPerson(olga, { name: 'Ria Sales', team: 'Sales' });
  await goHash(olga, '#/training');
  await olga.getByRole('button', { name: /^Add annual security awareness/ }).click();
  for (const [who, cert] of [['Sam Staff (Ops)', 'CERT-SAM'], ['Ria Sales (Sales)', 'CERT-RIA']] as const) {
    await goHash(olga, '#/training');
    await goHash(olga, '#/training/new');
    await olga.getByLabel('Person').selectOption({ label: who });
    await olga.getByLabel('Evidence reference').fill(cert);
    await olga.getByRole('button', { name: 'Record completion' }).click();
    await poll(() => olga.evaluate(() => location.hash)).toMatch(/^#\/training\/matrix/);
  }
  const ws = await currentWorkspaceId(olga);
  const people = await readStored(olga, ws, 'people');
  const samId = storedWhere(people, 'name', 'Sam Staff')[0]![0];
  await waitSyncStatus(olga, 'synced');

  // ---- Olga invites Sam as staff: a link and a QR code on screen ----
  const samLink = await invite(olga, 'Sam Staff (Ops)', 'Staff');
  expect(samLink).toMatch(new RegExp(`^${relay().url}/#join\\?w=${ws}&k=[\\w-]{43}&org=Acme\\+Access&c=[\\w-]{43}&r=[0-9a-f]{32}&i=[\\w-]+&n=Sam\\+Staff(&e=[0-9a-f]{64})?$`));
  expect(await textOf(olga.getByTestId('invite-for'))).toBe('Sam Staff');
  await screenshot(olga, 'access-1-invite-link', { fullPage: true });

  // ---- Sam's phone joins with it: linked to Sam, staff ----
  const sam = await phone();
  await joinWithInvite(sam, samLink, 'Sam Staff');
  await waitSyncStatus(sam, 'synced');
  await poll(async () => storedWhere(await readStored(sam, ws, 'members'), 'type', 'device').filter(([, f]) => f['name'] === 'Sam Staff').map(([, f]) => [f['role'], f['personId'], typeof f['inviteId']])).toEqual([['staff', samId, 'string']]);
  expect((await storedWorkspace(sam)).joinedWith).toBe('invite');
  // Olga sees who used the invite.
  await poll(() => textOf(olga.getByTestId('invite-used')), 30_000).toMatch(/^Used by Sam Staff \(/);

  // Sam's tab bar: Home and More only; Home shows his own gaps only. People is refused, with the reason.
  await poll(() => tabNames(sam)).toEqual(['Home', 'More']);
  await poll(() => textsOf(sam.getByTestId('person-gaps').locator('.title'))).toEqual(['Sam Staff']);
  expect(await textOf(sam.getByTestId('kpi-training'))).toMatch(/^100%\s*Training complete\s*1 of 1$/);
  await screenshot(sam, 'access-2a-staff-home');
  await goHash(sam, '#/people');
  await visible(sam.getByTestId('section-refused'));
  expect(await textOf(sam.getByTestId('refused-reason'))).toBe(
    'Only owners and managers can open People. This device has a member of staff’s access. Your own record shows in Home, My policies and Training.',
  );
  expect(await sam.getByTestId('person-row').count()).toBe(0);
  await screenshot(sam, 'access-2-staff-refused-people');

  // Training: only his own completion; Ria's is not on his screen. The matrix has only him. The reason is shown.
  await goHash(sam, '#/training');
  await poll(() => textsOf(sam.getByTestId('completion-row').locator('.title'))).toEqual(['Sam Staff']);
  expect(await textOf(sam.getByTestId('completion-count'))).toMatch(/^1 of 1 completion\b/);
  expect(await textOf(sam.getByTestId('scope-note'))).toBe('As a member of staff you see only your own records. Managers see their team’s; owners see everyone’s.');
  expect(await sam.content()).not.toContain('Ria Sales');
  await screenshot(sam, 'access-3-staff-training');
  await goHash(sam, '#/training/matrix');
  await poll(() => textsOf(sam.getByTestId('matrix-row').locator('.title'))).toEqual(['Sam Staff']);
  // More lists only what staff may open, and says what is not there.
  await goHash(sam, '#/more');
  expect(await textsOf(sam.locator('.list .list-item .title'))).toEqual(['Speak up', 'My policies', 'Training', 'Disciplinary', 'Settings']);
  expect(await textOf(sam.getByTestId('more-hidden'))).toMatch(/^Not on this device: Checklists, Briefings, People, Policies, .*Staff see their own records/);
  // Settings: no workspace link for staff, and why.
  await goTab(sam, 'Settings');
  expect(await sam.getByTestId('join-link').count()).toBe(0);
  expect(await textOf(sam.getByTestId('invite-refused'))).toBe('Only owners and managers can invite people. This device has a member of staff’s access.');

  // Olga (owner) still sees everyone's training.
  await goHash(olga, '#/training');
  await poll(() => textsOf(olga.getByTestId('completion-row').locator('.title'))).toHaveLength(2);
  expect(await olga.getByTestId('scope-note').count()).toBe(0);

  // ---- Lee's phone joins as a manager, then is removed ----
  // Checklists of two teams: a manager of Ops sees only Ops's.
  await startChecklist(olga, 'Ops');
  const salesChecklist = await startChecklist(olga, 'Sales');
  const leeLink = await invite(olga, 'Lee Lead (Ops)', 'Manager');
  const lee = await phone();
  await joinWithInvite(lee, leeLink, 'Lee Lead');
  await waitSyncStatus(lee, 'synced');
  await goTab(lee, 'People');
  // A manager sees the Ops team only.
  await poll(() => personNames(lee)).toEqual(['Lee Lead', 'Sam Staff']);
  await goTab(lee, 'Checklists');
  await poll(() => textsOf(lee.getByTestId('checklist-row').locator('.title'))).toEqual(['Ops']);
  expect(await lee.getByTestId('checklist-row').filter({ hasText: 'Sales' }).count()).toBe(0);
  await goHash(lee, `#/checklists/${salesChecklist}`);
  await visible(lee.getByTestId('team-refused'));
  expect(await textOf(lee.getByTestId('team-refused'))).toContain('This record belongs to the Sales team.');
  await screenshot(lee, 'access-3b-manager-other-team');

  const before = await storedWorkspace(sam);
  await goHash(olga, '#/members');
  await poll(() => olga.getByTestId('member-row').count(), 30_000).toBe(3);
  await screenshot(olga, 'access-4-members', { fullPage: true });
  await olga.getByTestId('member-row').filter({ hasText: 'Lee Lead' }).click();
  await olga.getByTestId('remove-device').click();
  await olga.getByTestId('remove-device').click();
  await poll(() => textOf(olga.getByTestId('member-done')), 30_000).toBe(
    'Removed. The workspace key was changed: that device can no longer sync, and earlier links stop working.',
  );
  await screenshot(olga, 'access-5-removed');

  // Lee's phone: refused, and says it was removed.
  await waitSyncStatus(lee, 'refused');
  expect(await textOf(lee.getByTestId('access-refused'))).toMatch(/^Refused — you were removed from this workspace\./);
  expect(await indicator(lee).getAttribute('aria-label')).toBe('Not syncing. Refused — you were removed from this workspace.');
  await screenshot(lee, 'access-6-removed-phone');
  // Its edits stay on it (a removed device acts as staff: it records its own training).
  await goHash(lee, '#/training');
  await goHash(lee, '#/training/new');
  await lee.getByLabel('Person').selectOption({ label: 'Lee Lead (Ops)' });
  await lee.getByLabel('Evidence reference').fill('CERT-GHOST');
  await lee.getByRole('button', { name: 'Record completion' }).click();
  await poll(() => lee.evaluate(() => location.hash)).toMatch(/^#\/training\/matrix/);
  expect(JSON.stringify(await readStored(lee, ws, 'training'))).toContain('CERT-GHOST');
  await poll(() => unconfirmed(lee)).toBeGreaterThan(0);

  // Sam's phone picked up the new secret and keeps syncing, both ways.
  await poll(async () => (await storedWorkspace(sam)).epoch, 30_000).toBe(1);
  const after = await storedWorkspace(sam);
  expect(after.secret).not.toBe(before.secret);
  expect(after.secret).toBe((await storedWorkspace(olga)).secret);
  // The content key changed with it: Sam's phone seals with the new one and keeps the old one for what came before; Lee's holds the old one only.
  expect(after.contentKey).toMatch(/^[\w-]{43}$/);
  expect(after.contentKey).not.toBe(before.contentKey);
  expect(after.pastContentKeys).toEqual([before.contentKey]);
  expect((await storedWorkspace(olga)).contentKey).toBe(after.contentKey);
  expect((await storedWorkspace(lee)).contentKey).toBe(before.contentKey);
  await waitSyncStatus(sam, 'synced');
  await addPerson(olga, { name: 'Nia New', team: 'Ops' });
  await poll(async () => storedWhere(await readStored(sam, ws, 'people'), 'name', 'Nia New').length, 30_000).toBe(1);
  // ...and Sam's own edit (his training, recorded on his phone) reaches Olga.
  await goHash(sam, '#/training');
  await goHash(sam, '#/training/new');
  await sam.getByLabel('Person').selectOption({ label: 'Sam Staff (Ops)' });
  await sam.getByLabel('Completed on').fill('2025-06-02');
  await sam.getByLabel('Evidence reference').fill('CERT-SAM-RENEWED');
  await sam.getByRole('button', { name: 'Record completion' }).click();
  await poll(() => sam.evaluate(() => location.hash)).toMatch(/^#\/training\/matrix/);
  await poll(async () => JSON.stringify(await readStored(olga, ws, 'training')), 30_000).toContain('CERT-SAM-RENEWED');
  await waitSyncStatus(sam, 'synced');
  await waitSyncStatus(olga, 'synced');
  // Lee's edit never reached the relay: not on Olga's or Sam's phone after they synced.
  expect(JSON.stringify(await readStored(olga, ws, 'training'))).not.toContain('CERT-GHOST');
  expect(JSON.stringify(await readStored(sam, ws, 'training'))).not.toContain('CERT-GHOST');
  expect(await unconfirmed(lee)).toBeGreaterThan(0);
  expect(await syncLabel(lee)).toBe('refused');
  // The relay rotated once, for the two remaining devices; the signed removal closed Lee's connections at once.
  expect(relay().stderr()).toMatch(new RegExp(`auth\\.rotated workspace=${ws} epoch=1 devices=2`));
  expect(relay().stderr()).toMatch(new RegExp(`admission\\.closed workspace=${ws} device=\\S+ reason="device removed"`));

  // Olga's members list: Lee removed, Sam and Olga active; the invite shows who used it.
  await goHash(olga, '#/members');
  await poll(() => olga.getByTestId('member-row').count()).toBe(2);
  await olga.getByLabel('Show').selectOption({ label: 'Removed devices, revoked invites' });
  await poll(() => textsOf(olga.getByTestId('member-row').locator('.title'))).toEqual(['Lee Lead']);

  // The old invite link (old secret) no longer gets anyone in.
  const late = await phone();
  await joinWithInvite(late, samLink, 'Sam Staff');
  await waitSyncStatus(late, 'refused');
  expect(await textOf(late.getByTestId('access-refused'))).toMatch(/^This link is out of date: the workspace key has changed since it was made\./);
  await screenshot(late, 'access-7-old-link');
  // The relay refused the old key as stale, and logged why.
  expect(relay().stderr()).toMatch(new RegExp(`ws\\.refused room=${ws}\\.\\S+ code=4401 reason="stale credentials"`));

  for (const p of [olga, sam, lee, late]) expect(errorsOf(p)).toEqual([]);
});

const syncLabel = (page: Page) => indicator(page).getAttribute('data-status');
