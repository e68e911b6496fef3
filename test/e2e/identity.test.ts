import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { goHash, poll, screenshot, tapAndType, textOf, textsOf, visible, waitSyncStatus } from './browser.ts';
import { inviteLink, joinWithInvite, withPhones } from './invites.ts';

/*
 * The signed member list on phones (390×844, by touch): creating a workspace
 * shows the recovery code once and signs the creator in as root owner; an
 * invited staff phone takes up its signed invite and shows its role; the owner
 * removes it with a signed entry; after a reload both say the same.
 */

const ORG = 'Acme Identity';
const { relay, phone } = withPhones();

/** The devices of the signed list on the Members screen, as "name: role line". */
const signedDevices = (page: Page) => textsOf(page.getByTestId('signed-device').locator('.title'));

test('create (recovery code shown, kept), invite staff, the phone joins as staff, the owner removes it: signed entries, same on both after a reload', { timeout: 150_000 }, async () => {
  const olga = await phone();
  await olga.goto(relay().url);
  await visible(olga.getByRole('heading', { name: 'Create a workspace' }));
  await tapAndType(olga.getByLabel('Organisation name'), ORG);
  await tapAndType(olga.getByLabel('Your name'), 'Olga Owner');
  await olga.getByRole('button', { name: 'Create workspace' }).tap();
  await poll(() => olga.getByTestId('org-name').textContent()).toBe(ORG);

  // The recovery code, once, with what it is for.
  await visible(olga.getByTestId('recovery-code-screen'));
  expect(await textOf(olga.getByTestId('recovery-code-screen'))).toContain('If every owner’s device is lost or broken, this code makes a new device an owner');
  expect(await textOf(olga.getByTestId('recovery-code'))).toMatch(/^[0-9A-Z]{4}( [0-9A-Z]{4}){6}$/);
  expect(await olga.getByRole('button', { name: 'Download as a file' }).isVisible()).toBe(true);
  await olga.getByTestId('recovery-kept').tap();
  await poll(() => olga.getByTestId('recovery-code-screen').count()).toBe(0);

  // Members: the signed list with the root fingerprint; Olga created it.
  await goHash(olga, '#/members');
  await visible(olga.getByTestId('root-fingerprint'));
  expect(await textOf(olga.getByTestId('root-fingerprint'))).toMatch(/^Root owner key: [0-9a-f]{4}( [0-9a-f]{4}){7}$/);
  await poll(() => signedDevices(olga)).toEqual(['Olga Owner']);
  expect(await textOf(olga.getByTestId('signed-device'))).toMatch(/Owner since .* · created the workspace on /);

  // Invite Sam as staff: the link carries the root.
  const link = await inviteLink(olga, 'Someone not in People yet', 'Staff', { name: 'Sam Staff' });
  expect(link).toMatch(/&r=[0-9a-f]{32}&/);
  const sam = await phone();
  await joinWithInvite(sam, link, ORG, 'Sam Staff');
  await waitSyncStatus(sam, 'synced');
  await poll(() => textOf(sam.getByTestId('invite-joined')), 30_000).toBe('Joined as member of staff.');
  await goHash(olga, '#/members');
  await poll(() => signedDevices(olga), 30_000).toEqual(['Olga Owner', 'Sam Staff']);
  expect(await textOf(olga.getByTestId('signed-device').filter({ hasText: 'Sam Staff' }))).toMatch(/Staff since .* · joined with an invite \(Olga Owner\)/);

  // The same link on a third phone: refused, and it says why.
  const tom = await phone();
  await joinWithInvite(tom, link, ORG, 'Sam Staff');
  // The relay refused its enrolment (the invite works once), so it syncs nothing and says why.
  await poll(() => textOf(tom.getByTestId('access-refused').locator('strong'), 30_000), 30_000).toMatch(/^The relay did not accept this device’s invite: another device took up this invite first\. Ask whoever invited you for a new invite\.$/);
  await screenshot(tom, 'identity-used-invite-refused');

  // The owner removes Sam's phone: a signed removal.
  await olga.getByTestId('member-row').filter({ hasText: 'Sam Staff' }).first().tap();
  await olga.getByTestId('remove-device').tap();
  await olga.getByTestId('remove-device').tap();
  await poll(() => textOf(olga.getByTestId('member-done')), 30_000).toMatch(/^Removed\./);
  await goHash(olga, '#/members');
  await poll(() => textOf(olga.getByTestId('signed-device').filter({ hasText: 'Sam Staff' }))).toMatch(/Removed .* by Olga Owner/);

  // After a reload: still signed, still the same.
  await olga.reload();
  await goHash(olga, '#/members');
  await poll(() => signedDevices(olga)).toEqual(['Olga Owner', 'Sam Staff']);
  expect(await textOf(olga.getByTestId('signed-device').filter({ hasText: 'Sam Staff' }))).toMatch(/Removed/);
  // The third phone, reloaded: still refused, and not on the list (it never took the used invite up).
  await tom.reload();
  // Still refused (the removal also changed the workspace key, so this old link opens nothing any more).
  await visible(tom.getByTestId('access-refused'), 30_000);
  expect(await signedDevices(olga)).not.toContain('Tom');
});
