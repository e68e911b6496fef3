import { type Color, PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import { prepareFontsFor } from './fonts';
import { StructElem, Tagger } from './tags';
import { PageContent } from './content';
import { embedTypefaces, fill, num, stroke, type Typeface } from './typeface';
import { BRAND, INK, MUTED, type Rgb } from '../colours';
import { type CellStyle, cellLayout, columnWidths, type PdfCell, type TableSpec } from './table-layout';

/*
 * A small flowing layout on A4 with pdf-lib: headings, wrapped paragraphs,
 * label/value lists and tables whose header repeats on every page they run
 * onto, then "Page n of N" on every page. Text is set in Noto Sans, embedded
 * as a subset (typeface.ts: every name exactly, CJK when its font loads), and
 * the PDF is tagged (tags.ts): headings, paragraphs, lists and tables in
 * reading order, page furniture as artifacts, and the document language.
 */

export { BAD, BRAND, INK, MUTED, OK, type Rgb, WARN } from '../colours';
export type { CellStyle, PdfCell, TableSpec } from './table-layout';

const LINE: Rgb = [0.82, 0.85, 0.88];
const HEADER_BG: Rgb = [0.92, 0.94, 0.96];

export const A4 = { width: 595.28, height: 841.89 } as const;
const MARGIN = 48;
const FOOTER = 30;

export interface DocumentMeta {
  title: string;
  author: string;
  subject?: string;
  /** ISO timestamp: the PDF's creation and modification dates. */
  createdAt: string;
  /** BCP 47 language of the text (default en-GB). */
  lang?: string;
  /** Text the document will hold, when known: loads the CJK font if it needs it. */
  sample?: string;
}

const colourCache = new Map<Rgb, Color>();
const color = (c: Rgb) => {
  let v = colourCache.get(c);
  if (!v) colourCache.set(c, (v = rgb(c[0], c[1], c[2])));
  return v;
};
/** A horizontal rule as content operators. */
const ruleOps = (x1: number, y: number, x2: number, thickness: number, c: Rgb) => `q ${stroke(color(c))} ${num(thickness)} w ${num(x1)} ${num(y)} m ${num(x2)} ${num(y)} l S Q`;
const cellText = (c: PdfCell) => (typeof c === 'string' ? c : c.text);
const cellStyle = (c: PdfCell): CellStyle => (typeof c === 'string' ? {} : c);

/** Line i of a wrapped text, with the space it was broken at (invisible), so extracted text keeps its words apart. */
const joined = (lines: readonly string[], i: number) => (i < lines.length - 1 && lines[i] ? `${lines[i]} ` : lines[i]!);

/** Each embedded font's typeface, so `wrapText(…, pdf.regular, …)` keeps working. */
const TYPEFACES = new WeakMap<PDFFont, Typeface>();
const typefaceOf = (font: PDFFont | Typeface): Typeface => {
  if ('faces' in font) return font;
  const t = TYPEFACES.get(font);
  if (!t) throw new Error('wrapText: a font of a PdfLayout is needed');
  return t;
};

/** Dates and times ("25 Nov 2026", "25 Nov 2026 20:12") are one unbreakable word. */
const DATE = /\b(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* (\d{4})( \d{1,2}:\d{2})?\b/g;
const GLUE = '\u0001';
const glue = (text: string) => (text.includes(' ') ? text.replace(DATE, (m) => m.replaceAll(' ', GLUE)) : text);
const unglue = (word: string) => (word.includes(GLUE) ? word.replaceAll(GLUE, ' ') : word);

/** The words of a text, dates kept whole (what a line may not break inside). */
export function words(text: string): string[] {
  return glue(text).split(' ').map(unglue);
}

/**
 * Splits text into lines no wider than `width`: on line breaks, then between
 * words (a date is one word); a word longer than the line is cut. The text
 * is made drawable here (NFC; characters no font has become readable codes).
 */
export function wrapText(text: string, font: PDFFont | Typeface, size: number, width: number): string[] {
  const face = typefaceOf(font);
  const lines: string[] = [];
  const space = face.width(' ', size);
  for (const para of text.split(/\r\n|\r|\n/)) {
    const clean = face.clean(para);
    let line = '';
    let lineWidth = 0;
    for (const word of words(clean)) {
      const w = face.width(word, size);
      if (line && lineWidth + space + w <= width) {
        line += ` ${word}`;
        lineWidth += space + w;
        continue;
      }
      if (!line && w <= width) {
        line = word;
        lineWidth = w;
        continue;
      }
      if (line) lines.push(line);
      if (w <= width) {
        line = word;
        lineWidth = w;
        continue;
      }
      // A word wider than the line (an id, a hash, a URL): cut it.
      let chunk = '';
      let chunkWidth = 0;
      for (const ch of word) {
        const cw = face.width(ch, size);
        if (chunk && chunkWidth + cw > width) {
          lines.push(chunk);
          chunk = '';
          chunkWidth = 0;
        }
        chunk += ch;
        chunkWidth += cw;
      }
      line = chunk;
      lineWidth = chunkWidth;
    }
    lines.push(line);
  }
  return lines;
}

export class PdfLayout {
  readonly doc: PDFDocument;
  /** The embedded Noto Sans regular and bold (their width functions are the fast ones). */
  readonly regular: PDFFont;
  readonly bold: PDFFont;
  readonly regularFace: Typeface;
  readonly boldFace: Typeface;
  /** The structure tree being built: content is tagged under `container`. */
  readonly tags: Tagger;
  container: StructElem;
  page!: PDFPage;
  /** Top of the free space on the current page. */
  y = 0;
  readonly left = MARGIN;
  readonly width = A4.width - 2 * MARGIN;
  private readonly bottom = MARGIN + FOOTER;
  private readonly lang: string;
  /** What this layout draws, per page (content.ts). */
  private readonly content = new PageContent();

  private constructor(doc: PDFDocument, regular: Typeface, bold: Typeface, lang: string) {
    this.doc = doc;
    this.regularFace = regular;
    this.boldFace = bold;
    this.regular = regular.primary.font;
    this.bold = bold.primary.font;
    TYPEFACES.set(this.regular, regular);
    TYPEFACES.set(this.bold, bold);
    this.lang = lang;
    this.tags = new Tagger(doc, this.content);
    this.container = this.tags.root;
    this.newPage();
  }

  static async create(meta: DocumentMeta): Promise<PdfLayout> {
    if (meta.sample) await prepareFontsFor(meta.sample);
    const doc = await PDFDocument.create({ updateMetadata: false });
    const at = new Date(meta.createdAt);
    doc.setTitle(meta.title, { showInWindowTitleBar: true });
    doc.setAuthor(meta.author);
    if (meta.subject) doc.setSubject(meta.subject);
    doc.setCreator('Muster');
    doc.setProducer('Muster (pdf-lib)');
    if (!Number.isNaN(at.getTime())) {
      doc.setCreationDate(at);
      doc.setModificationDate(at);
    }
    const faces = await embedTypefaces(doc);
    return new PdfLayout(doc, faces.regular, faces.bold, meta.lang ?? 'en-GB');
  }

  get pageCount(): number {
    return this.doc.getPageCount();
  }

  newPage(): void {
    this.page = this.doc.addPage([A4.width, A4.height]);
    this.y = A4.height - MARGIN;
  }

  /**
   * Starts a new part of the document (a register's section): on this page,
   * after a gap, while at least `minFree` of the page is still free (so a
   * short section does not leave a near-empty page), else on a new page.
   */
  section(minFree = 0.4): void {
    const full = A4.height - 2 * MARGIN - FOOTER;
    if (this.y >= A4.height - MARGIN) return;
    if (this.room >= full * minFree) this.space(18);
    else this.newPage();
  }

  /** Room left on the page, in points. */
  get room(): number {
    return this.y - this.bottom;
  }

  /** Starts a new page unless `height` points still fit on this one. */
  ensure(height: number): void {
    if (this.room < height) this.newPage();
  }

  space(height: number): void {
    this.y -= height;
  }

  private faceFor(bold: boolean | undefined): Typeface {
    return bold ? this.boldFace : this.regularFace;
  }

  /** Draws one clean line with its top at this.y (as part of the current marked content). */
  private line(text: string, x: number, size: number, face: Typeface, c: Rgb, y = this.y): void {
    this.draw(this.page, face, text, x, y - size, size, c);
  }

  /** Draws clean text with its baseline at y. */
  private draw(page: PDFPage, face: Typeface, text: string, x: number, y: number, size: number, c: Rgb): void {
    if (text) this.content.push(page, face.ops(page, text, x, y, size, color(c)));
  }

  /** Furniture (rules, backgrounds): an artifact, outside the structure. */
  private rule(x1: number, y: number, x2: number, thickness: number, c: Rgb): void {
    const page = this.page;
    this.tags.artifact(page, () => this.content.push(page, ruleOps(x1, y, x2, thickness, c)));
  }

  /** Level 1: a section title (with a rule under it); 2: a table or part title; 3: a small label. */
  heading(text: string, level: 1 | 2 | 3 = 1): void {
    const size = level === 1 ? 16 : level === 2 ? 11.5 : 9.5;
    const lines = wrapText(text, this.boldFace, size, this.width);
    // Keep a heading with what follows it.
    this.ensure(lines.length * size * 1.25 + 60);
    if (level > 1) this.space(level === 2 ? 6 : 3);
    const elem = this.container.add(level === 1 ? 'H1' : level === 2 ? 'H2' : 'H3');
    this.tags.mark(this.page, elem, () => {
      for (const [i] of lines.entries()) {
        this.line(joined(lines, i), this.left, size, this.boldFace, level === 1 ? BRAND : INK);
        this.y -= size * 1.25;
      }
    });
    if (level === 1) {
      this.rule(this.left, this.y - 2, this.left + this.width, 1, BRAND);
      this.space(10);
    } else this.space(3);
  }

  /** Draws lines (each `height` tall) as marked content of `elem`, page by page. */
  private flow(elem: StructElem, lines: readonly string[], height: number, draw: (line: string, first: boolean) => void): void {
    let i = 0;
    while (i < lines.length) {
      this.ensure(height);
      this.tags.mark(this.page, elem, () => {
        while (i < lines.length && this.room >= height) {
          draw(joined(lines, i), i === 0);
          this.y -= height;
          i++;
        }
      });
    }
  }

  /** A wrapped paragraph. */
  text(text: string, opts: { size?: number; bold?: boolean; color?: Rgb; indent?: number; after?: number } = {}): void {
    const size = opts.size ?? 9.5;
    const face = this.faceFor(opts.bold);
    const indent = opts.indent ?? 0;
    const lines = wrapText(text, face, size, this.width - indent);
    this.flow(this.container.add('P'), lines, size * 1.3, (l) => this.line(l, this.left + indent, size, face, opts.color ?? INK));
    this.space(opts.after ?? 4);
  }

  /** A bulleted list. */
  bullets(items: readonly string[], opts: { size?: number; color?: Rgb } = {}): void {
    const size = opts.size ?? 9;
    const list = this.container.add('L');
    for (const item of items) {
      const li = list.add('LI');
      const lines = wrapText(item, this.regularFace, size, this.width - 12);
      this.ensure(size * 1.3);
      this.tags.mark(this.page, li.add('Lbl'), () => this.line('•', this.left + 2, size, this.regularFace, opts.color ?? INK));
      this.flow(li.add('LBody'), lines, size * 1.3, (l) => this.line(l, this.left + 12, size, this.regularFace, opts.color ?? INK));
    }
    this.space(4);
  }

  /** Label / value pairs, labels in bold on the left (the cover page): a two-column table in the structure. */
  keyValues(rows: ReadonlyArray<readonly [string, string]>, opts: { size?: number; labelWidth?: number } = {}): void {
    const size = opts.size ?? 10.5;
    const labelWidth = opts.labelWidth ?? 150;
    const table = this.container.add('Table');
    for (const [label, value] of rows) {
      const labels = wrapText(label, this.boldFace, size, labelWidth - 8);
      const values = wrapText(value, this.regularFace, size, this.width - labelWidth);
      const n = Math.max(labels.length, values.length);
      this.ensure(n * size * 1.35 + 4);
      const tr = table.add('TR');
      const lead = size * 1.35;
      this.tags.mark(this.page, tr.add('TH', { scope: 'Row' }), () => labels.forEach((_, i) => this.line(joined(labels, i), this.left, size, this.boldFace, MUTED, this.y - i * lead)));
      this.tags.mark(this.page, tr.add('TD'), () => values.forEach((_, i) => this.line(joined(values, i), this.left + labelWidth, size, this.regularFace, INK, this.y - i * lead)));
      this.y -= n * lead;
      this.space(4);
    }
  }

  /**
   * A table across the text width. Columns are widened where a header word
   * or a date would not fit (so neither is split); numbers are right-aligned
   * with thousands separators, amounts with their currency. Cells wrap; a row
   * never splits across pages (one taller than a page is cut with "…"), and
   * the header row is drawn again at the top of every page the table
   * continues on.
   */
  table(spec: TableSpec): void {
    const size = spec.size ?? 8;
    const leading = size * 1.25;
    const pad = 3;
    const layout = cellLayout(spec);
    const columns = layout.columns;
    const widths = columnWidths(layout, this.regularFace, this.boldFace, size, pad, this.width);
    const xs = widths.map((_, i) => this.left + widths.slice(0, i).reduce((a, b) => a + b, 0));
    const headerLines = columns.map((c, i) => wrapText(c.title, this.boldFace, size, widths[i]! - 2 * pad));
    const headerHeight = Math.max(1, ...headerLines.map((l) => l.length)) * leading + 2 * pad;
    const maxRow = A4.height - 2 * MARGIN - FOOTER - headerHeight - 4;
    const table = this.container.add('Table');

    const drawCellLines = (lines: readonly string[], i: number, face: Typeface, c: Rgb, right: boolean, top: number) => {
      lines.forEach((l, k) => {
        if (!l) return;
        const x = right ? xs[i]! + widths[i]! - pad - face.width(l, size) : xs[i]! + pad;
        this.draw(this.page, face, joined(lines, k), x, top - pad - size - k * leading + 1, size, c);
      });
    };
    const drawHeader = (repeat: boolean) => {
      const top = this.y;
      this.tags.artifact(this.page, () => this.content.push(this.page, `q ${fill(color(HEADER_BG))} ${num(this.left)} ${num(top - headerHeight)} ${num(this.width)} ${num(headerHeight)} re f Q`));
      const cells = () => headerLines.forEach((lines, i) => drawCellLines(lines, i, this.boldFace, INK, columns[i]!.right, top));
      if (repeat) this.tags.artifact(this.page, cells, 'Pagination');
      else {
        const tr = table.add('TR');
        headerLines.forEach((lines, i) => this.tags.mark(this.page, tr.add('TH', { scope: 'Column' }), () => drawCellLines(lines, i, this.boldFace, INK, columns[i]!.right, top)));
      }
      this.y -= headerHeight;
    };

    this.ensure(headerHeight + leading + 2 * pad);
    drawHeader(false);
    for (const row of layout.rows) {
      const cells = row.map((cell, i) => {
        const style = cellStyle(cell);
        const face = this.faceFor(style.bold);
        return { lines: wrapText(cellText(cell), face, size, widths[i]! - 2 * pad), style, face };
      });
      let lines = Math.max(1, ...cells.map((c) => c.lines.length));
      let height = lines * leading + 2 * pad;
      if (height > maxRow) {
        lines = Math.floor((maxRow - 2 * pad) / leading);
        height = lines * leading + 2 * pad;
        for (const c of cells) if (c.lines.length > lines) c.lines = [...c.lines.slice(0, lines - 1), `${c.lines[lines - 1] ?? ''} …`];
      }
      if (this.room < height) {
        this.newPage();
        drawHeader(true);
      }
      const tr = table.add('TR');
      const top = this.y;
      cells.forEach((c, i) => {
        const right = c.style.align ? c.style.align === 'right' : columns[i]!.right;
        this.tags.mark(this.page, tr.add('TD'), () => drawCellLines(c.lines.slice(0, lines), i, c.face, c.style.color ?? INK, right, top));
      });
      this.y -= height;
      this.rule(this.left, this.y, this.left + this.width, 0.4, LINE);
    }
    this.space(8);
  }

  /** Writes the footer of every page ("Page n of N" on the right), the structure tree, and returns the PDF's bytes. */
  async save(footerLeft: string): Promise<Uint8Array> {
    if (this.regularFace.missing || this.boldFace.missing) {
      // Said once, at the end: which characters could not be drawn, and where they are exact.
      this.text(
        'Some characters could not be drawn and are written as [U+…] codes: a script the embedded fonts lack, or Chinese or Japanese while their font was not available on this device (it is fetched the first time a PDF needs it, online, then kept for offline use). The CSV and JSON files have every text exactly.',
        { size: 8, color: MUTED },
      );
    }
    const pages = this.doc.getPages();
    const left = wrapText(footerLeft, this.regularFace, 7.5, this.width - 90)[0] ?? '';
    pages.forEach((page, i) => {
      const label = `Page ${i + 1} of ${pages.length}`;
      const y = MARGIN - 14;
      this.tags.artifact(
        page,
        () => {
          this.content.push(page, ruleOps(this.left, MARGIN + 4, this.left + this.width, 0.5, LINE));
          this.draw(page, this.regularFace, left, this.left, y, 7.5, MUTED);
          this.draw(page, this.regularFace, label, this.left + this.width - this.regularFace.width(label, 8), y, 8, MUTED);
        },
        'Pagination',
      );
    });
    this.tags.finish(this.lang);
    this.content.finish(this.doc);
    return this.doc.save({ useObjectStreams: true });
  }
}
