import * as v from 'valibot';
import type * as Y from 'yjs';
import { validateWith } from '../domain/validation';
import { readFields, setFields, type Fields } from '../store/records';
import { MAX_ATTACHMENT_BYTES, STORED_TYPES } from './prepare';

/*
 * A record refers to its attachments with one field per attachment,
 * "att.<sha256 hex>" → { name, type, size, addedBy, addedAt }, so two devices
 * attaching different files to the same record offline both keep theirs. The
 * bytes live elsewhere (Dexie on each device, the relay's blob store), found
 * by the hash. Removing an attachment sets `removed` on its field; the field
 * and the bytes stay, like every record in Muster.
 *
 * A part of a record can have its own attachments under a scope, a field
 * prefix: a checklist item's photo is "item.<key>.att.<sha256 hex>". The
 * record's own card reads scope '' only; the evidence pack reads every scope.
 */

export const ATTACHMENT_PREFIX = 'att.';
export const attachmentField = (hash: string, scope = '') => `${scope}${ATTACHMENT_PREFIX}${hash}`;
const ANY_SCOPE = /(?:^|\.)att\.([0-9a-f]{64})$/;

export interface Attachment {
  /** Hex SHA-256 of the bytes. */
  hash: string;
  name: string;
  /** One of STORED_TYPES. */
  type: string;
  size: number;
  /** Name of who attached it. */
  addedBy: string;
  /** ISO instant. */
  addedAt: string;
  addedByPersonId?: string;
  deviceId?: string;
  /** Hex SHA-256 of the bytes as the relay holds them, sealed (src/sync/seal.ts sealBlob): the name to fetch them by. */
  sealed?: string;
  removed?: boolean;
  removedBy?: string;
  removedAt?: string;
}

const schema = v.object({
  hash: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'The attachment has no valid SHA-256.')),
  name: v.pipe(v.string(), v.trim(), v.minLength(1, 'The attachment needs a name.'), v.maxLength(200, 'Keep the file name under 200 characters.')),
  type: v.picklist(STORED_TYPES, 'Only photos (JPEG, PNG, WebP) and PDFs can be attached.'),
  size: v.pipe(
    v.number(),
    v.integer('The size must be a whole number of bytes.'),
    v.minValue(1, 'The file is empty.'),
    v.maxValue(MAX_ATTACHMENT_BYTES, 'The file is larger than the 5 MB limit.'),
  ),
  addedBy: v.pipe(v.string(), v.trim(), v.minLength(1, 'Enter your name in Settings before attaching files: it goes with the attachment.')),
  addedAt: v.pipe(v.string(), v.isoTimestamp('The time the file was added is not valid.')),
  addedByPersonId: v.optional(v.string()),
  deviceId: v.optional(v.string()),
  sealed: v.optional(v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'The sealed attachment has no valid SHA-256.'))),
});

/** Why this attachment cannot be added, or undefined: check it before storing any bytes. */
export function validateAttachment(input: Attachment): string | undefined {
  const result = validateWith(schema, input);
  return result.ok ? undefined : (Object.values(result.errors)[0] ?? 'The attachment is not valid.');
}

/**
 * Adds an attachment to a record. Returns why not, in a sentence; on any
 * problem nothing is written. Attaching the same file again changes nothing;
 * attaching one that was removed brings it back.
 */
export function attach(doc: Y.Doc, recordId: string, input: Attachment, scope = ''): string | undefined {
  const fields = readFields(doc, recordId);
  if (!fields) return 'That record is not on this device.';
  const result = validateWith(schema, input);
  if (!result.ok) return Object.values(result.errors)[0] ?? 'The attachment is not valid.';
  const existing = parseAttachment(result.value.hash, fields[attachmentField(result.value.hash, scope)]);
  if (existing && !existing.removed) return undefined;
  const { hash, ...meta } = result.value;
  const value: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(meta)) if (val !== undefined) value[k] = val;
  setFields(doc, recordId, { [attachmentField(hash, scope)]: value });
  return undefined;
}

/** Marks an attachment removed (the field and the bytes stay). */
export function detach(doc: Y.Doc, recordId: string, hash: string, by: string, at: string = new Date().toISOString(), scope = ''): string | undefined {
  const fields = readFields(doc, recordId);
  if (!fields) return 'That record is not on this device.';
  const existing = parseAttachment(hash, fields[attachmentField(hash, scope)]);
  if (!existing) return 'That file is not attached to this record.';
  if (!by.trim()) return 'Enter your name in Settings before removing attachments.';
  if (existing.removed) return undefined;
  const { hash: _h, ...meta } = existing;
  setFields(doc, recordId, { [attachmentField(hash, scope)]: { ...meta, removed: true, removedBy: by.trim(), removedAt: at } });
  return undefined;
}

function parseAttachment(hash: string, raw: unknown): Attachment | undefined {
  if (!/^[0-9a-f]{64}$/.test(hash) || !raw || typeof raw !== 'object') return undefined;
  const r = raw as Record<string, unknown>;
  const str = (k: string) => (typeof r[k] === 'string' ? (r[k] as string) : '');
  if (typeof r['type'] !== 'string' || typeof r['size'] !== 'number') return undefined;
  const a: Attachment = { hash, name: str('name') || 'attachment', type: r['type'], size: r['size'], addedBy: str('addedBy'), addedAt: str('addedAt') };
  if (str('addedByPersonId')) a.addedByPersonId = str('addedByPersonId');
  if (str('deviceId')) a.deviceId = str('deviceId');
  if (/^[0-9a-f]{64}$/.test(str('sealed'))) a.sealed = str('sealed');
  if (r['removed'] === true) {
    a.removed = true;
    a.removedBy = str('removedBy');
    a.removedAt = str('removedAt');
  }
  return a;
}

/**
 * The attachments of a record's raw fields, oldest first; removed ones only when asked for.
 * With `scope`, only that part's (the record's own: ''); without, every scope's.
 */
export function attachmentsOf(fields: Fields | undefined, opts: { includeRemoved?: boolean; scope?: string } = {}): Attachment[] {
  if (!fields) return [];
  const out: Attachment[] = [];
  const prefix = opts.scope === undefined ? undefined : `${opts.scope}${ATTACHMENT_PREFIX}`;
  for (const [k, raw] of Object.entries(fields)) {
    const hash = prefix === undefined ? ANY_SCOPE.exec(k)?.[1] : k.startsWith(prefix) ? k.slice(prefix.length) : undefined;
    if (hash === undefined) continue;
    const a = parseAttachment(hash, raw);
    if (a && (opts.includeRemoved || !a.removed)) out.push(a);
  }
  return out.sort((a, b) => a.addedAt.localeCompare(b.addedAt) || a.name.localeCompare(b.name) || a.hash.localeCompare(b.hash));
}

export const isImage = (type: string) => type.startsWith('image/');
