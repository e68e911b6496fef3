import { attachmentsOf, isImage } from '../../attachments/record';
import type { RegisterPack } from '../../evidence/context';
import type { PackTable, RegisterSection } from '../../evidence/types';
import { plural, pluralWord } from '../../domain/plural';

/*
 * Attachments in the evidence pack: the photo of a briefing's whiteboard or a
 * signed agreement's PDF is evidence too. The pack holds the files of the
 * records that are in it (in period and scope), as
 *   attachments/<register>/<sha256>.<ext>
 * plus one table listing every such attachment, including those whose bytes
 * this device does not have ("not on this device"). The manifest pins each
 * file by SHA-256 like any other; the name already is that hash.
 */

export const ATTACHMENTS_SECTION = 'attachments';

const EXT: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'application/pdf': 'pdf' };

export const attachmentPath = (register: string, hash: string, type: string) => `attachments/${register}/${hash}.${EXT[type] ?? 'bin'}`;

/** Hashes of every (not removed) attachment referenced by any record: what the screen reads from this device's store. */
export function referencedHashes(registers: Partial<Record<string, { records: Record<string, Record<string, unknown>> }>>): string[] {
  const out = new Set<string>();
  for (const raw of Object.values(registers)) {
    for (const fields of Object.values(raw?.records ?? {})) for (const a of attachmentsOf(fields)) out.add(a.hash);
  }
  return [...out];
}

export interface PackAttachments {
  files: Map<string, Uint8Array>;
  /** A section for the report (table of attachments), or undefined when no record in the pack has one. */
  section?: { hook: RegisterPack; section: RegisterSection };
}

/**
 * The attachment files and their table, for the records the sections put in the pack.
 * `bytes` holds what this device has, by hash.
 */
export function packAttachments(
  sections: ReadonlyArray<{ hook: RegisterPack; section: RegisterSection }>,
  registers: Partial<Record<string, { records: Record<string, Record<string, unknown>> }>>,
  bytes: ReadonlyMap<string, Uint8Array>,
): PackAttachments {
  const files = new Map<string, Uint8Array>();
  const rows: Array<Array<string | number>> = [];
  for (const { hook, section } of sections) {
    const raw = registers[hook.register]?.records ?? {};
    for (const record of section.records) {
      const id = (record as { id?: unknown }).id;
      if (typeof id !== 'string') continue;
      for (const a of attachmentsOf(raw[id])) {
        const held = bytes.get(a.hash);
        const path = attachmentPath(hook.register, a.hash, a.type);
        if (held) files.set(path, held);
        rows.push([hook.title, id, a.name, isImage(a.type) ? 'photo' : 'PDF', a.size, a.addedBy, a.addedAt, a.hash, held ? path : 'not on this device']);
      }
    }
  }
  if (rows.length === 0) return { files };
  const missing = rows.filter((r) => r[8] === 'not on this device').length;
  const table: PackTable = {
    file: 'attachments',
    title: 'Attachments of the records in this pack',
    columns: ['Register', 'Record', 'File name', 'Kind', 'Bytes', 'Added by', 'Added at', 'SHA-256', 'In this pack as'],
    rows,
    pdf: { columns: [0, 2, 3, 5, 8], widths: [1.2, 2, 0.7, 1.3, 2.8], limit: 300 },
  };
  const section: RegisterSection = {
    title: 'Attachments',
    intro: [
      `${plural(rows.length, 'attachment')} on the records in this pack; ${rows.length - missing} included as files under attachments/, named by their SHA-256.`,
      ...(missing ? [`${plural(missing, 'is', 'are')} not on the device that made this pack (never downloaded here); the table still names ${pluralWord(missing, 'it', 'them')} and ${pluralWord(missing, 'its', 'their')} SHA-256.`] : []),
    ],
    tables: [table],
    summary: [],
    records: [],
  };
  const hook: RegisterPack = { register: ATTACHMENTS_SECTION, title: 'Attachments', requirements: [], order: 10_000, build: () => section };
  return { files, section: { hook, section } };
}
