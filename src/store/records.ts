import * as Y from 'yjs';

/*
 * Every register document has the same two roots:
 *   records: Y.Map<id, Y.Map<field, value>>  editable records; one field per key,
 *            so concurrent edits of different fields merge.
 *   entries: Y.Map<id, object>  append-only evidence (sign-offs, corrections),
 *            written once under a fresh id and never changed.
 * Records are never removed: archiving is a field, so no edit is ever lost.
 */
export const RECORDS = 'records';
export const ENTRIES = 'entries';

export type Fields = Record<string, unknown>;

export const recordsOf = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>(RECORDS);
export const entriesOf = (doc: Y.Doc) => doc.getMap<unknown>(ENTRIES);

export function createRecord(doc: Y.Doc, id: string, fields: Fields): void {
  doc.transact(() => {
    const record = new Y.Map<unknown>();
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) record.set(k, v);
    recordsOf(doc).set(id, record);
  });
}

/** Writes only the fields whose value changed, so an unchanged form save adds nothing to the document. */
export function setFields(doc: Y.Doc, id: string, fields: Fields): void {
  const record = recordsOf(doc).get(id);
  if (!record) throw new Error(`No record ${id}`);
  doc.transact(() => {
    for (const [k, v] of Object.entries(fields)) {
      if (v === undefined) continue;
      if (!sameValue(record.get(k), v)) record.set(k, v);
    }
  });
}

export function readFields(doc: Y.Doc, id: string): Fields | undefined {
  return recordsOf(doc).get(id)?.toJSON() as Fields | undefined;
}

/** Appends an evidence entry once; returns false if the id is already there. */
export function appendEntry(doc: Y.Doc, entry: { id: string }): boolean {
  const entries = entriesOf(doc);
  if (entries.has(entry.id)) return false;
  entries.set(entry.id, entry);
  return true;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a && b && typeof a === 'object' && typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return false;
}
