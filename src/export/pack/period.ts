import { addDays, addMonths, isIsoDate } from '../../domain/dates';
import type { PackPeriod } from '../../evidence/types';

export type PeriodPreset = 'last-12-months' | 'this-year' | 'custom';

export const PRESET_LABELS: Record<PeriodPreset, string> = { 'last-12-months': 'Last 12 months', 'this-year': 'This year', custom: 'Custom' };

/** The period a preset stands for on `today` (custom: undefined, the user types it). */
export function presetPeriod(preset: PeriodPreset, today: string): PackPeriod | undefined {
  if (preset === 'last-12-months') return { from: addDays(addMonths(today, -12), 1), to: today };
  if (preset === 'this-year') return { from: `${today.slice(0, 4)}-01-01`, to: today };
  return undefined;
}

/** Checks a typed period: two real dates, the first not after the last. One message per field. */
export function validatePeriod(from: string, to: string): { ok: true; value: PackPeriod } | { ok: false; errors: Partial<Record<'from' | 'to', string>> } {
  const errors: Partial<Record<'from' | 'to', string>> = {};
  const f = from.trim();
  const t = to.trim();
  if (!f) errors.from = 'Enter the first day of the period.';
  else if (!isIsoDate(f)) errors.from = 'Enter the first day as a date, e.g. 2026-01-01.';
  if (!t) errors.to = 'Enter the last day of the period.';
  else if (!isIsoDate(t)) errors.to = 'Enter the last day as a date, e.g. 2026-12-31.';
  if (!errors.from && !errors.to && f > t) errors.to = 'The last day cannot be before the first day.';
  return errors.from || errors.to ? { ok: false, errors } : { ok: true, value: { from: f, to: t } };
}
