import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as Y from 'yjs';
import { plaintextCodec, sealEntry } from '../../src/registers/disciplinary/codec.ts';
import { appendEntry } from '../../src/store/records.ts';
import type { DisciplinaryEntry } from '../../src/registers/disciplinary/model.ts';
import { cleanup, type RelayProcess } from '../integration/harness.ts';
import {
  addPerson,
  closeAll,
  createWorkspace,
  currentWorkspaceId,
  deviceIdOf,
  dismissOfflineReady,
  errorsOf,
  goHash,
  injectUpdate,
  joinLinkOf,
  confirmDevices,
  joinWorkspace,
  launchBrowser,
  newPhone,
  poll,
  readStored,
  screenshot,
  startRelay,
  textOf,
  textsOf,
  visible,
  waitSyncStatus,
} from './browser.ts';

/*
 * docs/SECURITY.md on three phones. Mia (officer) records a disciplinary
 * entry; it is sealed on her phone. Sam's phone (a member, not an officer)
 * syncs the log: it shows no content and says why, and the bytes in Sam's
 * IndexedDB hold no plaintext. Ola, the second officer, joins while Mia's
 * phone is offline: her phone says it holds no key yet; when Mia's phone
 * comes back online it shares the key, and Ola reads the entry.
 */

const ORG = 'Acme Confidential';
const PLAINTEXT = 'Verbal warning for Zoë Quintana about tailgating';
const EVIDENCE = 'HR-2026-031';

let browser: Browser | undefined;
let relay: RelayProcess;
let ctxA: BrowserContext | undefined;
let ctxB: BrowserContext | undefined;
let ctxC: BrowserContext | undefined;

beforeAll(async () => {
  relay = await startRelay();
  browser = await launchBrowser();
});

afterAll(async () => {
  await closeAll(ctxA, ctxB, ctxC, browser);
  await cleanup();
});

const dayFromToday = (p: Page, days: number) =>
  p.evaluate((d) => {
    const t = new Date();
    t.setDate(t.getDate() + d);
    return `${t.getFullYear()}-${String(t.getMonth() + 1).padStart(2, '0')}-${String(t.getDate()).padStart(2, '0')}`;
  }, days);

/** The raw bytes of a register's y-indexeddb store on this device, exactly as stored (no decoding). */
async function rawStored(page: Page, workspaceId: string, register: string): Promise<Buffer> {
  const rows = await page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open(name);
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    try {
      const out: number[][] = [];
      for (const store of Array.from(db.objectStoreNames)) {
        const all = await new Promise<unknown[]>((resolve, reject) => {
          const r = db.transaction(store, 'readonly').objectStore(store).getAll();
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        });
        for (const v of all) out.push(Array.from(v instanceof Uint8Array ? v : new TextEncoder().encode(JSON.stringify(v))));
      }
      return out;
    } finally {
      db.close();
    }
  }, `muster.${workspaceId}.${register}`);
  return Buffer.concat(rows.map((r) => Buffer.from(r)));
}

function base64Needles(text: string): string[] {
  const bytes = Buffer.from(text, 'utf8');
  const out: string[] = [];
  for (let s = 0; s < 3; s++) {
    const b64 = bytes.subarray(s, s + Math.floor((bytes.length - s) / 3) * 3).toString('base64');
    out.push(b64, b64.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

const NEEDLES = [PLAINTEXT, 'Zoë Quintana', 'tailgating', EVIDENCE, ...base64Needles(PLAINTEXT), ...base64Needles('tailgating')];

/** The devices any register key is wrapped for (a key change wraps the new key for the same devices again). */
const wrapsTo = (records: Record<string, Record<string, unknown>>) =>
  [...new Set(Object.values(records).filter((f) => f['type'] === 'register-key-wrap').map((f) => f['deviceId'] as string))].sort();

test('an officer seals an entry; a staff phone gets ciphertext only; a second officer phone receives the key and reads it', { timeout: 180_000 }, async () => {
  // ---------- Mia, the first officer ----------
  let a: Page;
  ({ context: ctxA, page: a } = await newPhone(browser!));
  await createWorkspace(a, relay.url, ORG, 'Mia Manager');
  await dismissOfflineReady(a);
  await addPerson(a, { name: 'Mia Manager', team: 'Management' });
  await addPerson(a, { name: 'Ola Officer', team: 'Management' });
  await addPerson(a, { name: 'Sam Staff', team: 'Ops' });
  await addPerson(a, { name: 'Zoë Quintana', team: 'Ops' });
  const link = await joinLinkOf(a);
  const wsA = await currentWorkspaceId(a);
  const devA = await deviceIdOf(a);

  await goHash(a, '#/disciplinary/process');
  await a.getByRole('button', { name: 'Add the three standard tiers' }).click();
  await poll(() => a.getByTestId('tier').count()).toBe(3);
  await goHash(a, '#/disciplinary/officers');
  await a.getByRole('button', { name: 'Designate me (Mia Manager)' }).click();
  // A signed entry of the member list: the screen shows Mia as officer once it is written.
  await poll(() => textsOf(a.getByTestId('officer-row').locator('.title'))).toEqual(['Mia Manager']);
  await a.getByLabel('Person').selectOption({ label: 'Ola Officer (Management)' });
  await a.getByRole('button', { name: 'Designate', exact: true }).click();
  await poll(async () => (await textsOf(a.getByTestId('officer-row').locator('.title'))).sort()).toEqual(['Mia Manager', 'Ola Officer']);
  expect(await textOf(a.getByTestId('officer-note'))).toContain('Ola Officer is now an officer.');
  // Mia's phone made the key and holds it; Ola has no device yet.
  const holders = a.getByTestId('key-holder');
  await poll(() => textOf(holders.filter({ hasText: 'Mia Manager' }))).toContain('Holds the key');
  expect(await textOf(holders.filter({ hasText: 'Ola Officer' }))).toContain('No device yet');
  await a.getByTestId('key-holders').scrollIntoViewIfNeeded();
  await screenshot(a, 'confidential-officers-mia');

  // The entry, on Mia's phone.
  await goHash(a, '#/disciplinary');
  await goHash(a, '#/disciplinary/new');
  await visible(a.getByRole('heading', { name: 'New log entry' }));
  await a.getByLabel('Person').selectOption({ label: 'Zoë Quintana (Ops)' });
  await a.getByLabel('Date').fill(await dayFromToday(a, -1));
  await a.getByLabel('Policy breached').selectOption({ label: 'Other (type it)' });
  await a.getByLabel('Other policy').fill('Physical security');
  await a.getByLabel('Tier').selectOption({ label: '1. Accidental error' });
  await a.getByLabel('Facts').fill(PLAINTEXT);
  await a.getByLabel('Outcome').fill('Verbal warning given.');
  await a.getByLabel('Evidence reference').fill(EVIDENCE);
  await a.getByRole('button', { name: 'Record entry' }).click();
  await visible(a.getByTestId('entry-detail'));
  expect(await textOf(a.getByTestId('entry-detail'))).toContain(PLAINTEXT);
  await goHash(a, '#/disciplinary');
  await poll(() => a.getByTestId('entry-row').count()).toBe(1);
  await screenshot(a, 'confidential-log-mia');

  // Stored on Mia's phone: sealed with AES-GCM, the key wrapped to her device only (Ola has none yet).
  const storedA = await readStored(a, wsA, 'disciplinary');
  const entriesA = Object.values(storedA.entries);
  expect(entriesA).toHaveLength(1);
  expect(entriesA[0]).toMatchObject({ kind: 'sealed', codec: 'aes-gcm-v1' });
  expect(String(entriesA[0]!['sealed'])).toMatch(/^rk1\.[\w-]+\.[\w-]+$/);
  expect(wrapsTo(storedA.records)).toEqual([devA]);
  const rawA = await rawStored(a, wsA, 'disciplinary');
  for (const n of NEEDLES) expect(rawA.includes(Buffer.from(n)), `Mia's stored log holds “${n}”`).toBe(false);

  // ---------- Sam, a member who is not an officer ----------
  let b: Page;
  ({ context: ctxB, page: b } = await newPhone(browser!));
  await joinWorkspace(b, link, ORG, 'Sam Staff');
  await confirmDevices(a, 'staff');
  await Promise.all([waitSyncStatus(a, 'synced'), waitSyncStatus(b, 'synced')]);
  await dismissOfflineReady(b);
  const wsB = await currentWorkspaceId(b);
  const devB = await deviceIdOf(b);
  await poll(async () => Object.keys((await readStored(b, wsB, 'disciplinary')).entries).length, 30_000).toBe(1);
  await goHash(b, '#/disciplinary');
  await visible(b.getByTestId('no-access'));
  await poll(() => textOf(b.getByTestId('no-access'))).toContain('You are not a designated officer.');
  expect(await textOf(b.getByTestId('no-key'))).toBe(
    "The entries are encrypted before they leave an officer's phone. Only the officers' devices hold the key, so this device cannot open them.",
  );
  const content = () => b.locator('.content').innerText();
  for (const secret of [PLAINTEXT, 'Zoë', 'tailgating', EVIDENCE, '1 entry']) expect(await content()).not.toContain(secret);
  expect(await b.getByTestId('entry-row').count()).toBe(0);
  await screenshot(b, 'confidential-staff-log');
  // What Sam's phone stores: the sealed entry, no wrap for his device, and not one readable byte of the entry.
  const storedB = await readStored(b, wsB, 'disciplinary');
  expect(Object.values(storedB.entries)[0]).toMatchObject({ kind: 'sealed', codec: 'aes-gcm-v1', sealed: entriesA[0]!['sealed'] });
  expect(wrapsTo(storedB.records)).toEqual([devA]);
  expect(wrapsTo(storedB.records)).not.toContain(devB);
  const rawB = await rawStored(b, wsB, 'disciplinary');
  expect(rawB.length).toBeGreaterThan(200);
  expect(rawB.includes(Buffer.from(String(entriesA[0]!['sealed']).slice(0, 40)))).toBe(true);
  for (const n of NEEDLES) expect(rawB.includes(Buffer.from(n)), `Sam's stored log holds “${n}”`).toBe(false);

  // ---------- Ola, the second officer, joins; Mia confirms her phone and Mia's phone shares the key with it ----------
  // (Ola's phone syncs nothing until an owner confirms it, and Mia's phone shares the key as soon as it sees it,
  // so the "waiting for the key" state is not reached here: src/registers/disciplinary/confidential.store.test.ts covers it.)
  let c: Page;
  ({ context: ctxC, page: c } = await newPhone(browser!));
  await joinWorkspace(c, link, ORG, 'Ola Officer');
  await confirmDevices(a, 'staff');
  await waitSyncStatus(c, 'synced');
  await dismissOfflineReady(c);
  await goHash(c, '#/disciplinary');
  await poll(() => c.getByTestId('entry-row').count(), 30_000).toBe(1);
  expect(await textOf(c.getByTestId('entry-row').locator('.title'))).toBe('Zoë Quintana');
  expect(await c.getByTestId('key-status').count()).toBe(0);
  await screenshot(c, 'confidential-log-ola');
  await c.getByTestId('entry-row').click();
  await visible(c.getByTestId('entry-detail'));
  expect(await textOf(c.getByTestId('entry-detail'))).toContain(PLAINTEXT);
  await screenshot(c, 'confidential-entry-ola', { fullPage: true });
  const devC = await deviceIdOf(c);
  const wsC = await currentWorkspaceId(c);
  expect(wrapsTo((await readStored(c, wsC, 'disciplinary')).records)).toEqual([devA, devC].sort());
  // Mia's officers page shows both officers' devices holding the key; Sam's device never got one.
  await goHash(a, '#/disciplinary/officers');
  await poll(() => textOf(a.getByTestId('key-holder').filter({ hasText: 'Ola Officer' }))).toContain('Holds the key');
  await a.getByTestId('key-holders').scrollIntoViewIfNeeded();
  await a.getByRole('button', { name: /^Not Ola Officer's device/ }).click();
  await visible(a.getByTestId('refuse-confirm'));
  await screenshot(a, 'confidential-officers-mia-refuse');
  await a.getByTestId('refuse-confirm').getByRole('button', { name: 'Cancel' }).click();
  await a.getByTestId('refuse-confirm').waitFor({ state: 'detached' });
  await poll(async () => wrapsTo((await readStored(b, wsB, 'disciplinary')).records), 30_000).toEqual([devA, devC].sort());

  // ---------- an entry from before encryption, on Mia's phone ----------
  const people = (await readStored(a, wsA, 'people')).records;
  const zoeId = Object.entries(people).find(([, f]) => f['name'] === 'Zoë Quintana')![0];
  const tier = Object.entries(storedA.records).find(([, f]) => f['type'] === 'tier' && f['order'] === 1)!;
  const legacy: DisciplinaryEntry = {
    id: 'legacy1', kind: 'entry', personId: zoeId, date: '2025-06-02', policyId: '', policy: 'Clean desk', tierId: tier[0], tierName: 'Accidental error',
    facts: 'Papers left on the desk overnight.', outcome: 'Coaching.', decidedById: zoeId, evidence: '', byName: 'Mia Manager', at: '2025-06-02T09:00:00.000Z', deviceId: devA,
  };
  // Written on Mia's own chain, as her phone wrote it then: her phone signs it (no device vouches for another's).
  const old = new Y.Doc();
  appendEntry(old, await sealEntry(legacy, plaintextCodec), devA);
  await injectUpdate(a, wsA, 'disciplinary', Buffer.from(Y.encodeStateAsUpdate(old)).toString('base64'));
  await a.reload();
  await goHash(a, '#/disciplinary');
  await poll(() => a.getByLabel('Show').count()).toBe(1);
  await a.getByLabel('Show').selectOption('all');
  await poll(() => a.getByTestId('entry-row').count()).toBe(2);
  const unsealed = a.getByTestId('unsealed');
  await visible(unsealed);
  expect(await textOf(unsealed.locator('h2'))).toBe('1 entry was written before the log was encrypted');
  expect(await textOf(a.getByTestId('entry-row').filter({ hasText: 'Clean desk' }))).toContain('Not sealed');
  await screenshot(a, 'confidential-unsealed');
  await unsealed.getByRole('button', { name: 'Re-seal 1 entry' }).click();
  await unsealed.waitFor({ state: 'detached', timeout: 15_000 });
  // Still two rows (the sealed copy replaces the original in the view), none flagged.
  expect(await a.getByTestId('entry-row').count()).toBe(2);
  expect(await a.getByText('Not sealed').count()).toBe(0);
  const afterReseal = (await readStored(a, wsA, 'disciplinary')).entries;
  expect(Object.keys(afterReseal).sort()).toEqual([...Object.keys(storedA.entries), 'legacy1', 'sealed.legacy1'].sort());
  expect(afterReseal['sealed.legacy1']).toMatchObject({ codec: 'aes-gcm-v1', reseals: 'legacy1' });
  await screenshot(a, 'confidential-resealed');

  // ---------- an unsigned plaintext entry on a made-up device's chain, arriving later ----------
  // Nobody's device signs it and no owner's device vouches for it while syncing: it counts for nothing, and the
  // log neither lists it nor asks to re-seal it.
  const forged = new Y.Doc();
  appendEntry(forged, await sealEntry({ ...legacy, id: 'forged1', policy: 'Made-up breach', facts: 'Invented.', deviceId: 'dev-made-up' }, plaintextCodec), 'dev-made-up');
  await injectUpdate(a, wsA, 'disciplinary', Buffer.from(Y.encodeStateAsUpdate(forged)).toString('base64'));
  await a.reload();
  await goHash(a, '#/disciplinary');
  await poll(() => a.getByLabel('Show').count()).toBe(1);
  await a.getByLabel('Show').selectOption('all');
  await poll(() => a.getByTestId('unsealed').count(), 30_000).toBe(0);
  await poll(() => a.getByTestId('entry-row').count()).toBe(2);
  expect(await a.getByText('Made-up breach').count()).toBe(0);
  expect((await readStored(a, wsA, 'disciplinary')).entries['forged1']).toBeDefined();

  for (const p of [a, b, c]) expect(errorsOf(p)).toEqual([]);
});
