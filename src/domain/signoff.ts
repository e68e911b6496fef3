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

/** The sign-off that currently stands for a record, compared with its current content. */
export function signOffState(history: SignOffEntry[], currentSnapshot: string): SignOffState {
  const withdrawn = new Set(history.filter((e) => e.kind === 'correction' && e.withdraws && e.corrects).map((e) => e.corrects));
  const standing = history.filter((e) => e.kind === 'signoff' && !withdrawn.has(e.id));
  const entry = standing[standing.length - 1];
  if (!entry) return { state: 'unsigned' };
  return entry.snapshot === currentSnapshot ? { state: 'signed', entry } : { state: 'changed', entry };
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
