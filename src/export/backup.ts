import { fromBase64, toBase64 } from 'lib0/buffer';
import { canonicalJson } from '../domain/signoff';
import { isRecord } from '../domain/is-record';
import { sha256HexSync } from '../domain/sha256';
import * as Y from 'yjs';
import { REGISTERS } from '../ui/registry';
import type { RegisterName } from '../store/registers';
import { isCutOffJson } from './json-prefix';
import { plural } from '../domain/plural';
import { SIGS } from '../domain/evidence-sigs';
import { attachmentsOf } from '../attachments/record';

/*
 * Whole-workspace JSON backup. One file:
 *   { format: 'muster-backup', schemaVersion: 1, createdAt, workspace: { id, orgName },
 *     registers: { <register>: base64 of Y.encodeStateAsUpdate(doc) },
 *     summary: { <register>: { records, entries } },
 *     sha256: hex SHA-256 of the canonical JSON of everything but sha256 }
 * Yjs updates make a restore lossless (it merges with what is there) and
 * idempotent (applying the same update twice changes nothing).
 * Everything here is pure: no DOM, no Solid, no IndexedDB.
 */

export const BACKUP_FORMAT = 'muster-backup';
export const BACKUP_SCHEMA_VERSION = 1;

export interface RegisterCount {
  records: number;
  entries: number;
}

export type BackupSummary = Partial<Record<RegisterName, RegisterCount>>;

export interface Backup {
  format: typeof BACKUP_FORMAT;
  schemaVersion: number;
  createdAt: string;
  workspace: { id: string; orgName: string };
  registers: Partial<Record<RegisterName, string>>;
  summary: BackupSummary;
  /** What the workspace holds that this file does not (absent in backups made before it was recorded). */
  leftOut?: LeftOut;
  sha256: string;
}

/**
 * What a backup does not hold, said in the panel and recorded in the file:
 * speak-up reports stay sealed in their own room (only recipients' devices
 * can read them; the relay keeps them), and attachment files stay in this
 * device's store (the records keep each file's name, size and SHA-256).
 */
export interface LeftOut {
  speakupReports: number;
  attachments: number;
  attachmentBytes: number;
}

/** Attached files the records refer to (each file once, removed ones not counted) and their total size. */
export function attachmentsIn(docs: Partial<Record<RegisterName, Y.Doc>>): { attachments: number; attachmentBytes: number } {
  const sizes = new Map<string, number>();
  for (const r of REGISTERS) {
    const records = docs[r]?.getMap<Y.Map<unknown>>('records');
    if (!records) continue;
    for (const record of records.values()) {
      if (!(record instanceof Y.Map)) continue;
      for (const a of attachmentsOf(record.toJSON() as Record<string, unknown>)) sizes.set(a.hash, a.size);
    }
  }
  return { attachments: sizes.size, attachmentBytes: [...sizes.values()].reduce((n, b) => n + (b || 0), 0) };
}

/** The panel's words for what a backup leaves out, or '' when it leaves nothing out. */
export function leftOutText(l: LeftOut | undefined): string {
  if (!l) return '';
  const parts = [
    l.speakupReports ? `${plural(l.speakupReports, 'speak-up report')} (they stay sealed in their own room on the relay and on the devices; only the recipients' devices can read them)` : '',
    l.attachments ? `${plural(l.attachments, 'attached file')} (${(l.attachmentBytes / 1_048_576).toFixed(1)} MB of photos and PDFs; the records keep each file's name, size and SHA-256, and the evidence pack includes the files this device holds)` : '',
  ].filter(Boolean);
  return parts.length ? `Not in the backup: ${parts.join('; and ')}.` : '';
}

/** A backup that passed every check, with its register updates decoded and verified. */
export interface ParsedBackup {
  backup: Backup;
  updates: Partial<Record<RegisterName, Uint8Array>>;
}

export type ParseResult = { ok: true; value: ParsedBackup } | { ok: false; error: string };

export const MESSAGES = {
  notJson: 'This file is not a Muster backup: it is not a JSON file. Choose a file named muster-backup-….json.',
  notBackup: 'This file is not a Muster backup. Choose a file named muster-backup-….json, made with “Download backup”.',
  truncated: 'This backup is incomplete: the file was cut off (for example while downloading or copying). Nothing was restored. Download the backup again.',
  damaged: 'This backup is damaged: its contents do not match its checksum, so it may have been cut off or altered. Nothing was restored.',
  altered: 'This backup is damaged: part of the file was changed, so it is no longer valid JSON (it was not cut off). Nothing was restored. Use another copy of the backup.',
  newer: (v: number) => `This backup was made by a newer version of Muster (schema ${v}); update Muster to restore it.`,
  badRegister: (r: string) => `This backup is damaged: the data of the “${r}” register cannot be read. Nothing was restored.`,
} as const;

/** Records and entries of a register document. */
export function countDoc(doc: Y.Doc): RegisterCount {
  return { records: doc.getMap('records').size, entries: doc.getMap('entries').size };
}

export { canonicalJson };

/** Checksum of a backup: everything but the sha256 field itself. */
export function backupChecksum(b: Omit<Backup, 'sha256'> & { sha256?: unknown }): string {
  const { sha256: _ignored, ...content } = b;
  return sha256HexSync(canonicalJson(content));
}

/**
 * Builds a backup from each register's document.
 * @example const backup = buildBackup({ docs, workspace: { id, orgName }, createdAt: new Date().toISOString() });
 */
export function buildBackup(opts: { docs: Partial<Record<RegisterName, Y.Doc>>; workspace: { id: string; orgName: string }; createdAt: string; leftOut?: LeftOut }): Backup {
  const registers: Backup['registers'] = {};
  const summary: BackupSummary = {};
  for (const r of REGISTERS) {
    const doc = opts.docs[r];
    if (!doc) continue;
    registers[r] = toBase64(Y.encodeStateAsUpdate(doc));
    summary[r] = countDoc(doc);
  }
  const content = {
    format: BACKUP_FORMAT,
    schemaVersion: BACKUP_SCHEMA_VERSION,
    createdAt: opts.createdAt,
    workspace: { id: opts.workspace.id, orgName: opts.workspace.orgName },
    registers,
    summary,
    ...(opts.leftOut ? { leftOut: { speakupReports: opts.leftOut.speakupReports, attachments: opts.leftOut.attachments, attachmentBytes: opts.leftOut.attachmentBytes } } : {}),
  } as const;
  return { ...content, sha256: backupChecksum(content) };
}

export const backupJson = (b: Backup): string => JSON.stringify(b, null, 1);

/** `muster-backup-<org>-<date>.json`, the organisation name reduced to safe file-name characters. */
export function backupFileName(orgName: string, date: string): string {
  const org =
    orgName
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'workspace';
  return `muster-backup-${org}-${date}.json`;
}

const isCount = (v: unknown): v is RegisterCount =>
  isRecord(v) && Number.isInteger(v['records']) && Number.isInteger(v['entries']) && (v['records'] as number) >= 0 && (v['entries'] as number) >= 0;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Checks that an update is a complete register document: it applies to a scratch
 * Y.Doc without error, leaves nothing pending (no missing earlier updates), and
 * its roots are the `records` and `entries` maps.
 */
const ROOT_MAPS = new Set(['records', 'entries', SIGS, 'membership']);

export function checkRegisterUpdate(update: Uint8Array): boolean {
  const scratch = new Y.Doc();
  try {
    Y.applyUpdate(scratch, update);
    if (scratch.store.pendingStructs !== null || scratch.store.pendingDs !== null) return false;
    // A register's maps: its records, its evidence entries, their signatures; the members register's signed member list.
    for (const key of scratch.share.keys()) if (!ROOT_MAPS.has(key)) return false;
    const records = scratch.getMap('records');
    for (const value of records.values()) if (!(value instanceof Y.Map)) return false;
    scratch.getMap('entries');
    return true;
  } catch {
    return false;
  } finally {
    scratch.destroy();
  }
}

/**
 * Reads a backup file's text and checks all of it before anything is applied:
 * JSON, format, schema version, shape, checksum, and every register update.
 */
export function parseBackup(text: string): ParseResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    const t = text.trimStart();
    // Looks like a backup (its format name is in it, near the start) or not a backup at all.
    if (!t.slice(0, 200).includes(`"${BACKUP_FORMAT}"`)) return { ok: false, error: MESSAGES.notJson };
    // Starts like a backup but does not parse: cut off if every byte is valid JSON up to the end, else altered.
    return { ok: false, error: isCutOffJson(t) ? MESSAGES.truncated : MESSAGES.altered };
  }
  if (!isRecord(data) || data['format'] !== BACKUP_FORMAT) return { ok: false, error: MESSAGES.notBackup };
  const version = data['schemaVersion'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return { ok: false, error: MESSAGES.notBackup };
  if (version > BACKUP_SCHEMA_VERSION) return { ok: false, error: MESSAGES.newer(version) };

  const ws = data['workspace'];
  const registers = data['registers'];
  const summary = data['summary'];
  if (
    typeof data['createdAt'] !== 'string' ||
    typeof data['sha256'] !== 'string' ||
    !isRecord(ws) ||
    typeof ws['id'] !== 'string' ||
    !ws['id'] ||
    typeof ws['orgName'] !== 'string' ||
    !isRecord(registers) ||
    !isRecord(summary)
  ) {
    return { ok: false, error: MESSAGES.damaged };
  }
  if (backupChecksum(data as unknown as Backup) !== data['sha256']) return { ok: false, error: MESSAGES.damaged };

  const known = new Set<string>(REGISTERS);
  const updates: ParsedBackup['updates'] = {};
  for (const [name, payload] of Object.entries(registers)) {
    if (!known.has(name)) return { ok: false, error: MESSAGES.badRegister(name) };
    if (typeof payload !== 'string' || !BASE64.test(payload)) return { ok: false, error: MESSAGES.badRegister(name) };
    let bytes: Uint8Array;
    try {
      bytes = fromBase64(payload);
    } catch {
      return { ok: false, error: MESSAGES.badRegister(name) };
    }
    if (!checkRegisterUpdate(bytes)) return { ok: false, error: MESSAGES.badRegister(name) };
    updates[name as RegisterName] = bytes;
  }
  const left = data['leftOut'];
  const nonNegative = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
  if (left !== undefined && !(isRecord(left) && nonNegative(left['speakupReports']) && nonNegative(left['attachments']) && nonNegative(left['attachmentBytes']))) return { ok: false, error: MESSAGES.damaged };
  for (const [name, count] of Object.entries(summary)) {
    if (!known.has(name) || !isCount(count)) return { ok: false, error: MESSAGES.damaged };
  }
  return { ok: true, value: { backup: data as unknown as Backup, updates } };
}
