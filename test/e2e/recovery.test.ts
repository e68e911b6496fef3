import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { strFromU8, unzipSync } from 'fflate';
import { verifyPack } from '../../src/export/verify.ts';
import { currentWorkspaceId, dismissOfflineReady, download, errorsOf, goHash, goTab, joinLinkOf, poll, screenshot, tapAndType, textOf, textsOf, visible, waitSyncStatus } from './browser.ts';
import { withPhones } from './invites.ts';

/*
 * Recovery (issue 17 item 5) on phones (390×844, by touch): the creator's phone shows the recovery code once;
 * that phone is lost; a new phone opens the plain workspace link and, with no owner left to confirm it, types
 * the code: a wrong one is refused at the field and changes nothing; the right one makes it an owner with a
 * signed `recover` entry everyone sees, and it then syncs what the lost phone made. The code works once; the
 * new owner makes a new one.
 */

const ORG = 'Acme Recovery';

const signedDevices = (page: Page) => textsOf(page.getByTestId('signed-device').locator('.title'));
const WRONG_CODE = '0000 1111 2222 3333 4444 5555 6666';

/** The entry types of this phone's stored membership log (members document, root map `membership`), read from IndexedDB. */
async function storedMembership(page: Page): Promise<Array<{ type: string; name?: string; deviceId?: string }>> {
  const ws = await currentWorkspaceId(page);
  const updates = await page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open(name);
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    try {
      if (!db.objectStoreNames.contains('updates')) return [] as number[][];
      const rows = await new Promise<unknown[]>((resolve, reject) => {
        const r = db.transaction('updates', 'readonly').objectStore('updates').getAll();
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      return rows.map((u) => Array.from(u as Uint8Array));
    } finally {
      db.close();
    }
  }, `muster.${ws}.members`);
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, Uint8Array.from(u));
  const entries = Object.values(doc.getMap('membership').toJSON()) as Array<{ type: string; name?: string; device?: { deviceId?: string } }>;
  doc.destroy();
  return entries.map((e) => ({ type: e.type, ...(e.name ? { name: e.name } : {}), ...(e.device?.deviceId ? { deviceId: e.device.deviceId } : {}) }));
}

/** Opens the plain workspace link on a new phone and joins under `name` (taps and typing, as a person does). */
async function joinPlain(page: Page, link: string, name: string): Promise<void> {
  await page.goto(link);
  await visible(page.getByRole('heading', { name: `Join ${ORG}` }));
  await tapAndType(page.getByLabel('Your name'), name);
  await page.getByRole('button', { name: 'Join workspace' }).tap();
  await poll(() => page.getByTestId('org-name').textContent()).toBe(ORG);
}

/** Opens the recovery form from the banner and types `code`, then taps Recover ownership once. */
async function typeCode(page: Page, code: string): Promise<void> {
  const field = page.getByLabel('Recovery code');
  if (!(await field.isVisible())) await page.getByRole('button', { name: 'Recover ownership with the recovery code' }).tap();
  await field.tap();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(code);
  await page.getByRole('button', { name: 'Recover ownership', exact: true }).tap();
}

/**
 * The whole story on one relay. `enforcing`: the relay admits only devices on the signed member list (its
 * default), so the new phone waits outside until the code lets it in; else (`--enforce-device-admission=0`) the
 * plain link syncs as staff and the phone is "not on the signed member list yet".
 */
async function recoveryStory(relay: () => { url: string }, phone: () => Promise<Page>, enforcing: boolean, shot: string): Promise<void> {
  // 1. Olga creates the workspace; the recovery code is on screen once: she copies it down.
  const olga = await phone();
  await olga.goto(relay().url);
  await visible(olga.getByRole('heading', { name: 'Create a workspace' }));
  await tapAndType(olga.getByLabel('Organisation name'), ORG);
  await tapAndType(olga.getByLabel('Your name'), 'Olga Owner');
  await olga.getByRole('button', { name: 'Create workspace' }).tap();
  await poll(() => olga.getByTestId('org-name').textContent()).toBe(ORG);
  await visible(olga.getByTestId('recovery-code-screen'));
  const code = await textOf(olga.getByTestId('recovery-code'));
  expect(code).toMatch(/^[0-9A-Z]{4}( [0-9A-Z]{4}){6}$/);
  await screenshot(olga, `${shot}-code-at-creation`);
  // Saved as a file: the same code, and what to do with it.
  const saved = await download(olga, olga.getByRole('button', { name: 'Download as a file' }));
  expect(saved.name).toBe('muster-recovery-code-acme-recovery.txt');
  expect(saved.bytes.toString('utf8')).toContain(`Muster recovery code for ${ORG}\n\n${code}\n`);
  await olga.getByTestId('recovery-kept').tap();
  await poll(() => olga.getByTestId('recovery-code-screen').count()).toBe(0);
  await waitSyncStatus(olga, 'synced');
  // Something of hers that a recovered owner must find: a person in People.
  await goHash(olga, '#/people/new');
  await visible(olga.getByRole('heading', { name: 'Add a person' }));
  await tapAndType(olga.getByLabel('Full name'), 'Pia Person');
  await tapAndType(olga.getByLabel('Team', { exact: true }), 'Ops');
  await olga.getByRole('button', { name: 'Add person' }).tap();
  await visible(olga.getByTestId('person-row').filter({ hasText: 'Pia Person' }));
  const link = await joinLinkOf(olga);
  await waitSyncStatus(olga, 'synced');

  // 2. Olga's phone is lost: the only owner device is gone.
  await olga.context().close();

  // Bea opens the plain workspace link on a new phone: nobody can confirm her.
  const bea = await phone();
  await joinPlain(bea, link, 'Bea Boss');
  await dismissOfflineReady(bea, 10_000);
  if (enforcing) {
    // The relay admits only devices on the signed member list: she waits, and the recovery code is her way in.
    await poll(() => textOf(bea.getByTestId('access-refused').locator('strong')), 45_000).toMatch(/^Waiting to be admitted/);
  } else {
    await waitSyncStatus(bea, 'synced', 45_000);
    await poll(() => textOf(bea.getByTestId('not-vouched')), 45_000).toMatch(/^This device is not on the signed member list yet/);
  }
  await screenshot(bea, `${shot}-new-phone`);
  const recoverButton = bea.getByRole('button', { name: 'Recover ownership with the recovery code' });
  await visible(recoverButton);
  // Opened by mistake: Cancel folds it away.
  await recoverButton.tap();
  await visible(bea.getByTestId('recover-form'));
  await screenshot(bea, `${shot}-form`);
  await bea.getByRole('button', { name: 'Cancel' }).tap();
  await poll(() => bea.getByTestId('recover-form').count()).toBe(0);
  await recoverButton.tap();
  await visible(bea.getByTestId('recover-form'));

  // A code cut short: the field says what a code looks like.
  await typeCode(bea, code.slice(0, 14));
  const field = bea.getByLabel('Recovery code');
  await poll(() => bea.getByTestId('recover-form').locator('.field-error').innerText(), 30_000).toBe('A recovery code is 28 letters and digits in 7 groups of 4: check it against the printed or saved code.');
  // A wrong code: the field says so, and nothing changes.
  await typeCode(bea, WRONG_CODE);
  await poll(() => bea.getByTestId('recover-form').locator('.field-error').innerText(), 30_000).toBe('That recovery code does not open this workspace’s recovery key.');
  expect(await field.getAttribute('aria-invalid')).toBe('true');
  await screenshot(bea, `${shot}-wrong-code`);
  expect((await storedMembership(bea)).filter((e) => e.type === 'recover')).toEqual([]);
  if (!enforcing) expect(await bea.getByTestId('not-vouched').count()).toBe(1);

  // The right code, typed as printed: Bea's phone becomes an owner.
  await typeCode(bea, code);
  await poll(() => bea.getByTestId('recover-form').count(), 30_000).toBe(0);
  await poll(() => bea.getByTestId('not-vouched').count(), 30_000).toBe(0);
  // Admitted now: the relay knows her device from the signed `recover` entry.
  await poll(() => bea.getByTestId('access-refused').count(), 45_000).toBe(0);
  await waitSyncStatus(bea, 'synced', 45_000);
  await goHash(bea, '#/members');
  await poll(() => signedDevices(bea), 30_000).toEqual(['Olga Owner', 'Bea Boss']);
  const beaLine = bea.getByTestId('signed-device').filter({ hasText: 'Bea Boss' });
  expect(await textOf(beaLine)).toMatch(/Owner since .* · recovered ownership with the recovery code on .*\nKey [0-9a-f]{4}( [0-9a-f]{4}){7}\nOwner$/);
  expect(await textOf(bea.getByTestId('recovery-keys'))).toMatch(/^0 unused recovery codes, 1 used\./);
  await screenshot(bea, `${shot}-members-after`, { fullPage: true });
  // She sees what Olga made.
  await goTab(bea, 'People');
  await visible(bea.getByTestId('person-row').filter({ hasText: 'Pia Person' }), 30_000);

  // After a reload she is still an owner, and the `recover` entry is stored on her phone.
  await bea.reload();
  await goHash(bea, '#/members');
  await poll(() => signedDevices(bea), 30_000).toEqual(['Olga Owner', 'Bea Boss']);
  expect(await textOf(beaLine)).toMatch(/Owner since .* · recovered ownership with the recovery code/);
  await visible(bea.getByTestId('new-recovery'));
  expect(await bea.getByTestId('not-vouched').count()).toBe(0);
  expect((await storedMembership(bea)).filter((e) => e.type === 'recover')).toEqual([{ type: 'recover', name: 'Bea Boss', deviceId: expect.any(String) }]);

  // 3. The code works once: Cai's phone tries it and is refused, saying why.
  const cai = await phone();
  await joinPlain(cai, link, 'Cai Crew');
  await dismissOfflineReady(cai, 10_000);
  await visible(cai.getByRole('button', { name: 'Recover ownership with the recovery code' }), 45_000);
  await screenshot(cai, `${shot}-third-phone`);
  await typeCode(cai, code);
  await poll(() => cai.getByTestId('recover-form').locator('.field-error').innerText(), 30_000).toBe('Every recovery code of this workspace has been used. An owner can make a new one.');
  await screenshot(cai, `${shot}-code-used`);
  // (Waiting outside a relay that admits enrolled devices only, Cai's phone holds none of the list; else it has Bea's entry.)
  expect((await storedMembership(cai)).filter((e) => e.type === 'recover').map((e) => e.name)).toEqual(enforcing ? [] : ['Bea Boss']);

  // 4. Bea makes a new code: shown once, different from the first; the list counts it.
  await goHash(bea, '#/members');
  await bea.getByTestId('new-recovery').tap();
  await visible(bea.getByTestId('recovery-code-screen'), 30_000);
  const fresh = await textOf(bea.getByTestId('recovery-code'));
  expect(fresh).toMatch(/^[0-9A-Z]{4}( [0-9A-Z]{4}){6}$/);
  expect(fresh).not.toBe(code);
  await screenshot(bea, `${shot}-new-code`);
  await bea.getByTestId('recovery-kept').tap();
  await poll(() => textOf(bea.getByTestId('recovery-keys')), 30_000).toMatch(/^1 unused recovery code, 1 used\./);

  // 5. Her evidence pack carries the signed `recover` entry, and it verifies.
  await goHash(bea, '#/more');
  await bea.getByRole('link', { name: /^Evidence pack/ }).tap();
  await visible(bea.getByRole('heading', { name: 'Evidence pack', level: 1 }));
  const pack = await download(bea, bea.getByRole('button', { name: 'Export pack' }));
  const report = await verifyPack(new Uint8Array(pack.bytes));
  expect(report.ok, report.problems.join('\n')).toBe(true);
  expect(report.identity?.state).toBe('signed');
  const identity = JSON.parse(strFromU8(unzipSync(new Uint8Array(pack.bytes))['identity.json']!)) as { membership: Array<{ type: string; name?: string }> };
  expect(identity.membership.filter((e) => e.type === 'recover').map((e) => e.name)).toEqual(['Bea Boss']);
  expect(identity.membership.filter((e) => e.type === 'recovery')).toHaveLength(2);
  expect([...errorsOf(bea), ...errorsOf(cai)]).toEqual([]);
}

describe('a relay that lets the workspace secret in (--enforce-device-admission=0)', () => {
  const { relay, phone } = withPhones(['--enforce-device-admission=0']);
  test('every owner phone lost: a staff phone recovers ownership with the code (a wrong code changes nothing), the code works once, the new owner makes a new one', { timeout: 240_000 }, () =>
    recoveryStory(relay, phone, false, 'recovery-secret'));
});

describe('a relay that admits only devices on the signed member list (the default)', () => {
  const { relay, phone } = withPhones();
  test('every owner phone lost: a phone waiting to be admitted recovers ownership with the code, is admitted, the code works once', { timeout: 240_000 }, () =>
    recoveryStory(relay, phone, true, 'recovery-default'));
});
