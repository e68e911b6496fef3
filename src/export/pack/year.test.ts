import fs from 'node:fs';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from '../../../test/pdftext';
import { parseCsv } from '../../../test/e2e/csv';
import { NEW_HIRES, seedYear } from '../../../test/bench/pack-seed';
import { addDays } from '../../domain/dates';
import { buildPack } from './build';
import { rawFromUpdate } from './request';
import type { PackInput, RawRegister } from '../../evidence/types';

/*
 * The 200-person year of the pack benchmark, with its ten new hires, read as
 * an auditor reads report.pdf (pdftotext): every new hire's gaps, the COO by
 * name, every gap of the summary, the matrices and the minutes.
 * PACK_PDF_OUT=/some/file.pdf keeps the PDF to look at.
 */

const TODAY = '2026-12-07';
const seed = seedYear({ today: TODAY });
const registers: Record<string, RawRegister> = {};
for (const [name, update] of Object.entries(seed.updates)) registers[name] = rawFromUpdate(Buffer.from(update!, 'base64'));
const input: PackInput = { organisation: 'Big Co', generatedAt: `${TODAY}T10:00:00.000Z`, generatedBy: 'Bea Bench', today: TODAY, period: { from: addDays(TODAY, -364), to: TODAY }, scope: { teams: 'all' }, registers };

let text = '';
let flat = '';
let files: Record<string, Uint8Array> = {};
let pages = 0;
beforeAll(async () => {
  const pack = await buildPack(input);
  files = unzipSync(pack.zip);
  pages = pack.pages;
  if (process.env['PACK_PDF_OUT']) fs.writeFileSync(process.env['PACK_PDF_OUT'], files['report.pdf']!);
  text = pdfText(files['report.pdf']!);
  flat = text.replace(/\s+/g, ' ');
}, 120_000);

const section = (title: string, next: string) => flat.slice(flat.indexOf(` ${title} `), flat.indexOf(` ${next} `, flat.indexOf(` ${title} `) + title.length + 2));

describe('the 200-person year in report.pdf', () => {
  it('gives new hires their own section, naming each one\'s gaps and the COO with none of it done', () => {
    const hires = section('New hires', 'Roles and security duties');
    expect(hires).toContain('10 people started in the period, executives included: 6 with');
    expect(hires).toMatch(/Neither a policy acknowledged nor any training done: Priya Raman \(Engineer, Team B\); Morgan Achterberg \(Chief Operating Officer, Team A\)\./);
    for (const h of NEW_HIRES) expect(hires, h.name).toContain(h.name);
    expect(hires).toContain('No policy acknowledged (0 of 20): Policy 00 v1.0, Policy 01 v1.0');
    expect(hires).toContain('No initial training done (0 of 10): Course 00, Course 01');
    expect(hires).toMatch(/Tomasz Nowak .*Contractor agreement expired on/);
    expect(hires).toMatch(/Hannah Schmidt .*Employment contract without security clauses/);
    // The CFO, who did everything, has no gap.
    const csv = parseCsv(new TextDecoder().decode(files['csv/new-hires.csv']!));
    expect(csv.find((r) => r[0] === 'Ingrid Larsen')?.[7]).toBe('None');
    expect(csv.filter((r) => r[7] === 'None')).toHaveLength(6);
  });

  it('names every gap of the summary in the appendix, grouped by team and person: no "… and n more"', () => {
    expect(flat).not.toMatch(/… and \d+ more/);
    const appendix = flat.slice(flat.lastIndexOf('Appendix: every gap, by team and person'));
    const gaps = [
      'Morgan Achterberg', 'No policy acknowledged (0 of 20)', 'Policy 19 v1.0 not acknowledged', 'Course 09 not done',
      'Priya Raman', 'Tomasz Nowak', 'Contractor agreement expired', 'Hannah Schmidt', 'agreement without security clauses',
    ];
    for (const g of gaps) expect(appendix, g).toContain(g);
    const count = Number(/Every gap of the summary, ([\d,]+) gaps in all/.exec(appendix)?.[1]?.replace(',', ''));
    // Each of the two bare new hires: 20 policies + 10 courses in the policy/training rows, 2 in the new-hires row.
    expect(count).toBeGreaterThanOrEqual(2 * (20 + 10 + 2) + 2);
    expect(appendix).toMatch(/Team A \(\d+ gaps\)/);
  });

  it('shows every person × policy and person × course with dates, and says where the cut logs continue', () => {
    expect(flat).toContain('Every person × policy: day the current version was acknowledged: columns 1–10 of 20');
    expect(flat).toContain('Every person × policy: day the current version was acknowledged: columns 11–20 of 20');
    expect(flat).toContain('Every person × course: day of the completion that counts');
    // Every person appears in each matrix band: 210 names × (2 policy bands + 1 course band), and once in People.
    const matrix = parseCsv(new TextDecoder().decode(files['csv/acknowledgements-matrix.csv']!));
    expect(matrix).toHaveLength(211);
    expect(matrix.find((r) => r[0] === 'Morgan Achterberg')!.slice(2).every((c) => c === 'Missing')).toBe(true);
    expect(flat).toMatch(/Showing the first 60 of [\d,]+ rows\. Every row is in csv\/acknowledgements-log\.csv \(the other [\d,]+ from row 61 on\)\./);
    expect(flat).not.toMatch(/first 200 of|first 300 of/);
  });

  it('prints the minutes: briefing notes and topics, checklist notes and evidence, the reviews\' inputs and decisions', () => {
    expect(flat).toContain('Briefing 0: phishing, screen locks and the speak-up channel.');
    expect(flat).toMatch(/training log checked, two reminders sent/);
    expect(flat).toMatch(/LMS export Team A/);
    for (const q of [1, 2, 3, 4]) {
      expect(flat).toContain(`Quarter ${q}: new office in Leeds`);
      expect(flat).toContain(`Quarter ${q}: two laptops without disk encryption`);
      expect(flat).toContain(`Quarter ${q}: one phishing click, contained`);
    }
    expect(flat).toContain('Changes affecting the ISMS');
    expect(pages).toBeGreaterThan(20);
  });
});
