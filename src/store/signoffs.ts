import { createMemo } from 'solid-js';
import type * as Y from 'yjs';
import { historyOf, parseSignOffEntry, type SignOffEntry } from '../domain/signoff';
import { randomId } from './device-records';
import { createDocView, keepUnchanged } from './reactive';
import { appendEntry, type Fields } from './records';

/** Who is acting on this device: the name they sign with and the device they use. */
export interface Signer {
  name: string;
  deviceId: string;
  personId?: string;
}

export function parseEntries(raw: readonly unknown[]): SignOffEntry[] {
  return raw.map(parseSignOffEntry).filter((e): e is SignOffEntry => !!e);
}

type EntryKind = Pick<SignOffEntry, 'kind' | 'corrects' | 'withdraws'>;

/**
 * Appends a sign-off or a correction of `snapshot` (what the signer saw) to the
 * register's evidence. Entries are never edited: a correction is a new entry
 * pointing at the one it corrects.
 */
export function appendSignOff(doc: Y.Doc, recordId: string, snapshot: string, signer: Signer, note: string, kind: EntryKind = { kind: 'signoff' }): SignOffEntry {
  const entry: SignOffEntry = {
    id: randomId(),
    recordId,
    ...kind,
    byName: signer.name,
    ...(signer.personId ? { byPersonId: signer.personId } : {}),
    at: new Date().toISOString(),
    deviceId: signer.deviceId,
    note: note.trim(),
    snapshot,
  };
  appendEntry(doc, entry);
  return entry;
}

export function validateCorrectionNote(note: string): string | undefined {
  if (!note.trim()) return 'Say what is being corrected and why.';
  if (note.length > 2000) return 'Keep the note under 2,000 characters.';
  return undefined;
}

/**
 * The shared part of a register whose records are signed off: typed records
 * from its document, its append-only sign-off history, and corrections.
 *
 * @example
 * const base = createSignedRegister(doc, briefingFromFields, (a, b) => b.date.localeCompare(a.date));
 * base.history(id); // sign-offs and corrections of one record, oldest first
 */
export function createSignedRegister<T extends { id: string }>(doc: Y.Doc, fromFields: (id: string, fields: Fields) => T, compare: (a: T, b: T) => number) {
  const view = createDocView(doc);
  // Records keep their identity (and so do their unchanged parts) across edits:
  // a record is re-read only when its fields changed, and then shares every
  // unchanged item with its previous version, so saving one field does not
  // recreate the DOM of the rest of the screen.
  const known = new Map<string, { fields: Fields; record: T }>();
  const all = createMemo(() => {
    const out: T[] = [];
    for (const [id, f] of view.records()) {
      const hit = known.get(id);
      if (hit?.fields === f) {
        out.push(hit.record);
        continue;
      }
      const record = keepUnchanged(hit?.record, fromFields(id, f));
      known.set(id, { fields: f, record });
      out.push(record);
    }
    if (known.size > out.length) for (const id of known.keys()) if (!view.records().has(id)) known.delete(id);
    return out.sort(compare);
  });
  const byId = createMemo(() => new Map(all().map((r) => [r.id, r])));
  const entries = createMemo(() => parseEntries(view.entries()));
  const history = (id: string) => historyOf(entries(), id);
  // Entries the signer had no right to make (issue 17): shown in the record's history, never counted.
  const flaggedAll = createMemo(() => view.flagged().flatMap((f) => { const e = parseSignOffEntry(f.entry); return e ? [{ entry: e, reason: f.verdict.reason }] : []; }));
  return {
    all,
    byId,
    entries,
    history,
    /** Sign-offs and corrections of one record that do not count, with why. */
    flagged: (id: string) => flaggedAll().filter((f) => f.entry.recordId === id),
    /** Adds a correction of one of the record's sign-offs; returns why not, if refused. */
    correct(recordId: string, entryId: string, snapshot: string, signer: Signer, note: string, withdraws: boolean): string | undefined {
      const target = history(recordId).find((e) => e.id === entryId && e.kind === 'signoff');
      if (!target) return 'That sign-off is not in this record’s history.';
      const error = validateCorrectionNote(note);
      if (error) return error;
      appendSignOff(doc, recordId, snapshot, signer, note, { kind: 'correction', corrects: target.id, withdraws });
      return undefined;
    },
  };
}
