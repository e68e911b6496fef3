import * as Y from 'yjs';
import { chainEntry, type LogHead, linkOf } from '../domain/evidence-chain';

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

/**
 * Merges `patch` into an object-valued field (an action, a decision) of a
 * record; returns false, writing nothing, when that field is not there.
 */
export function patchField(doc: Y.Doc, id: string, field: string, patch: Fields): boolean {
  const current = readFields(doc, id)?.[field];
  if (!current || typeof current !== 'object') return false;
  setFields(doc, id, { [field]: { ...current, ...patch } });
  return true;
}

export function readFields(doc: Y.Doc, id: string): Fields | undefined {
  return recordsOf(doc).get(id)?.toJSON() as Fields | undefined;
}

/*
 * The evidence log (src/domain/evidence-log.ts): every entry is stored with the
 * next link of its device's chain in this register. The newest link per
 * (document, device) is cached: read once from the document, then kept up to
 * date by our own appends and by an observer that sees entries arriving from
 * elsewhere (sync, another tab of this device, a restore), so an append never
 * rescans the entries map. Two writers on the same device that race (two tabs
 * offline) both write the same number: the verifier reports that as a fork,
 * not as tampering, and later appends continue from the highest number seen.
 */
const chainHeads = new WeakMap<Y.Doc, Map<string, LogHead>>();

function noteLink(heads: Map<string, LogHead>, entry: unknown): void {
  const link = linkOf(entry);
  if (!link) return;
  const known = heads.get(link.device);
  if (!known || link.seq > known.seq) heads.set(link.device, { seq: link.seq, hash: link.hash });
}

function chainHeadsOf(doc: Y.Doc): Map<string, LogHead> {
  let heads = chainHeads.get(doc);
  if (heads) return heads;
  const found = new Map<string, LogHead>();
  const entries = entriesOf(doc);
  for (const entry of entries.values()) noteLink(found, entry);
  entries.observe((event) => {
    for (const key of event.keysChanged) noteLink(found, entries.get(key));
  });
  chainHeads.set(doc, found);
  return found;
}

/** The newest link of `device`'s chain in this document (undefined before its first entry). */
export function chainHead(doc: Y.Doc, device: string): LogHead | undefined {
  const head = chainHeadsOf(doc).get(device);
  return head ? { ...head } : undefined;
}

/**
 * Appends an evidence entry once, linked into the chain of the device that
 * writes it: `entry.deviceId`, or `device` for entries that carry none (sealed
 * disciplinary entries). Every store passes one; without either (old tests,
 * tools) the entry goes on a shared "unattributed" chain, where concurrent
 * writers show as forks, never as tampering. Returns false if the id is already there.
 */
export function appendEntry(doc: Y.Doc, entry: { id: string }, device?: string): boolean {
  const entries = entriesOf(doc);
  if (entries.has(entry.id)) return false;
  const own = (entry as { deviceId?: unknown }).deviceId;
  const writer = device || (typeof own === 'string' && own ? own : 'unattributed');
  const heads = chainHeadsOf(doc);
  const stored = chainEntry(entry, writer, heads.get(writer));
  entries.set(entry.id, stored);
  heads.set(writer, { seq: stored.chain.seq, hash: stored.chain.hash });
  return true;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a && b && typeof a === 'object' && typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return false;
}
