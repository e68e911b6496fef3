import type { Reader, Source } from '../../evidence/context';
import * as v from 'valibot';
import { audienceFromFields } from '../../domain/audience';
import { addDays, addMonths, isIsoDate } from '../../domain/dates';
import { type Audience, type Gap, inAudience, percent } from '../../domain/gaps';
import { validateWith, type Validated } from '../../domain/validation';
import type { Person } from '../people/model';

/**
 * Training log (ISO 27001 A 5.4 / A 6.3): courses people must do, and the
 * evidence that they did them.
 *
 * Storage, "training" document:
 * - records: one per course, one field per key — `title`, `renewalMonths`,
 *   `provider`, `archived`, and the audience as one boolean per member
 *   (`everyone`, `team.<name>`, `role.<roleId>`) so two devices adding
 *   different teams both keep theirs.
 * - entries: append-only evidence. `kind: 'completion'` records that a person
 *   completed a course; `kind: 'correction'` voids a completion (it is never
 *   edited or removed).
 */
export interface Course {
  id: string;
  title: string;
  /** Whole months until it must be renewed; 0 = never expires. */
  renewalMonths: number;
  audience: Audience;
  /** Default provider offered when recording a completion. */
  provider: string;
  archived: boolean;
  createdAt: string;
  createdBy: string;
}

export interface Completion {
  id: string;
  kind: 'completion';
  personId: string;
  courseId: string;
  /** ISO date the person completed the course. */
  completedOn: string;
  provider: string;
  /** Where the proof lives: certificate number, file name, link, briefing minutes. */
  evidence: string;
  /** ISO date the completion stops counting (valid through that day); '' = never expires. */
  expiresOn: string;
  /** What the entry was recorded from, e.g. "briefing:<id>" or "team:Ops"; '' for a single entry. */
  source: string;
  byName: string;
  byPersonId?: string;
  /** Device clock, ISO timestamp of the entry. */
  at: string;
  deviceId: string;
  /** Derived, never stored: the id of the correction that voided this completion. */
  voidedBy?: string;
}

export interface CompletionCorrection {
  id: string;
  kind: 'correction';
  /** Id of the completion this correction voids. */
  corrects: string;
  reason: string;
  byName: string;
  byPersonId?: string;
  at: string;
  deviceId: string;
}

export type TrainingStatus = 'valid' | 'expiring' | 'expired' | 'missing' | 'not-required';

export const STATUS_LABELS: Record<TrainingStatus, string> = {
  valid: 'Valid',
  expiring: 'Expiring',
  expired: 'Expired',
  missing: 'Missing',
  'not-required': 'Not required',
};

/** "Expiring": the completion expires within this many days of today. */
export const EXPIRING_DAYS = 30;

// ---------- courses ----------

export { audienceFields, roleField, teamField } from '../../domain/audience';

export function courseFromFields(id: string, f: Record<string, unknown>): Course {
  const s = (k: string) => (typeof f[k] === 'string' ? (f[k] as string) : '');
  const months = f['renewalMonths'];
  return {
    id,
    title: s('title'),
    renewalMonths: typeof months === 'number' && Number.isInteger(months) && months > 0 ? months : 0,
    audience: audienceFromFields(f),
    provider: s('provider'),
    archived: f['archived'] === true,
    createdAt: s('createdAt'),
    createdBy: s('createdBy'),
  };
}

export interface CourseInput {
  title: string;
  /** Whole months, as a number or as typed ("12"); 0 = never expires. */
  renewalMonths: number | string;
  audience: Audience;
  provider: string;
}

export type CleanCourseInput = Omit<CourseInput, 'renewalMonths'> & { renewalMonths: number };

export const MAX_RENEWAL_MONTHS = 120;

const renewalMessage = `Enter the renewal interval in whole months, from 0 (never expires) to ${MAX_RENEWAL_MONTHS}.`;

const courseSchema = v.object({
  title: v.pipe(v.string(), v.trim(), v.minLength(1, 'Enter the course title, e.g. Annual security awareness.'), v.maxLength(200, 'Keep the title under 200 characters.')),
  renewalMonths: v.pipe(
    v.union([v.number(), v.string()], renewalMessage),
    v.transform((x) => (typeof x === 'number' ? x : x.trim() === '' ? Number.NaN : Number(x.trim()))),
    v.check((n) => Number.isInteger(n) && n >= 0 && n <= MAX_RENEWAL_MONTHS, renewalMessage),
  ),
  audience: v.pipe(
    v.object({ everyone: v.boolean(), teams: v.array(v.pipe(v.string(), v.trim(), v.minLength(1))), roles: v.array(v.pipe(v.string(), v.minLength(1))) }),
    v.check((a) => a.everyone || a.teams.length > 0 || a.roles.length > 0, 'Choose who must do it: everyone, some teams or some security roles.'),
  ),
  provider: v.pipe(v.string(), v.trim(), v.maxLength(200, 'Keep the provider under 200 characters.')),
});

/** Validates the course form; a title already used by another active course is refused. */
export function validateCourse(input: CourseInput, existing: readonly Course[] = [], selfId?: string): Validated<CleanCourseInput> {
  const r = validateWith(courseSchema, input);
  if (!r.ok) return r;
  const clash = existing.find((c) => !c.archived && c.id !== selfId && c.title.toLowerCase() === r.value.title.toLowerCase());
  if (clash) return { ok: false, errors: { title: `There is already a course called ${clash.title}.` } };
  const a = r.value.audience;
  const audience = a.everyone ? { everyone: true, teams: [], roles: [] } : { everyone: false, teams: [...new Set(a.teams)].sort((x, y) => x.localeCompare(y)), roles: [...new Set(a.roles)].sort() };
  return { ok: true, value: { ...r.value, audience } };
}

/** The course offered with one tap on an empty training log. */
export const ANNUAL_AWARENESS: CourseInput = {
  title: 'Annual security awareness',
  renewalMonths: 12,
  audience: { everyone: true, teams: [], roles: [] },
  provider: '',
};

/** "Every 12 months", "Never expires". */
export function renewalLabel(months: number): string {
  if (months <= 0) return 'Never expires';
  if (months === 12) return 'Every year';
  if (months % 12 === 0) return `Every ${months / 12} years`;
  return months === 1 ? 'Every month' : `Every ${months} months`;
}

/** Does the course apply to this person? */
export function courseRequired(person: Pick<Person, 'team' | 'archived'>, course: Course, roleIds: readonly string[]): boolean {
  return !person.archived && !course.archived && inAudience(course.audience, person, roleIds);
}

// ---------- completions ----------

/** The expiry a completion gets from its course: completion date + renewal months ('' = never). */
export function computedExpiry(completedOn: string, renewalMonths: number): string {
  return renewalMonths > 0 && isIsoDate(completedOn) ? addMonths(completedOn, renewalMonths) : '';
}

export interface CompletionInput {
  personId: string;
  courseId: string;
  completedOn: string;
  provider: string;
  evidence: string;
  /** '' = computed from the course's renewal interval. */
  expiresOn: string;
}

export type BulkCompletionInput = Omit<CompletionInput, 'personId'>;

const completionSchema = v.object({
  personId: v.pipe(v.string(), v.minLength(1, 'Choose who completed the training.')),
  courseId: v.pipe(v.string(), v.minLength(1, 'Choose the course.')),
  completedOn: v.pipe(v.string(), v.trim(), v.check(isIsoDate, 'Enter the completion date as YYYY-MM-DD, e.g. 2026-11-25.')),
  provider: v.pipe(v.string(), v.trim(), v.maxLength(200, 'Keep the provider under 200 characters.')),
  evidence: v.pipe(v.string(), v.trim(), v.maxLength(500, 'Keep the evidence reference under 500 characters.')),
  expiresOn: v.pipe(v.string(), v.trim(), v.check((s) => s === '' || isIsoDate(s), 'Enter the expiry date as YYYY-MM-DD, or leave it empty to use the course’s renewal.')),
});

export const EXPIRY_BEFORE_COMPLETION = 'The expiry date cannot be before the completion date.';

/**
 * Validates a completion against its course and fills in the expiry: the one
 * entered, or completion date + the course's renewal interval. A completion in
 * the future, for an unknown or archived course, or expiring before it was
 * completed is refused.
 */
export function validateCompletion(input: CompletionInput, course: Course | undefined, today: string): Validated<CompletionInput> {
  const r = validateWith(completionSchema, input);
  if (!r.ok) return r;
  const errors: Partial<Record<string, string>> = {};
  if (!course || course.archived) errors['courseId'] = 'Choose a course of this training log.';
  if (r.value.completedOn > today) errors['completedOn'] = 'The completion date cannot be in the future.';
  if (r.value.expiresOn && r.value.expiresOn < r.value.completedOn) errors['expiresOn'] = EXPIRY_BEFORE_COMPLETION;
  if (Object.keys(errors).length) return { ok: false, errors };
  const expiresOn = r.value.expiresOn || computedExpiry(r.value.completedOn, course!.renewalMonths);
  return { ok: true, value: { ...r.value, expiresOn } };
}

export function validateCorrectionReason(reason: string): string | undefined {
  if (!reason.trim()) return 'Say why this completion is being corrected.';
  if (reason.length > 2000) return 'Keep the reason under 2,000 characters.';
  return undefined;
}

const timestamp = v.pipe(v.string(), v.check((s) => !Number.isNaN(Date.parse(s))));

const completionEntrySchema = v.object({
  id: v.pipe(v.string(), v.minLength(1)),
  kind: v.literal('completion'),
  personId: v.pipe(v.string(), v.minLength(1)),
  courseId: v.pipe(v.string(), v.minLength(1)),
  completedOn: v.pipe(v.string(), v.check(isIsoDate)),
  provider: v.optional(v.string(), ''),
  evidence: v.optional(v.string(), ''),
  expiresOn: v.pipe(v.string(), v.check((s) => s === '' || isIsoDate(s))),
  source: v.optional(v.string(), ''),
  byName: v.string(),
  byPersonId: v.optional(v.string()),
  at: timestamp,
  deviceId: v.string(),
});

const correctionEntrySchema = v.object({
  id: v.pipe(v.string(), v.minLength(1)),
  kind: v.literal('correction'),
  corrects: v.pipe(v.string(), v.minLength(1)),
  reason: v.string(),
  byName: v.string(),
  byPersonId: v.optional(v.string()),
  at: timestamp,
  deviceId: v.string(),
});

/**
 * Reads the append-only entries of the training document: completions (each
 * marked `voidedBy` when a correction voids it) and corrections. Malformed
 * entries, e.g. from an old client, are skipped.
 */
export function parseTrainingEntries(raw: readonly unknown[]): { completions: Completion[]; corrections: CompletionCorrection[] } {
  const completions: Completion[] = [];
  const corrections: CompletionCorrection[] = [];
  for (const e of raw) {
    const kind = (e as { kind?: unknown } | null)?.kind;
    if (kind === 'completion') {
      const r = v.safeParse(completionEntrySchema, e);
      if (r.success) completions.push(r.output as Completion);
    } else if (kind === 'correction') {
      const r = v.safeParse(correctionEntrySchema, e);
      if (r.success) corrections.push(r.output as CompletionCorrection);
    }
  }
  return { completions: applyCorrections(completions, corrections), corrections };
}

/** Marks completions voided by a correction (a copy; entries themselves never change). */
export function applyCorrections(completions: readonly Completion[], corrections: readonly CompletionCorrection[]): Completion[] {
  const voided = new Map<string, string>();
  for (const c of [...corrections].sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id))) if (!voided.has(c.corrects)) voided.set(c.corrects, c.id);
  return completions.map((c) => {
    const by = voided.get(c.id);
    return by ? { ...c, voidedBy: by } : c;
  });
}

/** Status of one completion on its own, by its expiry. */
export function expiryStatus(expiresOn: string, today: string): 'valid' | 'expiring' | 'expired' {
  if (!expiresOn) return 'valid';
  if (expiresOn < today) return 'expired';
  return expiresOn <= addDays(today, EXPIRING_DAYS) ? 'expiring' : 'valid';
}

/** Status of a logged completion, for the list: its expiry status, or 'voided'. */
export function entryStatus(c: Completion, today: string): 'valid' | 'expiring' | 'expired' | 'voided' {
  return c.voidedBy ? 'voided' : expiryStatus(c.expiresOn, today);
}

/** Later expiry wins; '' (never) beats any date. */
const laterExpiry = (a: string, b: string) => (a === '' || b === '' ? '' : a > b ? a : b);

/** The completion that counts for a person and course: not voided, completed by today, expiring last. */
export function bestCompletion(personId: string, courseId: string, completions: readonly Completion[], today: string): Completion | undefined {
  let best: Completion | undefined;
  for (const c of completions) {
    if (c.personId !== personId || c.courseId !== courseId || c.voidedBy || c.completedOn > today) continue;
    if (!best || laterExpiry(best.expiresOn, c.expiresOn) !== best.expiresOn || (c.expiresOn === best.expiresOn && c.completedOn > best.completedOn)) best = c;
  }
  return best;
}

/**
 * Where a person stands with a course today:
 * - 'not-required': the course does not apply to them (or they, or it, are archived);
 * - 'missing': no completion (voided ones do not count);
 * - 'expired': the latest expiry is before today;
 * - 'expiring': it expires between today and today + 30 days (inclusive);
 * - 'valid': otherwise, or it never expires.
 * An expiry date is the last day the completion counts.
 *
 * @param roleIds security roles the person holds (roles register), for role audiences
 */
export function completionStatus(
  person: Pick<Person, 'id' | 'team' | 'archived'>,
  course: Course,
  completions: readonly Completion[],
  roleIds: readonly string[],
  today: string,
): TrainingStatus {
  if (!courseRequired(person, course, roleIds)) return 'not-required';
  const best = bestCompletion(person.id, course.id, completions, today);
  return best ? expiryStatus(best.expiresOn, today) : 'missing';
}

export interface TrainingInput {
  people: Person[];
  courses: Course[];
  completions: Completion[];
  /** personId → security role ids they hold (roles register `byPerson()`). */
  rolesByPerson: Map<string, string[]>;
  today: string;
}

/** Hash route of a course's matrix. */
export const courseMatrixHref = (courseId: string) => `#/training/matrix?course=${encodeURIComponent(courseId)}`;

/** One cell of the person × required course matrix. */
export interface TrainingCell {
  person: Person;
  course: Course;
  status: Exclude<TrainingStatus, 'not-required'>;
  completion?: Completion;
}

/** Every required person × course pair (active people, active courses) with its status. */
export function trainingCells(input: TrainingInput): TrainingCell[] {
  const byPair = new Map<string, Completion[]>();
  for (const c of input.completions) {
    const key = `${c.personId}\u0000${c.courseId}`;
    const list = byPair.get(key);
    if (list) list.push(c);
    else byPair.set(key, [c]);
  }
  const cells: TrainingCell[] = [];
  for (const course of input.courses) {
    if (course.archived) continue;
    for (const person of input.people) {
      const roleIds = input.rolesByPerson.get(person.id) ?? [];
      if (!courseRequired(person, course, roleIds)) continue;
      const best = bestCompletion(person.id, course.id, byPair.get(`${person.id}\u0000${course.id}`) ?? [], input.today);
      cells.push({ person, course, status: best ? expiryStatus(best.expiresOn, input.today) : 'missing', ...(best ? { completion: best } : {}) });
    }
  }
  return cells;
}

/** Gaps for the dashboard: required courses missing, expired or expiring, per active person. */
export function trainingGaps(input: TrainingInput): Gap[] {
  const gaps: Gap[] = [];
  for (const cell of trainingCells(input)) {
    const { person, course, completion } = cell;
    const href = courseMatrixHref(course.id);
    if (cell.status === 'missing') gaps.push({ personId: person.id, kind: 'training-missing', label: `${course.title} not done`, href });
    else if (cell.status === 'expired') gaps.push({ personId: person.id, kind: 'training-expired', label: `${course.title} expired`, href, due: completion!.expiresOn });
    else if (cell.status === 'expiring') gaps.push({ personId: person.id, kind: 'training-expiring', label: `${course.title} expires soon`, href, due: completion!.expiresOn });
  }
  return gaps;
}

/** Required person × course pairs currently valid or expiring, out of all required pairs. */
export function trainingCompletionRate(input: TrainingInput): { done: number; total: number; percent?: number } {
  const cells = trainingCells(input);
  const done = cells.filter((c) => c.status === 'valid' || c.status === 'expiring').length;
  const p = percent(done, cells.length);
  return p === undefined ? { done, total: cells.length } : { done, total: cells.length, percent: p };
}

/** Courses a person holds a current (not voided, not expired) completion of: for the competency register. */
export function validCourseIds(personId: string, completions: readonly Completion[], today: string): Set<string> {
  const ids = new Set<string>();
  for (const c of completions) {
    if (c.personId === personId && !c.voidedBy && c.completedOn <= today && (c.expiresOn === '' || c.expiresOn >= today)) ids.add(c.courseId);
  }
  return ids;
}

/** People a bulk entry will record: each once, skipping those already holding a completion of the course on that date. */
export function bulkTargets(personIds: readonly string[], courseId: string, completedOn: string, completions: readonly Completion[]): { record: string[]; already: string[] } {
  const done = new Set(completions.filter((c) => c.courseId === courseId && c.completedOn === completedOn && !c.voidedBy).map((c) => c.personId));
  const unique = [...new Set(personIds)];
  return { record: unique.filter((id) => !done.has(id)), already: unique.filter((id) => done.has(id)) };
}

/** Courses: live ones first, by title. */
export const readCourses: Reader<Course[]> = (src) => src.records('training').map(([id, f]) => courseFromFields(id, f)).sort((a, b) => Number(a.archived) - Number(b.archived) || a.title.localeCompare(b.title));

/** Every completion, voided ones marked `voidedBy`. */
export const readAllCompletions: Reader<Completion[]> = (src) => parseTrainingEntries(src.entries('training')).completions;

/** Completions that count (not voided). */
export const readCompletions: Reader<Completion[]> = (src) => src.read(readAllCompletions).filter((c) => !c.voidedBy);

/** A course's title by id ('' when unknown). */
export const courseTitles = (src: Source) => (courseId: string): string => src.read(readCourses).find((c) => c.id === courseId)?.title ?? '';
