import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { goHash, poll, screenshot, tapAndType, textOf, textsOf, visible, waitSyncStatus } from './browser.ts';
import { inviteLink, joinWithInvite, withPhones } from './invites.ts';

/*
 * Two owners on two offline phones change the same member at once (issue 17, "offline concurrency"): Olga
 * removes Sam's phone while Bo, also offline, makes it a manager. Back online both phones show the same signed
 * member list: the removal wins, on both, after a reload too, and the relay no longer admits Sam's phone.
 */

const ORG = 'Acme Two Owners';
const { relay, phone } = withPhones();

const signedDevices = (page: Page) => textsOf(page.getByTestId('signed-device'));
const line = (page: Page, name: string) => textOf(page.getByTestId('signed-device').filter({ hasText: name }));

test('two owners offline: one removes a phone while the other promotes it; both converge on the removal', { timeout: 180_000 }, async () => {
  const olga = await phone();
  await olga.goto(relay().url);
  await visible(olga.getByRole('heading', { name: 'Create a workspace' }));
  await tapAndType(olga.getByLabel('Organisation name'), ORG);
  await tapAndType(olga.getByLabel('Your name'), 'Olga Owner');
  await olga.getByRole('button', { name: 'Create workspace' }).tap();
  await poll(() => olga.getByTestId('org-name').textContent()).toBe(ORG);
  await olga.getByTestId('recovery-kept').tap();
  await waitSyncStatus(olga, 'synced');

  // Bo, a second owner, and Sam, staff, join with invites.
  const bo = await phone();
  await joinWithInvite(bo, await inviteLink(olga, 'Someone not in People yet', 'Owner', { name: 'Bo Owner' }), ORG, 'Bo Owner');
  await waitSyncStatus(bo, 'synced', 30_000);
  const sam = await phone();
  await joinWithInvite(sam, await inviteLink(olga, 'Someone not in People yet', 'Staff', { name: 'Sam Staff' }), ORG, 'Sam Staff');
  await waitSyncStatus(sam, 'synced', 30_000);
  for (const p of [olga, bo]) {
    await goHash(p, '#/members');
    await poll(() => signedDevices(p).then((l) => l.length), 30_000).toBe(3);
  }
  await poll(() => line(bo, 'Sam Staff'), 30_000).toMatch(/Staff since/);

  // Both owners go offline.
  await olga.context().setOffline(true);
  await bo.context().setOffline(true);
  await waitSyncStatus(olga, 'offline');
  await waitSyncStatus(bo, 'offline');

  // Olga removes Sam's phone (a signed removal; the key change waits for a connection).
  await olga.getByTestId('member-row').filter({ hasText: 'Sam Staff' }).first().tap();
  await olga.getByTestId('remove-device').tap();
  await olga.getByTestId('remove-device').tap();
  await poll(() => textOf(olga.getByTestId('member-done')), 30_000).toMatch(/^Removed\./);
  // Bo makes Sam's phone a manager.
  await bo.getByTestId('member-row').filter({ hasText: 'Sam Staff' }).first().tap();
  await bo.getByLabel('Role').selectOption('manager');
  await poll(() => textOf(bo.getByTestId('member-done'))).toBe('Role saved.');
  await goHash(olga, '#/members');
  await goHash(bo, '#/members');
  await poll(() => line(olga, 'Sam Staff')).toMatch(/Removed .* by Olga Owner/);
  await poll(() => line(bo, 'Sam Staff')).toMatch(/Manager since/);
  await screenshot(bo, 'owners-offline-bo-promotes');

  // Back online: the same list on both phones, the removal winning.
  await olga.context().setOffline(false);
  await bo.context().setOffline(false);
  await Promise.all([waitSyncStatus(olga, 'synced', 45_000), waitSyncStatus(bo, 'synced', 45_000)]);
  for (const p of [olga, bo]) await poll(() => line(p, 'Sam Staff'), 30_000).toMatch(/Removed .* by Olga Owner/);
  expect(await signedDevices(olga)).toEqual(await signedDevices(bo));
  await screenshot(bo, 'owners-offline-converged');
  // After a reload, still the same.
  for (const p of [olga, bo]) {
    await p.reload();
    await goHash(p, '#/members');
    await poll(() => line(p, 'Sam Staff'), 30_000).toMatch(/Removed/);
  }
  expect(await signedDevices(olga)).toEqual(await signedDevices(bo));
  // Sam's phone is refused by the relay.
  await poll(() => textOf(sam.getByTestId('access-refused').locator('strong')), 45_000).toBe('Refused — you were removed from this workspace.');
});
