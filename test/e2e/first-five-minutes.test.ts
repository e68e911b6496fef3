import fs from 'node:fs';
import path from 'node:path';
import type { Download, Locator, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { ROOT, type RelayProcess } from '../integration/harness.ts';
import { poll, textOf, visible, withOnePhone } from './browser.ts';

/*
 * README's "First five minutes", done as a newcomer does it on a phone: every control the README
 * names in bold is one this test taps, by that name, so the README cannot drift from the screens.
 */

let relay: RelayProcess;
let page: Page;
withOnePhone((s) => ({ relay, page } = s));

/** "Start Dec 2026’s checklist" names the current month: compare it whatever the month. */
const anyMonth = (label: string) => label.replace(/^Start \w{3} \d{4}’s checklist$/, 'Start <month>’s checklist');

/** The bold control names of README's "First five minutes" (step titles, which end with a full stop, left out). */
function readmeControls(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = /^## First five minutes\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
  return [...section.matchAll(/\*\*(.+?)\*\*/gs)].map((m) => anyMonth(m[1]!.replace(/\s+/g, ' '))).filter((s) => !s.endsWith('.'));
}

test('README’s first five minutes: create a workspace, add a person, complete a checklist, export the pack', { timeout: 120_000 }, async () => {
  const tapped: string[] = [];
  const tap = async (what: Locator, readmeName: string) => {
    await what.tap();
    tapped.push(readmeName);
  };
  const nav = page.getByRole('navigation', { name: 'Sections' });

  await page.goto(relay.url);
  await page.getByLabel('Organisation name').tap();
  await page.keyboard.type('Acme Ltd');
  await page.getByLabel('Your name').tap();
  await page.keyboard.type('Mia Manager');
  await tap(page.getByRole('button', { name: 'Create workspace' }), 'Create workspace');
  await visible(page.getByRole('heading', { name: 'Home' }));
  await visible(page.getByText('Muster is ready to work offline.'), 30_000);
  await tap(page.getByRole('button', { name: 'OK' }), 'OK');

  await tap(nav.getByRole('link', { name: 'People' }), 'People');
  await tap(page.getByRole('link', { name: 'Add a person' }), 'Add a person');
  await page.getByLabel('Full name').tap();
  await page.keyboard.type('Sam Staff');
  await page.getByLabel('Team', { exact: true }).tap();
  await page.keyboard.type('Ops');
  await tap(page.getByRole('button', { name: 'Add person' }), 'Add person');
  await visible(page.getByTestId('person-row').filter({ hasText: 'Sam Staff' }));

  await tap(nav.getByRole('link', { name: 'Checklists' }), 'Checklists');
  const start = page.getByRole('link', { name: /^Start \w{3} \d{4}’s checklist$/ });
  await tap(start, anyMonth(await textOf(start)));
  await page.getByLabel('Team').selectOption('Ops');
  await tap(page.getByRole('button', { name: 'Start checklist' }), 'Start checklist');
  for (const key of ['brief', 'compliance', 'enforce', 'lead']) {
    await page.getByTestId(`item-${key}`).getByText('Done', { exact: true }).tap();
  }
  tapped.push('Done', 'N/A');
  await tap(page.getByRole('button', { name: 'Sign off checklist' }), 'Sign off checklist');
  await tap(page.getByRole('dialog', { name: 'Sign off the checklist' }).getByRole('button', { name: 'Sign off', exact: true }), 'Sign off');
  await poll(() => textOf(page.locator('.screen-header + .row .badge'))).toBe('Complete');

  await tap(nav.getByRole('link', { name: 'More' }), 'More');
  await tap(page.getByRole('link', { name: /^Evidence pack/ }), 'Evidence pack');
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), tap(page.getByRole('button', { name: 'Export pack' }), 'Export pack')]);
  const pack = { name: (dl as Download).suggestedFilename(), bytes: fs.readFileSync((await (dl as Download).path())!) };
  expect(pack.name).toMatch(/^muster-evidence-acme-ltd-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.zip$/);
  expect(pack.bytes.subarray(0, 2).toString('latin1')).toBe('PK');

  expect([...new Set(tapped)].sort()).toEqual([...new Set(readmeControls())].sort());
});
