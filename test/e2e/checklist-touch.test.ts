import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { type RelayProcess, ROOT } from '../integration/harness.ts';
import {
  addPerson,
  type Answer,
  answerOf,
  checklistStatus,
  createWorkspace,
  currentWorkspaceId,
  describedBy,
  errorsOf,
  goHash,
  goTab,
  item,
  ITEM_TITLES,
  itemEvidence,
  itemNote,
  type ItemKey,
  ITEM_KEYS,
  poll,
  readStored,
  screenshot,
  startChecklist,
  tapItemEvidence,
  tapItemNote,
  textOf,
  visible,
  withOnePhone,
} from './browser.ts';

/*
 * Issue 11, items 1, 6 and 7: a manager fills the monthly checklist on a phone,
 * in a meeting, with one thumb. Every step is a tap or typing, and the tap
 * that ends typing is the next control, once: never fill() and blur().
 */

let relay: RelayProcess;
let page: Page;
let wsId: string;

withOnePhone((s) => ({ relay, page } = s));

const radio = (key: ItemKey, value: Answer) => item(page, key).getByRole('radiogroup', { name: ITEM_TITLES[key] }).getByRole('radio', { name: value, exact: true });
const answerButton = (key: ItemKey, value: Answer) => item(page, key).getByRole('radiogroup', { name: ITEM_TITLES[key] }).getByText(value, { exact: true });
const storedChecklist = async (id: string) => (await readStored(page, wsId, 'checklists')).records[id] ?? {};
const inViewport = (l: Locator) =>
  l.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
  });

/** Taps and reports whether it landed within a short while (a lost tap does not land later). */
async function tapLands(target: Locator, landed: () => Promise<boolean>): Promise<boolean> {
  await target.tap();
  const end = Date.now() + 2_000;
  while (Date.now() < end) {
    if (await landed()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe.sequential('the monthly checklist on a phone', () => {
  test('set-up: a workspace with a team', async () => {
    await createWorkspace(page, relay.url, 'Acme Touch', 'Mia Manager');
    wsId = await currentWorkspaceId(page);
    for (const [name, team] of [['Mia Manager', 'Ops'], ['Ola Ops', 'Ops'], ['Sol Sales', 'Sales'], ['Tia Tech', 'Tech'], ['Fay Finance', 'Finance'], ['Nia North', 'North'], ['Sam South', 'South']] as const) {
      await addPerson(page, { name, team });
    }
  });

  // Item 1: the first tap after typing is not lost, and nothing typed is dropped.
  test('one pass over all four items: every tap straight after typing lands, every note is stored after a reload', async () => {
    const id = await startChecklist(page, 'Ops');
    const typed: Array<{ key: ItemKey; part: 'note' | 'evidence'; text: string }> = [
      { key: 'brief', part: 'note', text: 'Briefed at the Monday stand-up.' },
      { key: 'compliance', part: 'evidence', text: 'Training log, November export' },
      { key: 'enforce', part: 'note', text: 'Nothing to enforce this month.' },
      { key: 'lead', part: 'note', text: 'Locked my screen every time, team noticed.' },
    ];
    // Type on one item, then tap an answer of the next one (the last one's tap goes to the first item).
    const next: Array<[ItemKey, Answer]> = [['compliance', 'Done'], ['enforce', 'Not done'], ['lead', 'N/A'], ['brief', 'Done']];
    // Every input and textarea of the items, as DOM nodes: saving a field must not replace any of them.
    await page.evaluate(() => ((window as unknown as { inputs: Element[] }).inputs = [...document.querySelectorAll('.items input, .items textarea, .items select')]));
    const lost: string[] = [];
    for (const [i, t] of typed.entries()) {
      await (t.part === 'note' ? tapItemNote(page, t.key) : tapItemEvidence(page, t.key));
      await page.keyboard.type(t.text);
      const [key, value] = next[i]!;
      if (!(await tapLands(answerButton(key, value), () => radio(key, value).isChecked()))) lost.push(`${ITEM_TITLES[key]} · ${value} after typing in ${ITEM_TITLES[t.key]}`);
    }
    expect(lost, 'taps lost straight after typing').toEqual([]);
    const replaced = await page.evaluate(() => (window as unknown as { inputs: Element[] }).inputs.filter((el) => !el.isConnected).length);
    expect(replaced, 'inputs recreated by saving another field').toBe(0);
    for (const [key, value] of next) expect(await answerOf(page, key)).toBe(value);
    for (const t of typed) expect(await (t.part === 'note' ? itemNote(page, t.key) : itemEvidence(page, t.key)).inputValue()).toBe(t.text);
    await screenshot(page, 'checklist-touch-after-pass', { fullPage: true });

    await page.reload();
    await visible(item(page, 'brief'));
    for (const [key, value] of next) await poll(() => answerOf(page, key)).toBe(value);
    const stored = await storedChecklist(id);
    for (const [key, value] of next) expect(stored[`item.${key}.status`]).toBe({ Done: 'done', 'Not done': 'not-done', 'N/A': 'na' }[value]);
    for (const t of typed) {
      expect(stored[`item.${t.key}.${t.part}`]).toBe(t.text);
      // Shown after the reload too, unfolded because it holds something.
      await poll(() => (t.part === 'note' ? itemNote(page, t.key) : itemEvidence(page, t.key)).inputValue()).toBe(t.text);
    }
  });

  // Item 6: a note that cannot be stored says so at the field, in view, aloud; nothing is silently dropped.
  test('a 5,000-character note: the error is beside the field, in view and announced; the stored note stays; sign-off waits', async () => {
    const id = await startChecklist(page, 'Sales');
    await tapItemNote(page, 'brief');
    await page.keyboard.type('Short note first.');
    await answerButton('brief', 'Done').tap();
    await poll(async () => (await storedChecklist(id))['item.brief.note']).toBe('Short note first.');

    // A long paste replaces it (select all, then one insert as a paste is).
    await itemNote(page, 'brief').tap();
    await page.keyboard.press('ControlOrMeta+A');
    const long = 'Minutes of the long meeting. '.repeat(173).slice(0, 5000);
    await page.keyboard.insertText(long);
    // The next tap is another item's answer, far below the end of the text: it still lands.
    expect(await tapLands(answerButton('compliance', 'Done'), () => radio('compliance', 'Done').isChecked())).toBe(true);

    const error = item(page, 'brief').locator('.field-error');
    await poll(() => textOf(error)).toBe('Keep it under 2,000 characters: this has 5,000, so it is not saved yet.');
    expect(await error.getAttribute('role')).toBe('alert');
    expect(await describedBy(itemNote(page, 'brief'))).toContain('Keep it under 2,000 characters');
    expect(await itemNote(page, 'brief').getAttribute('aria-invalid')).toBe('true');
    await poll(() => inViewport(error)).toBe(true);
    await screenshot(page, 'checklist-note-too-long');
    // What was typed is still in the field; what was stored is unchanged.
    expect(await itemNote(page, 'brief').inputValue()).toBe(long);
    expect((await storedChecklist(id))['item.brief.note']).toBe('Short note first.');

    // Every item answered, but the checklist cannot be signed with part of it unsaved; the message says where.
    for (const key of ['enforce', 'lead'] as const) await answerButton(key, 'Done').tap();
    await poll(() => answerOf(page, 'lead')).toBe('Done');
    const sign = page.getByRole('button', { name: 'Sign off checklist' });
    expect(await sign.isDisabled()).toBe(true);
    expect(await textOf(page.locator('.signoff .muted').filter({ hasText: 'not saved yet' }))).toBe(
      'The note on “Brief the team” is not saved yet: Keep it under 2,000 characters: this has 5,000, so it is not saved yet.',
    );
    await page.getByRole('button', { name: 'Show it' }).tap();
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-invalid'))).toBe('true');

    // Leaving the screen and coming back does not drop it either.
    await goTab(page, 'Checklists');
    await goHash(page, `#/checklists/${id}`);
    await visible(item(page, 'brief'));
    await poll(() => itemNote(page, 'brief').inputValue()).toBe(long);
    await poll(() => textOf(item(page, 'brief').locator('.field-error'))).toContain('not saved yet');

    // Shortened, it saves on the next tap and the sign-off opens.
    await itemNote(page, 'brief').tap();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('Long meeting; minutes attached.');
    await answerButton('brief', 'Done').tap();
    await poll(async () => (await storedChecklist(id))['item.brief.note']).toBe('Long meeting; minutes attached.');
    expect(await item(page, 'brief').locator('.field-error').count()).toBe(0);
    await poll(() => sign.isDisabled()).toBe(false);
    expect(errorsOf(page)).toEqual([]);
  });

  // Item 7: folded fields, actions in place, next unanswered, a photo per item, 44 px targets.
  test('folded: four items fit in little more than a screen; notes open on "Add note"', async () => {
    await startChecklist(page, 'Tech');
    for (const key of ITEM_KEYS) expect(await itemNote(page, key).isVisible()).toBe(false);
    const screens = await page.locator('ol.items').evaluate((el) => el.getBoundingClientRect().height / window.innerHeight);
    console.log(`checklist-touch: 4 items take ${screens.toFixed(2)} screens of 844 px`);
    expect(screens).toBeLessThan(1.5);
    await screenshot(page, 'checklist-folded');
  });

  test('"Not done" offers "Add an action" in place; ticking it off later leaves the sign-off standing', async () => {
    const id = await startChecklist(page, 'Finance');
    await answerButton('brief', 'Done').tap();
    await answerButton('compliance', 'Not done').tap();
    await page.getByRole('button', { name: 'Add an action for Check compliance' }).tap();
    const form = item(page, 'compliance').locator('form');
    await poll(() => page.evaluate(() => document.activeElement?.closest('[data-testid="item-compliance"]') !== null)).toBe(true);
    await page.keyboard.type('Chase the two missing phishing courses');
    await form.getByLabel('Owner').selectOption({ label: 'Fay Finance' });
    // Three days ahead, on Due's open "this week" group; a past date would ask for confirmation (see due-complete.test.ts).
    const dueOn = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    await form.getByLabel('Due').fill(dueOn);
    await form.getByRole('button', { name: 'Add action' }).tap();
    const row = item(page, 'compliance').getByTestId('item-action');
    await poll(() => textOf(row)).toContain('Chase the two missing phishing courses · Fay Finance · due');
    // An open action with a due date is on Due, saying where it comes from.
    await goHash(page, '#/due');
    const dueRow = page.getByTestId('due-row').filter({ hasText: 'Chase the two missing phishing courses' });
    await poll(() => textOf(dueRow)).toContain('Finance checklist');
    await goHash(page, `#/checklists/${id}`);
    await visible(row);
    const action = Object.entries(await storedChecklist(id)).find(([k]) => k.startsWith('action.'));
    expect(action?.[1]).toEqual({ text: 'Chase the two missing phishing courses', ownerId: expect.any(String), due: dueOn, done: false, item: 'compliance' });

    // Bad input at the field, nothing stored.
    await page.getByRole('button', { name: 'Add an action for Check compliance' }).tap();
    await form.getByRole('button', { name: 'Add action' }).tap();
    await poll(() => textOf(form.locator('.field-error'))).toBe('Describe the action.');
    expect(Object.keys(await storedChecklist(id)).filter((k) => k.startsWith('action.'))).toHaveLength(1);

    // "Next unanswered" takes the thumb to the next item without an answer.
    await page.getByTestId('next-unanswered').tap();
    await poll(() => page.evaluate(() => document.activeElement?.closest('li.item')?.getAttribute('data-testid'))).toBe('item-enforce');
    await poll(() => inViewport(item(page, 'enforce'))).toBe(true);
    await answerButton('enforce', 'Done').tap();
    await page.getByTestId('next-unanswered').tap();
    await poll(() => page.evaluate(() => document.activeElement?.closest('li.item')?.getAttribute('data-testid'))).toBe('item-lead');
    await answerButton('lead', 'Done').tap();
    expect(await page.getByTestId('next-unanswered').count()).toBe(0);

    await page.getByRole('button', { name: 'Sign off checklist' }).tap();
    await page.getByRole('dialog').getByRole('button', { name: 'Sign off', exact: true }).tap();
    await poll(() => checklistStatus(page)).toBe('Signed, with gaps');
    // Follow-up is not an edit of what was signed.
    await row.getByRole('checkbox').tap();
    await poll(async () => ((await storedChecklist(id))[action![0]] as { done?: boolean }).done).toBe(true);
    expect(await checklistStatus(page)).toBe('Signed, with gaps');
    // Who ticked it and when is kept beside the action.
    expect(await textOf(row.getByTestId('action-done'))).toMatch(/^Done \d{1,2} \w{3} \d{4} by /);
    await screenshot(page, 'checklist-action-done', { fullPage: true });
    // Done: it leaves Due.
    await goHash(page, '#/due');
    await visible(page.getByTestId('due-count'));
    await poll(() => page.getByTestId('due-row').filter({ hasText: 'Chase the two missing phishing courses' }).count()).toBe(0);
    await goHash(page, `#/checklists/${id}`);
    await visible(row);
  });

  test('a photo on one checklist item: shown under that item only, stored on the item', async () => {
    const png = Buffer.from(
      await page.evaluate(() => {
        const c = document.createElement('canvas');
        c.width = 64;
        c.height = 48;
        const g = c.getContext('2d')!;
        g.fillStyle = '#1f4e79';
        g.fillRect(0, 0, 64, 48);
        return c.toDataURL('image/png').split(',')[1]!;
      }),
      'base64',
    );
    const id = (await page.evaluate(() => location.hash)).split('/')[2]!;
    await item(page, 'lead').getByTestId('add-photo').setInputFiles({ name: 'desk.png', mimeType: 'image/png', buffer: png });
    await poll(() => item(page, 'lead').getByTestId('attachment').count()).toBe(1);
    for (const key of ['brief', 'compliance', 'enforce'] as const) expect(await item(page, key).getByTestId('attachment').count()).toBe(0);
    const fields = Object.keys(await storedChecklist(id));
    expect(fields.filter((k) => /^item\.lead\.att\.[0-9a-f]{64}$/.test(k))).toHaveLength(1);
    expect(fields.filter((k) => /^att\./.test(k))).toHaveLength(0);
    await page.reload();
    await poll(() => item(page, 'lead').getByTestId('attachment').count()).toBe(1);
    await item(page, 'lead').evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await screenshot(page, 'checklist-item-photo');
  });

  test('every touch target on the checklist and the screens around it is at least 44×44 px', async () => {
    const small = async () =>
      page.evaluate(() => {
        const out: string[] = [];
        const targets = document.querySelectorAll<HTMLElement>('a[href], button, select, input:not([type="file"]):not(.visually-hidden), label.btn, .seg-label, label.check');
        for (const el of targets) {
          const r = el.getBoundingClientRect();
          if (r.width === 0 || r.height === 0) continue;
          // Links inside a sentence are exempt (WCAG 2.5.8); checkboxes are tapped through their 44 px label.
          if (el.tagName === 'A' && el.closest('p')) continue;
          if (el instanceof HTMLInputElement && el.type === 'checkbox' && el.closest('label.check')) continue;
          if (r.width < 44 || r.height < 44) out.push(`${el.tagName.toLowerCase()} “${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 30)}” ${Math.round(r.width)}×${Math.round(r.height)}`);
        }
        return out;
      });
    const back = page.getByRole('link', { name: 'Back' });
    const box = await back.boundingBox();
    console.log(`checklist-touch: back chevron ${box?.width}×${box?.height}`);
    expect(box!.width).toBeGreaterThanOrEqual(44);
    expect(box!.height).toBeGreaterThanOrEqual(44);
    expect(await small(), 'checklist detail').toEqual([]);
    await goTab(page, 'Checklists');
    expect(await small(), 'checklists list').toEqual([]);
    await goTab(page, 'Home');
    expect(await small(), 'home').toEqual([]);
    await goTab(page, 'Briefings');
    expect(await small(), 'briefings list').toEqual([]);
    await goTab(page, 'Settings');
    expect(await small(), 'settings').toEqual([]);
  });
});

// Item 7: the taps from Home to a signed 4-item checklist, counted the same way on every build.
describe.sequential('taps from Home to a signed checklist', () => {
  const counts: Record<string, number> = {};

  async function signedChecklist(team: string, withNote: boolean): Promise<number> {
    let taps = 0;
    /** A tap, and another when it did not land (as a person would): every one is counted. */
    const tapUntil = async (target: Locator, landed: () => Promise<boolean>) => {
      for (let i = 0; i < 3; i++) {
        taps++;
        if (await tapLands(target, landed)) return;
      }
      throw new Error('three taps did not land');
    };
    await goTab(page, 'Home');
    const start = page.locator('li').filter({ hasText: team }).getByRole('link', { name: 'Start', exact: true }).first();
    await tapUntil(start, async () => (await page.evaluate(() => location.hash)).startsWith('#/checklists/new'));
    await tapUntil(page.getByRole('button', { name: 'Start checklist' }), () => item(page, 'brief').isVisible());
    if (withNote) {
      taps += await tapItemNote(page, 'brief');
      await page.keyboard.type('Briefed at the Monday stand-up.');
    }
    for (const key of ITEM_KEYS) await tapUntil(answerButton(key, 'Done'), () => radio(key, 'Done').isChecked());
    await tapUntil(page.getByRole('button', { name: 'Sign off checklist' }), () => page.getByRole('dialog').isVisible());
    await tapUntil(page.getByRole('dialog').getByRole('button', { name: 'Sign off', exact: true }), () => page.getByTestId('signoff-state').isVisible());
    expect(await checklistStatus(page)).toBe('Complete');
    if (withNote) expect(await itemNote(page, 'brief').inputValue()).toBe('Briefed at the Monday stand-up.');
    return taps;
  }

  test('with one note, and without notes', async () => {
    // A new month's checklists for two teams that have none yet: Home offers "Start" for each.
    counts['one note'] = await signedChecklist('North', true);
    counts['no notes'] = await signedChecklist('South', false);
    console.log(`checklist-touch: taps from Home to a signed 4-item checklist: ${JSON.stringify(counts)}`);
    fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
    fs.writeFileSync(path.join(ROOT, 'test-results', 'checklist-taps.json'), JSON.stringify(counts));
    expect(counts['one note']).toBeLessThanOrEqual(9);
    expect(errorsOf(page)).toEqual([]);
  });
});
