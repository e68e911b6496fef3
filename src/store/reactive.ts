import { type Accessor, createSignal, onCleanup } from 'solid-js';
import type * as Y from 'yjs';
import { entriesOf, type Fields, recordsOf } from './records';

export interface DocView {
  /** Raw fields of every record, keyed by id. The Map is reused; read it inside a memo. */
  records: Accessor<ReadonlyMap<string, Fields>>;
  /** Raw append-only entries. */
  entries: Accessor<readonly unknown[]>;
}

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
  const [entries, setEntries] = createSignal<readonly unknown[]>([...entriesMap.values()]);

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
  return { records, entries };
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
