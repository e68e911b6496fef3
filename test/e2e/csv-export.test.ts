import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import type { RelayProcess } from '../integration/harness.ts';
import {
  addPerson,
  answer,
  checklistStatus,
  createWorkspace,
  download,
  errorsOf,
  fillAndLeave,
  goHash,
  goTab,
  item,
  itemNote,
  openItemNotes,
  poll,
  pressChip,
  screenshot,
  signOff,
  startChecklist,
  textOf,
  visible,
  withOnePhone,
} from './browser.ts';
import { parseCsv } from './csv.ts';

/*
 * The CSV an auditor gets from the export buttons: UTF-8 with a BOM, RFC 4180
 * quoting with CRLF line ends, and nothing a spreadsheet would run as a formula.
 */

let relay: RelayProcess;
let page: Page;

withOnePhone((s) => ({ relay, page } = s));


const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Downloads a CSV by its button, checks the envelope (BOM, UTF-8, CRLF, same width) and returns raw text and records. */
async function exportCsv(buttonName: string, fileName: RegExp) {
  const { name, bytes } = await download(page, page.getByRole('button', { name: buttonName, exact: true }));
  expect(name).toMatch(fileName);
  expect(bytes.subarray(0, 3).equals(BOM)).toBe(true);
  const text = bytes.subarray(3).toString('utf8');
  expect(Buffer.from(text, 'utf8').equals(bytes.subarray(3))).toBe(true);
  expect(text.endsWith('\r\n')).toBe(true);
  const [header, ...rows] = parseCsv(text);
  for (const r of rows) expect(r).toHaveLength(header!.length);
  const records = rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
  return { text, header: header!, rows, records };
}

const TEAM = 'Ops, "North"';
const FORMULA_PERSON = '=HYPERLINK("x")';
const QUOTED_NOTE = 'Warned Sam: "no shared passwords", then logged it';

test('checklists, minutes and people export as spreadsheet-safe CSV', async () => {
  await createWorkspace(page, relay.url, 'Acme, Inc.', 'Mia Manager');
  await addPerson(page, { name: 'Mia Manager', team: TEAM, jobTitle: 'Manager' });
  await addPerson(page, { name: FORMULA_PERSON, team: TEAM, jobTitle: '-2+3' });

  // The checklist, with its minutes recorded from the "Brief the team" item.
  const checklistId = await startChecklist(page, TEAM);
  await item(page, 'brief').getByRole('button', { name: 'Record new minutes' }).click();
  await poll(() => page.evaluate(() => location.hash)).toMatch(/^#\/briefings\/[\w-]+$/);
  await visible(page.getByRole('heading', { name: 'Present' }));
  const briefingDate = await page.getByLabel('Date').inputValue();
  expect(briefingDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  await pressChip(page, 'attendee', 'Mia Manager');
  await pressChip(page, 'attendee', FORMULA_PERSON);
  await pressChip(page, 'topic', 'Screen locking');
  await page.getByLabel('Another topic').fill("+cmd|' /C calc'!A0");
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await pressChip(page, 'topic', "+cmd|' /C calc'!A0");
  await fillAndLeave(page.getByLabel('Notes'), '=1+1');
  await page.getByLabel('New action').fill('Fix the badge reader, today');
  await page.getByLabel('Owner').selectOption({ label: 'Mia Manager' });
  await page.getByLabel('Due').fill('2030-01-15');
  await page.getByRole('button', { name: 'Add action' }).click();
  await poll(() => page.getByTestId('action').count()).toBe(1);
  await signOff(page, 'minutes');
  await screenshot(page, 'briefing-detail-signed');

  await goHash(page, `#/checklists/${checklistId}`);
  await visible(item(page, 'brief'));
  // The new minutes are already chosen as the evidence of "Brief the team".
  await poll(() => item(page, 'brief').getByLabel('Briefing minutes').inputValue()).not.toBe('');
  await answer(page, 'brief', 'Done');
  await answer(page, 'compliance', 'Not done');
  await answer(page, 'enforce', 'Done');
  await answer(page, 'lead', 'N/A');
  await openItemNotes(page, 'compliance');
  await fillAndLeave(itemNote(page, 'compliance'), '=1+1');
  await openItemNotes(page, 'enforce');
  await fillAndLeave(itemNote(page, 'enforce'), QUOTED_NOTE);
  await openItemNotes(page, 'lead');
  await fillAndLeave(itemNote(page, 'lead'), 'Line one\nLine two');
  await fillAndLeave(item(page, 'enforce').getByLabel('Evidence reference'), '@SUM(A1:A2)');
  await signOff(page, 'checklist');
  await poll(() => checklistStatus(page)).toBe('Signed, with gaps');

  // --- Checklists, from Settings.
  await goTab(page, 'Settings');
  const cl = await exportCsv('Checklists (CSV)', /^muster-checklists-\d{4}-\d{2}-\d{2}\.csv$/);
  expect(cl.header).toEqual(['Month', 'Team', 'Checklist status', 'Action', 'Answer', 'Note', 'Evidence', 'Briefing minutes', 'Follow-up actions', 'Signed off by', 'Signed off at', 'Checklist id']);
  expect(cl.records.map((r) => [r['Action'], r['Answer']])).toEqual([
    ['Brief the team', 'Done'],
    ['Check compliance', 'Not done'],
    ['Enforce rules', 'Done'],
    ['Lead by example', 'N/A'],
  ]);
  for (const r of cl.records) {
    expect(r).toMatchObject({ Team: TEAM, 'Checklist status': 'Signed, with gaps', 'Signed off by': 'Mia Manager', 'Checklist id': checklistId });
    expect(r['Month']).toBe(briefingDate.slice(0, 7));
    expect(r['Signed off at']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
  }
  const [brief, compliance, enforce, lead] = cl.records;
  expect(brief!['Briefing minutes']).toBe(`Briefing ${briefingDate} (${TEAM})`);
  // Neutralised: shown as text, never run.
  expect(compliance!['Note']).toBe("'=1+1");
  expect(enforce!['Evidence']).toBe("'@SUM(A1:A2)");
  expect(enforce!['Note']).toBe(QUOTED_NOTE);
  expect(lead!['Note']).toBe('Line one\nLine two');
  // Quoted per RFC 4180 on the wire.
  expect(cl.text).toContain(',"Ops, ""North""",');
  expect(cl.text).toContain(',"Warned Sam: ""no shared passwords"", then logged it",');
  expect(cl.text).toContain(",'=1+1,");
  expect(cl.text).toContain(',"Signed, with gaps",');
  expect(cl.text).not.toMatch(/(^|,)[=+\-@]/m);

  // --- Minutes.
  const br = await exportCsv('Briefing minutes (CSV)', /^muster-briefings-\d{4}-\d{2}-\d{2}\.csv$/);
  expect(br.header).toEqual(['Date', 'Team', 'Present', 'Present (count)', 'Topics', 'Notes', 'Actions', 'Sign-off', 'Signed off by', 'Signed off at', 'Briefing id']);
  expect(br.records).toHaveLength(1);
  expect(br.records[0]).toMatchObject({
    Date: briefingDate,
    Team: TEAM,
    Present: `'${FORMULA_PERSON}; Mia Manager`,
    'Present (count)': '2',
    Topics: "'+cmd|' /C calc'!A0; Screen locking",
    Notes: "'=1+1",
    Actions: 'Fix the badge reader, today (owner: Mia Manager) due 2030-01-15',
    'Sign-off': 'Signed',
    'Signed off by': 'Mia Manager',
  });
  expect(br.text).toContain(`,"'=HYPERLINK(""x""); Mia Manager",2,`);
  expect(br.text).not.toMatch(/(^|,)[=+\-@]/m);

  // --- People.
  const pe = await exportCsv('People (CSV)', /^muster-people-\d{4}-\d{2}-\d{2}\.csv$/);
  expect(pe.header).toEqual(['Name', 'Email', 'Team', 'Job title', 'Start date', 'Manager', 'Status', 'Person id']);
  expect(pe.records.map((r) => [r['Name'], r['Team'], r['Job title'], r['Status']])).toEqual([
    [`'${FORMULA_PERSON}`, TEAM, "'-2+3", 'Active'],
    ['Mia Manager', TEAM, 'Manager', 'Active'],
  ]);
  expect(pe.text).toContain(`\r\n"'=HYPERLINK(""x"")",,"Ops, ""North""",'-2+3,`);

  // --- The list's own export gives the same rows as the one in Settings.
  await goTab(page, 'Checklists');
  expect(await textOf(page.getByTestId('checklist-row'))).toContain('Signed, with gaps');
  const fromList = await exportCsv('Export these as CSV', /^muster-checklists-\d{4}-\d{2}-\d{2}\.csv$/);
  expect(fromList.rows).toEqual(cl.rows);

  expect(errorsOf(page)).toEqual([]);
});
