import type { Reader } from '../../evidence/context';
import * as v from 'valibot';
import { isIsoDate } from '../../domain/dates';
import { validateWith, type Validated } from '../../domain/validation';

/**
 * Resource approvals (ISO 27001 Clause 7.1, A 5.4): budget, staff time, tools
 * and training hours management approved, for what control or objective, by
 * whom, when, and at which management review.
 *
 * Storage, "resources" document:
 * - records: the description, one field per key — `kind`, `description`,
 *   `amount` (number), `currency` (ISO 4217), `hours` (number), `control`,
 *   `reviewId`, `archived`, `createdAt`, `createdBy`.
 * - entries: the approval itself, append-only evidence
 *   `{ kind: 'approval', recordId, approvedBy, approvedOn, byName, byPersonId?, at, deviceId, corrects? }`.
 *   A wrong approver or date is fixed by a new approval entry that `corrects`
 *   the earlier one; the latest entry (device time, then id) stands.
 */

export const RESOURCE_KINDS = ['budget', 'staff-time', 'tool', 'training-hours', 'other'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export const KIND_LABELS: Record<ResourceKind, string> = {
  budget: 'Budget',
  'staff-time': 'Staff time',
  tool: 'Tool',
  'training-hours': 'Training hours',
  other: 'Other',
};

/** Kinds measured in hours (an amount is optional for them); budget and tools need an amount. */
const HOURS_KINDS: readonly ResourceKind[] = ['staff-time', 'training-hours'];
const MONEY_KINDS: readonly ResourceKind[] = ['budget', 'tool'];
export const needsHours = (k: ResourceKind) => HOURS_KINDS.includes(k);
export const needsAmount = (k: ResourceKind) => MONEY_KINDS.includes(k);

/**
 * ISO 4217 codes of currencies in circulation (2024 list, without precious
 * metals, fund and testing codes). A static list: the result does not depend
 * on the browser's Intl data.
 */
export const CURRENCIES: ReadonlySet<string> = new Set(
  (
    'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUC CUP CVE CZK ' +
    'DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW ' +
    'KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG ' +
    'QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES ' +
    'VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL'
  ).split(' '),
);

/** Offered first in the currency picker. */
export const COMMON_CURRENCIES = ['GBP', 'EUR', 'USD', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CAD', 'AUD'] as const;

/** Is this an ISO 4217 currency code (upper case, in circulation)? */
export const isCurrency = (code: string) => CURRENCIES.has(code);

export interface ResourceRecord {
  id: string;
  kind: ResourceKind;
  description: string;
  /** Amount in `currency`, or undefined when none was approved. */
  amount?: number;
  /** ISO 4217 code, or '' when there is no amount. */
  currency: string;
  /** Hours approved, or undefined. */
  hours?: number;
  /** Control or objective it is for, e.g. "A 5.4 awareness". */
  control: string;
  /** Management review that decided it, or ''. */
  reviewId: string;
  archived: boolean;
  createdAt: string;
  createdBy: string;
}

/** The approval: append-only evidence, one entry per approval or correction. */
export interface ApprovalEntry {
  id: string;
  kind: 'approval';
  recordId: string;
  /** Person id of who approved it. */
  approvedBy: string;
  /** ISO date it was approved. */
  approvedOn: string;
  /** For a correction: the approval entry it replaces. */
  corrects?: string;
  /** Why it was corrected (corrections only). */
  note?: string;
  /** Who recorded it, on which device, when (device clock). */
  byName: string;
  byPersonId?: string;
  at: string;
  deviceId: string;
}

/** A record with the approval that stands for it. */
export interface ResourceApproval extends ResourceRecord {
  approval?: ApprovalEntry;
  /** From the standing approval: person id, or ''. */
  approvedBy: string;
  /** From the standing approval: ISO date, or ''. */
  approvedOn: string;
}

const KIND_SET: readonly string[] = RESOURCE_KINDS;
const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);

export function resourceFromFields(id: string, f: Record<string, unknown>): ResourceRecord {
  const s = (k: string) => (typeof f[k] === 'string' ? (f[k] as string) : '');
  const amount = num(f['amount']);
  const hours = num(f['hours']);
  return {
    id,
    kind: KIND_SET.includes(s('kind')) ? (s('kind') as ResourceKind) : 'other',
    description: s('description'),
    ...(amount === undefined ? {} : { amount }),
    currency: s('currency'),
    ...(hours === undefined ? {} : { hours }),
    control: s('control'),
    reviewId: s('reviewId'),
    archived: f['archived'] === true,
    createdAt: s('createdAt'),
    createdBy: s('createdBy'),
  };
}

const entrySchema = v.object({
  id: v.pipe(v.string(), v.minLength(1)),
  kind: v.literal('approval'),
  recordId: v.pipe(v.string(), v.minLength(1)),
  approvedBy: v.string(),
  approvedOn: v.pipe(v.string(), v.check(isIsoDate)),
  corrects: v.optional(v.string()),
  note: v.optional(v.string()),
  byName: v.string(),
  byPersonId: v.optional(v.string()),
  at: v.pipe(v.string(), v.check((s) => !Number.isNaN(Date.parse(s)))),
  deviceId: v.string(),
});

/** Reads approval entries; malformed ones (e.g. from an old client) are skipped. */
export function parseApprovals(raw: readonly unknown[]): ApprovalEntry[] {
  const out: ApprovalEntry[] = [];
  for (const e of raw) {
    const r = v.safeParse(entrySchema, e);
    if (r.success) out.push(r.output as ApprovalEntry);
  }
  return out;
}

/** A record's approval entries, oldest first (device time, then id). */
export function approvalsOf(recordId: string, entries: readonly ApprovalEntry[]): ApprovalEntry[] {
  return entries.filter((e) => e.recordId === recordId).sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
}

/** The approval that stands: the latest entry. */
export const standingApproval = (recordId: string, entries: readonly ApprovalEntry[]) => approvalsOf(recordId, entries).at(-1);

export function withApproval(r: ResourceRecord, entries: readonly ApprovalEntry[]): ResourceApproval {
  const approval = standingApproval(r.id, entries);
  return { ...r, ...(approval ? { approval } : {}), approvedBy: approval?.approvedBy ?? '', approvedOn: approval?.approvedOn ?? '' };
}

// ---------- validation ----------

/** The form, as typed: amounts and hours are text until validated. */
export interface ResourceInput {
  kind: ResourceKind | '';
  description: string;
  amount: string;
  currency: string;
  hours: string;
  control: string;
  reviewId: string;
}

export interface ApprovalInput {
  approvedBy: string;
  approvedOn: string;
}

/** The stored description fields, cleaned. */
export interface ResourceFields {
  kind: ResourceKind;
  description: string;
  amount?: number;
  currency: string;
  hours?: number;
  control: string;
  reviewId: string;
}

const schema = v.object({
  kind: v.picklist(RESOURCE_KINDS, 'Choose what was approved: budget, staff time, a tool, training hours or other.'),
  description: v.pipe(v.string(), v.trim(), v.minLength(1, 'Describe what was approved, e.g. Password manager for all staff.'), v.maxLength(500, 'Keep the description under 500 characters.')),
  amount: v.pipe(v.string(), v.trim()),
  currency: v.pipe(v.string(), v.trim(), v.toUpperCase()),
  hours: v.pipe(v.string(), v.trim()),
  control: v.pipe(v.string(), v.trim(), v.minLength(1, 'Say which control or objective it is for, e.g. A 5.4 awareness.'), v.maxLength(200, 'Keep the control or objective under 200 characters.')),
  reviewId: v.string(),
});

const AMOUNT = /^\d{1,12}(\.\d{1,2})?$/;
const HOURS = /^\d{1,6}(\.\d{1,2})?$/;

/** "1,200.50" → 1200.5; thousands separators and spaces are allowed when typing. */
const parseDecimal = (s: string, pattern: RegExp) => {
  const clean = s.replace(/[\s,]/g, '');
  return pattern.test(clean) ? Number(clean) : undefined;
};

export const UNKNOWN_CURRENCY = (code: string) => `${code} is not an ISO 4217 currency code: use a three-letter code such as GBP, EUR or USD.`;

/**
 * Validates the description of an approval. Budget and tools need an amount
 * with its currency, staff time and training hours need hours; "other" needs
 * one of them. A currency is an ISO 4217 code in circulation.
 */
export function validateResource(input: ResourceInput): Validated<ResourceFields> {
  const r = validateWith(schema, input);
  if (!r.ok) return r;
  const x = r.value;
  const errors: Partial<Record<string, string>> = {};
  const amount = x.amount ? parseDecimal(x.amount, AMOUNT) : undefined;
  const hours = x.hours ? parseDecimal(x.hours, HOURS) : undefined;
  if (x.amount && amount === undefined) errors['amount'] = 'Enter the amount as a number, e.g. 1200 or 1200.50.';
  else if (amount === 0) errors['amount'] = 'The amount must be more than 0.';
  if (x.hours && hours === undefined) errors['hours'] = 'Enter the hours as a number, e.g. 16 or 7.5.';
  else if (hours === 0) errors['hours'] = 'The hours must be more than 0.';
  if (x.currency && !isCurrency(x.currency)) errors['currency'] = UNKNOWN_CURRENCY(x.currency);
  else if (x.amount && !x.currency) errors['currency'] = 'Choose the currency of the amount, e.g. GBP.';
  else if (x.currency && !x.amount) errors['amount'] = `Enter the amount in ${x.currency}, or clear the currency.`;
  if (needsAmount(x.kind) && !x.amount) errors['amount'] ??= `Enter the amount approved for this ${KIND_LABELS[x.kind].toLowerCase()}.`;
  if (needsHours(x.kind) && !x.hours) errors['hours'] ??= 'Enter the number of hours approved.';
  if (x.kind === 'other' && !x.amount && !x.hours) errors['amount'] ??= 'Enter an amount with its currency, or the hours approved.';
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    value: {
      kind: x.kind,
      description: x.description,
      ...(amount === undefined ? {} : { amount }),
      currency: amount === undefined ? '' : x.currency,
      ...(hours === undefined ? {} : { hours }),
      control: x.control,
      reviewId: x.reviewId,
    },
  };
}

/** Who approved it and when: a person, and a date that is not in the future. */
export function validateApproval(input: ApprovalInput, today: string): Validated<ApprovalInput> {
  const errors: Partial<Record<string, string>> = {};
  const approvedOn = input.approvedOn.trim();
  if (!input.approvedBy) errors['approvedBy'] = 'Choose who approved it.';
  if (!approvedOn) errors['approvedOn'] = 'Enter the date it was approved.';
  else if (!isIsoDate(approvedOn)) errors['approvedOn'] = 'Enter the date as YYYY-MM-DD, e.g. 2026-11-25.';
  else if (approvedOn > today) errors['approvedOn'] = 'The approval date cannot be in the future.';
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, value: { approvedBy: input.approvedBy, approvedOn } };
}

// ---------- totals ----------

export interface Totals {
  /** Currency → total, sorted by currency code; sums in hundredths so 0.1 + 0.2 is 0.3. */
  money: Array<{ currency: string; total: number; count: number }>;
  hours: number;
}

export function totals(items: readonly Pick<ResourceRecord, 'amount' | 'currency' | 'hours'>[]): Totals {
  const cents = new Map<string, { sum: number; count: number }>();
  let hundredthHours = 0;
  for (const r of items) {
    if (r.amount !== undefined && r.currency) {
      const t = cents.get(r.currency) ?? { sum: 0, count: 0 };
      t.sum += Math.round(r.amount * 100);
      t.count += 1;
      cents.set(r.currency, t);
    }
    if (r.hours !== undefined) hundredthHours += Math.round(r.hours * 100);
  }
  return {
    money: [...cents.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, t]) => ({ currency, total: t.sum / 100, count: t.count })),
    hours: hundredthHours / 100,
  };
}

/** "£1,200.50", "€300.00", "CHF 40.00": the device's number format for the currency. */
export function formatMoney(amount: number, currency: string, locale?: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

export const formatHours = (h: number) => `${Number.isInteger(h) ? h : h.toFixed(2).replace(/0$/, '')} h`;

/** "£1,200.00 · 16 h", or "—". */
export function amountLabel(r: Pick<ResourceRecord, 'amount' | 'currency' | 'hours'>, locale?: string): string {
  const parts = [];
  if (r.amount !== undefined && r.currency) parts.push(formatMoney(r.amount, r.currency, locale));
  if (r.hours !== undefined) parts.push(formatHours(r.hours));
  return parts.join(' · ') || '—';
}

/** The form filled from a stored record, for editing. */
export function inputOf(r: ResourceRecord): ResourceInput {
  return {
    kind: r.kind,
    description: r.description,
    amount: r.amount === undefined ? '' : String(r.amount),
    currency: r.currency,
    hours: r.hours === undefined ? '' : String(r.hours),
    control: r.control,
    reviewId: r.reviewId,
  };
}

/** Resource approvals with their approval entries, by day approved. */
export const readResources: Reader<ResourceApproval[]> = (src) => {
  const approvals = parseApprovals(src.entries('resources'));
  return src
    .records('resources')
    .map(([id, f]) => withApproval(resourceFromFields(id, f), approvals))
    .sort((a, b) => a.approvedOn.localeCompare(b.approvedOn) || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
};
