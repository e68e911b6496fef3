import type { Rgb } from '../colours';
import type { Typeface } from './typeface';

export interface CellStyle {
  bold?: boolean;
  color?: Rgb;
  /** Default: right for a column of numbers, else left. */
  align?: 'left' | 'right';
}

export type PdfCell = string | ({ text: string } & CellStyle);

export interface TableSpec {
  columns: readonly string[];
  rows: ReadonlyArray<readonly PdfCell[]>;
  /** Relative widths of the columns (default: equal); widened where a header word or a date would not fit. */
  widths?: readonly number[] | undefined;
  /** Font size of the cells (default 8). */
  size?: number;
  /** Alignment per column (default: numbers right, the rest left). */
  align?: ReadonlyArray<'left' | 'right' | undefined>;
}


/*
 * How a table's cells are shown and how wide its columns are: numbers
 * right-aligned with thousands separators, an amount beside a "Currency"
 * column shown with its currency in one cell, and columns widened so that no
 * header word and no date has to be split (taking the room from columns
 * that have some to spare).
 */

export interface Column {
  title: string;
  weight: number;
  right: boolean;
}

export interface CellLayout {
  columns: Column[];
  rows: PdfCell[][];
}

/** A plain number as a CSV writes it: "1200", "-3.5", "1,200.00", "80%". */
const NUMBER = /^[-−]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?%?$/;
/** Columns whose numbers are codes, not quantities: no separators. */
const CODE = /\b(year|id|version|no\.?|number|code|phone|month)\b/i;
const CURRENCY = /^[A-Z]{3}$/;

const textOf = (c: PdfCell | undefined) => (c === undefined ? '' : typeof c === 'string' ? c : c.text);
const withText = (c: PdfCell | undefined, text: string): PdfCell => (c === undefined || typeof c === 'string' ? text : { ...c, text });

/** "1234567.5" → "1,234,567.5" (en-GB grouping, the digits kept as written). */
export function groupThousands(n: string): string {
  const m = /^([-−]?)(\d+)(\.\d+)?(%?)$/.exec(n);
  if (!m) return n;
  return `${m[1]}${m[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${m[3] ?? ''}${m[4]}`;
}

/** "1200.00" and "GBP" → "£1,200.00"; an unknown code → "1,200.00 XYZ". */
export function formatAmount(amount: string, currency: string): string {
  const value = Number(amount.replaceAll(',', '').replace('−', '-'));
  if (!amount || Number.isNaN(value)) return amount;
  if (!CURRENCY.test(currency)) return groupThousands(amount);
  // The currency's own decimals (2 for GBP, 0 for JPY), as an invoice shows it.
  let f = FORMATS.get(currency);
  if (f === undefined) {
    try {
      f = new Intl.NumberFormat('en-GB', { style: 'currency', currency });
    } catch {
      f = null;
    }
    FORMATS.set(currency, f);
  }
  return f ? f.format(value) : `${groupThousands(amount)} ${currency}`;
}
const FORMATS = new Map<string, Intl.NumberFormat | null>();

export function cellLayout(spec: TableSpec): CellLayout {
  const n = spec.columns.length;
  const weights = spec.widths && spec.widths.length === n ? spec.widths : spec.columns.map(() => 1);
  const numeric = spec.columns.map((_, i) => {
    let any = false;
    for (const r of spec.rows) {
      const t = textOf(r[i]).trim();
      if (!t) continue;
      if (!NUMBER.test(t)) return false;
      any = true;
    }
    return any;
  });
  // An amount column followed by its "Currency" column: one cell, "£1,200.00".
  const currencyOf = new Map<number, number>();
  spec.columns.forEach((title, i) => {
    if (i > 0 && /^currency$/i.test(title.trim()) && numeric[i - 1]) currencyOf.set(i - 1, i);
  });
  const dropped = new Set(currencyOf.values());
  const keep = spec.columns.map((_, i) => i).filter((i) => !dropped.has(i));
  const columns = keep.map((i) => ({
    title: spec.columns[i] ?? '',
    weight: (weights[i] ?? 1) + (currencyOf.has(i) ? (weights[currencyOf.get(i)!] ?? 1) : 0),
    right: spec.align?.[i] ? spec.align[i] === 'right' : numeric[i]!,
  }));
  const rows = spec.rows.map((r) =>
    keep.map((i) => {
      const cell = r[i] ?? '';
      const t = textOf(cell).trim();
      if (!numeric[i] || !t) return cell;
      const cur = currencyOf.get(i);
      if (cur !== undefined) return withText(cell, formatAmount(t, textOf(r[cur]).trim()));
      return CODE.test(spec.columns[i] ?? '') ? cell : withText(cell, groupThousands(t));
    }),
  );
  return { columns, rows };
}

/** Dates and times, which a line may not break inside (the words that must fit a column). */
const DATE = /\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4}( \d{1,2}:\d{2})?\b|\b\d{4}-\d{2}-\d{2}\b/g;

/**
 * Column widths in points: the weights, then every column widened to its
 * longest header word and its widest date or number, the room taken from
 * the columns with room to spare. When even that cannot fit, the minimums
 * are scaled down together.
 */
export function columnWidths(layout: CellLayout, regular: Typeface, bold: Typeface, size: number, pad: number, total: number): number[] {
  const { columns, rows } = layout;
  const sum = columns.reduce((a, c) => a + c.weight, 0);
  const want = columns.map((c) => (c.weight / sum) * total);
  const min = columns.map((c, i) => {
    let m = 0;
    for (const w of bold.clean(c.title).split(' ')) m = Math.max(m, bold.width(w, size));
    const seen = new Set<string>();
    for (const r of rows) {
      const cell = r[i];
      const t = textOf(cell);
      if (!t || seen.has(t)) continue;
      seen.add(t);
      const face = typeof cell === 'object' && cell.bold ? bold : regular;
      if (c.right) m = Math.max(m, face.width(face.clean(t), size));
      for (const d of t.matchAll(DATE)) m = Math.max(m, face.width(d[0], size));
    }
    return m + 2 * pad + 0.5;
  });
  const need = want.map((w, i) => Math.max(0, min[i]! - w));
  const deficit = need.reduce((a, b) => a + b, 0);
  if (deficit === 0) return want;
  const slack = want.map((w, i) => Math.max(0, w - min[i]!));
  const spare = slack.reduce((a, b) => a + b, 0);
  if (spare < deficit) {
    const mins = min.reduce((a, b) => a + b, 0);
    return min.map((m) => (m / mins) * total);
  }
  return want.map((w, i) => (need[i]! > 0 ? min[i]! : w - (slack[i]! / spare) * deficit));
}
