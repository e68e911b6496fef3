import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { currentWorkspaceId, fieldErrors, goHash, poll, readStored, screenshot, textOf, visible } from './browser.ts';

/** Policy flows shared by the policy and dashboard tests. */

export const ACKS = 'acknowledgements' as const;
export const POLICIES = 'policies' as const;

export const TITLE = 'Acceptable use';
export const V1_TEXT = `1. Purpose
This policy sets out how Acme's computers, phones and accounts may be used.

2. Rules
- Lock your screen whenever you leave your desk.
- Never share your password; use the password manager.
- Report lost devices and suspicious emails to security@acme.example at once.

3. Consequences
Breaches are handled through the disciplinary process.`;
export const V2_TEXT = `${V1_TEXT}\n\n4. Remote work\nUse the VPN on any network you do not control.`;


export async function createPolicy(page: Page): Promise<string> {
  await goHash(page, '#/policies');
  await visible(page.getByRole('heading', { name: 'No policies yet' }));
  await page.getByRole('link', { name: 'Add a policy' }).click();
  await visible(page.getByRole('heading', { name: 'New policy' }));
  // Bad input first: nothing is stored.
  await page.getByRole('button', { name: 'Add policy' }).click();
  await poll(() => fieldErrors(page)).toEqual(['Enter the policy’s title.']);
  await page.getByText('Teams or roles', { exact: true }).click();
  await page.getByRole('button', { name: 'Add policy' }).click();
  await poll(() => fieldErrors(page)).toEqual(['Enter the policy’s title.', 'Choose who the policy applies to: everyone, some teams or some security roles.']);
  await screenshot(page, 'policy-form-errors', { fullPage: true });
  await page.getByText('Everyone', { exact: true }).click();
  expect(Object.keys((await readStored(page, await currentWorkspaceId(page), POLICIES)).records)).toHaveLength(0);
  await page.getByLabel('Title').fill(TITLE);
  await page.getByLabel('Owner').selectOption({ label: 'Mia Manager (Ops)' });
  await page.getByRole('button', { name: 'Add policy' }).click();
  await poll(() => page.evaluate(() => location.hash)).toMatch(/^#\/policies\/(?!new)[\w-]+$/);
  await visible(page.getByRole('heading', { name: TITLE }));
  return page.evaluate(() => decodeURIComponent(location.hash.split('/')[2]!));
}

export async function publish(page: Page, policyId: string, version: string, text: string): Promise<void> {
  await goHash(page, `#/policies/${policyId}`);
  await page.getByRole('link', { name: 'Publish version' }).click();
  await visible(page.getByRole('heading', { name: 'Publish a version' }));
  expect(await page.getByLabel('Version').inputValue()).toBe(version);
  if (version === '1.0') {
    // A version needs its text: nothing is published without it.
    await page.getByRole('button', { name: 'Publish version' }).click();
    await poll(() => fieldErrors(page)).toEqual(['Paste the text of this version, or a reference to where the document lives (file name, link).', 'Enter who approved this version.']);
  }
  await page.getByLabel('Policy text').fill(text);
  await page.getByLabel('Approved by').fill('Cleo Chen, CEO');
  await screenshot(page, `policy-publish-${version}`);
  await page.getByRole('button', { name: 'Publish version' }).click();
  await poll(() => page.evaluate(() => location.hash)).toBe(`#/policies/${policyId}`);
  await poll(() => textOf(page.getByTestId('current-version'))).toMatch(new RegExp(`^${version.replace('.', '\\.')}, approved by Cleo Chen, CEO on `));
}

/** Rows of the policy's roster on the chosen tab: "name|status". */
export async function roster(page: Page, tab: 'Not yet' | 'Acknowledged'): Promise<string[]> {
  await page.getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
  const rows = page.getByTestId('roster-row');
  return (await rows.evaluateAll((els) => els.map((e) => `${e.querySelector('.title')?.textContent}|${e.getAttribute('data-status')}|${e.querySelector('.muted')?.textContent}`)));
}

export async function drawSignature(page: Page): Promise<void> {
  const pad = page.getByTestId('signature-pad');
  await pad.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  const box = (await pad.boundingBox())!;
  const at = (fx: number, fy: number) => [box.x + box.width * fx, box.y + box.height * fy] as const;
  await page.mouse.move(...at(0.1, 0.7));
  await page.mouse.down();
  for (const [fx, fy] of [[0.18, 0.3], [0.26, 0.75], [0.34, 0.35], [0.42, 0.7], [0.5, 0.4], [0.6, 0.65], [0.72, 0.45], [0.85, 0.55]] as const) {
    await page.mouse.move(...at(fx, fy), { steps: 6 });
  }
  await page.mouse.up();
  await poll(() => pad.getAttribute('data-drawn')).toBe('true');
}

