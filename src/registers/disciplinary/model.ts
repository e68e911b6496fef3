import * as v from 'valibot';
import { isIsoDate } from '../../domain/dates';
import { validateWith, type Validated } from '../../domain/validation';

/**
 * Disciplinary log (ISO 27001 A 6.4 via A 5.4: "policy violations have
 * consequences"): a documented, tiered process that every member of staff can
 * read, and a confidential log of what was decided, readable only by the
 * designated officers.
 *
 * Storage, "disciplinary" document (see README.md beside this file):
 * - records (plain, not confidential), one field per key:
 *   - tiers: `type: 'tier'`, `name`, `appliesWhen`, `consequence`, `order`, `archived`;
 *   - officers: one record per person, id `officer.<personId>`, `type: 'officer'`,
 *     `personId`, `designated` (boolean) and who changed it last (`byName`,
 *     `byPersonId`, `at`, `deviceId`). Two devices designating different
 *     people write different records, so both designations are kept.
 * - entries (confidential, append-only): `{ id, kind: 'sealed', codec, sealed }`
 *   where `sealed` is `codec.seal(JSON of a LogEntry)`. Only codec.ts reads or
 *   writes that form; everything here works on the opened `LogEntry`.
 */

// ---------- tiers: the documented process ----------

export interface Tier {
  id: string;
  name: string;
  /** When the tier applies, in plain words. */
  appliesWhen: string;
  /** What happens: coaching, written warning, formal HR process… */
  consequence: string;
  /** Position in the process, lowest first. */
  order: number;
  archived: boolean;
  createdAt: string;
  createdBy: string;
}

export type TierInput = Pick<Tier, 'name' | 'appliesWhen' | 'consequence'>;

export const TIER_TYPE = 'tier';
export const OFFICER_TYPE = 'officer';

/** The three tiers offered with one tap on an empty process, mildest first. */
export const DEFAULT_TIERS: readonly TierInput[] = [
  {
    name: 'Accidental error',
    appliesWhen: 'A first, unintended mistake: for example an email sent to the wrong person, or a laptop left unlocked.',
    consequence: 'Coaching: the manager explains the rule and how to avoid the mistake, and records it here.',
  },
  {
    name: 'Repeated or negligent',
    appliesWhen: 'The same mistake again after coaching, or carelessness with a clear rule: for example sharing a password.',
    consequence: 'Written warning, stating the expected behaviour and a review date; further training where useful.',
  },
  {
    name: 'Intentional or malicious',
    appliesWhen: 'A deliberate breach of policy: for example taking data without authorisation or switching off a security control.',
    consequence: 'Formal HR process under the employment contract, which can lead to dismissal; access may be suspended at once.',
  },
];

export function tierFromFields(id: string, f: Record<string, unknown>): Tier {
  const s = (k: string) => (typeof f[k] === 'string' ? (f[k] as string) : '');
  const order = f['order'];
  return {
    id,
    name: s('name'),
    appliesWhen: s('appliesWhen'),
    consequence: s('consequence'),
    order: typeof order === 'number' && Number.isFinite(order) ? order : 0,
    archived: f['archived'] === true,
    createdAt: s('createdAt'),
    createdBy: s('createdBy'),
  };
}

/** The process order: by position, then name, then id (two devices may add a tier at the same position). */
export function compareTiers(a: Tier, b: Tier): number {
  return a.order - b.order || a.name.localeCompare(b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export const sortTiers = (tiers: Iterable<Tier>): Tier[] => [...tiers].sort(compareTiers);

/** Position for a tier added at the end. */
export function nextTierOrder(tiers: Iterable<Tier>): number {
  let max = 0;
  for (const t of tiers) if (t.order > max) max = t.order;
  return max + 1;
}

/**
 * The `order` values to write so that `id` moves one place up or down among
 * the active tiers. Every active tier gets its position renumbered 1..n, so
 * ties left by two devices adding tiers at once are resolved as well.
 * Returns [] when the tier cannot move that way.
 */
export function moveTier(tiers: Iterable<Tier>, id: string, direction: -1 | 1): Array<{ id: string; order: number }> {
  const list = sortTiers([...tiers].filter((t) => !t.archived));
  const i = list.findIndex((t) => t.id === id);
  const j = i + direction;
  if (i < 0 || j < 0 || j >= list.length) return [];
  [list[i], list[j]] = [list[j]!, list[i]!];
  return list.map((t, k) => ({ id: t.id, order: k + 1 }));
}

const tierSchema = v.object({
  name: v.pipe(v.string(), v.trim(), v.minLength(1, 'Name the tier, e.g. Accidental error.'), v.maxLength(80, 'Keep the name under 80 characters.')),
  appliesWhen: v.pipe(v.string(), v.trim(), v.minLength(1, 'Say when this tier applies.'), v.maxLength(600, 'Keep “when it applies” under 600 characters.')),
  consequence: v.pipe(v.string(), v.trim(), v.minLength(1, 'Say what the consequence is, e.g. coaching or a written warning.'), v.maxLength(600, 'Keep the consequence under 600 characters.')),
});

/** Validates the tier form; a name already used by another active tier is refused. */
export function validateTier(input: TierInput, existing: readonly Tier[] = [], selfId?: string): Validated<TierInput> {
  const r = validateWith(tierSchema, input);
  if (!r.ok) return r;
  const clash = existing.find((t) => !t.archived && t.id !== selfId && t.name.toLowerCase() === r.value.name.toLowerCase());
  if (clash) return { ok: false, errors: { name: `There is already a tier called ${clash.name}.` } };
  return r;
}

// ---------- officers ----------

export interface Officer {
  personId: string;
  designated: boolean;
  /** Who last designated or removed them, when, on which device. */
  byName: string;
  byPersonId?: string;
  at: string;
  deviceId: string;
  /** Designated by a signed `officer` entry of the member list (a signed workspace), not by a plain record. */
  signed?: true;
}

export const officerRecordId = (personId: string) => `officer.${personId}`;

export function officerFromFields(f: Record<string, unknown>): Officer | undefined {
  const s = (k: string) => (typeof f[k] === 'string' ? (f[k] as string) : '');
  if (f['type'] !== OFFICER_TYPE || !s('personId')) return undefined;
  return {
    personId: s('personId'),
    designated: f['designated'] === true,
    byName: s('byName'),
    ...(s('byPersonId') ? { byPersonId: s('byPersonId') } : {}),
    at: s('at'),
    deviceId: s('deviceId'),
  };
}

/**
 * The officers: in a workspace whose member list is signed, those its signed
 * `officer` entries designate (person id → since: src/domain/membership.ts);
 * before that, the register's plain officer records.
 */
export function currentOfficers(records: Iterable<Record<string, unknown>>, signed: ReadonlyMap<string, string> | undefined): Officer[] {
  if (signed) return [...signed].map(([personId, at]) => ({ personId, designated: true, byName: '', at, deviceId: '', signed: true as const })).sort((a, b) => a.personId.localeCompare(b.personId));
  return [...records].map(officerFromFields).filter((o): o is Officer => !!o).sort((a, b) => a.personId.localeCompare(b.personId));
}

/** A member list as the officers need it: the signed log's officers once it is signed and read. */
export interface SignedOfficers {
  signed(): boolean;
  log(): { current: { officers: ReadonlyMap<string, string> } } | undefined;
}
export const signedOfficersOf = (m: SignedOfficers | undefined) => (m?.signed() ? (m.log()?.current.officers ?? new Map<string, string>()) : undefined);

/**
 * The person ids that count as officers: designated, and (when `isActive` is
 * given) still active in People. An officer who has left cannot act, so they
 * must not keep the list closed either.
 */
export function officerIds(officers: Iterable<Officer>, isActive: (personId: string) => boolean = () => true): string[] {
  return [...officers].filter((o) => o.designated && isActive(o.personId)).map((o) => o.personId).sort();
}

// ---------- devices refused the key ----------

/*
 * A device is linked to a person by its own say-so (its member name matched
 * against People), so a device can claim to be an officer's. Officers see
 * every device that holds the key (Officers → Who holds the key) and can
 * refuse one: record `keyblock.<deviceId>`, type 'key-device-block'. A
 * refused device gets no key, and if it held the current one the key is
 * rotated (keys.ts). What it already had stays with it.
 */
export const DEVICE_BLOCK_TYPE = 'key-device-block';
export const deviceBlockRecordId = (deviceId: string) => `keyblock.${deviceId}`;

export interface DeviceBlock {
  deviceId: string;
  blocked: boolean;
  /** Who refused (or allowed again) the device, when, on which device. */
  byName: string;
  at: string;
  byDeviceId: string;
}

export function deviceBlockFromFields(f: Record<string, unknown>): DeviceBlock | undefined {
  const s = (k: string) => (typeof f[k] === 'string' ? (f[k] as string) : '');
  if (f['type'] !== DEVICE_BLOCK_TYPE || !s('blockedDevice')) return undefined;
  return { deviceId: s('blockedDevice'), blocked: f['blocked'] === true, byName: s('byName'), at: s('at'), byDeviceId: s('byDeviceId') };
}

/** Device ids currently refused the key. */
export function blockedDeviceIds(records: Iterable<Record<string, unknown>>): Set<string> {
  const out = new Set<string>();
  for (const f of records) {
    const b = deviceBlockFromFields(f);
    if (b?.blocked) out.add(b.deviceId);
  }
  return out;
}

/** Whether this person may read and write the log. Someone the device cannot identify is never an officer. */
export function isOfficer(personId: string | undefined, officers: readonly string[]): boolean {
  return !!personId && officers.includes(personId);
}

/**
 * The bootstrap rule, until member roles arrive (issue 5): while nobody is
 * designated, anyone may designate the first officer(s) and set up the
 * process; afterwards only an officer may change the officer list or the tiers.
 */
export function canManage(personId: string | undefined, officers: readonly string[]): boolean {
  return officers.length === 0 || isOfficer(personId, officers);
}

export const NOT_OFFICER = 'Only designated officers can read the disciplinary log.';
export const NOT_MANAGER = 'Only a designated officer can change this.';

/** Why this device may not read the log (undefined when it may). */
export function accessProblem(signer: { name: string; personId?: string | undefined }, officers: readonly string[]): string | undefined {
  if (isOfficer(signer.personId, officers)) return undefined;
  if (officers.length === 0) return 'No officer has been designated yet, so nobody can read the log. Designate the officers first.';
  if (!signer.personId) {
    return `This device signs as “${signer.name || 'nobody'}”, and nobody in People has that name, so Muster cannot tell who you are. You are not a designated officer.`;
  }
  return 'You are not a designated officer.';
}

/** Refuses a change to the officer list that the rule does not allow. */
export function officerChangeProblem(actorId: string | undefined, officers: readonly string[], personId: string, designate: boolean): string | undefined {
  if (!canManage(actorId, officers)) return 'Only a designated officer can change who the officers are.';
  if (!personId) return 'Choose a person.';
  if (designate && officers.includes(personId)) return 'That person is already an officer.';
  if (!designate && !officers.includes(personId)) return 'That person is not an officer.';
  if (!designate && officers.length === 1) return 'The log needs at least one officer: designate another one first.';
  return undefined;
}

// ---------- log entries (confidential) ----------

interface EntryMeta {
  id: string;
  /** Who recorded it, when (device clock), on which device. */
  byName: string;
  byPersonId?: string;
  at: string;
  deviceId: string;
}

/** One disciplinary decision. Never edited: a correction is a new entry with `corrects`. */
export interface DisciplinaryEntry extends EntryMeta {
  kind: 'entry';
  personId: string;
  /** ISO date of the breach or decision. */
  date: string;
  /** Id of the policy breached, or '' when typed as free text. */
  policyId: string;
  /** The policy's title when recorded, or the free text. */
  policy: string;
  tierId: string;
  /** The tier's name when recorded: the process may be renamed later. */
  tierName: string;
  facts: string;
  outcome: string;
  /** Person id of who decided. */
  decidedById: string;
  /** Where the evidence lives: file, letter reference, HR case number. */
  evidence: string;
  /** Id of the entry this one corrects (and supersedes). */
  corrects?: string;
  /** Why the correction was made. */
  reason?: string;
}

/** Takes an entry out of the log (recorded by mistake), without changing it. */
export interface WithdrawalEntry extends EntryMeta {
  kind: 'withdrawal';
  corrects: string;
  reason: string;
}

export type LogEntry = DisciplinaryEntry | WithdrawalEntry;

export interface EntryInput {
  personId: string;
  date: string;
  /** A policy from the Policies register… */
  policyId: string;
  /** …or the policy as free text when it is not there. */
  policyOther: string;
  tierId: string;
  facts: string;
  outcome: string;
  decidedById: string;
  evidence: string;
}

export type CleanEntry = Omit<DisciplinaryEntry, keyof EntryMeta | 'kind' | 'corrects' | 'reason'>;

export const FUTURE_DATE = 'The date cannot be in the future.';
export const UNKNOWN_TIER = 'That tier is not in the documented process: choose one of its tiers.';

const str = (k: string, f: Record<string, unknown>) => (typeof f[k] === 'string' ? (f[k] as string) : undefined);

/**
 * Reads an opened entry (the JSON text the codec returned). Anything that is
 * not a well-formed entry gives undefined, so a damaged or foreign entry is
 * counted as unreadable rather than shown half-empty.
 */
export function entryFromJson(json: string): LogEntry | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const f = raw as Record<string, unknown>;
  const id = str('id', f);
  const byName = str('byName', f);
  const at = str('at', f);
  const deviceId = str('deviceId', f);
  if (!id || byName === undefined || !at || deviceId === undefined) return undefined;
  const meta: EntryMeta = { id, byName, at, deviceId, ...(str('byPersonId', f) ? { byPersonId: str('byPersonId', f)! } : {}) };
  if (f['kind'] === 'withdrawal') {
    const corrects = str('corrects', f);
    if (!corrects) return undefined;
    return { ...meta, kind: 'withdrawal', corrects, reason: str('reason', f) ?? '' };
  }
  if (f['kind'] !== 'entry') return undefined;
  const fields = ['personId', 'date', 'policyId', 'policy', 'tierId', 'tierName', 'facts', 'outcome', 'decidedById', 'evidence'] as const;
  const values: Partial<Record<(typeof fields)[number], string>> = {};
  for (const k of fields) {
    const val = str(k, f);
    if (val === undefined) return undefined;
    values[k] = val;
  }
  const corrects = str('corrects', f);
  return {
    ...meta,
    kind: 'entry',
    ...(values as Record<(typeof fields)[number], string>),
    ...(corrects ? { corrects, reason: str('reason', f) ?? '' } : {}),
  };
}

export interface EntryContext {
  /** Today in the device's time zone (ISO date). */
  today: string;
  tiers: readonly Tier[];
  policies?: ReadonlyArray<{ id: string; title: string }>;
  /** Known person ids; when given, the person and who decided must be among them. */
  personIds?: ReadonlySet<string>;
}

const entrySchema = v.object({
  personId: v.pipe(v.string(), v.trim(), v.minLength(1, 'Choose the person this entry is about.')),
  date: v.pipe(v.string(), v.trim(), v.check(isIsoDate, 'Enter the date as YYYY-MM-DD, e.g. 2026-11-25.')),
  policyId: v.pipe(v.string(), v.trim()),
  policyOther: v.pipe(v.string(), v.trim(), v.maxLength(200, 'Keep the policy under 200 characters.')),
  tierId: v.pipe(v.string(), v.trim(), v.minLength(1, 'Choose the tier from the documented process.')),
  facts: v.pipe(v.string(), v.trim(), v.minLength(1, 'Describe the facts: what happened, and how it came to light.'), v.maxLength(10000, 'Keep the facts under 10,000 characters.')),
  outcome: v.pipe(v.string(), v.trim(), v.minLength(1, 'Record the outcome, e.g. coaching given, or a written warning issued.'), v.maxLength(2000, 'Keep the outcome under 2,000 characters.')),
  decidedById: v.pipe(v.string(), v.trim(), v.minLength(1, 'Choose who decided.')),
  evidence: v.pipe(v.string(), v.trim(), v.maxLength(500, 'Keep the evidence reference under 500 characters.')),
});

/**
 * Validates the entry form against the process and the calendar: the tier must
 * be an active tier of the documented process, the date not after today, and a
 * policy chosen or typed. Gives every message at once, one per field.
 */
export function validateEntry(input: EntryInput, ctx: EntryContext): Validated<CleanEntry> {
  const r = validateWith(entrySchema, input);
  const errors: Partial<Record<string, string>> = r.ok ? {} : { ...r.errors };
  const value = r.ok ? r.value : undefined;
  const trimmed = (s: string) => s.trim();
  const date = trimmed(input.date);
  if (!errors['date'] && date > ctx.today) errors['date'] = FUTURE_DATE;
  const tierId = trimmed(input.tierId);
  const tier = ctx.tiers.find((t) => t.id === tierId && !t.archived);
  if (!errors['tierId'] && !tier) errors['tierId'] = UNKNOWN_TIER;
  const policyId = trimmed(input.policyId);
  const policyOther = trimmed(input.policyOther);
  const policy = policyId ? ctx.policies?.find((p) => p.id === policyId) : undefined;
  if (!errors['policyOther']) {
    if (!policyId && !policyOther) errors['policyId'] = 'Choose the policy that was breached, or type it under “Other policy”.';
    else if (policyId && ctx.policies && !policy) errors['policyId'] = 'That policy is not in the Policies register: choose another or type it.';
  }
  if (ctx.personIds) {
    if (!errors['personId'] && !ctx.personIds.has(trimmed(input.personId))) errors['personId'] = 'Choose someone from People.';
    if (!errors['decidedById'] && !ctx.personIds.has(trimmed(input.decidedById))) errors['decidedById'] = 'Choose someone from People.';
  }
  if (Object.keys(errors).length > 0 || !value || !tier) return { ok: false, errors };
  return {
    ok: true,
    value: {
      personId: value.personId,
      date: value.date,
      policyId: policy ? policy.id : policyId && !ctx.policies ? policyId : '',
      policy: policy ? policy.title : policyOther || policyId,
      tierId: tier.id,
      tierName: tier.name,
      facts: value.facts,
      outcome: value.outcome,
      decidedById: value.decidedById,
      evidence: value.evidence,
    },
  };
}

/** A correction or withdrawal needs a reason. */
export function validateReason(reason: string): string | undefined {
  if (!reason.trim()) return 'Say what is being corrected and why.';
  if (reason.length > 2000) return 'Keep the reason under 2,000 characters.';
  return undefined;
}

/** The form prefilled from an entry, to correct it. */
export const inputFromEntry = (e: DisciplinaryEntry): EntryInput => ({
  personId: e.personId,
  date: e.date,
  policyId: e.policyId,
  policyOther: e.policyId ? '' : e.policy,
  tierId: e.tierId,
  facts: e.facts,
  outcome: e.outcome,
  decidedById: e.decidedById,
  evidence: e.evidence,
});

// ---------- the log as it stands ----------

export interface LogState {
  /** Every decision entry, oldest first by date then time recorded. */
  all: DisciplinaryEntry[];
  /** Entries that stand: not corrected by a later entry, not withdrawn. */
  current: DisciplinaryEntry[];
  /** Entry id → ids of the entries that correct it. */
  correctedBy: ReadonlyMap<string, string[]>;
  /** Entry id → the withdrawal that took it out of the log. */
  withdrawnBy: ReadonlyMap<string, WithdrawalEntry>;
}

const byDateThenAt = (a: DisciplinaryEntry, b: DisciplinaryEntry) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.at < b.at ? -1 : a.at > b.at ? 1 : 0);

/**
 * Folds the append-only entries into the log as it stands. Two officers who
 * correct the same entry offline both keep their correction: both stand.
 */
export function logState(entries: Iterable<LogEntry>): LogState {
  const all: DisciplinaryEntry[] = [];
  const correctedBy = new Map<string, string[]>();
  const withdrawnBy = new Map<string, WithdrawalEntry>();
  for (const e of entries) {
    if (e.kind === 'withdrawal') {
      const prev = withdrawnBy.get(e.corrects);
      if (!prev || e.at < prev.at) withdrawnBy.set(e.corrects, e);
      continue;
    }
    all.push(e);
    if (e.corrects) correctedBy.set(e.corrects, [...(correctedBy.get(e.corrects) ?? []), e.id]);
  }
  all.sort(byDateThenAt);
  const current = all.filter((e) => !correctedBy.has(e.id) && !withdrawnBy.has(e.id));
  return { all, current, correctedBy, withdrawnBy };
}

/** The chain of an entry: what it corrects, back to the first entry, newest first. */
export function historyOf(id: string, all: readonly DisciplinaryEntry[]): DisciplinaryEntry[] {
  const byId = new Map(all.map((e) => [e.id, e]));
  const out: DisciplinaryEntry[] = [];
  const seen = new Set<string>();
  let e = byId.get(id);
  while (e && !seen.has(e.id)) {
    out.push(e);
    seen.add(e.id);
    e = e.corrects ? byId.get(e.corrects) : undefined;
  }
  return out;
}

export interface Period {
  /** First day, ISO, inclusive. */
  from: string;
  /** Last day, ISO, inclusive. */
  to: string;
}

export interface DisciplinarySummary {
  count: number;
  /** Tier name → entries in that tier. */
  byTier: Record<string, number>;
}

/**
 * Counts for the management review: how many decisions stand in the period,
 * per tier. Counts only: no names, no person ids. Corrected and withdrawn
 * entries do not count; their correction does, on its own date. Give `tiers`
 * to count under the tiers' current names (a renamed tier stays one row).
 */
export function disciplinarySummary(entries: Iterable<LogEntry>, period: Period, tiers: readonly Tier[] = []): DisciplinarySummary {
  const names = new Map(tiers.map((t) => [t.id, t.name]));
  const byTier: Record<string, number> = {};
  let count = 0;
  for (const e of logState(entries).current) {
    if (e.date < period.from || e.date > period.to) continue;
    count++;
    const name = names.get(e.tierId) ?? e.tierName;
    byTier[name] = (byTier[name] ?? 0) + 1;
  }
  return { count, byTier };
}

// ---------- redaction ----------

export const REDACTED = '[redacted]';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Removes known names from free text: each full name, and each part of a name
 * of two letters or more ("Sam", "Staff"), as whole words, case-sensitively.
 * It errs on the side of removing too much.
 */
export function scrubNames(text: string, names: readonly string[]): string {
  const words = new Set<string>();
  for (const n of names) {
    const full = n.trim();
    if (full) words.add(full);
    for (const part of full.split(/[\s,.'’-]+/)) if (part.length >= 2) words.add(part);
  }
  let out = text;
  // Longest first, so a full name goes as one piece.
  for (const w of [...words].sort((a, b) => b.length - a.length)) {
    out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(w)}(?![\\p{L}\\p{N}])`, 'gu'), REDACTED);
  }
  return out;
}

export const REDACTED_COLUMNS = ['Entry id', 'Date', 'Tier', 'Policy', 'Outcome'] as const;

/**
 * One row of the redacted export: entry id, date, tier, policy and outcome,
 * nothing else — no person, no decider, no recorder, no facts. Names typed
 * into the policy or outcome text are scrubbed with `names` (everyone in People).
 */
export function redactedRow(e: DisciplinaryEntry, names: readonly string[], tierName: (tierId: string) => string | undefined = () => undefined): string[] {
  return [e.id, e.date, tierName(e.tierId) ?? e.tierName, scrubNames(e.policy, names), scrubNames(e.outcome, names)];
}
