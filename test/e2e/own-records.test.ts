import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import {
  addPerson,
  audienceViewOf,
  createWorkspace,
  currentWorkspaceId,
  dismissOfflineReady,
  goHash,
  poll,
  readStored,
  screenshot,
  storedText,
  tapAndType,
  textsOf,
  visible,
  waitSyncStatus,
} from './browser.ts';
import { inviteLink, joinWithInvite, setRole, withPhones } from './invites.ts';

/*
 * Issue 18, per-person rooms, on two phones (390×844, by touch) through the default relay: training, acknowledgements,
 * agreements and competency are per person (their descriptors' `audience: 'person'`), so the relay sends Sam's phone,
 * a member of staff, his own records and the course they refer to, and of Zofia's (his colleague) nothing at all: not
 * her text, not her ciphertext (server/audience.ts). What the phone stores is read from its IndexedDB by the test.
 * People is the directory: every name and team, but of Zofia's record not her email or job title. Promoted to
 * manager, the phone deletes its per-person copies and fetches them whole; demoted again, it deletes them again and
 * keeps only his own.
 */

const ORG = 'Harrow Freight';
const SAM_OWN = ['CERT-SAM-7731', 'HR/sam-contract-2026.pdf'];
const ZOFIA_ONLY = ['CERT-ZOFIA-4410', 'HR/zofia-final-warning.pdf'];
/** What only Zofia (and owners, managers, officers) may hold of her People record; her name and team are the directory's. */
const ZOFIA_PRIVATE = ['zofia.b@harrow.example', 'Yard Marshal'];
const { relay, phone } = withPhones();

/** Olga records a completion of the course for `who`, by touch: the person, the evidence reference, the button. */
async function recordTraining(olga: Page, who: string, evidence: string) {
  await goHash(olga, '#/training');
  await goHash(olga, '#/training/new');
  await olga.getByLabel('Person').selectOption({ label: who });
  await tapAndType(olga.getByLabel('Evidence reference'), evidence);
  await olga.getByRole('button', { name: 'Record completion' }).tap();
  await poll(() => olga.evaluate(() => location.hash)).toMatch(/^#\/training\/matrix/);
}

/** Olga adds an employment contract for `who` with a document reference, by touch. */
async function addAgreement(olga: Page, who: string, reference: string) {
  await goHash(olga, '#/agreements');
  await olga.getByRole('link', { name: 'Add', exact: true }).tap();
  await visible(olga.getByRole('heading', { name: 'Add an agreement' }));
  await olga.getByLabel('With').selectOption({ label: who });
  await olga.getByLabel('Type').selectOption({ label: 'Employment contract' });
  await olga.getByLabel('Signed on').fill('2026-01-12');
  await tapAndType(olga.getByLabel('Document reference'), reference);
  await olga.getByRole('button', { name: 'Add agreement' }).tap();
  await poll(() => olga.evaluate(() => location.hash)).toBe('#/agreements');
}

/** Everything Sam's phone stores of the per-person registers, as text. */
const perPerson = async (page: Page, ws: string) => (await Promise.all((['training', 'agreements'] as const).map((r) => storedText(page, ws, r)))).join('\n');

test('a staff phone stores its own records and none of a colleague’s; promoted it holds the team’s, demoted only its own again', { timeout: 300_000 }, async () => {
  const olga = await phone();
  await createWorkspace(olga, relay().url, ORG, 'Olga Owner');
  await dismissOfflineReady(olga);
  await addPerson(olga, { name: 'Olga Owner', team: 'Security' });
  await addPerson(olga, { name: 'Sam Staff', team: 'Night Loaders' });
  await addPerson(olga, { name: 'Zofia Brennan', team: 'Night Loaders', email: ZOFIA_PRIVATE[0], jobTitle: ZOFIA_PRIVATE[1] });
  const ws = await currentWorkspaceId(olga);
  await goHash(olga, '#/training');
  await olga.getByRole('button', { name: /^Add annual security awareness/ }).tap();
  await recordTraining(olga, 'Sam Staff (Night Loaders)', SAM_OWN[0]!);
  await recordTraining(olga, 'Zofia Brennan (Night Loaders)', ZOFIA_ONLY[0]!);
  await addAgreement(olga, 'Sam Staff (Night Loaders)', SAM_OWN[1]!);
  await addAgreement(olga, 'Zofia Brennan (Night Loaders)', ZOFIA_ONLY[1]!);
  await waitSyncStatus(olga, 'synced');

  // Sam joins as staff: his own training and contract are on his phone, Zofia's are not, in any form.
  const sam = await phone();
  await joinWithInvite(sam, await inviteLink(olga, 'Sam Staff (Night Loaders)', 'Staff'), ORG, 'Sam Staff');
  await waitSyncStatus(sam, 'synced', 30_000);
  await poll(() => perPerson(sam, ws), 30_000).toContain(SAM_OWN[0]);
  await poll(() => perPerson(sam, ws), 30_000).toContain(SAM_OWN[1]);
  for (const t of ZOFIA_ONLY) expect(await perPerson(sam, ws)).not.toContain(t);
  await poll(() => audienceViewOf(sam, ws), 30_000).toMatch(/^own:/);
  // People is the directory: Zofia's name and team are on his phone, her email and job title are not.
  await poll(async () => JSON.stringify((await readStored(sam, ws, 'people')).records), 30_000).toContain('Zofia Brennan');
  for (const t of ZOFIA_PRIVATE) expect(await storedText(sam, ws, 'people')).not.toContain(t);
  // The course is no one's: it is there, and his training screen shows his completion.
  await goHash(sam, '#/training');
  await poll(() => textsOf(sam.getByTestId('completion-row').locator('.title'))).toEqual(['Sam Staff']);
  expect(await sam.content()).not.toContain('Zofia');
  await screenshot(sam, 'own-records-1-staff-training');

  // Offline, after a reload: the same, from the phone's own storage.
  await sam.context().setOffline(true);
  await sam.reload();
  await waitSyncStatus(sam, 'offline');
  await goHash(sam, '#/training');
  await poll(() => textsOf(sam.getByTestId('completion-row').locator('.title'))).toEqual(['Sam Staff']);
  for (const t of ZOFIA_ONLY) expect(await perPerson(sam, ws)).not.toContain(t);
  await screenshot(sam, 'own-records-2-staff-offline');
  await sam.context().setOffline(false);
  await waitSyncStatus(sam, 'synced', 30_000);

  // Promoted to manager: the phone deletes its per-person copies, starts again and receives the team's.
  await setRole(olga, 'Sam Staff', 'manager');
  await poll(() => audienceViewOf(sam, ws), 60_000).toBe('all');
  await poll(() => perPerson(sam, ws), 60_000).toContain(ZOFIA_ONLY[0]);
  await poll(() => perPerson(sam, ws), 30_000).toContain(ZOFIA_ONLY[1]);
  // Up to two restarts (the relay's 4409 and the phone's own reading of the log may come in either order).
  await poll(() => storedText(sam, ws, 'people'), 90_000).toContain(ZOFIA_PRIVATE[0]);
  await waitSyncStatus(sam, 'synced', 30_000);
  await goHash(sam, '#/training');
  await poll(async () => (await textsOf(sam.getByTestId('completion-row').locator('.title'))).sort(), 30_000).toEqual(['Sam Staff', 'Zofia Brennan']);
  await screenshot(sam, 'own-records-3-manager-training');

  // Demoted again: the copies go once more; his own come back, Zofia's never.
  await setRole(olga, 'Sam Staff', 'staff');
  await poll(() => audienceViewOf(sam, ws), 60_000).toMatch(/^own:/);
  await waitSyncStatus(sam, 'synced', 30_000);
  await poll(() => perPerson(sam, ws), 30_000).toContain(SAM_OWN[0]);
  await poll(() => perPerson(sam, ws), 30_000).toContain(SAM_OWN[1]);
  for (const t of ZOFIA_ONLY) expect(await perPerson(sam, ws)).not.toContain(t);
  await poll(async () => JSON.stringify((await readStored(sam, ws, 'people')).records), 30_000).toContain('Zofia Brennan');
  for (const t of ZOFIA_PRIVATE) expect(await storedText(sam, ws, 'people')).not.toContain(t);
  await goHash(sam, '#/training');
  await poll(() => textsOf(sam.getByTestId('completion-row').locator('.title')), 30_000).toEqual(['Sam Staff']);
  await screenshot(sam, 'own-records-4-demoted');
});
