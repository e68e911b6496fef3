import type { Reader, Source } from '../../evidence/context';
import * as v from 'valibot';
import { audienceFromFields } from '../../domain/audience';
import { addMonths, isIsoDate } from '../../domain/dates';
import type { Audience } from '../../domain/gaps';
import { validateWith, type Validated } from '../../domain/validation';

/**
 * A policy people must know and follow (ISO 27001 A 5.1 / A 5.4).
 *
 * Storage (records map of the "policies" document): one field per key —
 * `title`, `ownerId`, `nextReviewDate`, `archived`, and the audience as one
 * boolean per member (`everyone`, `team.<name>`, `role.<roleId>`) so two
 * devices adding different teams both keep theirs.
 *
 * Versions and reviews are evidence: append-only entries of the same document
 * (`kind: 'publication'` and `kind: 'review'`), never edited.
 */
export interface Policy {
  id: string;
  title: string;
  /** Person id of the policy owner, or '' when not set. */
  ownerId: string;
  audience: Audience;
  /** ISO date, or '' when not set. */
  nextReviewDate: string;
  archived: boolean;
  createdAt: string;
  createdBy: string;
}

/** A published version: the exact text, its SHA-256, and who approved it. Never edited. */
export interface Publication {
  id: string;
  kind: 'publication';
  policyId: string;
  /** "1.0", "2.0", …: unique within the policy. */
  version: string;
  /** The policy text (markdown or plain text), or a reference to where the document lives. */
  text: string;
  /** Lower-case hex SHA-256 of the UTF-8 bytes of `text`. */
  textSha256: string;
  approvedBy: string;
  /** ISO date of the approval. */
  approvedOn: string;
  /** Device clock, ISO timestamp. */
  publishedAt: string;
  byName: string;
  byPersonId?: string;
  deviceId: string;
}

/** An evidenced review of a policy. Never edited. */
export interface Review {
  id: string;
  kind: 'review';
  policyId: string;
  /** ISO date of the review. */
  reviewedOn: string;
  reviewedBy: string;
  /** What the review concluded ("No change needed", "Update section 4", …). */
  outcome: string;
  /** ISO date of the next review agreed at this one. */
  nextReviewDate: string;
  /** Device clock, ISO timestamp of the entry. */
  at: string;
  byName: string;
  byPersonId?: string;
  deviceId: string;
}

export { audienceFields, roleField, teamField } from '../../domain/audience';

export function policyFromFields(id: string, f: Record<string, unknown>): Policy {
  const s = (k: string) => (typeof f[k] === 'string' ? (f[k] as string) : '');
  return {
    id,
    title: s('title'),
    ownerId: s('ownerId'),
    audience: audienceFromFields(f),
    nextReviewDate: s('nextReviewDate'),
    archived: f['archived'] === true,
    createdAt: s('createdAt'),
    createdBy: s('createdBy'),
  };
}

// ---------- validation ----------

export interface PolicyInput {
  title: string;
  ownerId: string;
  audience: Audience;
  nextReviewDate: string;
}

const policySchema = v.object({
  title: v.pipe(v.string(), v.trim(), v.minLength(1, 'Enter the policy’s title.'), v.maxLength(200, 'Keep the title under 200 characters.')),
  ownerId: v.pipe(v.string(), v.minLength(1, 'Choose who owns the policy.')),
  audience: v.pipe(
    v.object({ everyone: v.boolean(), teams: v.array(v.pipe(v.string(), v.trim(), v.minLength(1))), roles: v.array(v.pipe(v.string(), v.minLength(1))) }),
    v.check((a) => a.everyone || a.teams.length > 0 || a.roles.length > 0, 'Choose who the policy applies to: everyone, some teams or some security roles.'),
  ),
  nextReviewDate: v.pipe(v.string(), v.trim(), v.check(isIsoDate, 'Enter the next review date as YYYY-MM-DD, e.g. 2027-01-31.')),
});

/** Validates the policy form. An everyone audience drops any team/role selection (it would mean nothing). */
export function validatePolicy(input: PolicyInput): Validated<PolicyInput> {
  const r = validateWith(policySchema, input);
  if (!r.ok) return r;
  const a = r.value.audience;
  const audience = a.everyone ? { everyone: true, teams: [], roles: [] } : { everyone: false, teams: [...new Set(a.teams)].sort(), roles: [...new Set(a.roles)].sort() };
  return { ok: true, value: { ...r.value, audience } };
}

export interface PublicationInput {
  version: string;
  text: string;
  approvedBy: string;
  approvedOn: string;
}

export const MAX_POLICY_TEXT = 200_000;

const publicationSchema = v.object({
  version: v.pipe(
    v.string(),
    v.trim(),
    v.minLength(1, 'Enter the version, e.g. 1.0.'),
    v.maxLength(20, 'Keep the version under 20 characters, e.g. 2.1.'),
    v.regex(/^[0-9A-Za-z][0-9A-Za-z._-]*$/, 'Use digits, letters and dots for the version, e.g. 1.0 or 2.1.'),
  ),
  text: v.pipe(
    v.string(),
    v.check((s) => s.trim().length > 0, 'Paste the text of this version, or a reference to where the document lives (file name, link).'),
    v.maxLength(MAX_POLICY_TEXT, 'Keep the text under 200,000 characters, or enter a reference to the document instead.'),
  ),
  approvedBy: v.pipe(v.string(), v.trim(), v.minLength(1, 'Enter who approved this version.'), v.maxLength(120, 'Keep the name under 120 characters.')),
  approvedOn: v.pipe(v.string(), v.trim(), v.check(isIsoDate, 'Enter the approval date as YYYY-MM-DD, e.g. 2026-11-25.')),
});

/**
 * Validates a new version of a policy. The version must be new for the policy;
 * the approval cannot be in the future. The text is kept exactly as typed (its
 * hash covers every character), except that line ends are normalised to \n.
 */
export function validatePublication(input: PublicationInput, existing: readonly Publication[], today: string): Validated<PublicationInput> {
  const r = validateWith(publicationSchema, input);
  if (!r.ok) return r;
  const errors: Partial<Record<string, string>> = {};
  const clash = existing.find((p) => p.version.toLowerCase() === r.value.version.toLowerCase());
  if (clash) errors['version'] = `Version ${clash.version} is already published: choose a new version number.`;
  if (r.value.approvedOn > today) errors['approvedOn'] = 'The approval date cannot be in the future.';
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, value: { ...r.value, text: normaliseText(r.value.text) } };
}

/** Line ends as \n, so the same text hashes the same on every platform. */
export const normaliseText = (text: string) => text.replace(/\r\n?/g, '\n');

export interface ReviewInput {
  reviewedOn: string;
  reviewedBy: string;
  outcome: string;
  nextReviewDate: string;
}

const reviewSchema = v.object({
  reviewedOn: v.pipe(v.string(), v.trim(), v.check(isIsoDate, 'Enter the review date as YYYY-MM-DD, e.g. 2026-11-25.')),
  reviewedBy: v.pipe(v.string(), v.trim(), v.minLength(1, 'Enter who reviewed the policy.'), v.maxLength(120, 'Keep the name under 120 characters.')),
  outcome: v.pipe(v.string(), v.trim(), v.minLength(1, 'Say what the review concluded, e.g. “No change needed”.'), v.maxLength(4000, 'Keep the outcome under 4,000 characters.')),
  nextReviewDate: v.pipe(v.string(), v.trim(), v.check(isIsoDate, 'Enter the next review date as YYYY-MM-DD, e.g. 2027-11-25.')),
});

export function validateReview(input: ReviewInput, today: string): Validated<ReviewInput> {
  const r = validateWith(reviewSchema, input);
  if (!r.ok) return r;
  const errors: Partial<Record<string, string>> = {};
  if (r.value.reviewedOn > today) errors['reviewedOn'] = 'The review date cannot be in the future.';
  if (r.value.nextReviewDate <= r.value.reviewedOn) errors['nextReviewDate'] = 'The next review must come after this one.';
  return Object.keys(errors).length ? { ok: false, errors } : r;
}

// ---------- evidence entries ----------

const timestamp = v.pipe(v.string(), v.check((s) => !Number.isNaN(Date.parse(s))));

const publicationEntrySchema = v.object({
  id: v.pipe(v.string(), v.minLength(1)),
  kind: v.literal('publication'),
  policyId: v.pipe(v.string(), v.minLength(1)),
  version: v.pipe(v.string(), v.minLength(1)),
  text: v.string(),
  textSha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
  approvedBy: v.string(),
  approvedOn: v.string(),
  publishedAt: timestamp,
  byName: v.string(),
  byPersonId: v.optional(v.string()),
  deviceId: v.string(),
});

const reviewEntrySchema = v.object({
  id: v.pipe(v.string(), v.minLength(1)),
  kind: v.literal('review'),
  policyId: v.pipe(v.string(), v.minLength(1)),
  reviewedOn: v.string(),
  reviewedBy: v.string(),
  outcome: v.string(),
  nextReviewDate: v.string(),
  at: timestamp,
  byName: v.string(),
  byPersonId: v.optional(v.string()),
  deviceId: v.string(),
});

/** Reads a publication entry from storage; anything else (or malformed) gives undefined. */
export function parsePublication(raw: unknown): Publication | undefined {
  const r = v.safeParse(publicationEntrySchema, raw);
  return r.success ? (r.output as Publication) : undefined;
}

export function parseReview(raw: unknown): Review | undefined {
  const r = v.safeParse(reviewEntrySchema, raw);
  return r.success ? (r.output as Review) : undefined;
}

const instant = (s: string) => Date.parse(s);

/** Oldest first: device time, then id for ties, so every device orders them the same. */
export function byPublishedAt(a: Publication, b: Publication): number {
  return instant(a.publishedAt) - instant(b.publishedAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Versions of one policy, oldest first. */
export function publicationsOf(policyId: string, publications: readonly Publication[]): Publication[] {
  return publications.filter((p) => p.policyId === policyId).sort(byPublishedAt);
}

/** The current version: the latest publication (by publishedAt, ties by id); undefined when none. */
export function currentPublication(policyId: string, publications: readonly Publication[]): Publication | undefined {
  return publicationsOf(policyId, publications).at(-1);
}

/** Reviews of one policy, oldest first (review date, then entry time, then id). */
export function reviewsOf(policyId: string, reviews: readonly Review[]): Review[] {
  return reviews
    .filter((r) => r.policyId === policyId)
    .sort((a, b) => a.reviewedOn.localeCompare(b.reviewedOn) || instant(a.at) - instant(b.at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The last date the policy was evidently looked at: its latest review, or the
 * approval date of its latest-approved version. undefined when there is none.
 */
export function lastEvidencedReview(policyId: string, publications: readonly Publication[], reviews: readonly Review[]): string | undefined {
  let last: string | undefined;
  for (const r of reviews) if (r.policyId === policyId && isIsoDate(r.reviewedOn) && (!last || r.reviewedOn > last)) last = r.reviewedOn;
  for (const p of publications) if (p.policyId === policyId && isIsoDate(p.approvedOn) && (!last || p.approvedOn > last)) last = p.approvedOn;
  return last;
}

/** Most recent review entry of a policy, if any. */
export function lastReview(policyId: string, reviews: readonly Review[]): Review | undefined {
  return reviewsOf(policyId, reviews).at(-1);
}

/**
 * "Review overdue": no evidenced review or approved version in the last 12
 * months. A review exactly 12 months ago still counts (2025-11-25 covers
 * today = 2026-11-25); one day earlier does not. Archived policies are never overdue.
 */
export function reviewOverdue(policy: Policy, publications: readonly Publication[], reviews: readonly Review[], today: string): boolean {
  if (policy.archived) return false;
  const last = lastEvidencedReview(policy.id, publications, reviews);
  return !last || last < addMonths(today, -12);
}

/** The policy's next review date has passed (it is before today). */
export function nextReviewPassed(policy: Policy, today: string): boolean {
  return !policy.archived && isIsoDate(policy.nextReviewDate) && policy.nextReviewDate < today;
}

/** The audience in words: "Everyone", or "Ops, Sales; ISMS manager". */
export function audienceLabel(a: Audience, roleName: (id: string) => string): string {
  if (a.everyone) return 'Everyone';
  const parts = [...a.teams.map((t) => `${t} team`), ...a.roles.map((r) => roleName(r) || 'Unknown role')];
  return parts.length ? parts.join(', ') : 'Nobody';
}

/** Policies, by title. */
export const readPolicies: Reader<Policy[]> = (src) => src.records('policies').map(([id, f]) => policyFromFields(id, f)).sort((a, b) => a.title.localeCompare(b.title) || a.id.localeCompare(b.id));

export const readPublications: Reader<Publication[]> = (src) => src.entries('policies').map(parsePublication).filter((p): p is Publication => !!p).sort(byPublishedAt);

export const readPolicyReviews: Reader<Review[]> = (src) => src.entries('policies').map(parseReview).filter((r): r is Review => !!r);

/** A policy's title by id ('' when unknown). */
export const policyTitles = (src: Source) => (policyId: string): string => src.read(readPolicies).find((p) => p.id === policyId)?.title ?? '';
