import type { Reader } from '../../evidence/context';
import * as v from 'valibot';
import { type Gap, inAudience, percent } from '../../domain/gaps';
import type { Validated } from '../../domain/validation';
import type { Person } from '../people/model';
import { currentPublication, type Policy, type Publication } from '../policies/model';

/**
 * A person's acknowledgement of one version of a policy: "I have read and will
 * follow <title> version <v>". Evidence, so append-only: written once into the
 * "acknowledgements" document's entries, never edited.
 */
export interface Acknowledgement {
  id: string;
  kind: 'acknowledgement';
  personId: string;
  policyId: string;
  version: string;
  /** SHA-256 of the text the person had on screen; equal to the publication's hash. */
  textSha256: string;
  /** Their full name, as they typed it. */
  typedName: string;
  /** Drawn signature as a PNG data URL, when they drew one. */
  signature?: string;
  /** Device clock, ISO timestamp. */
  at: string;
  deviceId: string;
  /** The name this device signs with (who held the phone), when known. */
  byName?: string;
}

export type AckStatus = 'current' | 'stale' | 'missing' | 'not-applicable';

export const ACK_STATUS_LABELS: Record<AckStatus, string> = {
  current: 'Acknowledged',
  stale: 'Acknowledged an old version',
  missing: 'Not acknowledged',
  'not-applicable': 'Does not apply',
};

const ackEntrySchema = v.object({
  id: v.pipe(v.string(), v.minLength(1)),
  kind: v.literal('acknowledgement'),
  personId: v.pipe(v.string(), v.minLength(1)),
  policyId: v.pipe(v.string(), v.minLength(1)),
  version: v.pipe(v.string(), v.minLength(1)),
  textSha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
  typedName: v.string(),
  signature: v.optional(v.string()),
  at: v.pipe(v.string(), v.check((s) => !Number.isNaN(Date.parse(s)))),
  deviceId: v.string(),
  byName: v.optional(v.string()),
});

/** Reads an acknowledgement entry from storage; malformed entries are skipped (undefined). */
export function parseAcknowledgement(raw: unknown): Acknowledgement | undefined {
  const r = v.safeParse(ackEntrySchema, raw);
  return r.success ? (r.output as Acknowledgement) : undefined;
}

/** Oldest first: device time, then id. */
export function byAt(a: Acknowledgement, b: Acknowledgement): number {
  return Date.parse(a.at) - Date.parse(b.at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Does this acknowledgement cover this publication (same version and same text)? */
export const covers = (ack: Acknowledgement, pub: Publication) => ack.policyId === pub.policyId && ack.version === pub.version && ack.textSha256 === pub.textSha256;

// ---------- status ----------

type PersonLike = Pick<Person, 'id' | 'team' | 'archived'>;

/**
 * Where a person stands with a policy.
 * - 'not-applicable': the policy (or the person) is archived, it has no published version, or it does not apply to them;
 * - 'current': they acknowledged the current version (same version and text hash);
 * - 'stale': they acknowledged an earlier version only;
 * - 'missing': they never acknowledged it.
 *
 * @param acks any acknowledgements (others' and other policies' are ignored)
 * @param roleIds security roles the person holds (roles register), for role audiences
 */
export function ackStatus(person: PersonLike, policy: Policy, current: Publication | undefined, acks: readonly Acknowledgement[], roleIds: readonly string[]): AckStatus {
  if (!applies(person, policy, current, roleIds)) return 'not-applicable';
  return statusAmong(acks.filter((a) => a.personId === person.id && a.policyId === policy.id), current!);
}

function applies(person: PersonLike, policy: Policy, current: Publication | undefined, roleIds: readonly string[]): boolean {
  return !!current && !person.archived && !policy.archived && inAudience(policy.audience, person, roleIds);
}

/** Status given one person's acknowledgements of one policy. */
function statusAmong(own: readonly Acknowledgement[], current: Publication): 'current' | 'stale' | 'missing' {
  if (own.some((a) => covers(a, current))) return 'current';
  return own.length ? 'stale' : 'missing';
}

/** The person's latest acknowledgement of a policy (any version), if any. */
export function latestAck(personId: string, policyId: string, acks: readonly Acknowledgement[]): Acknowledgement | undefined {
  return acks.filter((a) => a.personId === personId && a.policyId === policyId).sort(byAt).at(-1);
}

/** The acknowledgement that covers the current version, if any (the first one made). */
export function currentAck(personId: string, current: Publication | undefined, acks: readonly Acknowledgement[]): Acknowledgement | undefined {
  if (!current) return undefined;
  return acks.filter((a) => a.personId === personId && covers(a, current)).sort(byAt)[0];
}

const pairKey = (personId: string, policyId: string) => `${personId}\u0000${policyId}`;

/** personId+policyId → their acknowledgements, oldest first: one pass over the entries. */
export function indexAcks(acks: readonly Acknowledgement[]): Map<string, Acknowledgement[]> {
  const index = new Map<string, Acknowledgement[]>();
  for (const a of [...acks].sort(byAt)) {
    const k = pairKey(a.personId, a.policyId);
    const list = index.get(k);
    if (list) list.push(a);
    else index.set(k, [a]);
  }
  return index;
}

export interface RosterRow<P extends PersonLike = Person> {
  person: P;
  status: 'current' | 'stale' | 'missing';
  /** The acknowledgement of the current version ('current'), or the latest older one ('stale'). */
  ack?: Acknowledgement;
}

/**
 * Everyone the policy applies to (active people in its audience), with where
 * they stand on its current version; empty when nothing is published.
 */
export function ackRoster<P extends PersonLike>(policy: Policy, current: Publication | undefined, people: readonly P[], acks: readonly Acknowledgement[], rolesByPerson: ReadonlyMap<string, readonly string[]>): Array<RosterRow<P>> {
  if (!current || policy.archived) return [];
  const own = acks.filter((a) => a.policyId === policy.id);
  const index = indexAcks(own);
  const rows: Array<RosterRow<P>> = [];
  for (const person of people) {
    if (!applies(person, policy, current, rolesByPerson.get(person.id) ?? [])) continue;
    const list = index.get(pairKey(person.id, policy.id)) ?? [];
    const status = statusAmong(list, current);
    const ack = status === 'current' ? list.find((a) => covers(a, current)) : list.at(-1);
    rows.push({ person, status, ...(ack ? { ack } : {}) });
  }
  return rows;
}

// ---------- gaps and rates for the dashboard ----------

export interface PolicyGapInput {
  people: Person[];
  policies: Policy[];
  publications: Publication[];
  acks: Acknowledgement[];
  /** personId → security role ids they hold (roles store `byPerson()`). */
  rolesByPerson: Map<string, string[]>;
  today: string;
}

/** Every (active person, live published policy that applies to them) pair, with its status. */
function pairs(input: Omit<PolicyGapInput, 'today'>): Array<{ person: Person; policy: Policy; current: Publication; status: 'current' | 'stale' | 'missing'; own: Acknowledgement[] }> {
  const index = indexAcks(input.acks);
  const live = input.policies
    .filter((p) => !p.archived)
    .map((policy) => ({ policy, current: currentPublication(policy.id, input.publications) }))
    .filter((x): x is { policy: Policy; current: Publication } => !!x.current);
  const out = [];
  for (const person of input.people) {
    if (person.archived) continue;
    const roleIds = input.rolesByPerson.get(person.id) ?? [];
    for (const { policy, current } of live) {
      if (!inAudience(policy.audience, person, roleIds)) continue;
      const own = index.get(pairKey(person.id, policy.id)) ?? [];
      out.push({ person, policy, current, status: statusAmong(own, current), own });
    }
  }
  return out;
}

/** The personal link that opens a person's acknowledgement flow (optionally on one policy). */
export const myPoliciesHref = (personId: string, policyId?: string) =>
  `#/my-policies/${encodeURIComponent(personId)}${policyId ? `?policy=${encodeURIComponent(policyId)}` : ''}`;

/**
 * Policy gaps per person: 'policy-unacknowledged' (never acknowledged a
 * published policy that applies to them) and 'policy-stale' (acknowledged an
 * earlier version only). Only published, non-archived policies; people who
 * left have none. `due` is when the current version was published, or the
 * person's start date if they joined later.
 */
export function policyGaps(input: PolicyGapInput): Gap[] {
  const gaps: Gap[] = [];
  for (const { person, policy, current, status, own } of pairs(input)) {
    if (status === 'current') continue;
    const published = current.publishedAt.slice(0, 10);
    const due = person.startDate && person.startDate > published ? person.startDate : published;
    const href = myPoliciesHref(person.id, policy.id);
    if (status === 'missing') {
      gaps.push({ personId: person.id, kind: 'policy-unacknowledged', label: `${policy.title} v${current.version} not acknowledged`, href, due });
    } else {
      const last = own.at(-1)!;
      gaps.push({ personId: person.id, kind: 'policy-stale', label: `${policy.title}: acknowledged v${last.version}, current is v${current.version}`, href, due });
    }
  }
  return gaps;
}

/**
 * Share of (active person × published policy that applies to them) pairs
 * acknowledged at the current version. `percent` is undefined when there is nothing to count.
 */
export function acknowledgementRate(input: PolicyGapInput): { done: number; total: number; percent?: number } {
  const all = pairs(input);
  const done = all.filter((p) => p.status === 'current').length;
  const pc = percent(done, all.length);
  return { done, total: all.length, ...(pc === undefined ? {} : { percent: pc }) };
}

/** The same rate for one policy (its roster), e.g. to sort the policy list. */
export function policyRate(policy: Policy, input: Omit<PolicyGapInput, 'policies' | 'today'>): { done: number; total: number; percent?: number } {
  const roster = ackRoster(policy, currentPublication(policy.id, input.publications), input.people, input.acks, input.rolesByPerson);
  const done = roster.filter((r) => r.status === 'current').length;
  const pc = percent(done, roster.length);
  return { done, total: roster.length, ...(pc === undefined ? {} : { percent: pc }) };
}

// ---------- acknowledging ----------

/** Names compared without case or spaces: "sam  STAFF" is "Sam Staff". */
export const sameName = (a: string, b: string) => fold(a) === fold(b);
const fold = (s: string) => s.normalize('NFC').replace(/\s+/g, '').toLocaleLowerCase();

export const MAX_SIGNATURE_BYTES = 200 * 1024;
const PNG_DATA_URL = 'data:image/png;base64,';

export interface AckInput {
  typedName: string;
  /** PNG data URL of a drawn signature, or undefined/'' for none. */
  signature?: string | undefined;
}

export interface AckContext {
  /** The name of the person acknowledging (people register). */
  personName: string;
  /** The publication they are acknowledging. */
  publication: Publication;
  /** SHA-256 of the text that was on their screen, recomputed at submit. */
  shownSha256: string;
}

/**
 * Checks an acknowledgement before it is stored: the typed name must be the
 * person's (ignoring case and spaces), a signature must be a PNG of at most
 * 200 KB, and the text on screen must be the published text (same SHA-256).
 */
export function validateAcknowledgement(input: AckInput, ctx: AckContext): Validated<{ typedName: string; signature?: string }> {
  const errors: Partial<Record<string, string>> = {};
  const typed = input.typedName.trim().replace(/\s+/g, ' ');
  if (!typed) errors['typedName'] = 'Type your full name to acknowledge.';
  else if (!sameName(typed, ctx.personName)) errors['typedName'] = `That is not the name of the person acknowledging: type ${ctx.personName}’s full name as it is in People.`;
  const sig = input.signature || undefined;
  if (sig !== undefined) {
    if (!sig.startsWith(PNG_DATA_URL)) errors['signature'] = 'The signature could not be read as an image: clear it and sign again.';
    else if (sig.length > MAX_SIGNATURE_BYTES) errors['signature'] = `The signature is too large (${Math.ceil(sig.length / 1024)} KB; at most ${MAX_SIGNATURE_BYTES / 1024} KB). Clear it and sign again.`;
  }
  if (ctx.shownSha256 !== ctx.publication.textSha256) {
    errors['text'] = `The text on screen is not the published text of version ${ctx.publication.version} (its SHA-256 differs). Nothing was recorded: reload the policy and read it again.`;
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, value: { typedName: typed, ...(sig ? { signature: sig } : {}) } };
}

/** Acknowledgements, oldest first. */
export const readAcks: Reader<Acknowledgement[]> = (src) => src.entries('acknowledgements').map(parseAcknowledgement).filter((a): a is Acknowledgement => !!a).sort(byAt);
