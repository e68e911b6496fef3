import type * as Y from 'yjs';
import { parseSignOffEntry, type SignOffEntry } from '../domain/signoff';
import { randomId } from './device-db';
import { appendEntry } from './records';

/** Who is acting on this device: the name they sign with and the device they use. */
export interface Signer {
  name: string;
  deviceId: string;
  personId?: string;
}

export function parseEntries(raw: readonly unknown[]): SignOffEntry[] {
  return raw.map(parseSignOffEntry).filter((e): e is SignOffEntry => !!e);
}

/** Appends a sign-off of `snapshot` (what the signer saw) to the register's evidence. */
export function appendSignOff(doc: Y.Doc, recordId: string, snapshot: string, signer: Signer, note: string): SignOffEntry {
  const entry: SignOffEntry = {
    id: randomId(),
    recordId,
    kind: 'signoff',
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

/** A correction never edits the entry it corrects; it is a new entry pointing at it. */
export function appendCorrection(doc: Y.Doc, corrected: SignOffEntry, snapshot: string, signer: Signer, note: string, withdraws: boolean): SignOffEntry {
  const entry: SignOffEntry = {
    id: randomId(),
    recordId: corrected.recordId,
    kind: 'correction',
    corrects: corrected.id,
    withdraws,
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
