import { type Accessor, createMemo, createSignal, onCleanup } from 'solid-js';
import type * as Y from 'yjs';
import type { Verdict } from '../domain/evidence-trust';
import { entriesOf, type Fields, recordsOf } from './records';

/*
 * Trust of a document's evidence (issue 17): the session's signer judges every
 * entry (src/store/evidence-signer.ts) and sets the verdicts of those that do
 * not count here. Every view's entries() leaves them out, so every list,
 * status and figure does without each register changing its arithmetic;
 * flagged() returns them with their sentence. No verdicts (legacy workspace,
 * or not judged yet): every entry counts, as before signing.
 */
export interface FlaggedEntry {
  entry: Record<string, unknown>;
  verdict: Extract<Verdict, { ok: false }>;
}
type Flags = ReadonlyMap<string, FlaggedEntry['verdict']>;
const trust = new WeakMap<Y.Doc, [Accessor<Flags>, (f: Flags) => void]>();
const NONE: Flags = new Map();

function trustOf(doc: Y.Doc) {
  let t = trust.get(doc);
  if (!t) {
    const [get, set] = createSignal<Flags>(NONE);
    t = [get, (f) => set(() => f)];
    trust.set(doc, t);
  }
  return t;
}

/** Sets the entries of `doc` that do not count (id → refusing verdict); an empty map trusts all. */
export function setDocFlags(doc: Y.Doc, flags: Flags): void {
  trustOf(doc)[1](flags);
}

export const docFlags = (doc: Y.Doc): Flags => trustOf(doc)[0]();

export interface DocView {
  /** Raw fields of every record, keyed by id. The Map is reused; read it inside a memo. */
  records: Accessor<ReadonlyMap<string, Fields>>;
  /** Raw append-only entries that count: flagged ones (signature or right refused) are left out. */
  entries: Accessor<readonly unknown[]>;
  /** Entries that do not count, with the sentence why: shown, never dropped. */
  flagged: Accessor<readonly FlaggedEntry[]>;
}

const idOf = (e: unknown) => (e && typeof e === 'object' ? (e as { id?: unknown }).id : undefined);

/**
 * Solid view over a register document. Only the records a transaction touched
 * are re-read, so a 10,000-row register does not re-serialise on every keystroke.
 *
 * @example
 * const view = createDocView(doc);
 * const people = createMemo(() => [...view.records()].map(([id, f]) => personFromFields(id, f)));
 */
export function createDocView(doc: Y.Doc): DocView {
  const recordsMap = recordsOf(doc);
  const entriesMap = entriesOf(doc);
  const cache = new Map<string, Fields>();
  for (const [id, record] of recordsMap) cache.set(id, record.toJSON() as Fields);

  const [records, setRecords] = createSignal<ReadonlyMap<string, Fields>>(cache, { equals: false });
  const [raw, setEntries] = createSignal<readonly unknown[]>([...entriesMap.values()]);
  const [flags] = trustOf(doc);
  const entries = createMemo(() => {
    const f = flags();
    return f.size === 0 ? raw() : raw().filter((e) => !f.has(idOf(e) as string));
  });
  const flagged = createMemo(() => {
    const f = flags();
    if (f.size === 0) return [];
    return raw().flatMap((e) => {
      const verdict = f.get(idOf(e) as string);
      return verdict ? [{ entry: e as Record<string, unknown>, verdict }] : [];
    });
  });

  const onRecords = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>) => {
    const touched = new Set<string>();
    for (const event of events) {
      if (event.target === recordsMap) for (const key of (event as Y.YMapEvent<unknown>).keysChanged) touched.add(key);
      else if (typeof event.path[0] === 'string') touched.add(event.path[0]);
    }
    for (const id of touched) {
      const record = recordsMap.get(id);
      if (record) cache.set(id, record.toJSON() as Fields);
      else cache.delete(id);
    }
    setRecords(cache);
  };
  const onEntries = () => setEntries([...entriesMap.values()]);

  recordsMap.observeDeep(onRecords);
  entriesMap.observe(onEntries);
  onCleanup(() => {
    recordsMap.unobserveDeep(onRecords);
    entriesMap.unobserve(onEntries);
  });
  return { records, entries, flagged };
}

const isPlain = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
const keyOf = (v: unknown): string | undefined => {
  if (!isPlain(v)) return undefined;
  const k = v['id'] ?? v['key'];
  return typeof k === 'string' ? k : undefined;
};

/**
 * Structural sharing: `next`, with every part that equals the same part of
 * `prev` replaced by `prev`'s object. Array elements with an `id` (or `key`)
 * are matched by it, others by position. A screen that renders `<For>` over a
 * record's items therefore keeps the DOM of every item that did not change
 * (and the focus and taps on it) when another field of the record is saved.
 *
 * @example
 * keepUnchanged(prev, next).items === prev.items // when the items are equal
 */
export function keepUnchanged<T>(prev: unknown, next: T): T {
  if (prev === next) return next;
  if (Array.isArray(prev) && Array.isArray(next)) {
    const byKey = new Map<string, unknown>();
    for (const p of prev) {
      const k = keyOf(p);
      if (k !== undefined) byKey.set(k, p);
    }
    let same = prev.length === next.length;
    const out = next.map((n, i) => {
      const k = keyOf(n);
      const kept = keepUnchanged(k !== undefined ? byKey.get(k) : prev[i], n);
      if (kept !== prev[i]) same = false;
      return kept;
    });
    return (same ? prev : out) as T;
  }
  if (isPlain(prev) && isPlain(next)) {
    const keys = Object.keys(next);
    let same = keys.length === Object.keys(prev).length;
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      out[k] = keepUnchanged(prev[k], next[k]);
      if (out[k] !== prev[k] || !(k in prev)) same = false;
    }
    return (same ? prev : out) as T;
  }
  return next;
}
