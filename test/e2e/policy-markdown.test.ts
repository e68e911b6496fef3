import { createHash } from 'node:crypto';
import type { Dialog, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import type { RelayProcess } from '../integration/harness.ts';
import { addPerson, createWorkspace, currentWorkspaceId, errorsOf, goHash, poll, readStored, screenshot, tapAndType, textOf, visible, withOnePhone } from './browser.ts';
import { ACKS, createPolicy, TITLE } from './policy-flows.ts';

/*
 * An owner types a policy in Markdown on the phone, with XSS payloads in it. The same phone reads it
 * under My policies: headings, lists and a table are rendered, every payload is inert text, and the
 * acknowledgement binds the SHA-256 of the source text that was typed.
 */

let relay: RelayProcess;
let page: Page;
withOnePhone((s) => ({ relay, page } = s));

const SOURCE = [
  '# Purpose',
  'How we use **company devices**.',
  '',
  '## Rules',
  '- Lock your screen',
  '- Report lost phones to [the service desk](https://desk.acme.example/report)',
  '',
  '| Who | Must |',
  '|---|---|',
  '| Staff | Lock screens |',
  '',
  '<script>window.__xss = "script"</script>',
  '',
  '<img src=x onerror="window.__xss = \'img\'; alert(1)">',
  '',
  '[Win a prize](javascript:alert(document.domain))',
  '',
  '<iframe src="javascript:alert(2)"></iframe>',
  '',
  '<div onclick="alert(3)">raw block</div>',
  '',
  '[Open me](data:text/html;base64,PHNjcmlwdD5hbGVydCg0KTwvc2NyaXB0Pg==)',
].join('\n');
const SOURCE_SHA = createHash('sha256').update(SOURCE, 'utf8').digest('hex');

/** What makes a rendered policy text unsafe: active elements, handlers, links that are not http(s). */
const unsafeIn = (root: Page, testId: string) =>
  root.getByTestId(testId).evaluate((el) => ({
    active: [...el.querySelectorAll('script, iframe, img, object, embed, svg, style, div, form')].map((n) => n.tagName),
    handlers: [...el.querySelectorAll('*')].flatMap((n) => [...n.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${n.tagName}.${a.name}`)),
    links: [...el.querySelectorAll('a')].map((a) => `${a.getAttribute('href')}|${a.getAttribute('rel')}|${a.getAttribute('target')}`),
    scriptsInPage: document.body.querySelectorAll('script').length,
    xss: (window as { __xss?: string }).__xss ?? null,
  }));

const SAFE = { active: [], handlers: [], links: ['https://desk.acme.example/report|noopener noreferrer|_blank'], scriptsInPage: 0, xss: null };

const structure = (root: Page, testId: string) =>
  root.getByTestId(testId).evaluate((el) => ({
    headings: [...el.querySelectorAll('h2, h3')].map((h) => `${h.tagName}:${h.textContent}`),
    items: [...el.querySelectorAll('li')].map((li) => li.textContent),
    cells: [...el.querySelectorAll('th, td')].map((c) => c.textContent),
  }));

const STRUCTURE = {
  headings: ['H2:Purpose', 'H3:Rules'],
  items: ['Lock your screen', 'Report lost phones to the service desk'],
  cells: ['Who', 'Must', 'Staff', 'Lock screens'],
};

test('an owner types a Markdown policy: it is rendered, XSS payloads are inert, and the acknowledged SHA-256 is that of the source', { timeout: 180_000 }, async () => {
  const dialogs: string[] = [];
  const onDialog = (d: Dialog) => {
    dialogs.push(d.message());
    void d.dismiss();
  };
  page.on('dialog', onDialog);

  await createWorkspace(page, relay.url, 'Acme Security', 'Mia Manager');
  await addPerson(page, { name: 'Mia Manager', team: 'Ops' });
  const wsId = await currentWorkspaceId(page);
  const policyId = await createPolicy(page);

  // --- The owner types the text, as on a phone, and looks at the preview before publishing.
  await page.getByRole('link', { name: 'Publish version' }).click();
  await visible(page.getByRole('heading', { name: 'Publish a version' }));
  await tapAndType(page.getByLabel('Policy text'), SOURCE);
  await tapAndType(page.getByLabel('Approved by'), 'Cleo Chen, CEO');
  await page.getByText('Preview', { exact: true }).tap();
  await visible(page.getByTestId('policy-preview').getByRole('heading', { name: 'Purpose' }));
  expect(await structure(page, 'policy-preview')).toEqual(STRUCTURE);
  expect(await unsafeIn(page, 'policy-preview')).toEqual(SAFE);
  await screenshot(page, 'policy-markdown-preview', { fullPage: true });
  await page.getByRole('button', { name: 'Publish version' }).tap();
  await poll(() => textOf(page.getByTestId('current-version'))).toMatch(/^1\.0, approved by Cleo Chen, CEO on /);
  expect(await textOf(page.getByTestId('current-sha'))).toBe(SOURCE_SHA);

  // --- The version in the policy's history is rendered the same way.
  await page.getByText('Read version 1.0').tap();
  const versionText = page.getByTestId('version-entry').locator('.policy-text');
  await visible(versionText.getByRole('heading', { name: 'Rules' }));
  expect(await versionText.locator('script, img, iframe, div').count()).toBe(0);

  // --- My policies, on the same phone: read it, then acknowledge.
  await goHash(page, '#/my-policies');
  await page.getByTestId('my-policy-due').filter({ hasText: TITLE }).tap();
  await visible(page.getByTestId('policy-text').getByRole('heading', { name: 'Purpose' }));
  expect(await structure(page, 'policy-text')).toEqual(STRUCTURE);
  expect(await unsafeIn(page, 'policy-text')).toEqual(SAFE);
  // The payloads are shown as the text that was typed.
  const shown = await textOf(page.getByTestId('policy-text'));
  for (const payload of ['<script>window.__xss = "script"</script>', '<img src=x onerror="window.__xss = \'img\'; alert(1)">', '[Win a prize](javascript:alert(document.domain))', '<iframe src="javascript:alert(2)"></iframe>']) {
    expect(shown).toContain(payload);
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'policy-markdown-reading');
  await screenshot(page, 'policy-markdown-reading-full', { fullPage: true });

  // Tapping the payload text does nothing: it is not a link.
  await page.getByText('[Win a prize](javascript:alert(document.domain))').tap();
  expect(await page.evaluate(() => location.hash)).toBe(`#/my-policies?policy=${policyId}`);

  await tapAndType(page.getByLabel('Type your full name'), 'Mia Manager');
  await page.getByRole('button', { name: 'Acknowledge' }).tap();
  await poll(() => textOf(page.getByTestId('ack-done'))).toMatch(/^Mia Manager acknowledged version 1\.0 on /);

  // --- Stored, and after a reload: the acknowledgement binds the SHA-256 of the Markdown source.
  await page.reload();
  await visible(page.getByTestId('ack-done'));
  const acks = Object.values((await readStored(page, wsId, ACKS)).entries);
  expect(acks).toEqual([expect.objectContaining({ kind: 'acknowledgement', policyId, version: '1.0', textSha256: SOURCE_SHA, typedName: 'Mia Manager' })]);
  expect(await unsafeIn(page, 'policy-text')).toEqual(SAFE);

  expect(dialogs).toEqual([]);
  expect(errorsOf(page)).toEqual([]);
  page.off('dialog', onDialog);
});
