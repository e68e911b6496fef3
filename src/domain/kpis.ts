import { daysInMonth, isIsoDate } from './dates';
import { openOn } from './follow-up';

/*
 * The period arithmetic and figure shapes every register's KPI shares (the
 * management review composes them: src/registers/reviews/kpis.ts). Pure.
 */

export interface Period {
  /** ISO date, first day of the period. */
  from: string;
  /** ISO date, last day of the period (inclusive). */
  to: string;
}

export interface RateKpi {
  done: number;
  total: number;
  /** Whole percent; absent when there is nothing to count (shown as "—", neither 0% nor 100%). */
  percent?: number;
}

/** Last day of an ISO month: 2024-02 → 2024-02-29, 2026-02 → 2026-02-28, 2026-04 → 2026-04-30. */
export function monthEnd(isoMonth: string): string {
  const y = Number(isoMonth.slice(0, 4));
  const m = Number(isoMonth.slice(5, 7));
  return `${isoMonth}-${String(daysInMonth(y, m)).padStart(2, '0')}`;
}

/** Months whose last day falls within the period, oldest first. */
export function monthsOf(period: Period): string[] {
  if (!isIsoDate(period.from) || !isIsoDate(period.to) || period.to < period.from) return [];
  const months: string[] = [];
  let y = Number(period.from.slice(0, 4));
  let m = Number(period.from.slice(5, 7));
  for (;;) {
    const month = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
    const end = monthEnd(month);
    if (end > period.to) break;
    months.push(month);
    m += 1;
    if (m > 12) (m = 1), (y += 1);
  }
  return months;
}

/** Had this person started by `day`, and not left? */
export const activeOn = (p: { archived: boolean; startDate: string }, day: string) => !p.archived && (!p.startDate || p.startDate <= day);

export function rate(r: { done: number; total: number; percent?: number | undefined }): RateKpi {
  return r.percent === undefined ? { done: r.done, total: r.total } : { done: r.done, total: r.total, percent: r.percent };
}

/** Open at the end of `to` (not done, or done later), and due by `to` (or with no due date, raised by `to`). */
export const openBy = (a: { due: string; done: boolean; doneOn?: string | undefined }, raisedOn: string, to: string) =>
  openOn({ done: a.done, doneOn: a.doneOn ?? '' }, to) && (a.due ? a.due <= to : raisedOn <= to);

/** "75%" or "—" when there was nothing to count. */
export const formatPercent = (p: number | undefined) => (p === undefined ? '—' : `${p}%`);

