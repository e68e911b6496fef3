import { addMonths, daysBetween, daysInMonth, isIsoDate, isIsoMonth, monthOf } from './dates';

/**
 * Recurring duties: what falls due when, computed from the registers on the
 * device (no server, works offline). Every date here is an ISO calendar date
 * ("2026-11-30"), never a timestamp, and `today` is always a parameter: the
 * caller passes the local date of the person holding the phone
 * (`localIsoDate()`), so a device in UTC+13 and one in UTC-11 that agree on
 * the date agree on every result.
 *
 * Buckets (relative to `today`, both ends included):
 * - overdue:    due before today;
 * - this-week:  due today or in the next 6 days (a rolling 7 days, not the ISO week:
 *               it never empties on a Sunday night and needs no locale's first weekday);
 * - this-month: due 7 to 30 days from today (a rolling 30 days, the same window the
 *               training register calls "expiring"; it always covers the rest of the
 *               calendar month, so this month's checklist is never "later");
 * - later:      due more than 30 days from today;
 * - done:       the duty for this period is done (a signed-off checklist).
 */
export type DutyKind = 'checklist' | 'management-review' | 'policy-review' | 'training-renewal' | 'agreement-expiry' | 'action';

export type DutyStatus = 'overdue' | 'this-week' | 'this-month' | 'later' | 'done';

export const DUTY_STATUSES: readonly DutyStatus[] = ['overdue', 'this-week', 'this-month', 'later', 'done'];
export const DUTY_KINDS: readonly DutyKind[] = ['checklist', 'management-review', 'policy-review', 'training-renewal', 'agreement-expiry', 'action'];

export const STATUS_LABELS: Record<DutyStatus, string> = {
  overdue: 'Overdue',
  'this-week': 'This week',
  'this-month': 'This month',
  later: 'Later',
  done: 'Done',
};

export const KIND_LABELS: Record<DutyKind, string> = {
  checklist: 'Monthly checklist',
  'management-review': 'Management review',
  'policy-review': 'Policy review',
  'training-renewal': 'Training renewal',
  'agreement-expiry': 'Agreement expiry',
  action: 'Action',
};

/** "This week": due within this many days, today included (today … today + 6). */
export const WEEK_DAYS = 7;
/** "This month": due within this many days of today (today + 7 … today + 30). */
export const MONTH_DAYS = 30;

export interface Duty {
  /** Stable across devices and recomputations, e.g. "checklist:Ops:2026-11", "policy:<id>". */
  id: string;
  kind: DutyKind;
  /** What to do, for a person to read: "Ops checklist for Nov 2026". */
  title: string;
  /** ISO date it is due by (the last day it is still on time). */
  due: string;
  /** Who must act or whom it concerns (team manager, policy owner, trainee, party), when known. */
  personId?: string;
  /** The team it belongs to, when known (a team's checklist, or the person's team). */
  team?: string;
  /** Hash route of the place where it is done. */
  href: string;
  status: DutyStatus;
  /** Where it comes from, for a person to read ("Ops briefing, 3 Nov 2026"), when the title does not say. */
  source?: string;
}

/**
 * An open action some register holds (briefing minutes, a management review,
 * later a checklist): what a register hands to Due. Each register has one
 * pure function that returns its open actions with a due date (briefings
 * `briefingDueActions`, reviews `reviewDueActions`); Due turns them into
 * duties with `actionDuties`.
 */
export interface DueAction {
  /** Unique across registers, e.g. "briefings:<briefingId>:<actionId>". */
  id: string;
  text: string;
  /** ISO date. */
  due: string;
  ownerId: string;
  team?: string | undefined;
  /** "Ops briefing, 3 Nov 2026". */
  source: string;
  href: string;
}

/** One duty per open action with a due date, overdue however long ago it was due. */
export function actionDuties(actions: readonly DueAction[], today: string): Duty[] {
  return actions
    .filter((a) => isIsoDate(a.due))
    .map((a) => ({
      id: `action:${a.id}`,
      kind: 'action' as const,
      title: a.text,
      due: a.due,
      ...(a.ownerId ? { personId: a.ownerId } : {}),
      ...(a.team ? { team: a.team } : {}),
      href: a.href,
      status: dueStatus(a.due, today),
      source: a.source,
    }));
}

/** Where a duty due on `due` stands on `today`; `done` wins over any date. */
export function dueStatus(due: string, today: string, done = false): DutyStatus {
  if (done) return 'done';
  const days = daysBetween(today, due);
  if (days < 0) return 'overdue';
  if (days < WEEK_DAYS) return 'this-week';
  if (days <= MONTH_DAYS) return 'this-month';
  return 'later';
}

/** Days from today to the due date: negative when overdue. */
export const daysUntil = (due: string, today: string) => daysBetween(today, due);

/** "Due today", "Due tomorrow", "Due in 5 days", "1 day overdue", "12 days overdue". */
export function relativeDue(due: string, today: string): string {
  const d = daysBetween(today, due);
  if (d === 0) return 'Due today';
  if (d === 1) return 'Due tomorrow';
  if (d > 1) return `Due in ${d} days`;
  return d === -1 ? '1 day overdue' : `${-d} days overdue`;
}

// ---------- calendar helpers (ISO strings only) ----------

/** Last day of an ISO month or of the month of an ISO date: "2026-02" → "2026-02-28", "2028-02-10" → "2028-02-29". */
export function lastDayOfMonth(monthOrDate: string): string {
  const month = monthOrDate.length > 7 ? monthOf(monthOrDate) : monthOrDate;
  if (!isIsoMonth(month)) throw new Error(`Not an ISO month: ${monthOrDate}`);
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(daysInMonth(y, m)).padStart(2, '0')}`;
}

/** Moves an ISO month by whole months: "2026-01" − 2 → "2025-11". */
export function shiftMonth(month: string, months: number): string {
  return monthOf(addMonths(`${month}-01`, months));
}

/** Whole calendar months from `from` to `to` (ISO months), e.g. "2026-11" → "2027-02" is 3. */
export function monthsBetween(from: string, to: string): number {
  const n = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
  return n(to) - n(from);
}

/** Is `year` a leap year in the Gregorian calendar? */
export const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

// ---------- the schedules ----------

/** How often the recurring duties come round. Defaults follow ISO 27001 practice. */
export interface ScheduleSettings {
  /** Management review (Clause 9.3): every 3 months after the last one. */
  reviewEveryMonths: number;
  /** Policies: an evidenced review at least every 12 months. */
  policyReviewEveryMonths: number;
  /** Unsigned checklists of earlier months still listed as overdue (1 = last month's too). */
  checklistLookbackMonths: number;
}

export const DEFAULT_SCHEDULE: ScheduleSettings = { reviewEveryMonths: 3, policyReviewEveryMonths: 12, checklistLookbackMonths: 1 };

/**
 * The months whose checklist a team owes on `today`: this month, and up to
 * `lookback` earlier months, but none before the team's first month
 * (`checklistDueFrom`). With no first month known, only this month: a team
 * added today does not owe last month's checklist. None at all when the
 * first month is after this one.
 */
export function checklistMonths(today: string, lookback: number, firstMonth?: string): string[] {
  const current = monthOf(today);
  if (firstMonth && isIsoMonth(firstMonth) && firstMonth > current) return [];
  const months = [current];
  if (!firstMonth || !isIsoMonth(firstMonth)) return months;
  for (let i = 1; i <= lookback; i++) {
    const m = shiftMonth(current, -i);
    if (m < firstMonth) break;
    months.push(m);
  }
  return months;
}

/**
 * The first month (YYYY-MM) a team owes a monthly checklist: the month the
 * workspace was created, or the month the team's first member started if
 * that is later. A member with no start date counts from the workspace's
 * creation. Due, Home, the KPIs and the evidence pack all ask this.
 *
 * Without a creation date (data from before the members register) it is the
 * month the first member started, or undefined when no start date is known.
 *
 * @example
 * checklistDueFrom(['2019-04-01'], '2026-12-06') // '2026-12': nothing is owed from before the workspace
 * checklistDueFrom(['2027-01-04'], '2026-12-06') // '2027-01': the team starts in January
 */
export function checklistDueFrom(startDates: readonly string[], workspaceCreated?: string): string | undefined {
  const created = workspaceCreated && isIsoDate(workspaceCreated) ? monthOf(workspaceCreated) : undefined;
  const starts = startDates.map((d) => (isIsoDate(d) ? monthOf(d) : created)).filter((m): m is string => !!m).sort();
  const first = starts[0];
  if (!created) return first;
  return first && first > created ? first : created;
}

/**
 * The calendar day a workspace started, read as a local day: its first member
 * device's joining (members register `joinedAt`), or the first checklist,
 * briefing or sign-off on record if earlier. A workspace filled from another
 * one's backup has new devices but old records: its months from then on are
 * still owed and counted.
 */
export function workspaceCreatedOn(
  src: { members: ReadonlyArray<{ joinedAt: string }>; checklists?: ReadonlyArray<{ createdAt: string }>; briefings?: ReadonlyArray<{ createdAt: string }>; signOffs?: ReadonlyArray<{ at: string }> },
  dayOf: (at: string) => string,
): string | undefined {
  const times = [...src.members.map((m) => m.joinedAt), ...(src.checklists ?? []).map((c) => c.createdAt), ...(src.briefings ?? []).map((b) => b.createdAt), ...(src.signOffs ?? []).map((e) => e.at)];
  const first = times.filter((t) => !!t && !Number.isNaN(Date.parse(t))).sort((a, b) => Date.parse(a) - Date.parse(b))[0];
  return first ? dayOf(first) : undefined;
}

/** A month's checklist is due by the last day of that month. */
export const checklistDue = (month: string) => lastDayOfMonth(month);

/**
 * When the next management review is due: `everyMonths` after the last one
 * (calendar months, clamped to the month's end: 30 Nov + 3 = 28 Feb, or 29 in
 * a leap year; 31 Aug + 3 = 30 Nov). With no review on record it is due today.
 */
export function nextManagementReview(lastReviewDate: string | undefined, today: string, everyMonths = DEFAULT_SCHEDULE.reviewEveryMonths): string {
  return lastReviewDate && isIsoDate(lastReviewDate) ? addMonths(lastReviewDate, everyMonths) : today;
}

/**
 * When a policy's review is due: the earlier of the next review date set on
 * the policy and `everyMonths` after its last evidenced review (review or
 * approval of a version). A policy with neither is not scheduled (undefined).
 * Consistent with the policies register's `reviewOverdue`: overdue exactly
 * when the last evidence is older than 12 months.
 */
export function nextPolicyReview(nextReviewDate: string, lastEvidenced: string | undefined, everyMonths = DEFAULT_SCHEDULE.policyReviewEveryMonths): string | undefined {
  const candidates = [isIsoDate(nextReviewDate) ? nextReviewDate : undefined, lastEvidenced && isIsoDate(lastEvidenced) ? addMonths(lastEvidenced, everyMonths) : undefined].filter(
    (d): d is string => !!d,
  );
  return candidates.sort()[0];
}

// ---------- lists of duties ----------

/** Soonest first; ties by kind (checklists first), then title, then id: the same order on every device. */
export function compareDuties(a: Duty, b: Duty): number {
  return (
    a.due.localeCompare(b.due) ||
    DUTY_KINDS.indexOf(a.kind) - DUTY_KINDS.indexOf(b.kind) ||
    a.title.localeCompare(b.title) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export const sortDuties = (duties: readonly Duty[]) => [...duties].sort(compareDuties);

/** Duties per status, each group sorted soonest first. */
export function groupDuties(duties: readonly Duty[]): Record<DutyStatus, Duty[]> {
  const groups: Record<DutyStatus, Duty[]> = { overdue: [], 'this-week': [], 'this-month': [], later: [], done: [] };
  for (const d of sortDuties(duties)) groups[d.status].push(d);
  return groups;
}

export type DueSummary = Record<DutyStatus, number> & { total: number };

/** Counts per status, for the dashboard's "Due" card and the app badge. `total` counts every duty, done ones included. */
export function dueSummary(duties: readonly Duty[]): DueSummary {
  const s: DueSummary = { overdue: 0, 'this-week': 0, 'this-month': 0, later: 0, done: 0, total: 0 };
  for (const d of duties) {
    s[d.status] += 1;
    s.total += 1;
  }
  return s;
}

/** What the app icon's badge shows: overdue plus due this week. */
export function badgeCount(duties: readonly Duty[] | DueSummary): number {
  const s = Array.isArray(duties) ? dueSummary(duties) : (duties as DueSummary);
  return s.overdue + s['this-week'];
}

export interface DutyFilter {
  team?: string;
  personId?: string;
  kind?: DutyKind | '';
}

/** Duties of one team, one person and/or one kind; an empty filter keeps all. */
export function filterDuties(duties: readonly Duty[], f: DutyFilter): Duty[] {
  return duties.filter((d) => (!f.team || d.team === f.team) && (!f.personId || d.personId === f.personId) && (!f.kind || d.kind === f.kind));
}
