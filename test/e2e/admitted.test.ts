import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { confirmDevices, goHash, joinLinkOf, joinWorkspace, poll, screenshot, tapAndType, textOf, textsOf, visible, waitSyncStatus } from './browser.ts';
import { inviteLink, joinWithInvite, withPhones } from './invites.ts';

/*
 * A relay that admits proven devices only (--enforce-device-admission), on
 * phones (390×844, by touch): an invited phone enrols with its signed invite
 * before it first connects (the link names the invite entry, `e=`), so it gets
 * in with nobody's help; a phone with only the plain workspace link is told it
 * is waiting to be admitted and receives nothing until an owner confirms the
 * request it sent; a revoked invite is refused
 * by the relay, which says why.
 */

const ORG = 'Acme Admitted';
const { relay, phone } = withPhones(['--enforce-device-admission']);

const signedDevices = (page: Page) => textsOf(page.getByTestId('signed-device').locator('.title'));
const syncText = (page: Page) => textOf(page.getByTestId('access-refused'));

test('enforcing relay: the invited phone enrols and syncs; the plain link waits; a revoked invite is refused with its reason', { timeout: 180_000 }, async () => {
  const olga = await phone();
  await olga.goto(relay().url);
  await visible(olga.getByRole('heading', { name: 'Create a workspace' }));
  await tapAndType(olga.getByLabel('Organisation name'), ORG);
  await tapAndType(olga.getByLabel('Your name'), 'Olga Owner');
  await olga.getByRole('button', { name: 'Create workspace' }).tap();
  await poll(() => olga.getByTestId('org-name').textContent()).toBe(ORG);
  await olga.getByTestId('recovery-kept').tap();
  await waitSyncStatus(olga, 'synced');

  // The invite link names the signed invite entry.
  const link = await inviteLink(olga, 'Someone not in People yet', 'Staff', { name: 'Sam Staff' });
  let full = link;
  await poll(async () => (full = await olga.getByTestId('invite-link').inputValue())).toMatch(/&e=[0-9a-f]{64}/);

  // Sam's phone enrols before it connects, then syncs: the relay admitted it with nobody's help.
  const sam = await phone();
  await joinWithInvite(sam, full, ORG, 'Sam Staff');
  await waitSyncStatus(sam, 'synced', 30_000);
  await poll(() => textOf(sam.getByTestId('invite-joined')), 30_000).toBe('Joined as member of staff.');
  await goHash(olga, '#/members');
  await poll(() => signedDevices(olga), 30_000).toEqual(['Olga Owner', 'Sam Staff']);
  // After a reload Sam's phone proves itself again and syncs.
  await sam.reload();
  await waitSyncStatus(sam, 'synced', 30_000);

  // A phone with only the plain workspace link: waiting to be admitted, and it receives nothing.
  const plain = await joinLinkOf(olga);
  const pat = await phone();
  await joinWorkspace(pat, plain, ORG, 'Pat Plain');
  await poll(() => syncText(pat), 30_000).toContain('Waiting to be admitted');
  await screenshot(pat, 'admitted-plain-link-waiting');
  await goHash(pat, '#/people');
  expect(await pat.locator('.content').innerText()).not.toContain('Sam Staff');
  // Waiting with no list, it is nobody's owner: People (owners' and managers') is refused, not an empty register to fill.
  await visible(pat.getByTestId('section-refused'));
  expect(await pat.getByRole('button', { name: 'Add a person' }).count()).toBe(0);
  // It asked the relay: Olga sees the request on Members and confirms it; then it syncs and the banner goes.
  await goHash(olga, '#/members');
  // Owners' Members screen reads the relay's requests every 10 s.
  await visible(olga.getByTestId('join-request'), 60_000);
  expect(await textOf(olga.getByTestId('join-request'))).toMatch(/^Asked the relay to join on .*: it syncs nothing until you confirm it\. Key [0-9a-f]{4}( [0-9a-f]{4}){7}$/);
  await screenshot(olga, 'admitted-join-request');
  await confirmDevices(olga, 'staff');
  await waitSyncStatus(pat, 'synced', 60_000);
  await poll(() => pat.getByTestId('access-refused').count()).toBe(0);
  await poll(() => signedDevices(olga), 30_000).toEqual(['Olga Owner', 'Sam Staff', 'Pat Plain']);

  // A revoked invite: the relay refuses the enrolment and the phone says why.
  await inviteLink(olga, 'Someone not in People yet', 'Staff', { name: 'Tom Late' });
  let revoked = '';
  await poll(async () => (revoked = await olga.getByTestId('invite-link').inputValue())).toMatch(/&e=[0-9a-f]{64}/);
  await olga.getByTestId('revoke').tap();
  await olga.getByTestId('revoke').tap();
  await poll(() => olga.getByTestId('revoke').count()).toBe(0);
  await waitSyncStatus(olga, 'synced');
  const tom = await phone();
  await joinWithInvite(tom, revoked, ORG, 'Tom Late');
  await poll(() => syncText(tom), 30_000).toMatch(/The relay did not accept this device’s invite: .*revoked.*\. Ask whoever invited you for a new invite\./);
  await screenshot(tom, 'admitted-revoked-invite');
  await goHash(olga, '#/members');
  expect(await signedDevices(olga)).toEqual(['Olga Owner', 'Sam Staff', 'Pat Plain']);
});
