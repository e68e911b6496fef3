/**
 * CSV an auditor can open in a spreadsheet: UTF-8 with a byte-order mark,
 * RFC 4180 quoting, CRLF line ends, and cells that a spreadsheet would run as
 * a formula (leading = + - @, or a tab / carriage return) prefixed with an
 * apostrophe so they show as text.
 */
export type CsvValue = string | number | boolean | null | undefined;

export interface CsvTable {
  /** File name without extension. */
  name: string;
  columns: readonly string[];
  rows: ReadonlyArray<readonly CsvValue[]>;
}

const BOM = '\uFEFF';
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'string' ? value : String(value);
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(table: Pick<CsvTable, 'columns' | 'rows'>): string {
  const lines = [table.columns, ...table.rows].map((row) => row.map(csvCell).join(','));
  return `${BOM}${lines.join('\r\n')}\r\n`;
}
