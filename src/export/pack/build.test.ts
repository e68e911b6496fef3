import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../test/e2e/csv';
import { pdfPages, pdfText } from '../../../test/pdftext';
import { summariseLog } from '../../domain/evidence-log';
import { verifyPack } from '../verify';
import { buildPack, buildSectionPdf, HOOKS, packFileName } from './build';
import { sha256HexSync as sha256Bytes } from '../../domain/sha256';
import { prepareFontsFor } from '../../evidence/pdf/fonts';
import type { PackInput, PackProgress } from '../../evidence/types';
import { fixtureInput, OPENED_DISCIPLINARY } from './test-fixture';

const unzip = (zip: Uint8Array) => unzipSync(zip);
const csvOf = (files: Record<string, Uint8Array>, name: string) => {
  const bytes = files[`csv/${name}.csv`]!;
  expect([...bytes.subarray(0, 3)], 'UTF-8 byte-order mark').toEqual([0xef, 0xbb, 0xbf]);
  return parseCsv(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
};
const json = (files: Record<string, Uint8Array>, name: string) => JSON.parse(strFromU8(files[name]!)) as Record<string, unknown>;
const flatText = (pdf: Uint8Array) => pdfText(pdf).replace(/\s+/g, ' ');

describe('the evidence pack', () => {
  it('holds report.pdf, one CSV per register table, evidence.json and a manifest that pins every file and the whole log', async () => {
    const input = fixtureInput();
    const { zip, files: listed } = await buildPack(input);
    const files = unzip(zip);
    const paths = Object.keys(files).sort();
    expect(paths).toContain('report.pdf');
    expect(paths).toContain('evidence.json');
    expect(paths).toContain('manifest.json');
    for (const name of ['people', 'roles', 'raci', 'policies', 'acknowledgements', 'training-log', 'agreements', 'checklists', 'briefings', 'management-reviews', 'resources', 'disciplinary-process', 'due']) {
      expect(paths, name).toContain(`csv/${name}.csv`);
    }

    const manifest = json(files, 'manifest.json') as { format: string; schemaVersion: number; generatedAt: string; files: Record<string, { sha256: string; bytes: number }>; evidenceLog: unknown };
    expect(manifest.format).toBe('muster-evidence-pack');
    expect(manifest.schemaVersion).toBe(1);
    expect(manifest.generatedAt).toBe(input.generatedAt);
    // Every other file, with its real hash and size; not itself.
    expect(Object.keys(manifest.files).sort()).toEqual(paths.filter((p) => p !== 'manifest.json'));
    for (const [path, f] of Object.entries(manifest.files)) {
      expect(f.sha256, path).toBe(sha256Bytes(files[path]!));
      expect(f.bytes, path).toBe(files[path]!.length);
    }
    // The log summary is over ALL entries of every register, in period or not.
    const all = Object.fromEntries(Object.entries(input.registers).map(([name, r]) => [name, Object.values(r!.entries)]));
    expect(manifest.evidenceLog).toEqual(summariseLog(all));
    expect(listed.map((f) => f.path).sort()).toEqual(paths);
    // The log section: entries of the period in full, the rest (and every sealed entry) as links.
    const log = (json(files, 'evidence.json') as { log: { entries: Record<string, Array<{ id: string }>>; stubs: Array<{ register: string; id: string }> } }).log;
    const ids = (r: string) => (log.entries[r] ?? []).map((e) => e.id).sort();
    expect(ids('acknowledgements')).toEqual(['ack-1', 'ack-2', 'ack-3', 'ack-4']);
    expect(ids('policies')).toEqual(['pub-1']);
    expect(ids('training')).toEqual(['tc-1', 'tc-2', 'tc-3']);
    expect(ids('checklists')).toEqual(['so-1']);
    expect(ids('briefings')).toEqual(['so-2']);
    expect(ids('resources')).toEqual(['ap-1']);
    expect(ids('disciplinary')).toEqual([]);
    expect(log.stubs.map((x) => `${x.register}/${x.id}`).sort()).toEqual(['acknowledgements/ack-old', 'disciplinary/d-1']);

    expect(await verifyPack(zip)).toMatchObject({ ok: true, problems: [] });
  });

  it('writes CSVs that parse back, with names intact and formulas neutralised', async () => {
    const files = unzip((await buildPack(fixtureInput())).zip);
    const people = csvOf(files, 'people');
    expect(people[0]).toEqual(['Name', 'Email', 'Team', 'Job title', 'Start date', 'Manager', 'Status', 'Person id']);
    const names = people.slice(1).map((r) => r[0]);
    expect(names).toEqual(expect.arrayContaining(['Zoë Ångström', 'Łukasz Żółkiewski', '李小龍', 'Ada Lovelace, "Countess"', `'=HYPERLINK("x")`]));
    expect(people.find((r) => r[0] === 'Gone Person')?.[6]).toBe('Left');
    const answers = csvOf(files, 'checklists');
    expect(answers.find((r) => r[3] === 'Brief the team')?.[5]).toBe(`'=cmd|calc`);
    const acks = csvOf(files, 'acknowledgements');
    expect(acks.find((r) => r[0] === 'Łukasz Żółkiewski')?.[4]).toBe('Not acknowledged');
    expect(acks.filter((r) => r[4] === 'Acknowledged')).toHaveLength(4);
    // Only completions of the period; the matrix has every required pair.
    expect(csvOf(files, 'training-log').slice(1).map((r) => r[0]).sort()).toEqual(['Zoë Ångström', 'Łukasz Żółkiewski', '李小龍'].sort());
    expect(csvOf(files, 'training-matrix').slice(1)).toHaveLength(5);
  });

  it('reports the organisation, names (Unicode too) and figures in report.pdf, with page numbers on every page', async () => {
    // As the worker does: the CJK font is loaded because a name needs it.
    await prepareFontsFor('李小龍');
    const { zip, pages } = await buildPack(fixtureInput());
    const pdf = unzip(zip)['report.pdf']!;
    const text = pdfText(pdf);
    expect(text).toContain('Acmé Ltd: evidence pack');
    expect(text).toContain('26 Nov 2025 – 25 Nov 2026');
    expect(text).toContain('Zoë Ångström');
    expect(text).toContain('Łukasz Żółkiewski');
    expect(text).toContain('李小龍');
    expect(text).toContain('Acknowledged: 4 of 5 (80%)');
    expect(text).toContain('Valid: 3 of 5 (60%)');
    expect(text).toContain('Summary against A 5.4');
    for (const section of HOOKS.map((h) => h.title)) expect(text, section).toContain(section);
    expect(pdfPages(pdf)).toBe(pages);
    for (let n = 1; n <= pages; n++) expect(text).toContain(`Page ${n} of ${pages}`);
  });

  it('keeps only the period and teams in scope, and pins the rest of the log by hash', async () => {
    const input = fixtureInput({ scope: { teams: ['Sales'] }, period: { from: '2026-03-01', to: '2026-11-25' } });
    const { zip } = await buildPack(input);
    const files = unzip(zip);
    expect(csvOf(files, 'people').slice(1).map((r) => r[0]).sort()).toEqual([`'=HYPERLINK("x")`, '李小龍']);
    const evidence = json(files, 'evidence.json') as { scope: unknown; period: unknown; log: { entries: Record<string, Array<{ id: string }>>; stubs: Array<{ id: string }> } };
    expect(evidence.scope).toEqual({ teams: ['Sales'] });
    expect(evidence.period).toEqual({ from: '2026-03-01', to: '2026-11-25' });
    // 李 and the formula-name person acknowledged in March; Zoë (Ops) and anything before March only as links.
    expect(evidence.log.entries['acknowledgements']!.map((e) => e.id).sort()).toEqual(['ack-2', 'ack-3']);
    expect(evidence.log.stubs.map((s) => s.id)).toEqual(expect.arrayContaining(['ack-1', 'ack-4', 'ack-old', 'so-1', 'd-1']));
    expect((await verifyPack(zip)).ok).toBe(true);
    expect(pdfText(files['report.pdf']!)).toMatch(/Scope\s+Sales\n/);
  });

  it('never opens the sealed disciplinary log; with entries an officer opened it shows redacted rows and counts only', async () => {
    const sealed = unzip((await buildPack(fixtureInput())).zip);
    const everything = Object.values(sealed).map((b) => strFromU8(b)).join('\n') + pdfText(sealed['report.pdf']!);
    expect(everything).not.toContain('SECRET');
    expect(everything).not.toMatch(/Coaching given/);
    expect(strFromU8(sealed['evidence.json']!)).not.toContain('"sealed"');
    expect(flatText(sealed['report.pdf']!)).toContain('NOT counted in this pack');
    expect(sealed['csv/disciplinary-log-redacted.csv']).toBeUndefined();

    const opened = unzip((await buildPack(fixtureInput({ disciplinaryOpened: OPENED_DISCIPLINARY }))).zip);
    expect(csvOf(opened, 'disciplinary-log-redacted')).toEqual([
      ['Entry id', 'Date', 'Tier', 'Policy', 'Outcome'],
      ['d-1', '2026-05-01', 'Accidental error', 'Acceptable use', 'Coaching given to [redacted]'],
    ]);
    const text = Object.values(opened).map((b) => strFromU8(b)).join('\n') + pdfText(opened['report.pdf']!);
    expect(text).not.toContain('SECRET');
    expect(pdfText(opened['report.pdf']!).replace(/\s+/g, ' ')).toContain('1 decision standing in the period (Accidental error 1)');
  });

  it('builds for an empty workspace and says what is missing', async () => {
    const empty: PackInput = { ...fixtureInput(), registers: {} };
    const { zip, missing } = await buildPack(empty);
    expect(missing).toEqual(expect.arrayContaining(['Roles and security duties documented: No security roles documented: add them under Roles & RACI', 'Management reviews: No management review held in the period', 'Monthly checklists and briefings: No monthly checklist in the period']));
    const files = unzip(zip);
    expect(csvOf(files, 'people')).toEqual([['Name', 'Email', 'Team', 'Job title', 'Start date', 'Manager', 'Status', 'Person id']]);
    const text = pdfText(files['report.pdf']!);
    expect(text).toContain('Nobody is in People');
    expect(text).toContain('No evidence');
    expect((await verifyPack(zip)).ok).toBe(true);
  });

  it('reports progress in order and stops when cancelled', async () => {
    const seen: PackProgress[] = [];
    await buildPack(fixtureInput(), { onProgress: (p) => seen.push(p) });
    expect(seen.map((p) => p.fraction)).toEqual([...seen.map((p) => p.fraction)].sort((a, b) => a - b));
    expect(seen.at(-1)).toEqual({ fraction: 1, step: 'Done' });
    expect(seen.map((p) => p.step)).toEqual(expect.arrayContaining(['Reading the registers', 'People', 'Writing report.pdf', 'Compressing the ZIP']));

    const controller = new AbortController();
    const steps: string[] = [];
    const run = buildPack(fixtureInput(), {
      signal: controller.signal,
      onProgress: (p) => {
        steps.push(p.step);
        if (p.step === 'Training') controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(steps.at(-1)).toBe('Training');
    expect(steps).not.toContain('Writing report.pdf');
  });

  it('exports one register as a PDF of its section', async () => {
    const { bytes, title } = await buildSectionPdf(fixtureInput(), 'briefings');
    expect(title).toBe('Briefing minutes');
    const text = pdfText(bytes);
    expect(text).toContain('Acmé Ltd');
    expect(text).toContain('Briefing minutes');
    expect(text).toContain('Zoë Ångström');
    expect(text).toContain('Page 1 of 1');
  });

  it('names the file after the organisation and the period', () => {
    expect(packFileName('Acmé Ltd', '2025-11-26', '2026-11-25')).toBe('muster-evidence-acmé-ltd-2025-11-26-2026-11-25.zip');
    expect(packFileName('李', '2025-11-26', '2026-11-25')).toBe('muster-evidence-李-2025-11-26-2026-11-25.zip');
  });
});

describe('attachments in the pack', () => {
  const photo = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5]);
  const pdf = new TextEncoder().encode('%PDF-1.4 signed agreement');
  const PHOTO_HASH = sha256Bytes(photo);
  const PDF_HASH = 'ab'.repeat(32);
  const withAttachments = (): PackInput => {
    const input = fixtureInput();
    const briefing = input.registers['briefings']!.records['br-1']!;
    briefing[`att.${PHOTO_HASH}`] = { name: 'whiteboard.jpg', type: 'image/jpeg', size: photo.length, addedBy: 'Zoë Ångström', addedAt: '2026-10-15T09:00:00.000Z' };
    briefing[`att.${PDF_HASH}`] = { name: 'handout.pdf', type: 'application/pdf', size: pdf.length, addedBy: 'Zoë Ångström', addedAt: '2026-10-15T09:05:00.000Z' };
    // Removed attachments are not evidence of the record any more.
    briefing[`att.${'cd'.repeat(32)}`] = { name: 'wrong.jpg', type: 'image/jpeg', size: 3, addedBy: 'Zoë Ångström', addedAt: '2026-10-15T09:01:00.000Z', removed: true };
    return { ...input, attachments: new Map([[PHOTO_HASH, photo]]) };
  };

  it('holds the files this device has, lists every attachment of the records in the pack, and the manifest pins them', async () => {
    const { zip } = await buildPack(withAttachments());
    const files = unzip(zip);
    expect(Object.keys(files).filter((p) => p.startsWith('attachments/'))).toEqual([`attachments/briefings/${PHOTO_HASH}.jpg`]);
    expect([...files[`attachments/briefings/${PHOTO_HASH}.jpg`]!]).toEqual([...photo]);
    const table = csvOf(files, 'attachments');
    expect(table[0]).toEqual(['Register', 'Record', 'File name', 'Kind', 'Bytes', 'Added by', 'Added at', 'SHA-256', 'In this pack as']);
    expect(table.slice(1).map((r) => [r[1], r[2], r[3], r[7], r[8]])).toEqual([
      ['br-1', 'whiteboard.jpg', 'photo', PHOTO_HASH, `attachments/briefings/${PHOTO_HASH}.jpg`],
      ['br-1', 'handout.pdf', 'PDF', PDF_HASH, 'not on this device'],
    ]);
    const report = await pdfText(files['report.pdf']!);
    expect(report).toContain('Attachments');
    expect(report).toContain('whiteboard.jpg');
    expect(report).toMatch(/1 is not on the device that made this pack/);
    expect((await verifyPack(zip)).ok).toBe(true);
    // A changed photo is caught like any other file.
    files[`attachments/briefings/${PHOTO_HASH}.jpg`]![4] = 9;
    const { zipSync } = await import('fflate');
    const tampered = await verifyPack(zipSync(files));
    expect(tampered.ok).toBe(false);
    expect(tampered.problems.join('\n')).toContain(`attachments/briefings/${PHOTO_HASH}.jpg`);
  });

  it('leaves out attachments of records outside the period or scope', async () => {
    const input = withAttachments();
    const { zip } = await buildPack({ ...input, period: { from: '2026-11-01', to: '2026-11-25' } });
    const files = unzip(zip);
    expect(Object.keys(files).filter((p) => p.startsWith('attachments/') || p === 'csv/attachments.csv')).toEqual([]);
  });
});
