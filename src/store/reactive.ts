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
