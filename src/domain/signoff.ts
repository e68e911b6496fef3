import * as v from 'valibot';

/**
 * An append-only sign-off entry. Entries are never edited: a correction is a
 * new entry that names the entry it corrects (and may withdraw it).
 */
export interface SignOffEntry {
  id: string;
  recordId: string;
  kind: 'signoff' | 'correction';
  /** For a correction: the id of the entry it corrects. */
  corrects?: string;
  /** For a correction: the corrected sign-off no longer stands. */
  withdraws?: boolean;
  byName: string;
  byPersonId?: string;
  /** Device clock, ISO 8601 with offset. */
  at: string;
  deviceId: string;
  note: string;
  /** Canonical JSON of what was signed, so later edits are visible. */
  snapshot: string;
}

export type SignOffState =
  | { state: 'unsigned' }
  | { state: 'signed'; entry: SignOffEntry }
  /** Signed, but the record changed afterwards: it needs a new sign-off. */
  | { state: 'changed'; entry: SignOffEntry };

const entrySchema = v.object({
  id: v.pipe(v.string(), v.minLength(1)),
  recordId: v.pipe(v.string(), v.minLength(1)),
  kind: v.picklist(['signoff', 'correction']),
  corrects: v.optional(v.string()),
  withdraws: v.optional(v.boolean()),
  byName: v.pipe(v.string(), v.trim(), v.minLength(1, 'Enter the name of the person signing.')),
  byPersonId: v.optional(v.string()),
  at: v.pipe(v.string(), v.isoTimestamp()),
  deviceId: v.pipe(v.string(), v.minLength(1)),
  note: v.string(),
  snapshot: v.string(),
});

/** Reads an entry from storage; anything malformed (e.g. from an old client) is skipped. */
export function parseSignOffEntry(raw: unknown): SignOffEntry | undefined {
  const r = v.safeParse(entrySchema, raw);
  return r.success ? (r.output as SignOffEntry) : undefined;
}

/** Entries of one record in the order they were made (device time, then id for ties). */
export function historyOf(entries: Iterable<SignOffEntry>, recordId: string): SignOffEntry[] {
  return [...entries]
    .filter((e) => e.recordId === recordId)
    .sort((a, b) => (a.at === b.at ? a.id.localeCompare(b.id) : a.at < b.at ? -1 : 1));
}

/**
 * The sign-off that currently stands for a record, compared with its current content.
 *
 * `decided` maps a snapshot to the part a sign-off pins (what was decided),
 * leaving out follow-up such as whether an action was done since. It is
 * applied to both sides, so a snapshot stored before follow-up was left out
 * (one that still holds `done`) compares equal when only follow-up changed.
 * Stored entries are never rewritten: their hash chain stays as it was.
 */
export function signOffState(history: SignOffEntry[], currentSnapshot: string, decided: (snapshot: string) => string = (s) => s): SignOffState {
  const withdrawn = new Set(history.filter((e) => e.kind === 'correction' && e.withdraws && e.corrects).map((e) => e.corrects));
  const standing = history.filter((e) => e.kind === 'signoff' && !withdrawn.has(e.id));
  const entry = standing[standing.length - 1];
  if (!entry) return { state: 'unsigned' };
  return entry.snapshot === currentSnapshot || decided(entry.snapshot) === decided(currentSnapshot) ? { state: 'signed', entry } : { state: 'changed', entry };
}

export type SignOffStatus = SignOffState['state'];

/** How a register names its three sign-off states: lists, filters, details, CSV, PDF and the pack all read these. */
export interface SignOffWords {
  unsigned: string;
  signed: string;
  changed: string;
}

/** Checklists and briefing minutes. */
export const SIGN_OFF_WORDS: SignOffWords = { unsigned: 'Not signed', signed: 'Signed', changed: 'Changed since sign-off' };

/** The badge tone of each state, the same in every list and detail. */
export const SIGN_OFF_TONE = { unsigned: 'muted', signed: 'ok', changed: 'warn' } as const satisfies Record<SignOffStatus, string>;

/** Filter options for a list ("Signed", "Changed since sign-off", "Not signed"), in the words of its register. */
export const signOffOptions = (words: SignOffWords) => (['signed', 'changed', 'unsigned'] as const).map((value) => ({ value, label: words[value] }));

/**
 * A snapshot's JSON with the follow-up keys removed from the objects at
 * `paths` (dot paths; `*` walks every element of an array or value of an
 * object), canonical again. Unreadable JSON is returned as is. Memoised per
 * snapshot string: lists call it for every row on every render. `then` may
 * normalise the result further (the same way on both sides).
 *
 * @example
 * const decided = withoutFollowUp(['actions.*'], ['done', 'doneOn', 'doneBy']);
 * decided('{"actions":[{"id":"a","done":true}]}') // '{"actions":[{"id":"a"}]}'
 */
export function withoutFollowUp(paths: readonly string[], keys: readonly string[], then: (value: unknown) => unknown = (v) => v): (snapshot: string) => string {
  const cache = new Map<string, string>();
  const strip = (value: unknown, path: readonly string[]): unknown => {
    if (!value || typeof value !== 'object') return value;
    if (path.length === 0) return Object.fromEntries(Object.entries(value as object).filter(([k]) => !keys.includes(k)));
    const [head, ...rest] = path as [string, ...string[]];
    if (head === '*') return Array.isArray(value) ? value.map((v) => strip(v, rest)) : Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, strip(v, rest)]));
    return Array.isArray(value) ? value : { ...(value as object), [head]: strip((value as Record<string, unknown>)[head], rest) };
  };
  return (snapshot) => {
    const hit = cache.get(snapshot);
    if (hit !== undefined) return hit;
    let out = snapshot;
    try {
      let parsed = JSON.parse(snapshot) as unknown;
      for (const p of paths) parsed = strip(parsed, p.split('.'));
      out = canonicalJson(then(parsed));
    } catch {
      out = snapshot;
    }
    if (cache.size > 5000) cache.clear();
    cache.set(snapshot, out);
    return out;
  };
}

/** Stable JSON: object keys sorted, so equal content gives an equal string on every device. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
