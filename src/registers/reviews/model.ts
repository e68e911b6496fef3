import type { Reader } from '../../evidence/context';
import * as v from 'valibot';
import { addMonths, daysInMonth, formatDate, isIsoDate } from '../../domain/dates';
import { FOLLOW_UP_KEYS, type FollowUp, followUpOf } from '../../domain/follow-up';
import type { Kpis } from './kpis';
import type { DueAction } from '../../domain/schedules';
import { canonicalJson, type SignOffEntry, type SignOffState, signOffState, type SignOffWords, withoutFollowUp } from '../../domain/signoff';
import { validateWith, type Validated } from '../../domain/validation';
import { sameName } from '../acknowledgements/model';

/**
 * Management reviews (ISO 27001 Clause 9.3), usually quarterly: who attended,
 * the inputs (status of earlier actions, changes, KPIs for the period, audit
 * findings, incidents), then decisions and actions, approved by the chair.
 *
 * Storage, "reviews" document, records map: one field per key —
 * `date`, `periodFrom`, `periodTo`, `chairId`, `changes`, `auditFindings`,
 * `incidents`, `archived`, `createdAt`, `createdBy`, and
 * - `attendee.<personId>`: true/false (one per person, so two devices ticking
 *   different people both keep theirs);
 * - `decision.<id>`: { text, at, deleted? };
 * - `action.<id>`: { text, ownerId, due, status, doneOn?, doneBy?, deleted? };
 * - `carried.<actionId>`: { status, ownerId, due, note, doneOn?, doneBy? } — this review's
 *   update of an action raised in an earlier review. The earlier review (and
 *   its approval) is never touched.
 * Approvals are append-only sign-off entries (src/store/signoffs.ts) whose
 * snapshot also pins the figures computed from other registers (KPIs and the
 * earlier actions pulled in), so approved minutes keep the numbers they showed.
 * An action's status and when/by whom it was done are follow-up
 * (src/domain/follow-up.ts): changing them never unsettles an approval.
 */

export const ACTION_STATUSES = ['open', 'in-progress', 'done'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export const ACTION_STATUS_LABELS: Record<ActionStatus, string> = { open: 'Open', 'in-progress': 'In progress', done: 'Done' };

export interface ReviewAction extends FollowUp {
  id: string;
  text: string;
  /** Person id, or ''. */
  ownerId: string;
  /** ISO date or ''. */
  due: string;
  status: ActionStatus;
}

export interface ReviewDecision {
  id: string;
  text: string;
}

/** What a review records about an action raised in an earlier review. */
export interface CarriedUpdate {
  status: ActionStatus;
  ownerId: string;
  due: string;
  note: string;
  /** Follow-up: the day it was set to done and by whom ('' otherwise). */
  doneOn?: string;
  doneBy?: string;
}

export interface ManagementReview {
  id: string;
  /** ISO date of the meeting. */
  date: string;
  /** Period the review covers, ISO dates, inclusive. */
  periodFrom: string;
  periodTo: string;
  /** Person id of the chair, who approves the minutes. */
  chairId: string;
  attendees: string[];
  /** Changes in external and internal issues relevant to the ISMS. */
  changes: string;
  auditFindings: string;
  incidents: string;
  decisions: ReviewDecision[];
  actions: ReviewAction[];
  /** Updates of earlier reviews' actions, by action id. */
  carried: Record<string, CarriedUpdate>;
  /** Created by mistake: kept, but left out of the list and of what later reviews pull in. */
  archived: boolean;
  createdAt: string;
  createdBy: string;
}

export const attendeeField = (personId: string) => `attendee.${personId}`;
export const decisionField = (id: string) => `decision.${id}`;
export const actionField = (id: string) => `action.${id}`;
export const carriedField = (actionId: string) => `carried.${actionId}`;

const isStatus = (s: unknown): s is ActionStatus => typeof s === 'string' && (ACTION_STATUSES as readonly string[]).includes(s);
const str = (x: unknown) => (typeof x === 'string' ? x : '');

export function reviewFromFields(id: string, f: Record<string, unknown>): ManagementReview {
  const attendees: string[] = [];
  const decisions: Array<ReviewDecision & { at: string }> = [];
  const actions: ReviewAction[] = [];
  const carried: Record<string, CarriedUpdate> = {};
  for (const [k, val] of Object.entries(f)) {
    if (k.startsWith('attendee.')) {
      if (val === true) attendees.push(k.slice('attendee.'.length));
    } else if (k.startsWith('decision.') && val && typeof val === 'object') {
      const d = val as { text?: unknown; at?: unknown; deleted?: unknown };
      if (d.deleted !== true) decisions.push({ id: k.slice('decision.'.length), text: str(d.text), at: str(d.at) });
    } else if (k.startsWith('action.') && val && typeof val === 'object') {
      const a = val as Record<string, unknown>;
      if (a['deleted'] !== true) actions.push({ id: k.slice('action.'.length), text: str(a['text']), ownerId: str(a['ownerId']), due: str(a['due']), status: isStatus(a['status']) ? a['status'] : 'open', ...followUpOf(a) });
    } else if (k.startsWith('carried.') && val && typeof val === 'object') {
      const c = val as Record<string, unknown>;
      carried[k.slice('carried.'.length)] = { status: isStatus(c['status']) ? c['status'] : 'open', ownerId: str(c['ownerId']), due: str(c['due']), note: str(c['note']), ...followUpOf(c) };
    }
  }
  attendees.sort();
  decisions.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
  actions.sort(byDue);
  return {
    id,
    date: str(f['date']),
    periodFrom: str(f['periodFrom']),
    periodTo: str(f['periodTo']),
    chairId: str(f['chairId']),
    attendees,
    changes: str(f['changes']),
    auditFindings: str(f['auditFindings']),
    incidents: str(f['incidents']),
    decisions: decisions.map(({ id: did, text }) => ({ id: did, text })),
    actions,
    carried,
    archived: f['archived'] === true,
    createdAt: str(f['createdAt']),
    createdBy: str(f['createdBy']),
  };
}

/** Due date first (none last), then text, then id: the same order on every device. */
function byDue(a: { due: string; text: string; id: string }, b: { due: string; text: string; id: string }): number {
  return (a.due || '9999').localeCompare(b.due || '9999') || a.text.localeCompare(b.text) || a.id.localeCompare(b.id);
}

/** Chronological order of reviews: meeting date, then creation time, then id. */
export function compareReviews(a: ManagementReview, b: ManagementReview): number {
  return a.date.localeCompare(b.date) || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
}

/** The most recent review that is not archived (by meeting date), or undefined when there is none. */
export function latestReview<R extends ManagementReview>(reviews: readonly R[]): R | undefined {
  return reviews.filter((r) => !r.archived).sort(compareReviews).at(-1);
}

/** When the next quarterly review falls due: three months after the latest one, or undefined when none was held. */
export function nextReviewDue(reviews: readonly ManagementReview[], intervalMonths = 3): string | undefined {
  const latest = latestReview(reviews.filter((r) => isIsoDate(r.date)));
  return latest ? addMonths(latest.date, intervalMonths) : undefined;
}

/**
 * The quarter before the one containing `date`:
 * 2026-11-25 → 2026-07-01..2026-09-30; 2026-02-10 → 2025-10-01..2025-12-31.
 */
export function previousQuarter(date: string): { from: string; to: string } {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const q = Math.floor((m - 1) / 3); // 0..3, this quarter
  const py = q === 0 ? y - 1 : y;
  const pq = q === 0 ? 3 : q - 1;
  const first = pq * 3 + 1;
  const last = first + 2;
  const mm = (n: number) => String(n).padStart(2, '0');
  return { from: `${py}-${mm(first)}-01`, to: `${py}-${mm(last)}-${mm(daysInMonth(py, last))}` };
}

// ---------- actions across reviews ----------

/** An action raised in a review, at its latest status as later reviews updated it. */
export interface TrackedAction extends ReviewAction {
  /** The review that raised it, and that review's date. */
  reviewId: string;
  raisedOn: string;
  /** The review that last updated it (the raising review when never updated). */
  updatedIn: string;
  /** Note given with the latest update, if any. */
  note: string;
}

/** Every action of these reviews (archived ones left out), at its latest status, reading reviews in chronological order. */
function track(reviews: readonly ManagementReview[]): Map<string, TrackedAction> {
  const threads = new Map<string, TrackedAction>();
  for (const r of reviews.filter((x) => !x.archived).sort(compareReviews)) {
    for (const [actionId, u] of Object.entries(r.carried)) {
      const t = threads.get(actionId);
      if (t && t.reviewId !== r.id) threads.set(actionId, { ...t, ...carriedOnto(u), updatedIn: r.id });
    }
    for (const a of r.actions) if (!threads.has(a.id)) threads.set(a.id, { ...a, reviewId: r.id, raisedOn: r.date, updatedIn: r.id, note: '' });
  }
  return threads;
}

/** What a carried update sets on the action it updates: status, owner, due date, note, and when it was done. */
const carriedOnto = (u: CarriedUpdate) => ({ status: u.status, ownerId: u.ownerId, due: u.due, note: u.note, doneOn: u.doneOn ?? '', doneBy: u.doneBy ?? '' });

const sortTracked = (list: TrackedAction[]) => list.sort((a, b) => byDue(a, b) || a.raisedOn.localeCompare(b.raisedOn));

/** Actions of every review that are not done at their latest status: for the Due list. */
export function openActions(reviews: readonly ManagementReview[]): TrackedAction[] {
  return sortTracked([...track(reviews).values()].filter((a) => a.status !== 'done'));
}

/**
 * What a review pulls in as "status of actions from the previous review":
 * every action raised in an earlier review that was not done as those earlier
 * reviews left it (an action still open after several reviews keeps coming
 * back until a review marks it done). This review's own updates are in
 * `review.carried`; `withUpdates` applies them.
 */
export function previousActions(reviews: readonly ManagementReview[], review: ManagementReview): TrackedAction[] {
  const earlier = reviews.filter((r) => r.id !== review.id && compareReviews(r, review) < 0);
  return sortTracked([...track(earlier).values()].filter((a) => a.status !== 'done'));
}

/**
 * Every action raised in a review before `review`, done ones included, at
 * its latest status with the day it was done: the KPI "open actions" reads
 * them as at the period's end (an action done after the period was open then).
 */
export function reviewKpiActions(reviews: readonly ManagementReview[], review: ManagementReview): Array<{ due: string; done: boolean; doneOn: string; raisedOn: string }> {
  const earlier = reviews.filter((r) => r.id !== review.id && compareReviews(r, review) < 0);
  return [...track(reviews).values()]
    .filter((a) => earlier.some((r) => r.id === a.reviewId))
    .map((a) => ({ due: a.due, done: a.status === 'done', doneOn: a.doneOn, raisedOn: a.raisedOn }));
}

/** Earlier actions as this review updated them. */
export function withUpdates(previous: readonly TrackedAction[], review: ManagementReview): TrackedAction[] {
  return previous.map((a) => {
    const u = review.carried[a.id];
    return u ? { ...a, ...carriedOnto(u), updatedIn: review.id } : a;
  });
}

/** "Review of 25 Nov 2026": where an action comes from. */
export const reviewTitle = (r: Pick<ManagementReview, 'date'>) => `Review of ${formatDate(r.date)}`;

/**
 * Open actions of every review with a due date, for Due (one function per
 * register: see `DueAction`). Each opens the review that last updated it,
 * where its status is set. `teamOf` gives the owner's team, if any.
 */
export function reviewDueActions(reviews: readonly ManagementReview[], teamOf: (personId: string) => string | undefined = () => undefined): DueAction[] {
  const byId = new Map(reviews.map((r) => [r.id, r]));
  return openActions(reviews)
    .filter((a) => isIsoDate(a.due))
    .map((a) => ({
      id: `reviews:${a.id}`,
      text: a.text,
      due: a.due,
      ownerId: a.ownerId,
      team: a.ownerId ? teamOf(a.ownerId) : undefined,
      source: reviewTitle(byId.get(a.reviewId) ?? { date: a.raisedOn }),
      href: `#/reviews/${encodeURIComponent(a.updatedIn)}`,
    }));
}

// ---------- validation ----------

export interface ReviewHeader {
  date: string;
  periodFrom: string;
  periodTo: string;
  chairId: string;
  changes: string;
  auditFindings: string;
  incidents: string;
}

export const PERIOD_END_BEFORE_START = 'The end of the period cannot be before its start.';
const longText = (what: string) => v.pipe(v.string(), v.maxLength(10000, `Keep the ${what} under 10,000 characters.`));

const headerSchema = v.object({
  date: v.pipe(v.string(), v.trim(), v.minLength(1, 'Enter the date of the review.'), v.check(isIsoDate, 'Enter the date as YYYY-MM-DD, e.g. 2026-11-25.')),
  periodFrom: v.pipe(v.string(), v.trim(), v.minLength(1, 'Enter the first day of the period reviewed.'), v.check(isIsoDate, 'Enter the start of the period as YYYY-MM-DD.')),
  periodTo: v.pipe(v.string(), v.trim(), v.minLength(1, 'Enter the last day of the period reviewed.'), v.check(isIsoDate, 'Enter the end of the period as YYYY-MM-DD.')),
  chairId: v.pipe(v.string(), v.minLength(1, 'Choose who chairs the review: only the chair can approve the minutes.')),
  changes: longText('changes'),
  auditFindings: longText('audit findings'),
  incidents: longText('incidents'),
});

/** Validates a review's header: dates, a period that does not end before it starts, and a chair. */
export function validateReviewHeader(input: ReviewHeader): Validated<ReviewHeader> {
  const r = validateWith(headerSchema, input);
  if (!r.ok) return r;
  if (r.value.periodTo < r.value.periodFrom) return { ok: false, errors: { periodTo: PERIOD_END_BEFORE_START } };
  return r;
}

export type ActionInput = Omit<ReviewAction, 'id' | keyof FollowUp>;

const actionSchema = v.object({
  text: v.pipe(v.string(), v.trim(), v.minLength(1, 'Describe the action.'), v.maxLength(500, 'Keep the action under 500 characters.')),
  ownerId: v.string(),
  due: v.pipe(v.string(), v.trim(), v.check((s) => s === '' || isIsoDate(s), 'Enter the due date as YYYY-MM-DD, or leave it empty.')),
  status: v.picklist(ACTION_STATUSES, 'Choose open, in progress or done.'),
});

export const validateAction = (input: ActionInput): Validated<ActionInput> => validateWith(actionSchema, input);

const carriedSchema = v.object({
  status: v.picklist(ACTION_STATUSES, 'Choose open, in progress or done.'),
  ownerId: v.string(),
  due: v.pipe(v.string(), v.trim(), v.check((s) => s === '' || isIsoDate(s), 'Enter the due date as YYYY-MM-DD, or leave it empty.')),
  note: v.pipe(v.string(), v.trim(), v.maxLength(2000, 'Keep the note under 2,000 characters.')),
});

export const validateCarried = (input: CarriedUpdate): Validated<Omit<CarriedUpdate, keyof FollowUp>> => validateWith(carriedSchema, input);

export function validateDecision(text: string): Validated<string> {
  const t = text.trim();
  if (!t) return { ok: false, errors: { text: 'Write the decision first.' } };
  if (t.length > 2000) return { ok: false, errors: { text: 'Keep a decision under 2,000 characters.' } };
  return { ok: true, value: t };
}

// ---------- approval ----------

/** Figures computed from other registers when the review is shown; pinned by the approval. */
export interface ReviewInputs {
  previousActions: TrackedAction[];
  kpis: Kpis;
}

/** What the chair approves and can later be compared: the review's own content. */
export function reviewContent(r: ManagementReview) {
  return {
    date: r.date,
    periodFrom: r.periodFrom,
    periodTo: r.periodTo,
    chairId: r.chairId,
    attendees: [...r.attendees].sort(),
    changes: r.changes,
    auditFindings: r.auditFindings,
    incidents: r.incidents,
    decisions: r.decisions.map(({ id, text }) => ({ id, text })),
    actions: r.actions.map(({ id, text, ownerId, due, status, doneOn, doneBy }) => ({ id, text, ownerId, due, status, doneOn, doneBy })),
    carried: r.carried,
  };
}

/** The approval snapshot: the review's content and the inputs as shown (pinned). */
export function reviewSnapshot(r: ManagementReview, inputs: ReviewInputs | unknown): string {
  return canonicalJson({ review: reviewContent(r), inputs });
}

/** The inputs an approval pinned (KPIs and earlier actions as shown then), if readable. */
export function pinnedInputs(entry: SignOffEntry): ReviewInputs | undefined {
  try {
    const parsed = JSON.parse(entry.snapshot) as { inputs?: ReviewInputs };
    return parsed.inputs && typeof parsed.inputs === 'object' && parsed.inputs.kpis ? parsed.inputs : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The approval state of a review (through `signOffState`). Only the review's
 * own content decides whether it "changed since approval": figures from other
 * registers (KPIs, earlier actions) are pinned in the approval, so a
 * backdated training record does not unsettle approved minutes.
 */
export function approvalState(r: ManagementReview, history: SignOffEntry[]): SignOffState {
  const standing = signOffState(history, '\u0000'); // any standing approval reads as "changed" against nothing
  if (standing.state === 'unsigned') return standing;
  let inputs: unknown;
  try {
    inputs = (JSON.parse(standing.entry.snapshot) as { inputs?: unknown }).inputs;
  } catch {
    inputs = undefined;
  }
  return signOffState(history, reviewSnapshot(r, inputs), decidedReview);
}

/**
 * An approval snapshot without follow-up: the status of the review's own
 * actions and of the earlier ones it updated, and when they were done. An
 * approval made before this rule (whose snapshot holds the statuses) still
 * stands when nothing but a status changed.
 */
export const decidedReview = withoutFollowUp(['review.actions.*', 'review.carried.*'], FOLLOW_UP_KEYS, dropStatusOnlyUpdates);

/**
 * An update of an earlier action that only set its status (owner and due date
 * as the action came in, no note) is follow-up as a whole: left out, so
 * ticking an earlier action done in approved minutes keeps the approval.
 */
function dropStatusOnlyUpdates(value: unknown): unknown {
  const v = value as { review?: { carried?: Record<string, { ownerId?: string; due?: string; note?: string }> }; inputs?: { previousActions?: Array<{ id: string; ownerId: string; due: string }> } };
  const carried = v?.review?.carried;
  if (!carried || typeof carried !== 'object') return value;
  const earlier = new Map((Array.isArray(v.inputs?.previousActions) ? v.inputs.previousActions : []).map((a) => [a.id, a]));
  const kept = Object.fromEntries(
    Object.entries(carried).filter(([id, u]) => {
      const a = earlier.get(id);
      return !a || u.ownerId !== a.ownerId || u.due !== a.due || !!u.note;
    }),
  );
  return { ...v, review: { ...v.review, carried: kept } };
}

/**
 * Why this signer cannot approve the minutes, or undefined when they can:
 * only the chair approves (their person in People, or their name on this device).
 */
export function approvalBlocked(r: ManagementReview, signer: { name: string; personId?: string | undefined }, chairName: string): string | undefined {
  if (!r.chairId) return 'Choose the chair: only the chair can approve the minutes.';
  if (!signer.name.trim()) return 'Enter your name in Settings: only the chair can approve the minutes.';
  const isChair = signer.personId ? signer.personId === r.chairId : !!chairName && sameName(signer.name, chairName);
  if (!isChair) return `Only the chair, ${chairName || 'who is not in People'}, can approve these minutes. This device signs as ${signer.name}.`;
  return undefined;
}

/** How reviews name their approval states, in the list, its filter, the detail, CSV and the pack. */
export const APPROVAL_WORDS: SignOffWords = { unsigned: 'Draft', signed: 'Approved', changed: 'Changed since approval' };

/** Approved, draft or changed since approval: for lists and CSV. */
export const approvalLabel = (state: SignOffState): string => APPROVAL_WORDS[state.state];

/** Management reviews, by meeting date. */
export const readReviews: Reader<ManagementReview[]> = (src) => src.records('reviews').map(([id, f]) => reviewFromFields(id, f)).sort((a, b) => a.date.localeCompare(b.date) || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
