import fs from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Download, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import * as Y from 'yjs';
import { CHROMIUM } from '../chromium.ts';
import { cleanup, ROOT, type RelayProcess, spawnRelay, tmpDir } from '../integration/harness.ts';
import type { RegisterName } from '../../src/store/registers.ts';

/**
 * Shared helpers for the browser tests: Debian Chromium through playwright-core,
 * one phone-sized context per "device", driving the built app (dist/) served
 * by a real relay process on 127.0.0.1.
 */

export const DIST = path.join(ROOT, 'dist');
export const SCREENS_DIR = path.join(ROOT, 'test-results', 'screens');
export const PHONE = { width: 390, height: 844 } as const;


/** What a context needs to look like a phone; locale and time zone pinned so dates render the same everywhere. */
const PHONE_CONTEXT: BrowserContextOptions = { viewport: PHONE, hasTouch: true, locale: 'en-GB', timezoneId: 'Europe/London', acceptDownloads: true, serviceWorkers: 'allow' };

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch(CHROMIUM);
}

/** A browser with a profile on disk, so a restart (close and relaunch with the same dir) keeps IndexedDB and the service worker. */
export async function launchPersistentPhone(userDataDir: string, opts: { offline?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(userDataDir, { ...CHROMIUM, ...PHONE_CONTEXT, offline: opts.offline ?? false });
  const page = context.pages()[0] ?? (await context.newPage());
  await watchErrors(page);
  return { context, page };
}

/** The relay serving dist/ and the sync endpoint, with a fresh data dir. Killed by harness `cleanup()`. */
export async function startRelay(dataDir = tmpDir('muster-e2e-'), args: string[] = []): Promise<RelayProcess> {
  if (!fs.existsSync(path.join(DIST, 'index.html')) || !fs.existsSync(path.join(DIST, 'sw.js'))) {
    throw new Error('dist/ is missing or has no service worker: run `npx vite build` before the e2e tests');
  }
  return spawnRelay({ dataDir, staticDir: DIST, args });
}

/** Uncaught page errors, per page: a test can assert there were none. */
const pageErrors = new WeakMap<Page, string[]>();
/** Content-Security-Policy violations, per page, and every one in this test file (checked after all its tests). */
const pageViolations = new WeakMap<Page, string[]>();
const fileViolations: string[] = [];

/** Each violation the page sees, as a console error that the listener below recognises. */
const REPORT_VIOLATIONS = () =>
  document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`));

async function watchErrors(page: Page): Promise<void> {
  const errors: string[] = [];
  const violations: string[] = [];
  pageErrors.set(page, errors);
  pageViolations.set(page, violations);
  page.on('pageerror', (err) => errors.push(String(err.stack ?? err)));
  // Chromium logs "… violates the following Content Security Policy directive …"; the page's own event catches the rest.
  page.on('console', (msg) => {
    const text = msg.text();
    if (msg.type() === 'error' && (text.startsWith('CSP violation: ') || /Content Security Policy/i.test(text))) {
      violations.push(text);
      fileViolations.push(`${page.url()}: ${text}`);
    }
  });
  await page.addInitScript(REPORT_VIOLATIONS);
}

/**
 * The CSP violations this page reported so far, removed from the file's list: for a test that provokes
 * one on purpose. Any other violation fails the file (the afterAll below).
 */
export function takeCspViolations(page: Page): string[] {
  const mine = pageViolations.get(page) ?? [];
  const taken = mine.splice(0);
  for (const t of taken) {
    const i = fileViolations.findIndex((v) => v.endsWith(`: ${t}`));
    if (i >= 0) fileViolations.splice(i, 1);
  }
  return taken;
}

// Every e2e file imports this module, so every file ends with this check: the app ran under the relay's CSP without a violation.
afterAll(() => {
  expect(fileViolations, 'Content-Security-Policy violations reported in Chromium').toEqual([]);
});

export const errorsOf = (page: Page): string[] => pageErrors.get(page) ?? [];

/** A new device: its own context (own IndexedDB, service worker, offline switch) with one page. */
export async function newPhone(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(PHONE_CONTEXT);
  const page = await context.newPage();
  await watchErrors(page);
  return { context, page };
}

export async function newPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await watchErrors(page);
  return page;
}

// ---------- waiting ----------

/**
 * What a person does with a text field on a phone: tap it, then type. Leaving it is the next tap on
 * something else, never a programmatic blur, so a tap lost to a re-render fails the test.
 */
export async function tapAndType(field: Locator, text: string): Promise<void> {
  await field.tap();
  await field.page().keyboard.type(text);
}

/** Polls until the value matches, with a timeout suited to a browser on a slow machine. */
export const poll = <T>(fn: () => T | Promise<T>, timeout = 15_000) => expect.poll(fn, { timeout, interval: 100 });

/**
 * Samples a value for `ms` and returns every distinct value seen, to assert that something
 * stays as it should (e.g. a count that must not appear once the app has settled).
 */
export async function sample<T>(fn: () => Promise<T>, ms = 1_500, every = 100): Promise<T[]> {
  const seen: T[] = [];
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await fn();
    if (!seen.includes(v)) seen.push(v);
    await new Promise((r) => setTimeout(r, every));
  }
  return seen;
}

/** Visible text of the first match, waiting for it to appear. */
export async function textOf(locator: Locator, timeout = 15_000): Promise<string> {
  await locator.first().waitFor({ state: 'visible', timeout });
  return (await locator.first().innerText()).trim();
}

export async function visible(locator: Locator, timeout = 15_000): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout });
}

/** Texts of every match (0 when none), e.g. validation messages. */
export const textsOf = async (locator: Locator): Promise<string[]> => (await locator.allInnerTexts()).map((t) => t.trim());

/** Validation messages on screen, in order. */
export const fieldErrors = (page: Page) => textsOf(page.locator('.field-error'));

/** What assistive technology announces with a field: the texts its aria-describedby points to. */
export async function describedBy(field: Locator): Promise<string> {
  return field.evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent?.trim() ?? '')
      .join(' | '),
  );
}

/** Types only part of a date (or month) into a native date input, so its `validity.badInput` is true. */
export async function typePartialDate(field: Locator, keys = '11'): Promise<void> {
  await field.fill('');
  await field.focus();
  await field.pressSequentially(keys);
  await poll(() => field.evaluate((el) => (el as HTMLInputElement).validity.badInput)).toBe(true);
}

// ---------- app flows ----------

/** First visit: opens the app and creates a workspace; resolves on the first screen of the workspace. */
export async function createWorkspace(page: Page, url: string, orgName: string, memberName: string): Promise<void> {
  await page.goto(url);
  await visible(page.getByRole('heading', { name: 'Create a workspace' }));
  await page.getByLabel('Organisation name').fill(orgName);
  await page.getByLabel('Your name').fill(memberName);
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await poll(() => page.getByTestId('org-name').textContent()).toBe(orgName);
}

/** Reads the join link shown in Settings. */
export async function joinLinkOf(page: Page): Promise<string> {
  await goTab(page, 'Settings');
  const box = page.getByTestId('join-link');
  await visible(box);
  await poll(() => box.inputValue()).toMatch(/#join\?w=/);
  return box.inputValue();
}

/** Opens a join link on another device and joins under `memberName`. */
export async function joinWorkspace(page: Page, link: string, orgName: string, memberName: string): Promise<void> {
  await page.goto(link);
  await visible(page.getByRole('heading', { name: `Join ${orgName}` }));
  await page.getByLabel('Your name').fill(memberName);
  await page.getByRole('button', { name: 'Join workspace' }).click();
  await poll(() => page.getByTestId('org-name').textContent()).toBe(orgName);
}

/**
 * On an owner's phone, in a workspace whose member list is signed: confirms on Members the devices that joined
 * with the plain workspace link (they act as staff until then) as `role`, tapping again while the new device has
 * not published its signing key yet, as a person would; then goes back where it was.
 */
export async function confirmDevices(owner: Page, role: 'owner' | 'manager' | 'staff' = 'owner'): Promise<void> {
  const back = await owner.evaluate(() => location.hash);
  await goHash(owner, '#/members');
  const confirm = owner.getByRole('button', { name: `Confirm as ${role}` });
  await visible(confirm, 30_000);
  await poll(async () => {
    if (await confirm.count()) await confirm.first().tap();
    await owner.waitForTimeout(1000);
    return confirm.count();
  }, 30_000).toBe(0);
  await goHash(owner, back);
}

/** Taps a bottom tab (or More, then the entry) and waits for its screen. */
export async function goTab(page: Page, tab: 'Home' | 'Checklists' | 'Briefings' | 'People' | 'Settings'): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Sections' });
  if (tab === 'Settings') {
    await nav.getByRole('link', { name: 'More' }).click();
    await page.getByRole('link', { name: /^Settings/ }).click();
  } else {
    await nav.getByRole('link', { name: tab }).click();
  }
  await poll(() => page.evaluate(() => location.hash)).toMatch(new RegExp(`^#/${tab.toLowerCase()}$`));
}

/** Same-document navigation to a hash route, like following a link. */
export async function goHash(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => (location.hash = h), hash);
  await poll(() => page.evaluate(() => location.hash)).toBe(hash);
}

/** Opens a "new" form afresh: via its list, so a form left half-filled on screen is not reused. */
async function freshForm(page: Page, section: string): Promise<void> {
  await goHash(page, `#/${section}`);
  await goHash(page, `#/${section}/new`);
}

export interface PersonFields {
  name: string;
  team: string;
  email?: string;
  jobTitle?: string;
  startDate?: string;
}

/** Opens the "Add a person" form (from the People list's Add button). */
export async function openPersonForm(page: Page): Promise<void> {
  await freshForm(page, 'people');
  await visible(page.getByRole('heading', { name: 'Add a person' }));
}

export async function fillPerson(page: Page, p: Partial<PersonFields>): Promise<void> {
  if (p.name !== undefined) await page.getByLabel('Full name').fill(p.name);
  if (p.email !== undefined) await page.getByLabel('Email').fill(p.email);
  if (p.team !== undefined) await page.getByLabel('Team', { exact: true }).fill(p.team);
  if (p.jobTitle !== undefined) await page.getByLabel('Job title').fill(p.jobTitle);
  if (p.startDate !== undefined) await page.getByLabel('Start date').fill(p.startDate);
}

/** Adds a person through the form and waits for them in the People list. */
export async function addPerson(page: Page, p: PersonFields): Promise<void> {
  await openPersonForm(page);
  await fillPerson(page, p);
  await page.getByRole('button', { name: 'Add person' }).click();
  await poll(() => page.evaluate(() => location.hash)).toBe('#/people');
  await visible(page.getByTestId('person-row').filter({ hasText: p.name }));
}

export const personNames = async (page: Page): Promise<string[]> => textsOf(page.getByTestId('person-row').locator('.title'));

/** Starts a checklist for `team` (this month unless given); returns its id from the URL. */
export async function startChecklist(page: Page, team: string, month?: string): Promise<string> {
  await freshForm(page, 'checklists');
  await visible(page.getByRole('heading', { name: 'New checklist' }));
  await page.getByLabel('Team').selectOption(team);
  if (month) await page.getByLabel('Month').fill(month);
  await page.getByRole('button', { name: 'Start checklist' }).click();
  await poll(() => page.evaluate(() => location.hash)).toMatch(/^#\/checklists\/(?!new)[\w-]+$/);
  await visible(page.getByTestId('item-brief'));
  return page.evaluate(() => decodeURIComponent(location.hash.split('/')[2]!));
}

export const ITEM_KEYS = ['brief', 'compliance', 'enforce', 'lead'] as const;
export type ItemKey = (typeof ITEM_KEYS)[number];
export const ITEM_TITLES: Record<ItemKey, string> = { brief: 'Brief the team', compliance: 'Check compliance', enforce: 'Enforce rules', lead: 'Lead by example' };
export type Answer = 'Done' | 'Not done' | 'N/A';

export const item = (page: Page, key: ItemKey) => page.getByTestId(`item-${key}`);

/** Taps an answer of a checklist item and waits for its radio to be checked. */
export async function answer(page: Page, key: ItemKey, value: Answer): Promise<void> {
  const group = item(page, key).getByRole('radiogroup', { name: ITEM_TITLES[key] });
  await group.getByText(value, { exact: true }).click();
  await poll(() => group.getByRole('radio', { name: value, exact: true }).isChecked()).toBe(true);
}

/** The checked answer of an item, or '' when none. */
export async function answerOf(page: Page, key: ItemKey): Promise<string> {
  const group = item(page, key).getByRole('radiogroup', { name: ITEM_TITLES[key] });
  for (const a of ['Done', 'Not done', 'N/A'] as const) if (await group.getByRole('radio', { name: a, exact: true }).isChecked()) return a;
  return '';
}

/** Types into a save-on-blur field and leaves it, as a user moving on would. */
export async function fillAndLeave(field: Locator, value: string): Promise<void> {
  await field.fill(value);
  await field.blur();
}

export const itemNote = (page: Page, key: ItemKey) => item(page, key).getByLabel('Note', { exact: true });
export const itemEvidence = (page: Page, key: ItemKey) => item(page, key).getByLabel('Evidence reference', { exact: true });

/** An item's "Add note" button, shown while its note and evidence fields are folded away. */
const addNoteOf = (page: Page, key: ItemKey) => item(page, key).getByRole('button', { name: `Add note to ${ITEM_TITLES[key]}` });

/**
 * Unfolds an item's note and evidence fields as a person would, by tapping "Add note" (nothing to do when they
 * are open already, or on a build that does not fold them). Returns how many taps it took.
 */
export async function openItemNotes(page: Page, key: ItemKey): Promise<number> {
  const add = addNoteOf(page, key);
  if (!(await add.isVisible())) return 0;
  await add.tap();
  await visible(itemNote(page, key));
  return 1;
}

/**
 * Puts the cursor in an item's note with taps: "Add note" (which focuses the note) when folded, else the field
 * itself. Returns the taps it took; type with `page.keyboard` next.
 */
export async function tapItemNote(page: Page, key: ItemKey): Promise<number> {
  if (await openItemNotes(page, key)) return 1;
  await itemNote(page, key).tap();
  return 1;
}

/** Puts the cursor in an item's evidence reference, unfolding it first if needed; returns the taps it took. */
export async function tapItemEvidence(page: Page, key: ItemKey): Promise<number> {
  const unfolded = await openItemNotes(page, key);
  await itemEvidence(page, key).tap();
  return unfolded + 1;
}

/** The checklist status badge on the detail screen. */
export const checklistStatus = (page: Page) => textOf(page.locator('.screen-header + .row .badge'));

/** Signs off the open checklist or minutes through the dialog. */
export async function signOff(page: Page, what: 'checklist' | 'minutes', note = ''): Promise<void> {
  await page.getByRole('button', { name: `Sign off ${what}` }).click();
  const dialog = page.getByRole('dialog', { name: `Sign off the ${what}` });
  await visible(dialog);
  if (note) await dialog.getByLabel('Note (optional)').fill(note);
  await dialog.getByRole('button', { name: 'Sign off', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
  await visible(page.getByTestId('signoff-state'));
}

/** Starts briefing minutes for `team` on `date` (today unless given); returns the briefing id. */
export async function startBriefing(page: Page, team: string, date?: string): Promise<string> {
  await freshForm(page, 'briefings');
  await visible(page.getByRole('heading', { name: 'New briefing' }));
  if (date) await page.getByLabel('Date').fill(date);
  await page.getByLabel('Team').selectOption(team);
  await page.getByRole('button', { name: 'Start minutes' }).click();
  await poll(() => page.evaluate(() => location.hash)).toMatch(/^#\/briefings\/(?!new)[\w-]+$/);
  await visible(page.getByRole('heading', { name: 'Present' }));
  return page.evaluate(() => decodeURIComponent(location.hash.split('/')[2]!));
}

/** Toggles a chip (attendee or topic) on and waits for aria-pressed. */
export async function pressChip(page: Page, testId: 'attendee' | 'topic', label: string): Promise<void> {
  const chip = page.getByTestId(testId).filter({ hasText: new RegExp(`^${escapeRegExp(label)}$`) });
  if ((await chip.getAttribute('aria-pressed')) !== 'true') await chip.click();
  await poll(() => chip.getAttribute('aria-pressed')).toBe('true');
}

export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// ---------- sync indicator ----------

export const indicator = (page: Page) => page.getByTestId('sync-indicator');
export const syncStatus = (page: Page) => indicator(page).getAttribute('data-status');

/** Local edits the relay has not confirmed, as the badge shows them (0 when there is no badge). */
export async function unconfirmed(page: Page): Promise<number> {
  const badge = indicator(page).getByTestId('unconfirmed');
  return (await badge.count()) ? Number(await badge.innerText()) : 0;
}

export async function waitSyncStatus(page: Page, status: 'synced' | 'syncing' | 'connecting' | 'offline' | 'refused', timeout = 30_000): Promise<void> {
  await poll(() => syncStatus(page), timeout).toBe(status);
}

// ---------- service worker ----------

/** Waits until the service worker is ready and its active worker has reached `activated`: only then is the app shell cached. */
export async function waitForServiceWorker(page: Page, timeout = 30_000): Promise<void> {
  const ready = await page.evaluate(
    (ms) => Promise.race([navigator.serviceWorker.ready.then(() => 'ready'), new Promise<string>((resolve) => setTimeout(() => resolve('not ready'), ms))]),
    timeout,
  );
  if (ready !== 'ready') throw new Error(`service worker not ready after ${timeout} ms`);
  await poll(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active?.state ?? 'none'), timeout).toBe('activated');
}

/**
 * The first install of the service worker shows "Muster is ready to work offline." for a few seconds;
 * tap its OK, as a user would, so it does not cover the tab bar in what follows. No toast is fine too.
 */
export async function dismissOfflineReady(page: Page, appearWithin = 3_000): Promise<void> {
  const toast = page.locator('.toast').filter({ hasText: 'Muster is ready to work offline.' });
  const appeared = await toast.waitFor({ state: 'visible', timeout: appearWithin }).then(
    () => true,
    () => false,
  );
  if (appeared) await toast.getByRole('button', { name: 'OK' }).click({ timeout: 2_000 }).catch(() => {});
  await toast.waitFor({ state: 'detached', timeout: 10_000 });
}

// ---------- what is stored ----------

export async function currentWorkspaceId(page: Page): Promise<string> {
  const id = await page.evaluate(() => localStorage.getItem('muster.currentWorkspace'));
  if (!id) throw new Error('no current workspace on this device');
  return id;
}

/** A register document's name: each register declares its own (src/registers/<name>/register.ts). */
export type Register = RegisterName;

export interface StoredRegister {
  /** records: id → fields */
  records: Record<string, Record<string, unknown>>;
  /** append-only evidence: id → entry */
  entries: Record<string, Record<string, unknown>>;
}

/**
 * What this device holds for a register in IndexedDB: the raw y-indexeddb
 * updates (database `muster.<workspaceId>.<register>`, store `updates`) read
 * in the page and merged into a fresh Y.Doc here, independent of the app's code.
 */
export async function readStored(page: Page, workspaceId: string, register: Register): Promise<StoredRegister> {
  const updates = await storedUpdates(page, workspaceId, register);
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  const stored = {
    records: doc.getMap('records').toJSON() as StoredRegister['records'],
    entries: doc.getMap('entries').toJSON() as StoredRegister['entries'],
  };
  doc.destroy();
  return stored;
}

/** What the phone last synced its per-person rooms as (src/registers/members/audience-view.ts): 'all', 'own:<personId>', or null. */
export const audienceViewOf = (page: Page, workspaceId: string): Promise<string | null> =>
  page.evaluate((key) => localStorage.getItem(key), `muster.audience.${workspaceId}`);

/** Every byte this device holds for a register (its raw y-indexeddb updates) as text: a typed note shows as itself. */
export const storedText = async (page: Page, workspaceId: string, register: Register): Promise<string> =>
  (await storedUpdates(page, workspaceId, register)).map((u) => new TextDecoder().decode(u)).join('\n');

/** The raw y-indexeddb updates of a register on this device (database `muster.<workspaceId>.<register>`, store `updates`). */
async function storedUpdates(page: Page, workspaceId: string, register: Register): Promise<Uint8Array[]> {
  const updates = await page.evaluate(async (name) => {
    const known = await indexedDB.databases();
    if (!known.some((d) => d.name === name)) return [] as number[][];
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
  }, `muster.${workspaceId}.${register}`);
  return updates.map((u) => Uint8Array.from(u));
}

/** Stored records of a register whose field `key` equals `value`. */
export const storedWhere = (s: StoredRegister, key: string, value: unknown) => Object.entries(s.records).filter(([, f]) => f[key] === value);

/** The workspaces this device has joined (Dexie database `muster-device`). */
export async function storedWorkspaceCount(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const known = await indexedDB.databases();
    if (!known.some((d) => d.name === 'muster-device')) return 0;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('muster-device');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    try {
      if (!db.objectStoreNames.contains('workspaces')) return 0;
      return await new Promise<number>((resolve, reject) => {
        const r = db.transaction('workspaces', 'readonly').objectStore('workspaces').count();
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    } finally {
      db.close();
    }
  });
}

// ---------- downloads and screenshots ----------

/** Clicks a button that downloads a file; returns the suggested name and the bytes. */
export async function download(page: Page, button: Locator): Promise<{ name: string; bytes: Buffer }> {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), button.click()]);
  return { name: (dl as Download).suggestedFilename(), bytes: fs.readFileSync(await (dl as Download).path()) };
}

/**
 * Saves what the phone shows (the 390×844 viewport) as test-results/screens/<name>.png and returns the path;
 * with `fullPage`, the whole scrolling screen at 390 px wide.
 */
export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<string> {
  fs.mkdirSync(SCREENS_DIR, { recursive: true });
  const file = path.join(SCREENS_DIR, `${name}.png`);
  // Let fonts and transitions settle so the picture is what a user sees.
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide', fullPage: opts.fullPage ?? false });
  return file;
}

/** Closes contexts, then browsers, one at a time (in the order given), ignoring the ones already gone; never waits forever. */
export async function closeAll(...things: Array<{ close(): Promise<void> } | undefined>): Promise<void> {
  for (const t of things) {
    if (!t) continue;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([t.close().catch(() => {}), new Promise<void>((resolve) => (timer = setTimeout(resolve, 15_000)))]);
    clearTimeout(timer);
  }
}

export { deviceIdOf, injectUpdate } from '../inject.ts';

export interface OnePhone {
  relay: RelayProcess;
  browser: Browser;
  context: BrowserContext;
  page: Page;
}

/**
 * The usual set-up of a test file: a relay process and Chromium started before
 * its tests with one phone open, all closed (and temporary data removed) after.
 * `set` hands them to the file's own variables.
 *
 * @example
 * let relay: RelayProcess;
 * let page: Page;
 * withOnePhone((s) => ({ relay, page } = s));
 */
export function withOnePhone(set: (s: OnePhone) => void): void {
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  beforeAll(async () => {
    const relay = await startRelay();
    browser = await launchBrowser();
    const phone = await newPhone(browser);
    context = phone.context;
    set({ relay, browser, context, page: phone.page });
  });
  afterAll(async () => {
    await closeAll(context, browser);
    await cleanup();
  });
}

