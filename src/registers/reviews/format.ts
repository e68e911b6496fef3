import { formatDate } from '../../domain/dates';
import { SIGN_OFF_TONE } from '../../domain/signoff';

/** "1 Jul – 30 Sep 2026"; across years "1 Dec 2026 – 28 Feb 2027". */
export function formatPeriod(from: string, to: string): string {
  if (!from || !to) return 'No period';
  const a = formatDate(from);
  const b = formatDate(to);
  return from.slice(0, 4) === to.slice(0, 4) ? `${a.replace(/ \d{4}$/, '')} – ${b}` : `${a} – ${b}`;
}

/** The same tones as every signed register (src/domain/signoff.ts). */
export const APPROVAL_TONE = SIGN_OFF_TONE;
