import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import type { RelayProcess } from '../integration/harness.ts';
import {
  addPerson,
  createWorkspace,
  currentWorkspaceId,
  dismissOfflineReady,
  download,
  errorsOf,
  fieldErrors,
  goHash,
  poll,
  readStored,
  type Register,
  screenshot,
  textsOf,
  visible,
  withOnePhone,
} from './browser.ts';
import { parseCsv } from './csv.ts';

/* Agreements on a phone: flags for people without one, an expired contract, bad dates refused, CSV. */

let relay: RelayProcess;
let page: Page;

withOnePhone((s) => ({ relay, page } = s));


const hash = () => page.evaluate(() => location.hash);
const flags = () => textsOf(page.getByTestId('agreement-gap'));
const stored = async () => readStored(page, await currentWorkspaceId(page), 'agreements');

async function openForm() {
  await goHash(page, '#/agreements');
  await page.getByRole('link', { name: 'Add', exact: true }).click();
  await visible(page.getByRole('heading', { name: 'Add an agreement' }));
}

test('an expired contract is flagged, bad dates are refused, the list exports as CSV', async () => {
  await createWorkspace(page, relay.url, 'Acme', 'Mia Manager');
  await dismissOfflineReady(page);
  await addPerson(page, { name: 'Ada Lovelace', team: 'Ops' });
  await addPerson(page, { name: 'Bo Builder', team: 'Ops' });

  await goHash(page, '#/agreements');
  await visible(page.getByRole('heading', { name: 'No agreements yet' }));
  await poll(flags).toEqual(['Ada Lovelace: no employment or contractor agreement on file', 'Bo Builder: no employment or contractor agreement on file']);

  // Ada's contract ran out last year.
  await openForm();
  await page.getByLabel('With').selectOption({ label: 'Ada Lovelace (Ops)' });
  await page.getByLabel('Type').selectOption({ label: 'Employment contract' });
  await page.getByLabel('Signed on').fill('2024-01-10');
  await page.getByLabel('Expires on').fill('2025-01-09');
  await page.getByLabel('Policy references').fill('Acceptable use policy, clause 7');
  await page.getByLabel('Document reference').fill('HR/contracts/ada.pdf');
  await screenshot(page, 'agreements-form');
  await page.getByRole('button', { name: 'Add agreement' }).click();
  await poll(hash).toBe('#/agreements');
  const ada = page.getByTestId('agreement-row').filter({ hasText: 'Ada Lovelace' });
  await poll(() => ada.getAttribute('data-status')).toBe('expired');
  expect(await textsOf(ada.locator('.badge'))).toEqual(['Expired']);
  await poll(flags).toEqual(['Ada Lovelace: employment contract expired (9 Jan 2025)', 'Bo Builder: no employment or contractor agreement on file']);

  // Bad input: an expiry before the signed date is refused and nothing is stored.
  await openForm();
  await page.getByLabel('With').selectOption({ label: 'Bo Builder (Ops)' });
  await page.getByLabel('Signed on').fill('2026-03-01');
  await page.getByLabel('Expires on').fill('2026-02-01');
  await page.getByRole('button', { name: 'Add agreement' }).click();
  await poll(() => fieldErrors(page)).toEqual(['The expiry date cannot be before the date it was signed.']);
  expect(await hash()).toBe('#/agreements/new');
  expect(Object.keys((await stored()).records)).toHaveLength(1);

  // A supplier agreement, not signed yet, without security clauses.
  await openForm();
  await page.getByLabel('With').selectOption({ label: 'An external party (supplier, third party)…' });
  await page.getByLabel('External party’s name').fill('Acme Hosting, Ltd');
  expect(await page.getByLabel('Type').inputValue()).toBe('third-party');
  await page.getByLabel('Includes information security clauses').uncheck();
  await page.getByRole('button', { name: 'Add agreement' }).click();
  await poll(hash).toBe('#/agreements');
  const hosting = page.getByTestId('agreement-row').filter({ hasText: 'Acme Hosting' });
  await poll(() => hosting.getAttribute('data-status')).toBe('unsigned');
  expect(await textsOf(hosting.locator('.badge'))).toEqual(['Not signed', 'No security clauses']);
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'agreements-list');

  // Filters.
  await page.getByLabel('Status').selectOption({ label: 'Expired' });
  await poll(() => page.getByTestId('agreement-row').count()).toBe(1);
  await page.getByLabel('Status').selectOption({ label: 'No security clauses' });
  await poll(() => textsOf(page.getByTestId('agreement-row').locator('.title'))).toEqual(['Acme Hosting, Ltd']);
  await page.getByLabel('Status').selectOption('');
  await page.getByLabel('Search').fill('ada.pdf');
  await poll(() => textsOf(page.getByTestId('agreement-row').locator('.title'))).toEqual(['Ada Lovelace']);
  await page.getByLabel('Search').fill('');
  await poll(() => page.getByTestId('agreement-row').count()).toBe(2);

  // CSV of what the list shows.
  const { name, bytes } = await download(page, page.getByRole('button', { name: 'Export these as CSV' }));
  expect(name).toMatch(/^muster-agreements-\d{4}-\d{2}-\d{2}\.csv$/);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const [header, ...rows] = parseCsv(bytes.subarray(3).toString('utf8'));
  const records = rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
  expect(records.map((r) => [r['Party'], r['Type'], r['Signed on'], r['Expires on'], r['Status'], r['Security clauses'], r['Policies referenced']])).toEqual([
    ['Acme Hosting, Ltd', 'Third-party / supplier agreement', '', 'No expiry', 'Not signed', 'No', ''],
    ['Ada Lovelace', 'Employment contract', '2024-01-10', '2025-01-09', 'Expired', 'Yes', 'Acceptable use policy, clause 7'],
  ]);

  // Stored one field per key, never deleted: archiving keeps the record.
  await page.getByTestId('agreement-row').filter({ hasText: 'Ada Lovelace' }).click();
  await page.getByRole('button', { name: 'Archive this agreement' }).click();
  await visible(page.getByRole('button', { name: 'Bring it back' }));
  const s = await stored();
  const adaRecord = Object.values(s.records).find((r) => r['documentRef'] === 'HR/contracts/ada.pdf');
  expect(adaRecord).toMatchObject({ type: 'employment', signedOn: '2024-01-10', expiresOn: '2025-01-09', securityClauses: true, archived: true, createdBy: 'Mia Manager' });
  await goHash(page, '#/agreements');
  await poll(flags).toEqual(['Ada Lovelace: no employment or contractor agreement on file', 'Bo Builder: no employment or contractor agreement on file']);

  expect(errorsOf(page)).toEqual([]);
});
