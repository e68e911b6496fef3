import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, PDFName } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { pdfPages, pdfText } from '../../../test/pdftext';
import { PdfLayout, wrapText } from './pdf';

const META = { title: 'Test', author: 'Zoë', createdAt: '2026-11-25T10:00:00.000Z' };
const NAMES = ['Zoë Ağaoğlu', 'Łukasz Żółkiewski', 'Ștefan Țurcanu', 'Σωκράτης Παπαδόπουλος', 'Дмитрий Шостакович', '李小龍', '田中さくら'];

/** Runs a poppler tool on the PDF's bytes and returns its output. */
function poppler(tool: string, args: string[], bytes: Uint8Array): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-pdf-'));
  const file = path.join(dir, 'file.pdf');
  try {
    fs.writeFileSync(file, bytes);
    return execFileSync(tool, [...args, file, ...(tool === 'pdftotext' ? ['-'] : [])], { encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The words pdftotext finds, with their boxes (-bbox), in reading order. */
function wordBoxes(bytes: Uint8Array): Array<{ word: string; xMin: number; xMax: number; yMin: number }> {
  const html = poppler('pdftotext', ['-bbox'], bytes);
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)].map((m) => ({
    word: m[4]!.replace(/&amp;/g, '&'),
    xMin: Number(m[1]),
    yMin: Number(m[2]),
    xMax: Number(m[3]),
  }));
}

/** Page 1 rendered by poppler (pdftoppm, 72 dpi, grey): width, height and one byte per pixel (0 black … 255 white). */
function renderGrey(bytes: Uint8Array): { width: number; height: number; pixels: Uint8Array } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-pdf-'));
  try {
    fs.writeFileSync(path.join(dir, 'f.pdf'), bytes);
    execFileSync('pdftoppm', ['-r', '72', '-gray', '-f', '1', '-l', '1', '-singlefile', path.join(dir, 'f.pdf'), path.join(dir, 'p')]);
    const pgm = fs.readFileSync(path.join(dir, 'p.pgm'));
    const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'))!;
    return { width: Number(header[1]), height: Number(header[2]), pixels: pgm.subarray(header[0].length) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('PdfLayout', { timeout: 30_000 }, () => {
  it('wraps long text within the width, cutting words longer than a line', async () => {
    const pdf = await PdfLayout.create(META);
    const lines = wrapText(`Łukasz ${'x'.repeat(300)} and\nZoë`, pdf.regular, 10, 200);
    for (const l of lines) expect(pdf.regular.widthOfTextAtSize(l, 10)).toBeLessThanOrEqual(200);
    expect(lines[0]).toBe('Łukasz');
    expect(lines.at(-1)).toBe('Zoë');
    expect(lines.join('')).toContain('x'.repeat(20));
  });

  it('repeats a long table’s header on every page and numbers every page', async () => {
    const pdf = await PdfLayout.create({ ...META, title: 'Table test' });
    pdf.heading('People', 1);
    pdf.table({ columns: ['Name column', 'Team column'], rows: Array.from({ length: 150 }, (_, i) => [`Person ${i} Ağaoğlu`, i % 2 ? 'Ops' : 'Sales']) });
    const bytes = await pdf.save('Footer text');
    const pages = pdfPages(bytes);
    expect(pages).toBeGreaterThan(2);
    const text = pdfText(bytes);
    const perPage = text.split('\f').filter((p) => p.trim());
    expect(perPage).toHaveLength(pages);
    perPage.forEach((page, i) => {
      expect(page, `page ${i + 1}`).toContain('Name column');
      expect(page).toContain(`Page ${i + 1} of ${pages}`);
      expect(page).toContain('Footer text');
    });
    expect(text).toContain('Person 149 Ağaoğlu');
  });

  it('prints every name exactly: Latin with any accent, Greek, Cyrillic and CJK, in text, tables and the metadata', async () => {
    const pdf = await PdfLayout.create({ ...META, title: 'Ærø ApS: names', author: 'Zoë Ağaoğlu', sample: NAMES.join(' ') });
    pdf.heading('Ærø ApS', 1);
    pdf.text(`Present: ${NAMES.join(', ')}.`);
    pdf.table({ columns: ['Name', 'Team'], rows: NAMES.map((n) => [n, 'Ops']) });
    const bytes = await pdf.save('Ærø ApS · footer');
    const text = pdfText(bytes).replace(/\s+/g, ' ');
    for (const n of NAMES) expect(text).toContain(n);
    expect(text).toContain('Ærø ApS · footer');
    expect(text).not.toContain('[U+');
    const info = poppler('pdfinfo', ['-enc', 'UTF-8'], bytes);
    expect(info).toMatch(/^Title:\s+Ærø ApS: names$/m);
    expect(info).toMatch(/^Author:\s+Zoë Ağaoğlu$/m);
    // Fonts embedded as subsets (poppler lists them with "yes" under emb and sub).
    const fonts = poppler('pdffonts', [], bytes);
    expect(fonts).toMatch(/[A-Z]{6}\+NotoSans-Regular\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    expect(fonts).toMatch(/[A-Z]{6}\+NotoSansSC-Regular\s+CID TrueType\s+Identity-H\s+yes yes yes/);
  });

  it('draws every glyph: each character of its own line leaves ink on the rendered page', async () => {
    // @pdf-lib/fontkit's subsets lose glyphs after an odd-length one (they render blank while pdftotext still reads them).
    const chars = [...'abcdefghijklmnopqrstuvwxyzTÆØŁĞŻ', 'Σ', 'Ж', '李', 'さ'];
    const pdf = await PdfLayout.create({ ...META, sample: chars.join('') });
    for (const c of chars) pdf.text(c, { size: 10, after: 6 });
    const { width, height, pixels } = renderGrey(await pdf.save(''));
    // Bands of rows with ink, above the footer: one per line of text (a gap under 5 px is inside a letter: i, Ż).
    let bands = 0;
    let lastInk = -100;
    for (let y = 0; y < height - 80; y++) {
      let ink = false;
      for (let x = 0; x < width && !ink; x++) ink = pixels[y * width + x]! < 160;
      if (!ink) continue;
      if (y - lastInk > 5) bands++;
      lastInk = y;
    }
    expect(bands).toBe(chars.length);
  });

  it('never splits a date, a time or a header word across lines', async () => {
    const pdf = await PdfLayout.create(META);
    // Narrow columns by weight: the old layout cut "Currency" into "Curren/cy" and dates into "25 Nov" / "2026".
    pdf.table({
      columns: ['Approved on', 'Currency', 'Description of the approval'],
      widths: [0.35, 0.2, 6],
      rows: [
        ['25 Nov 2026 20:12', 'GBP', 'Password manager'],
        ['1 Feb 2026', 'EUR', 'Training budget'],
      ],
    });
    pdf.text(`${'Words to fill the line up to its end, '.repeat(2)}then a date: 30 Nov 2026, and more.`, { size: 9.5 });
    const bytes = await pdf.save('f');
    const lines = pdfText(bytes, { layout: true }).split('\n');
    for (const d of ['25 Nov 2026 20:12', '1 Feb 2026', '30 Nov 2026']) expect(lines.some((l) => l.includes(d)), d).toBe(true);
    expect(lines.some((l) => /\bCurrency\b/.test(l))).toBe(true);
    expect(lines.some((l) => /\bApproved\b/.test(l))).toBe(true);
  });

  it('right-aligns numbers with thousands separators, and shows an amount with its currency', async () => {
    const pdf = await PdfLayout.create(META);
    pdf.table({
      columns: ['Item', 'Amount', 'Currency', 'People', 'Year'],
      rows: [
        ['Laptops', '1234567.50', 'GBP', '1200', '2026'],
        ['Licences', '99.00', 'EUR', '7', '2025'],
        ['Audit', '15000.00', 'USD', '45', '2024'],
        ['Travel', '76800.00', 'JPY', '3', '2024'],
      ],
    });
    const bytes = await pdf.save('f');
    const text = pdfText(bytes, { layout: true });
    expect(text).toContain('£1,234,567.50');
    expect(text).toContain('€99.00');
    expect(text).toContain('US$15,000.00');
    expect(text).toContain('JP¥76,800'); // the yen has no minor unit
    expect(text).not.toContain('JP¥76,800.00');
    expect(text).toContain('1,200');
    expect(text).toContain('2026'); // a year is a code, not a quantity
    expect(text).not.toContain('2,026');
    expect(text).not.toMatch(/\bCurrency\b/); // merged into the amount
    const boxes = wordBoxes(bytes);
    const rightEdges = (words: string[]) => words.map((w) => boxes.find((b) => b.word === w)!.xMax);
    const [a, b, c] = rightEdges(['£1,234,567.50', '€99.00', 'US$15,000.00']);
    expect(Math.abs(a! - b!)).toBeLessThan(0.5);
    expect(Math.abs(a! - c!)).toBeLessThan(0.5);
    const lefts = ['Laptops', 'Licences', 'Audit'].map((w) => boxes.find((x) => x.word === w)!.xMin);
    expect(Math.max(...lefts) - Math.min(...lefts)).toBeLessThan(0.5);
  });

  it('is tagged: a structure tree of headings, paragraphs, lists and tables in reading order, and the document language', async () => {
    const pdf = await PdfLayout.create({ ...META, lang: 'en-GB' });
    pdf.heading('Summary', 1);
    pdf.text('First paragraph.');
    pdf.bullets(['One point', 'Another point']);
    pdf.heading('People', 2);
    pdf.table({ columns: ['Name', 'Team'], rows: Array.from({ length: 90 }, (_, i) => [`Person ${i}`, 'Ops']) });
    const bytes = await pdf.save('Footer text');
    expect(poppler('pdfinfo', [], bytes)).toMatch(/^Tagged:\s+yes$/m);
    const tree = poppler('pdfinfo', ['-struct-text'], bytes);
    const order = ['Document', 'H1', '"Summary"', 'P', '"First paragraph."', 'L', 'LI', 'LBody', '"One point"', 'H2', '"People"', 'Table', 'TR', 'TH', '"Name"', 'TD', '"Person 0"', '"Person 89"'];
    let at = 0;
    for (const token of order) {
      const next = tree.indexOf(token, at);
      expect(next, `${token} after position ${at}`).toBeGreaterThanOrEqual(0);
      at = next;
    }
    // The header repeated on later pages and the footers are artifacts: once in the tree each.
    expect(tree.match(/"Name"/g)).toHaveLength(1);
    expect(tree).not.toContain('Footer text');
    expect(tree).not.toContain('Page 1 of');
    // Every row is in the tree, and the language is declared.
    expect(tree.match(/^\s+TR$/gm)?.length).toBe(91);
    const catalog = (await PDFDocument.load(bytes)).catalog;
    expect(catalog.lookup(PDFName.of('Lang'))?.toString()).toBe('(en-GB)');
    expect(catalog.lookup(PDFName.of('MarkInfo'))?.toString()).toMatch(/\/Marked true/);
  });

  it('starts a short section on the same page instead of leaving a near-empty one', async () => {
    const pdf = await PdfLayout.create(META);
    for (const title of ['Roles', 'Resources', 'Speak-up']) {
      pdf.section();
      pdf.heading(title, 1);
      pdf.table({ columns: ['Name', 'Value'], rows: [['A', '1'], ['B', '2']] });
    }
    // Fill the page until less than 40% of it is free: the next section starts a new page.
    while (pdf.room > 250) pdf.text('Filler line');
    pdf.section();
    pdf.heading('After the filler', 1);
    const bytes = await pdf.save('f');
    const pages = pdfText(bytes).split('\f').filter((p) => p.trim());
    expect(pages).toHaveLength(2);
    expect(pages[0]).toContain('Roles');
    expect(pages[0]).toContain('Speak-up');
    expect(pages[1]).toContain('After the filler');
  });
});
