import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { renderPolicyMarkdown } from '../../src/registers/policies/markdown.ts';
import { cleanup, type RelayProcess } from '../integration/harness.ts';
import {
  addPerson,
  closeAll,
  createWorkspace,
  currentWorkspaceId,
  download,
  dismissOfflineReady,
  errorsOf,
  fieldErrors,
  goHash,
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
  unconfirmed,
  visible,
  waitForServiceWorker,
  waitSyncStatus,
} from './browser.ts';
import { ACKS, createPolicy, drawSignature, POLICIES, publish, roster, TITLE, V1_TEXT, V2_TEXT } from './policy-flows.ts';

/*
 * A manager publishes a policy; a member of staff acknowledges it on their own
 * phone with no signal (typed name and a drawn signature); once synced the
 * manager sees it; a new version makes it stale on both phones.
 */

let browser: Browser | undefined;
let relay: RelayProcess;

beforeAll(async () => {
  relay = await startRelay();
  browser = await launchBrowser();
});

afterAll(async () => {
  await closeAll(browser);
  await cleanup();
});

const ORG = 'Acme Security';
test('staff acknowledge a policy offline; the manager sees it; a new version makes it stale on both phones', { timeout: 180_000 }, async () => {
  const { context: ctxA, page: a } = await newPhone(browser!);
  const { context: ctxB, page: b } = await newPhone(browser!);

  // --- A (manager) sets up people and a policy for everyone, and publishes v1.
  await createWorkspace(a, relay.url, ORG, 'Mia Manager');
  await addPerson(a, { name: 'Mia Manager', team: 'Ops' });
  await addPerson(a, { name: 'Sam Staff', team: 'Ops' });
  const wsId = await currentWorkspaceId(a);
  expect(Object.keys((await readStored(a, wsId, POLICIES)).records)).toHaveLength(0);
  const policyId = await createPolicy(a);
  await publish(a, policyId, '1.0', V1_TEXT);
  const sha1 = await textOf(a.getByTestId('current-sha'));
  expect(sha1).toMatch(/^[0-9a-f]{64}$/);
  expect(await roster(a, 'Not yet')).toEqual(['Mia Manager|missing|Not acknowledged · Ops', 'Sam Staff|missing|Not acknowledged · Ops']);

  // --- B (Sam's phone) joins with a name that is not in People: My policies asks who they are.
  const link = await joinLinkOf(a);
  await joinWorkspace(b, link, ORG, 'Sam');
  await confirmDevices(a);
  await goHash(b, '#/my-policies');
  await visible(b.getByRole('heading', { name: 'Who are you?' }));
  expect(await textOf(b.getByTestId('who-why'))).toContain('This device signs as “Sam”, which is not the name of anyone in People');
  await b.getByRole('button', { name: 'This is me' }).click();
  await poll(() => fieldErrors(b)).toEqual(['Choose your name from the list.']);
  await screenshot(b, 'my-policies-who-are-you');
  await poll(() => b.getByLabel('Your name').locator('option').allInnerTexts()).toContain('Sam Staff (Ops)');
  await b.getByLabel('Your name').selectOption({ label: 'Sam Staff (Ops)' });
  await b.getByRole('button', { name: 'This is me' }).click();
  await poll(() => textOf(b.getByTestId('who-am-i'))).toMatch(/^You are Sam Staff on this device\.\s*Not you\?$/);
  const samId = await b.evaluate((ws) => localStorage.getItem(`muster.me.${ws}`), wsId);
  expect(samId).toBeTruthy();
  await poll(() => textsOf(b.getByTestId('my-policy-due').locator('.title'))).toEqual([TITLE]);
  await screenshot(b, 'my-policies-list-due');

  await Promise.all([waitSyncStatus(a, 'synced'), waitSyncStatus(b, 'synced')]);
  await Promise.all([waitForServiceWorker(a), waitForServiceWorker(b)]);
  await Promise.all([dismissOfflineReady(a), dismissOfflineReady(b)]);

  // --- B goes offline, reads v1 and acknowledges it.
  await ctxB.setOffline(true);
  await waitSyncStatus(b, 'offline');
  await b.getByTestId('my-policy-due').filter({ hasText: TITLE }).click();
  await visible(b.getByRole('heading', { name: TITLE }));
  expect(await b.evaluate(() => location.hash)).toBe(`#/my-policies?policy=${policyId}`);
  expect(await b.getByTestId('policy-text').innerHTML()).toBe(renderPolicyMarkdown(V1_TEXT));
  expect(await textOf(b.getByTestId('reading-version'))).toMatch(/^Version 1\.0 · approved by Cleo Chen, CEO on \d{1,2} \w{3} \d{4}$/);
  await screenshot(b, 'my-policies-reading');
  expect(await textOf(b.locator('.statement'))).toBe(`I have read and will follow ${TITLE} version 1.0`);

  // Bad input: an empty name, then someone else's name. Nothing is stored.
  const name = b.getByLabel('Type your full name');
  await b.getByRole('button', { name: 'Acknowledge' }).click();
  await poll(() => fieldErrors(b)).toEqual(['Type your full name to acknowledge.']);
  await name.fill('Sam Smith');
  await b.getByRole('button', { name: 'Acknowledge' }).click();
  await poll(() => fieldErrors(b)).toEqual(['That is not the name of the person acknowledging: type Sam Staff’s full name as it is in People.']);
  expect(Object.keys((await readStored(b, wsId, ACKS)).entries)).toHaveLength(0);

  // Typed name (case and spacing do not matter) and a drawn signature.
  await name.fill('  sam   staff ');
  await drawSignature(b);
  await screenshot(b, 'my-policies-acknowledge-signed');
  await screenshot(b, 'my-policies-acknowledge-signed-full', { fullPage: true });
  await b.getByRole('button', { name: 'Acknowledge' }).click();
  await poll(() => textOf(b.getByTestId('ack-done'))).toMatch(/^Sam Staff acknowledged version 1\.0 on \d{1,2} \w{3} \d{4} \d{2}:\d{2}, typing “sam staff”\.$/);
  await visible(b.locator('img.signature-img'));
  expect(await b.getByTestId('ack-form').count()).toBe(0);
  await screenshot(b, 'my-policies-acknowledged');

  const storedAcks = Object.values((await readStored(b, wsId, ACKS)).entries);
  expect(storedAcks).toHaveLength(1);
  const ack = storedAcks[0]!;
  expect(ack).toMatchObject({ kind: 'acknowledgement', personId: samId, policyId, version: '1.0', textSha256: sha1, typedName: 'sam staff', byName: 'Sam' });
  expect(ack['signature']).toMatch(/^data:image\/png;base64,/);
  expect((ack['signature'] as string).length).toBeLessThan(200 * 1024);
  expect(ack['deviceId']).toBeTruthy();
  await poll(() => unconfirmed(b)).toBeGreaterThan(0);

  await goHash(b, '#/my-policies');
  await poll(() => textsOf(b.getByTestId('my-policy-done').locator('.title'))).toEqual([TITLE]);
  expect(await b.getByTestId('my-policy-due').count()).toBe(0);
  await screenshot(b, 'my-policies-list-done');

  // The manager cannot see it yet.
  await goHash(a, `#/policies/${policyId}`);
  expect(await roster(a, 'Acknowledged')).toEqual([]);

  // --- B comes back online: A's policy shows Sam acknowledged v1.
  await ctxB.setOffline(false);
  await waitSyncStatus(b, 'synced', 45_000);
  await poll(() => unconfirmed(b)).toBe(0);
  await poll(() => roster(a, 'Acknowledged'), 30_000).toEqual([expect.stringMatching(/^Sam Staff\|current\|Version 1\.0, \d{1,2} \w{3} \d{4} \d{2}:\d{2} · signed · Ops$/)]);
  expect(await textOf(a.getByTestId('roster-rate'))).toBe('1 of 2');
  await a.evaluate(() => window.scrollTo(0, 0));
  await screenshot(a, 'policy-detail-acknowledged');
  await screenshot(a, 'policy-detail-acknowledged-full', { fullPage: true });

  // --- A publishes v2: Sam's acknowledgement is stale on both phones.
  await publish(a, policyId, '2.0', V2_TEXT);
  expect(await textOf(a.getByTestId('current-sha'))).not.toBe(sha1);
  await poll(() => roster(a, 'Not yet')).toEqual(['Mia Manager|missing|Not acknowledged · Ops', 'Sam Staff|stale|Stale (version 1.0) · Ops']);
  expect(await roster(a, 'Acknowledged')).toEqual([]);
  expect(await textOf(a.getByTestId('roster-rate'))).toBe('0 of 2');
  expect(await textsOf(a.getByTestId('version-entry').locator('strong'))).toEqual(['Version 2.0', 'Version 1.0']);
  await a.getByRole('tab', { name: /^Not yet/ }).click();
  await a.getByTestId('roster-rate').scrollIntoViewIfNeeded();
  await screenshot(a, 'policy-detail-stale');

  await poll(() => textsOf(b.getByTestId('my-policy-due')), 30_000).toEqual([expect.stringMatching(/^Acceptable use\s+Version 2\.0 · approved \d{1,2} \w{3} \d{4}\s+Stale \(version 1\.0\)$/)]);
  expect(await b.getByTestId('my-policy-done').count()).toBe(0);
  await screenshot(b, 'my-policies-list-stale');
  await b.getByTestId('my-policy-due').click();
  await poll(() => textOf(b.getByTestId('ack-stale'))).toMatch(/^Stale \(version 1\.0\): acknowledged on .*\. Version 2\.0 replaces it/);
  expect(await b.getByTestId('policy-text').innerHTML()).toBe(renderPolicyMarkdown(V2_TEXT));

  // The v1 acknowledgement itself is unchanged on both devices.
  for (const page of [a, b]) expect(Object.values((await readStored(page, wsId, ACKS)).entries)).toEqual([ack]);

  // --- Personal links: a manager's phone opens the flow for Sam, by path or by query.
  for (const hash of [`#/my-policies/${samId}`, `#/my-policies?person=${samId}`]) {
    await goHash(a, hash);
    await visible(a.getByRole('heading', { name: 'Policies for Sam Staff' }));
    await poll(() => textsOf(a.getByTestId('my-policy-due').locator('.badge'))).toEqual(['Stale (version 1.0)']);
  }
  await goHash(a, '#/my-policies');
  await poll(() => textOf(a.getByTestId('who-am-i'))).toBe('You are Mia Manager (the name this device signs with).');
  expect(await textsOf(a.getByTestId('my-policy-due').locator('.title'))).toEqual([TITLE]);

  // --- A review is evidence too.
  await goHash(a, `#/policies/${policyId}`);
  await a.getByRole('link', { name: 'Record review' }).click();
  await visible(a.getByRole('heading', { name: 'Record a review' }));
  await a.getByRole('button', { name: 'Record review' }).click();
  await poll(() => fieldErrors(a)).toEqual(['Say what the review concluded, e.g. “No change needed”.']);
  await a.getByLabel('Outcome').fill('Still fit for purpose; added the remote-work section as v2.0.');
  await a.getByRole('button', { name: 'Record review' }).click();
  await poll(() => textsOf(a.getByTestId('review-entry'))).toEqual([expect.stringMatching(/reviewed by Mia Manager\s+Still fit for purpose/)]);

  // --- The policy list: version, audience and the acknowledgement count.
  await goHash(a, '#/policies');
  await poll(() => textOf(a.getByTestId('policy-row'))).toMatch(/^Acceptable use\s+v2\.0 · Everyone · review \d{1,2} \w{3} \d{4}\s+0\/2$/);
  await screenshot(a, 'policy-list');
  const list = await download(a, a.getByRole('button', { name: 'Export these as CSV' }));
  expect(list.name).toMatch(/^muster-policies-\d{4}-\d{2}-\d{2}\.csv$/);
  const listCsv = list.bytes.toString('utf8').split('\r\n');
  expect(listCsv[0]).toBe('\uFEFFTitle,Owner,Current version,Approved by,Approved on,Published at,Last review,Next review,Review status,Applies to,Acknowledged,Acknowledged %,SHA-256 of current text,Policy id');
  expect(listCsv[1]).toMatch(new RegExp(`^Acceptable use,Mia Manager,2\\.0,"Cleo Chen, CEO",[\\d-]+,[\\dT:.Z-]+,[\\d-]+,[\\d-]+,In date,Everyone,0 of 2,0,[0-9a-f]{64},${policyId}$`));

  await goHash(a, `#/policies/${policyId}`);
  const acks = await download(a, a.getByRole('button', { name: 'Export as CSV' }));
  expect(acks.name).toMatch(/^muster-acknowledgements-acceptable-use-v2\.0-\d{4}-\d{2}-\d{2}\.csv$/);
  const acksCsv = acks.bytes.toString('utf8').split('\r\n');
  expect(acksCsv[1]).toBe('Mia Manager,Ops,Acceptable use,2.0,Not acknowledged,,,,,,,,');
  expect(acksCsv[2]).toBe(`Sam Staff,Ops,Acceptable use,2.0,Stale (version 1.0),1.0,${ack['at']},sam staff,Yes,${sha1},${ack['deviceId']},Sam,${ack['id']}`);

  // --- Editing the audience: only the Ops team. Still everyone here, so still 0 of 2.
  await goHash(a, `#/policies/${policyId}`);
  await a.getByRole('link', { name: 'Edit' }).click();
  await visible(a.getByRole('heading', { name: `Edit ${TITLE}` }));
  expect(await a.getByLabel('Title').inputValue()).toBe(TITLE);
  await a.getByText('Teams or roles', { exact: true }).click();
  await a.getByTestId('audience-team').filter({ hasText: 'Ops' }).click();
  await a.getByRole('button', { name: 'Save changes' }).click();
  await poll(() => a.evaluate(() => location.hash)).toBe(`#/policies/${policyId}`);
  await poll(() => textOf(a.locator('.facts dd').nth(1))).toBe('Ops team');
  expect(await textOf(a.getByTestId('roster-rate'))).toBe('0 of 2');
  await poll(() => readStored(a, wsId, POLICIES).then((st) => st.records[policyId])).toMatchObject({ everyone: false, 'team.Ops': true });

  expect(errorsOf(a)).toEqual([]);
  expect(errorsOf(b)).toEqual([]);
  await closeAll(ctxA, ctxB);
});
