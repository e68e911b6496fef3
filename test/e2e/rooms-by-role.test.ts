import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import {
  addPerson,
  audienceViewOf,
  answer,
  createWorkspace,
  currentWorkspaceId,
  dismissOfflineReady,
  goHash,
  goTab,
  itemNote,
  poll,
  readStored,
  screenshot,
  startChecklist,
  storedText,
  tapItemNote,
  textOf,
  textsOf,
  visible,
  waitSyncStatus,
} from './browser.ts';
import { inviteLink, joinWithInvite, setRole, withPhones } from './invites.ts';

/*
 * Issue 18, rooms by role, on two phones (390×844, by touch) through a relay that admits devices (the default):
 * a staff phone never receives the checklists room (the relay refuses to open it, 4404) and still says Synced;
 * promoted to manager, the same phone opens it at once and shows the team's checklist (its per-person copies are
 * fetched again, one restart: docs/SECURITY.md "A staff phone holds its own records"); demoted
 * again, its channel is closed, its copy of the checklists deleted, and a later note never reaches it. What is stored on the phone is read from
 * IndexedDB by the test, not from the app.
 */

const ORG = 'Acme Rooms';
const { relay, phone } = withPhones();

const tabNames = (page: Page) => textsOf(page.getByRole('navigation', { name: 'Sections' }).getByRole('link'));


/** Olga types a note on the checklist's first item, by touch, and leaves the field with one tap on the next. */
async function typeNote(olga: Page, checklist: string, text: string) {
  await goHash(olga, `#/checklists/${checklist}`);
  await tapItemNote(olga, 'brief');
  await olga.keyboard.press('Control+A');
  await olga.keyboard.type(text);
  await answer(olga, 'compliance', 'Done');
  await poll(() => itemNote(olga, 'brief').inputValue()).toBe(text);
}

test('a staff phone never receives checklists; promoted it opens them at once, demoted it is closed again', { timeout: 240_000 }, async () => {
  const olga = await phone();
  await createWorkspace(olga, relay().url, ORG, 'Olga Owner');
  await dismissOfflineReady(olga);
  await addPerson(olga, { name: 'Olga Owner', team: 'Security' });
  await addPerson(olga, { name: 'Sam Staff', team: 'Ops' });
  const ws = await currentWorkspaceId(olga);
  const checklist = await startChecklist(olga, 'Ops');
  await typeNote(olga, checklist, 'Spare key taped under desk 4');
  await waitSyncStatus(olga, 'synced');

  // Sam joins as staff: synced, and the checklists room never reached his phone.
  const sam = await phone();
  await joinWithInvite(sam, await inviteLink(olga, 'Sam Staff (Ops)', 'Staff'), ORG, 'Sam Staff');
  await waitSyncStatus(sam, 'synced', 30_000);
  await poll(() => textOf(sam.getByTestId('invite-joined')), 30_000).toBe('Joined as member of staff.');
  // Policies and people (read-only for staff) did arrive: his own record is there.
  await poll(async () => JSON.stringify((await readStored(sam, ws, 'people')).records), 30_000).toContain('Sam Staff');
  expect(await storedText(sam, ws, 'checklists')).not.toContain('Spare key');
  await sam.reload();
  await waitSyncStatus(sam, 'synced', 30_000);
  expect(await storedText(sam, ws, 'checklists')).not.toContain('Spare key');
  await screenshot(sam, 'rooms-1-staff-synced');

  // Promoted to manager: Checklists is his tab now and shows Ops's checklist with Olga's note.
  expect(await tabNames(sam)).toEqual(['Home', 'More']);
  await setRole(olga, 'Sam Staff', 'manager');
  await poll(() => tabNames(sam), 30_000).toContain('Checklists');
  // His per-person copies (his own training and acknowledgements) go and come back whole: the phone starts again once.
  await poll(() => audienceViewOf(sam, ws), 30_000).toBe('all');
  await waitSyncStatus(sam, 'synced', 30_000);
  await poll(() => storedText(sam, ws, 'checklists'), 30_000).toContain('Spare key taped under desk 4');
  await goTab(sam, 'Checklists');
  await sam.getByTestId('checklist-row').first().tap();
  await poll(() => itemNote(sam, 'brief').inputValue()).toBe('Spare key taped under desk 4');
  await waitSyncStatus(sam, 'synced');
  await screenshot(sam, 'rooms-2-promoted-sees-checklist');

  // Demoted again: the relay closes his checklists channel, and the phone deletes its copy (it held Olga's note);
  // Olga's next note never reaches it, and it still says Synced.
  await goHash(sam, '#/home');
  await setRole(olga, 'Sam Staff', 'staff');
  await poll(() => tabNames(sam), 30_000).toEqual(['Home', 'More']);
  await poll(() => audienceViewOf(sam, ws), 30_000).toMatch(/^own:/);
  await waitSyncStatus(sam, 'synced', 30_000);
  await poll(() => storedText(sam, ws, 'checklists'), 30_000).not.toContain('Spare key taped under desk 4');
  await typeNote(olga, checklist, 'Key moved to the safe');
  await waitSyncStatus(olga, 'synced');
  // Olga's phone has it; after a moment Sam's has not, and Sam's phone is Synced, not refused.
  await poll(() => storedText(olga, ws, 'checklists')).toContain('Key moved to the safe');
  await sam.waitForTimeout(3_000);
  expect(await storedText(sam, ws, 'checklists')).not.toContain('Key moved to the safe');
  await waitSyncStatus(sam, 'synced');
  await goHash(sam, '#/checklists');
  await visible(sam.getByTestId('section-refused'));
  await screenshot(sam, 'rooms-3-demoted-refused');
});
