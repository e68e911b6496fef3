import * as v from 'valibot';
import { addDays, addMonths, isIsoDate } from '../../domain/dates';
import { validateWith, type Validated } from '../../domain/validation';
import { plural } from '../../domain/plural';

/**
 * Speak-up channel (ISO 27001 A 5.4 / A 6.8, EU Whistleblowing Directive):
 * anonymous reports, end-to-end encrypted to designated recipients, with a
 * receipt that lets the reporter follow up from any device.
 *
 * This file is pure: what a report, a message and the settings are, how they
 * are validated, a thread's status, the documented process and the counts a
 * management review reads. Sealing is in crypto.ts, the Yjs layout in doc.ts
 * (see README.md beside this file).
 */

// ---------- reports ----------

export const CATEGORIES = ['policy-bypass', 'data-leak', 'security-weakness', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];
export const CATEGORY_LABELS: Record<Category, string> = {
  'policy-bypass': 'Policy bypassed',
  'data-leak': 'Data leak',
  'security-weakness': 'Security weakness',
  other: 'Something else',
};

/** What the reporter writes. Nothing here says who they are. */
export interface ReportContent {
  v: 1;
  category: Category;
  /** A day (YYYY-MM-DD) or, when the reporter does not know it, a rough description. */
  when: { date: string } | { roughly: string };
  where: string;
  what: string;
}

export interface ReportInput {
  category: string;
  /** true: "I don't know the exact date" — `roughly` is used instead of `date`. */
  roughlyOnly: boolean;
  date: string;
  roughly: string;
  where: string;
  what: string;
}

export const EMPTY_REPORT: ReportInput = { category: '', roughlyOnly: false, date: '', roughly: '', where: '', what: '' };

const trimmed = (max: number, tooLong: string) => v.pipe(v.string(), v.trim(), v.maxLength(max, tooLong));

/** Validates the report form; `today` (YYYY-MM-DD) is the reporter's day. */
export function validateReport(input: ReportInput, today: string): Validated<ReportContent> {
  const schema = v.object({
    category: v.picklist(CATEGORIES, 'Choose what kind of problem this is.'),
    where: trimmed(200, 'Keep “where” under 200 characters.'),
    what: v.pipe(
      v.string(),
      v.trim(),
      v.minLength(1, 'Describe what happened.'),
      v.minLength(10, 'Say a little more about what happened (at least 10 characters).'),
      v.maxLength(10_000, 'Keep the description under 10,000 characters.'),
    ),
  });
  const base = validateWith(schema, input);
  const errors: Partial<Record<string, string>> = base.ok ? {} : { ...base.errors };
  let when: ReportContent['when'] | undefined;
  if (input.roughlyOnly) {
    const r = input.roughly.trim();
    if (!r) errors['roughly'] = 'Say roughly when, for example “early March” or “last week”.';
    else if (r.length > 120) errors['roughly'] = 'Keep this under 120 characters.';
    else when = { roughly: r };
  } else {
    const d = input.date.trim();
    if (!d) errors['date'] = 'Enter the date it happened, or tick “I don’t know the exact date”.';
    else if (!isIsoDate(d)) errors['date'] = 'Enter a complete date (day, month and year).';
    else if (d > today) errors['date'] = 'The date cannot be in the future.';
    else when = { date: d };
  }
  if (!base.ok || !when || Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, value: { v: 1, category: base.value.category, when, where: base.value.where, what: base.value.what } };
}

export function isReportContent(x: unknown): x is ReportContent {
  if (!x || typeof x !== 'object') return false;
  const r = x as Record<string, unknown>;
  const when = r['when'] as Record<string, unknown> | undefined;
  return (
    r['v'] === 1 &&
    (CATEGORIES as readonly unknown[]).includes(r['category']) &&
    !!when &&
    (typeof when['date'] === 'string' || typeof when['roughly'] === 'string') &&
    typeof r['where'] === 'string' &&
    typeof r['what'] === 'string'
  );
}

export const whenLabel = (c: ReportContent) => ('date' in c.when ? c.when.date : `Roughly: ${c.when.roughly}`);

// ---------- messages and status ----------

export const STATUSES = ['received', 'under-review', 'action-taken', 'closed'] as const;
export type Status = (typeof STATUSES)[number];
/** `new`: no recipient has acknowledged the report yet. */
export type ReportStatus = 'new' | Status;
export const STATUS_LABELS: Record<ReportStatus, string> = {
  new: 'Not yet acknowledged',
  received: 'Received',
  'under-review': 'Under review',
  'action-taken': 'Action taken',
  closed: 'Closed',
};
export const STATUS_TONES: Record<ReportStatus, 'ok' | 'warn' | 'bad' | 'info' | 'muted'> = {
  new: 'warn',
  received: 'info',
  'under-review': 'info',
  'action-taken': 'ok',
  closed: 'muted',
};

export type MessageKind = 'reply' | 'status' | 'outcome';

/** One message of a thread, as sealed. Recipients' messages carry an author name; the reporter's never do. */
export interface MessageBody {
  v: 1;
  from: 'reporter' | 'recipient';
  kind: MessageKind;
  text: string;
  status?: Status;
  /** Name of the recipient who wrote it. */
  author?: string;
  /** Day only (YYYY-MM-DD). */
  day: string;
  /** Position in the thread as the writer saw it: one more than the highest they had. */
  seq: number;
}

/** A message opened on this device. `verified`: a recipient's message whose proof checks (only recipients can tell). */
export interface ThreadMessage extends MessageBody {
  id: string;
  verified: boolean;
  /** Still in this device's outbox, not yet on the relay. */
  queued?: boolean;
}

export function isMessageBody(x: unknown): x is MessageBody {
  if (!x || typeof x !== 'object') return false;
  const m = x as Record<string, unknown>;
  return (
    m['v'] === 1 &&
    (m['from'] === 'reporter' || m['from'] === 'recipient') &&
    (m['kind'] === 'reply' || m['kind'] === 'status' || m['kind'] === 'outcome') &&
    typeof m['text'] === 'string' &&
    (m['status'] === undefined || (STATUSES as readonly unknown[]).includes(m['status'])) &&
    typeof m['day'] === 'string' &&
    typeof m['seq'] === 'number'
  );
}

export function validateReply(text: string): Validated<string> {
  const t = text.trim();
  if (!t) return { ok: false, errors: { text: 'Write a message first.' } };
  if (t.length > 5000) return { ok: false, errors: { text: 'Keep the message under 5,000 characters.' } };
  return { ok: true, value: t };
}

export function validateOutcome(text: string): Validated<string> {
  const t = text.trim();
  if (!t) return { ok: false, errors: { outcome: 'Describe the outcome: what was found and what was done.' } };
  if (t.length > 5000) return { ok: false, errors: { outcome: 'Keep the outcome under 5,000 characters.' } };
  return { ok: true, value: t };
}

/** Oldest first: by the writer's sequence, then day, then id (stable on every device). */
export function threadOrder<T extends { seq: number; day: string; id: string }>(messages: readonly T[]): T[] {
  return [...messages].sort((a, b) => a.seq - b.seq || a.day.localeCompare(b.day) || a.id.localeCompare(b.id));
}

export const nextSeq = (messages: ReadonlyArray<{ seq: number }>) => messages.reduce((m, x) => Math.max(m, x.seq), 0) + 1;

/**
 * What the thread says now. Only a recipient's messages set the status or the
 * outcome; on a recipient's device only *verified* ones count, so a reporter
 * cannot mark their own report closed.
 */
export function threadState(messages: readonly ThreadMessage[], opts: { requireVerified: boolean }): { status: ReportStatus; outcome?: string; statusDay?: string } {
  let status: ReportStatus = 'new';
  let statusDay: string | undefined;
  let outcome: string | undefined;
  for (const m of threadOrder(messages)) {
    if (m.from !== 'recipient' || (opts.requireVerified && !m.verified)) continue;
    if (m.kind === 'status' && m.status) {
      status = m.status;
      statusDay = m.day;
    } else if (m.kind === 'outcome') outcome = m.text;
    // A recipient's reply acknowledges the report.
    else if (m.kind === 'reply' && status === 'new') {
      status = 'received';
      statusDay = m.day;
    }
  }
  return { status, ...(outcome !== undefined ? { outcome } : {}), ...(statusDay ? { statusDay } : {}) };
}

// ---------- deadlines ----------

export interface Deadlines {
  /** Acknowledge by (YYYY-MM-DD). */
  acknowledgeBy: string;
  /** Feedback to the reporter by. */
  feedbackBy: string;
}

export const deadlinesOf = (receivedOn: string, p: Pick<ProcessSettings, 'ackDays' | 'feedbackMonths'>): Deadlines => ({
  acknowledgeBy: addDays(receivedOn, p.ackDays),
  feedbackBy: addMonths(receivedOn, p.feedbackMonths),
});

/** Not acknowledged and the acknowledgement deadline has passed. */
export const ackOverdue = (receivedOn: string, status: ReportStatus, today: string, p: Pick<ProcessSettings, 'ackDays' | 'feedbackMonths'>) =>
  status === 'new' && deadlinesOf(receivedOn, p).acknowledgeBy < today;

// ---------- receipts ----------

export const RECEIPT_DIGITS = 16;

/** "1234567890123456" → "1234 5678 9012 3456" */
export const formatReceipt = (digits: string) => digits.replace(/(\d{4})(?=\d)/g, '$1 ');

/** The digits of a typed receipt (spaces, dashes and dots ignored), or a message saying what is wrong. */
export function parseReceipt(input: string): Validated<string> {
  const cleaned = input.replace(/[\s.\-–]/g, '');
  if (!cleaned) return { ok: false, errors: { receipt: 'Enter the 16-digit receipt you were given when you sent the report.' } };
  if (!/^\d+$/.test(cleaned)) return { ok: false, errors: { receipt: 'A receipt has digits only.' } };
  if (cleaned.length !== RECEIPT_DIGITS) return { ok: false, errors: { receipt: `A receipt has 16 digits; you entered ${cleaned.length}.` } };
  return { ok: true, value: cleaned };
}

// ---------- settings and the documented process ----------

export interface ProcessSettings {
  /** Acknowledge a report within this many days (EU directive: 7). */
  ackDays: number;
  /** Give the reporter feedback within this many months (EU directive: 3). */
  feedbackMonths: number;
  /** The non-retaliation statement. */
  statement: string;
  /** What happens after a report, in the organisation's words (optional). */
  nextSteps: string;
  /** Other channels, e.g. the competent authority (optional). */
  external: string;
}

export const DEFAULT_STATEMENT =
  'No one will be dismissed, demoted, disciplined, harassed or treated unfavourably in any other way for reporting a concern in good faith, ' +
  'even if it turns out to be mistaken. Anyone who retaliates against a reporter, or tries to find out who they are, breaches this policy ' +
  'and is dealt with under the disciplinary process.';

export const DEFAULT_PROCESS: ProcessSettings = { ackDays: 7, feedbackMonths: 3, statement: DEFAULT_STATEMENT, nextSteps: '', external: '' };

export interface SpeakupConfig extends ProcessSettings {
  /** Person ids of the designated recipients. */
  recipients: string[];
  publicLink: boolean;
  /** The public link's credential (base64url, 32 bytes), while the link is on. */
  token: string;
}

export const EMPTY_CONFIG: SpeakupConfig = { ...DEFAULT_PROCESS, recipients: [], publicLink: false, token: '' };

export interface ProcessInput {
  ackDays: string;
  feedbackMonths: string;
  statement: string;
  nextSteps: string;
  external: string;
}

const wholeIn = (min: number, max: number, message: string) =>
  v.pipe(
    v.string(),
    v.trim(),
    v.check((s) => /^\d+$/.test(s) && Number(s) >= min && Number(s) <= max, message),
    v.transform(Number),
  );

const processSchema = v.object({
  ackDays: wholeIn(1, 7, 'Acknowledge within 1 to 7 days: the EU Whistleblowing Directive allows at most 7.'),
  feedbackMonths: wholeIn(1, 3, 'Give feedback within 1 to 3 months: the EU Whistleblowing Directive allows at most 3.'),
  statement: v.pipe(v.string(), v.trim(), v.minLength(1, 'State that reporters are protected from retaliation.'), v.maxLength(3000, 'Keep the statement under 3,000 characters.')),
  nextSteps: trimmed(3000, 'Keep this under 3,000 characters.'),
  external: trimmed(1000, 'Keep this under 1,000 characters.'),
});

export function validateProcess(input: ProcessInput): Validated<ProcessSettings> {
  return validateWith(processSchema, input);
}

/** One section of the documented process page (screen and PDF). */
export interface ProcessSection {
  heading: string;
  paragraphs: string[];
}

/**
 * The documented process, generated from the settings. `recipients` are the
 * recipients' names; `linkOn` whether people outside the workspace can report.
 */
export function processSections(p: ProcessSettings & { orgName: string; recipients: readonly string[]; linkOn: boolean }): ProcessSection[] {
  const who = p.recipients.length ? listNames(p.recipients) : 'No recipients have been designated yet.';
  return [
    {
      heading: 'Who can report, and how',
      paragraphs: [
        `Anyone who works for or with ${p.orgName} can report a concern about information security: a rule being bypassed, a data leak, a security weakness, or anything else that worries them.`,
        `Open Muster, go to Speak up and write what you saw. ${p.linkOn ? 'People without Muster can use the organisation’s speak-up link. ' : ''}You do not give your name. The report is encrypted on your device so that only the recipients can read it.`,
        'When you send it you get a 16-digit receipt. Write it down and keep it safe: with the receipt, from any device, you can read the recipients’ replies, answer their questions and see the status. Nobody else can, and the receipt cannot be recovered if you lose it.',
      ],
    },
    {
      heading: 'Who receives reports',
      paragraphs: [
        who,
        'If your report is about one of the recipients, you can leave that person out: the report is then not encrypted for them and they cannot read it.',
      ],
    },
    {
      heading: 'What happens next',
      paragraphs: [
        `A recipient acknowledges your report within ${plural(p.ackDays, 'day', 'days')}.`,
        'They look into it, may ask you questions through the follow-up page, and mark the report as under review, action taken or closed.',
        `You get feedback on what was done within ${plural(p.feedbackMonths, 'month', 'months')} of the acknowledgement.`,
        ...(p.nextSteps ? [p.nextSteps] : []),
      ],
    },
    { heading: 'No retaliation', paragraphs: [p.statement] },
    ...(p.external ? [{ heading: 'Other ways to report', paragraphs: [p.external] }] : []),
    {
      heading: 'What stays anonymous',
      paragraphs: [
        'A report stores no name, no account, no device and no exact time: only the day it was sent. Management sees how many reports were received and closed in a period, never their content.',
        'Your writing style and details only you know can still point to you: leave out what you do not need to say.',
      ],
    },
  ];
}

const listNames = (names: readonly string[]) =>
  names.length === 1 ? `${names[0]}.` : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}.`;

// ---------- who may do what ----------

/** Owners manage the channel; while the workspace has no owner, anyone may (the first device sets it up). */
export function canManage(members: ReadonlyArray<{ deviceId: string; role: string; removed: boolean }>, deviceId: string): boolean {
  const owners = members.filter((m) => !m.removed && m.role === 'owner');
  return owners.length === 0 || owners.some((m) => m.deviceId === deviceId);
}

// ---------- counts for the management review ----------

/** What a management review may know of a report: the day it arrived and the day it was closed. Never content. */
export interface SpeakupRow {
  receivedOn: string;
  closedOn?: string | undefined;
}

/** Reports received, and reports closed, within [from, to] (inclusive ISO dates). */
export function speakupCounts(rows: readonly SpeakupRow[], period: { from: string; to: string }): { received: number; closed: number } {
  const inside = (d: string | undefined) => !!d && d >= period.from && d <= period.to;
  return { received: rows.filter((r) => inside(r.receivedOn)).length, closed: rows.filter((r) => inside(r.closedOn)).length };
}

/** Counts per calendar quarter, oldest first, for the evidence pack: `[{ period: '2026-Q3', received, closed, open }]`. */
export function speakupSummary(rows: readonly SpeakupRow[]): Array<{ period: string; from: string; to: string; received: number; closed: number; openAtEnd: number }> {
  const days = rows.flatMap((r) => [r.receivedOn, ...(r.closedOn ? [r.closedOn] : [])]).filter(isIsoDate).sort();
  if (!days.length) return [];
  const quarterOf = (d: string) => ({ y: Number(d.slice(0, 4)), q: Math.floor((Number(d.slice(5, 7)) - 1) / 3) });
  const first = quarterOf(days[0]!);
  const last = quarterOf(days[days.length - 1]!);
  const out = [];
  for (let y = first.y, q = first.q; y < last.y || (y === last.y && q <= last.q); q === 3 ? (y++, (q = 0)) : q++) {
    const from = `${y}-${String(q * 3 + 1).padStart(2, '0')}-01`;
    const to = addDays(addMonths(from, 3), -1);
    const c = speakupCounts(rows, { from, to });
    const openAtEnd = rows.filter((r) => r.receivedOn <= to && !(r.closedOn && r.closedOn <= to)).length;
    out.push({ period: `${y}-Q${q + 1}`, from, to, ...c, openAtEnd });
  }
  return out;
}

// ---------- the public link ----------

export interface PublicLink {
  workspaceId: string;
  token: string;
  /** Fingerprint of the recipients' public keys (base64url SHA-256). */
  fingerprint: string;
}

export const publicLinkUrl = (origin: string, l: PublicLink) =>
  `${origin}/#speakup?${new URLSearchParams({ w: l.workspaceId, t: l.token, r: l.fingerprint }).toString()}`;

/** `#speakup?w=…&t=…&r=…` → the link, `undefined` when the hash is not a speak-up link, or an error to show. */
export function parsePublicLink(hash: string): PublicLink | { error: string } | undefined {
  if (!hash.startsWith('#speakup?')) return undefined;
  const p = new URLSearchParams(hash.slice('#speakup?'.length));
  const w = p.get('w') ?? '';
  const t = p.get('t') ?? '';
  const r = p.get('r') ?? '';
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(w) || !/^[A-Za-z0-9_-]{43}$/.test(t) || !/^[A-Za-z0-9_-]{43}$/.test(r)) {
    return { error: 'This speak-up link is incomplete. Copy the whole link, or ask the organisation for it again.' };
  }
  return { workspaceId: w, token: t, fingerprint: r };
}

/** Exactly the keys, each once, sorted: what the fingerprint is computed over. */
export const canonicalKeys = (keys: readonly string[]) => [...new Set(keys)].sort().join('\n');

// ---------- whose devices a report is sealed for ----------

/**
 * Every device (public key) of every current recipient, tagged with the
 * recipient's person id. A person no longer in `recipientIds`, and a removed
 * device, get nothing: reports sealed from now on are not readable by them.
 */
export function recipientKeysOf(
  recipientIds: readonly string[],
  members: ReadonlyArray<{ personId?: string | undefined; publicKey?: string | undefined; removed: boolean }>,
): Array<{ ref: string; publicKey: string }> {
  const wanted = new Set(recipientIds);
  return members
    .filter((m) => !m.removed && !!m.publicKey && m.personId !== undefined && wanted.has(m.personId))
    .map((m) => ({ ref: m.personId!, publicKey: m.publicKey! }));
}

// ---------- the settings record (workspace settings document, record `speakup`) ----------

export const CONFIG_RECORD = 'speakup';
export const recipientField = (personId: string) => `recipient.${personId}`;

/** The settings as stored: `recipient.<personId>` booleans, one field per setting. Missing fields take the defaults. */
export function configFromFields(f: Record<string, unknown> | undefined): SpeakupConfig {
  if (!f) return EMPTY_CONFIG;
  const num = (k: string, d: number, max: number) => (typeof f[k] === 'number' && Number.isInteger(f[k]) && (f[k] as number) >= 1 && (f[k] as number) <= max ? (f[k] as number) : d);
  const str = (k: string, d: string) => (typeof f[k] === 'string' ? (f[k] as string) : d);
  return {
    recipients: Object.keys(f).filter((k) => k.startsWith('recipient.') && f[k] === true).map((k) => k.slice('recipient.'.length)).sort(),
    publicLink: f['publicLink'] === true,
    token: str('token', ''),
    ackDays: num('ackDays', DEFAULT_PROCESS.ackDays, 7),
    feedbackMonths: num('feedbackMonths', DEFAULT_PROCESS.feedbackMonths, 3),
    statement: str('statement', '') || DEFAULT_PROCESS.statement,
    nextSteps: str('nextSteps', ''),
    external: str('external', ''),
  };
}
