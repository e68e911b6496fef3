import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { chainEntry } from '../../src/domain/evidence-log.ts';
import { type MembershipPayload, membershipDraft, membershipId } from '../../src/domain/membership.ts';
import {
  addPerson,
  checklistStatus,
  createWorkspace,
  currentWorkspaceId,
  dismissOfflineReady,
  errorsOf,
  goHash,
  injectUpdate,
  poll,
  readStored,
  screenshot,
  startChecklist,
  textOf,
  textsOf,
  visible,
  waitSyncStatus,
} from './browser.ts';
import { inviteLink, joinWithInvite, withPhones } from './invites.ts';

/*
 * Issue 17 item 3, against a real relay and real Chromium at 390×844: Sam, an
 * enrolled staff phone, runs a modified client that writes a manager's
 * sign-off of the Finance checklist into its own document (its own chain; its
 * app signs it with its own key, as it signs every entry of its chain). The
 * owner's phone shows it under "Not counted" with the sentence, and the
 * checklist's status stays as it was, also after a reload.
 *
 * Until the app writes the membership log itself (members17), the test signs
 * the genesis and Sam's grant on Olga's phone with Olga's own device key (read
 * from her IndexedDB, where it is non-extractable) and stores them in her
 * members document, as the Members screen will.
 */

const ORG = 'Acme Forgery';
// The judge is the second line: a relay that admits devices (the default) never opens the checklists room to a staff
// device (issue 18, test/integration/room-access.test.ts), so this runs where that line is off, as a relay run
// with --enforce-device-admission=0 (or a device that carries another's entries) would deliver the forgery.
const { relay, phone } = withPhones(['--enforce-device-admission=0']);

interface DeviceInfo {
  deviceId: string;
  signKey: string;
  alg: 'Ed25519' | 'ES256';
  keyId: string;
}

/** This phone's device id and public signing key (created on first use: the session made it). */
const deviceOf = (page: Page): Promise<DeviceInfo> =>
  page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('muster-device');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const get = (table: string) =>
      new Promise<any>((resolve, reject) => {
        const r = db.transaction(table, 'readonly').objectStore(table).get('self');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    const [dev, keys] = [await get('device'), await get('deviceKeys')];
    db.close();
    return { deviceId: dev.deviceId, signKey: keys.sign.publicKey, alg: keys.sign.alg, keyId: keys.sign.keyId };
  });

/** Signs a membership entry id with this phone's own device key, in the page. */
const signOnPhone = (page: Page, id: string): Promise<string> =>
  page.evaluate(async (digest) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('muster-device');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const keys = await new Promise<any>((resolve, reject) => {
      const r = db.transaction('deviceKeys', 'readonly').objectStore('deviceKeys').get('self');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    db.close();
    const algo = keys.sign.alg === 'Ed25519' ? { name: 'Ed25519' } : { name: 'ECDSA', hash: 'SHA-256' };
    const sig = new Uint8Array(await crypto.subtle.sign(algo, keys.sign.privateKey, new TextEncoder().encode(`muster-sig v1\nmembership\n${digest}`)));
    let s = '';
    for (const b of sig) s += String.fromCharCode(b);
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }, id);

/** What a modified client does: stores a Yjs update straight into this phone's copy of a register (y-indexeddb), read on reload. */
async function storeUpdate(page: Page, ws: string, register: string, write: (doc: Y.Doc) => void): Promise<void> {
  const doc = new Y.Doc();
  write(doc);
  await injectUpdate(page, ws, register, Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64'));
}

const flagged = (page: Page) => textsOf(page.getByTestId('flagged-entry').locator('.field-error'));

test('a staff phone’s forged manager sign-off is shown “Not counted” on the owner’s phone, and the checklist stays unsigned after a reload', { timeout: 300_000 }, async () => {
  const olga = await phone();
  await createWorkspace(olga, relay().url, ORG, 'Olga Owner');
  await dismissOfflineReady(olga);
  await addPerson(olga, { name: 'Olga Owner', team: 'Security' });
  await addPerson(olga, { name: 'Sam Lee', team: 'Finance' });
  const ws = await currentWorkspaceId(olga);
  const checklistId = await startChecklist(olga, 'Finance');
  await waitSyncStatus(olga, 'synced');

  const sam = await phone();
  await joinWithInvite(sam, await inviteLink(olga, 'Sam Lee (Finance)', 'Staff'), ORG, 'Sam Lee');
  await waitSyncStatus(sam, 'synced');

  // The membership log: Olga's device is the root owner, Sam's is staff.
  const people = await readStored(olga, ws, 'people');
  const personId = (name: string) => Object.entries(people.records).find(([, f]) => f['name'] === name)![0];
  const [od, sd] = [await deviceOf(olga), await deviceOf(sam)];
  const entries: object[] = [];
  let tips: string[] = [];
  for (const payload of [
    { type: 'genesis', device: { deviceId: od.deviceId, signKey: od.signKey, alg: od.alg }, name: 'Olga Owner', personId: personId('Olga Owner') },
    { type: 'grant', device: { deviceId: sd.deviceId, signKey: sd.signKey, alg: sd.alg }, name: 'Sam Lee', personId: personId('Sam Lee'), role: 'staff' },
  ] as MembershipPayload[]) {
    const draft = membershipDraft(payload, { workspace: ws, tips, by: od.keyId });
    const id = membershipId(draft);
    entries.push({ ...draft, sig: await signOnPhone(olga, id) });
    tips = [id];
  }
  await storeUpdate(olga, ws, 'members', (doc) => {
    for (const e of entries) doc.getMap('membership').set(membershipId(e as never), e);
  });
  await olga.reload();
  await waitSyncStatus(olga, 'synced');
  await goHash(olga, `#/checklists/${encodeURIComponent(checklistId)}`);
  const before = await checklistStatus(olga);

  // Sam's modified client: a sign-off "by Olga Owner" on Sam's own chain. Sam's app signs it (its chain), and syncs it.
  const forged = chainEntry(
    { id: 'forged-signoff', recordId: checklistId, kind: 'signoff', byName: 'Olga Owner', byPersonId: personId('Olga Owner'), at: new Date().toISOString(), deviceId: sd.deviceId, note: 'All fine', snapshot: '{}' },
    sd.deviceId,
    undefined,
  );
  await storeUpdate(sam, ws, 'checklists', (doc) => doc.getMap('entries').set(forged.id, forged));
  await sam.reload();
  await waitSyncStatus(sam, 'synced');

  const sentence = 'Not counted: Signed by Sam Lee’s device (staff). A checklist sign-off for Finance needs a manager of Finance or an owner.';
  await poll(() => flagged(olga), 30_000).toEqual([sentence]);
  expect(await checklistStatus(olga)).toBe(before);
  expect(await olga.getByTestId('signoff-entry').count()).toBe(0);
  await screenshot(olga, 'forgery-1-not-counted');

  // The signature Sam's app wrote is there (the forgery is signed, by the wrong device), and after a reload nothing changes.
  await olga.reload();
  await goHash(olga, `#/checklists/${encodeURIComponent(checklistId)}`);
  await poll(() => flagged(olga), 30_000).toEqual([sentence]);
  expect(await checklistStatus(olga)).toBe(before);
  await visible(olga.getByRole('heading', { name: 'Not counted' }));

  // Sam's modified client again: a training completion "for Olga Owner", on Sam's chain, signed by Sam's app.
  const completion = chainEntry(
    { id: 'forged-completion', kind: 'completion', personId: personId('Olga Owner'), courseId: 'course-x', completedOn: '2026-11-02', provider: 'In-house', evidence: 'Forged certificate', expiresOn: '2027-11-02', source: '', byName: 'Sam Lee', at: new Date().toISOString(), deviceId: sd.deviceId },
    sd.deviceId,
    undefined,
  );
  await storeUpdate(sam, ws, 'training', (doc) => doc.getMap('entries').set(completion.id, completion));
  await sam.reload();
  await waitSyncStatus(sam, 'synced');
  // Olga opens Training: the entry is not in the log, and the section says, above it, that one entry does not
  // count; a tap shows which and why.
  await goHash(olga, '#/training');
  const banner = olga.getByTestId('not-counted');
  // (Until Sam's signature arrives, a moment after the entry, the reason is that nobody signed it.)
  await poll(() => olga.evaluate(() => document.querySelector('[data-testid=not-counted-entry] .field-error')?.textContent ?? ''), 30_000).toBe(
    'Not counted: Signed by Sam Lee’s device (staff). A training completion for Olga Owner needs Olga Owner’s own device, their manager or an owner.',
  );
  expect(await textOf(banner.locator('summary'))).toBe('1 entry here does not count: it is left out of every figure. Tap to see why.');
  await banner.locator('summary').tap();
  await visible(banner.getByTestId('not-counted-entry'));
  const row = await textOf(banner.getByTestId('not-counted-entry'));
  expect(row).toContain('Training: Training completion for Olga Owner · by Sam Lee');
  expect(row).toContain('Not counted: Signed by Sam Lee’s device (staff). A training completion for Olga Owner needs Olga Owner’s own device, their manager or an owner.');
  expect(await olga.getByText('Forged certificate').count()).toBe(0);
  await screenshot(olga, 'forgery-2-training-not-counted');
  // A section with nothing flagged says nothing.
  await goHash(olga, '#/policies');
  await visible(olga.getByRole('heading', { name: 'Policies', level: 1 }));
  expect(await olga.getByTestId('not-counted').count()).toBe(0);
  expect(errorsOf(olga)).toEqual([]);
});
