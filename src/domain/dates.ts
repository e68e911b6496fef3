// ISO calendar dates ("2026-11-25") and months ("2026-11") as plain strings:
// they compare lexically, survive JSON and never shift with the time zone.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_MONTH = /^(\d{4})-(\d{2})$/;

export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

export function isIsoMonth(value: string): boolean {
  const m = ISO_MONTH.exec(value);
  return !!m && Number(m[2]) >= 1 && Number(m[2]) <= 12;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Local calendar date of an instant, as the person holding the phone sees it. */
export function localIsoDate(at: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

export function monthOf(isoDate: string): string {
  return isoDate.slice(0, 7);
}

export function currentMonth(at: Date = new Date()): string {
  return monthOf(localIsoDate(at));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-11" → "Nov 2026" */
export function formatMonth(isoMonth: string): string {
  if (!isIsoMonth(isoMonth)) return isoMonth;
  return `${MONTHS[Number(isoMonth.slice(5, 7)) - 1]} ${isoMonth.slice(0, 4)}`;
}

/** "2026-11-05" → "5 Nov 2026" */
export function formatDate(isoDate: string): string {
  if (!isIsoDate(isoDate)) return isoDate;
  return `${Number(isoDate.slice(8, 10))} ${MONTHS[Number(isoDate.slice(5, 7)) - 1]} ${isoDate.slice(0, 4)}`;
}

/** "2026-11-25T20:12:31.000Z" → "25 Nov 2026 20:12" in local time. */
export function formatInstant(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${formatDate(localIsoDate(d))} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
