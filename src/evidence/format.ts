import { formatDate } from '../domain/dates';
import type { Gap } from '../domain/gaps';
import type { CsvTable } from './csv';
import type { PackContext } from './context';
import type { PackTable } from './types';

/* Small helpers the register hooks share: words for figures, gaps with names, tables from CSV builders. */

/** Counts in the pack's text: the app's one plural helper. */
export { plural } from '../domain/plural';

/** "8 of 10 (80%)", or "nothing to count yet". */
export function rateText(r: { done: number; total: number; percent?: number | undefined }): string {
  if (r.total === 0) return 'nothing to count yet';
  return `${r.done.toLocaleString('en-GB')} of ${r.total.toLocaleString('en-GB')} (${r.percent ?? Math.round((r.done / r.total) * 100)}%)`;
}

/** "1 Dec 2025 – 30 Nov 2026" */
export const periodText = (from: string, to: string) => `${formatDate(from)} – ${formatDate(to)}`;

/** Gaps of people in scope, as "Name: what is missing", sorted by name. */
export function personGaps(gaps: readonly Gap[], ctx: PackContext): string[] {
  return gaps
    .filter((g) => ctx.personInScope(g.personId))
    .map((g) => `${ctx.nameOf(g.personId) || 'Unknown person'}: ${g.label}`)
    .sort((a, b) => a.localeCompare(b));
}

/** A table from a register's own CSV builder, under a file name of the pack. */
export function tableFrom(csv: CsvTable, file: string, title: string, pdf?: PackTable['pdf']): PackTable {
  return { file, title, columns: csv.columns, rows: csv.rows, ...(pdf ? { pdf } : {}) };
}

/** Had this person started by `day`, and not left? */
export const activeOn = (p: { archived: boolean; startDate: string }, day: string) => !p.archived && (!p.startDate || p.startDate <= day);

/** The default rule for evidence entries: written (device time) within the period, when every team is in scope. */
export function entryInPeriod(entry: unknown, ctx: PackContext): boolean {
  const at = (entry as { at?: unknown } | null)?.at;
  return ctx.allTeams && typeof at === 'string' && ctx.inPeriod(at);
}
