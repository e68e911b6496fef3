import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import { toWinAnsi } from './winansi';

/*
 * A small flowing layout on A4 with pdf-lib: headings, wrapped paragraphs,
 * label/value lists and tables whose header repeats on every page they run
 * onto, then "Page n of N" on every page. Text is Helvetica (a standard PDF
 * font, nothing embedded); every string goes through toWinAnsi first.
 */

export type Rgb = readonly [number, number, number];

export const INK: Rgb = [0.09, 0.13, 0.17];
export const MUTED: Rgb = [0.36, 0.4, 0.45];
export const BRAND: Rgb = [0.12, 0.31, 0.47];
export const OK: Rgb = [0.11, 0.48, 0.27];
export const WARN: Rgb = [0.54, 0.35, 0];
export const BAD: Rgb = [0.71, 0.14, 0.09];
const LINE: Rgb = [0.82, 0.85, 0.88];
const HEADER_BG: Rgb = [0.92, 0.94, 0.96];

export const A4 = { width: 595.28, height: 841.89 } as const;
const MARGIN = 48;
const FOOTER = 30;

export interface CellStyle {
  bold?: boolean;
  color?: Rgb;
}

export type PdfCell = string | ({ text: string } & CellStyle);

export interface TableSpec {
  columns: readonly string[];
  rows: ReadonlyArray<readonly PdfCell[]>;
  /** Relative widths of the columns (default: equal). */
  widths?: readonly number[] | undefined;
  /** Font size of the cells (default 8). */
  size?: number;
}

export interface DocumentMeta {
  title: string;
  author: string;
  subject?: string;
  /** ISO timestamp: the PDF's creation and modification dates. */
  createdAt: string;
}

const color = (c: Rgb) => rgb(c[0], c[1], c[2]);
const cellText = (c: PdfCell) => (typeof c === 'string' ? c : c.text);
const cellStyle = (c: PdfCell): CellStyle => (typeof c === 'string' ? {} : c);

/**
 * Splits text into lines no wider than `width`: on line breaks, then between
 * words; a word longer than the line is cut. Text is made WinAnsi-safe here.
 */
export function wrapText(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  const space = font.widthOfTextAtSize(' ', size);
  for (const para of text.split(/\r\n|\r|\n/)) {
    const words = toWinAnsi(para).split(' ');
    let line = '';
    let lineWidth = 0;
    for (const word of words) {
      const w = font.widthOfTextAtSize(word, size);
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
        const cw = font.widthOfTextAtSize(ch, size);
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
  readonly regular: PDFFont;
  readonly bold: PDFFont;
  page!: PDFPage;
  /** Top of the free space on the current page. */
  y = 0;
  readonly left = MARGIN;
  readonly width = A4.width - 2 * MARGIN;
  private readonly bottom = MARGIN + FOOTER;

  private constructor(doc: PDFDocument, regular: PDFFont, bold: PDFFont) {
    this.doc = doc;
    this.regular = regular;
    this.bold = bold;
    this.newPage();
  }

  static async create(meta: DocumentMeta): Promise<PdfLayout> {
    const doc = await PDFDocument.create();
    const at = new Date(meta.createdAt);
    doc.setTitle(toWinAnsi(meta.title));
    doc.setAuthor(toWinAnsi(meta.author));
    if (meta.subject) doc.setSubject(toWinAnsi(meta.subject));
    doc.setCreator('Muster');
    doc.setProducer('Muster (pdf-lib)');
    if (!Number.isNaN(at.getTime())) {
      doc.setCreationDate(at);
      doc.setModificationDate(at);
    }
    return new PdfLayout(doc, await doc.embedFont(StandardFonts.Helvetica), await doc.embedFont(StandardFonts.HelveticaBold));
  }

  get pageCount(): number {
    return this.doc.getPageCount();
  }

  newPage(): void {
    this.page = this.doc.addPage([A4.width, A4.height]);
    this.y = A4.height - MARGIN;
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

  private line(text: string, x: number, size: number, font: PDFFont, c: Rgb): void {
    this.page.drawText(text, { x, y: this.y - size, size, font, color: color(c) });
  }

  /** Level 1: a section title (with a rule under it); 2: a table or part title; 3: a small label. */
  heading(text: string, level: 1 | 2 | 3 = 1): void {
    const size = level === 1 ? 16 : level === 2 ? 11.5 : 9.5;
    const lines = wrapText(text, this.bold, size, this.width);
    // Keep a heading with what follows it.
    this.ensure(lines.length * size * 1.25 + 60);
    if (level > 1) this.space(level === 2 ? 6 : 3);
    for (const l of lines) {
      this.line(l, this.left, size, this.bold, level === 1 ? BRAND : INK);
      this.y -= size * 1.25;
    }
    if (level === 1) {
      this.page.drawLine({ start: { x: this.left, y: this.y - 2 }, end: { x: this.left + this.width, y: this.y - 2 }, thickness: 1, color: color(BRAND) });
      this.space(10);
    } else this.space(3);
  }

  /** A wrapped paragraph. */
  text(text: string, opts: { size?: number; bold?: boolean; color?: Rgb; indent?: number; after?: number } = {}): void {
    const size = opts.size ?? 9.5;
    const font = opts.bold ? this.bold : this.regular;
    const indent = opts.indent ?? 0;
    for (const l of wrapText(text, font, size, this.width - indent)) {
      this.ensure(size * 1.3);
      this.line(l, this.left + indent, size, font, opts.color ?? INK);
      this.y -= size * 1.3;
    }
    this.space(opts.after ?? 4);
  }

  /** A bulleted list. */
  bullets(items: readonly string[], opts: { size?: number; color?: Rgb } = {}): void {
    const size = opts.size ?? 9;
    for (const item of items) {
      const lines = wrapText(item, this.regular, size, this.width - 12);
      lines.forEach((l, i) => {
        this.ensure(size * 1.3);
        if (i === 0) this.line('•', this.left + 2, size, this.regular, opts.color ?? INK);
        this.line(l, this.left + 12, size, this.regular, opts.color ?? INK);
        this.y -= size * 1.3;
      });
    }
    this.space(4);
  }

  /** Label / value pairs, labels in bold on the left (the cover page). */
  keyValues(rows: ReadonlyArray<readonly [string, string]>, opts: { size?: number; labelWidth?: number } = {}): void {
    const size = opts.size ?? 10.5;
    const labelWidth = opts.labelWidth ?? 150;
    for (const [label, value] of rows) {
      const labels = wrapText(label, this.bold, size, labelWidth - 8);
      const values = wrapText(value, this.regular, size, this.width - labelWidth);
      const n = Math.max(labels.length, values.length);
      this.ensure(n * size * 1.35 + 4);
      for (let i = 0; i < n; i++) {
        if (labels[i]) this.line(labels[i]!, this.left, size, this.bold, MUTED);
        if (values[i]) this.line(values[i]!, this.left + labelWidth, size, this.regular, INK);
        this.y -= size * 1.35;
      }
      this.space(4);
    }
  }

  /**
   * A table across the text width. Cells wrap; a row never splits across
   * pages (one taller than a page is cut with "…"), and the header row is
   * drawn again at the top of every page the table continues on.
   */
  table(spec: TableSpec): void {
    const size = spec.size ?? 8;
    const leading = size * 1.25;
    const pad = 3;
    const weights = spec.widths && spec.widths.length === spec.columns.length ? spec.widths : spec.columns.map(() => 1);
    const total = weights.reduce((a, b) => a + b, 0);
    const widths = weights.map((w) => (w / total) * this.width);
    const xs = widths.map((_, i) => this.left + widths.slice(0, i).reduce((a, b) => a + b, 0));
    const headerLines = spec.columns.map((c, i) => wrapText(c, this.bold, size, widths[i]! - 2 * pad));
    const headerHeight = Math.max(1, ...headerLines.map((l) => l.length)) * leading + 2 * pad;
    const maxRow = A4.height - 2 * MARGIN - FOOTER - headerHeight - 4;

    const drawHeader = () => {
      this.page.drawRectangle({ x: this.left, y: this.y - headerHeight, width: this.width, height: headerHeight, color: color(HEADER_BG) });
      headerLines.forEach((lines, i) => {
        lines.forEach((l, k) => this.page.drawText(l, { x: xs[i]! + pad, y: this.y - pad - size - k * leading + 1, size, font: this.bold, color: color(INK) }));
      });
      this.y -= headerHeight;
    };

    this.ensure(headerHeight + leading + 2 * pad);
    drawHeader();
    for (const row of spec.rows) {
      const cells = spec.columns.map((_, i) => {
        const cell = row[i] ?? '';
        const style = cellStyle(cell);
        return { lines: wrapText(cellText(cell), style.bold ? this.bold : this.regular, size, widths[i]! - 2 * pad), style };
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
        drawHeader();
      }
      cells.forEach((c, i) => {
        const font = c.style.bold ? this.bold : this.regular;
        c.lines.slice(0, lines).forEach((l, k) => {
          if (l) this.page.drawText(l, { x: xs[i]! + pad, y: this.y - pad - size - k * leading + 1, size, font, color: color(c.style.color ?? INK) });
        });
      });
      this.y -= height;
      this.page.drawLine({ start: { x: this.left, y: this.y }, end: { x: this.left + this.width, y: this.y }, thickness: 0.4, color: color(LINE) });
    }
    this.space(8);
  }

  /** Writes the footer of every page ("Page n of N" on the right) and returns the PDF's bytes. */
  async save(footerLeft: string): Promise<Uint8Array> {
    const pages = this.doc.getPages();
    const left = wrapText(footerLeft, this.regular, 7.5, this.width - 90)[0] ?? '';
    pages.forEach((page, i) => {
      const label = `Page ${i + 1} of ${pages.length}`;
      const y = MARGIN - 14;
      page.drawLine({ start: { x: this.left, y: MARGIN + 4 }, end: { x: this.left + this.width, y: MARGIN + 4 }, thickness: 0.5, color: color(LINE) });
      page.drawText(left, { x: this.left, y, size: 7.5, font: this.regular, color: color(MUTED) });
      page.drawText(label, { x: this.left + this.width - this.regular.widthOfTextAtSize(label, 8), y, size: 8, font: this.regular, color: color(MUTED) });
    });
    return this.doc.save();
  }
}
