import type { CsvValue } from '../csv';
import type { PackContext } from './context';

/*
 * The A 5.4 evidence pack: what goes in, what each register gives back.
 *
 * Everything here is plain data, so a pack can be built in a Web Worker from
 * JSON: no Yjs, no Solid, no DOM. Each register adds itself to the pack with
 * one file in its own folder, `src/registers/<name>/pack.ts`, exporting
 * `pack: RegisterPack`; the builder finds them by glob (no central switch).
 */

/** One register document as plain JSON: records (id → fields) and append-only entries (id → entry). */
export interface RawRegister {
  records: Record<string, Record<string, unknown>>;
  entries: Record<string, unknown>;
}

export interface PackPeriod {
  /** ISO date, first day (inclusive). */
  from: string;
  /** ISO date, last day (inclusive). */
  to: string;
}

export interface PackScope {
  /** Every team, or the teams chosen. */
  teams: 'all' | string[];
}

/** Everything a pack is built from. JSON-serialisable: it crosses into the worker as is. */
export interface PackInput {
  organisation: string;
  /** ISO timestamp of the export. */
  generatedAt: string;
  /** Who exported it: the name this device signs with. */
  generatedBy: string;
  /** The device's calendar day (ISO date). */
  today: string;
  period: PackPeriod;
  scope: PackScope;
  /** Every register document of the workspace, keyed by register name. */
  registers: Partial<Record<string, RawRegister>>;
  /**
   * Disciplinary log entries this device already opened (an officer's device
   * that unlocked the log). The pack never opens sealed entries itself: without
   * these it reports the log as unreadable here.
   */
  disciplinaryOpened?: readonly unknown[];
  /** Attachment bytes this device holds, by SHA-256 hex (src/export/pack/attachments.ts). */
  attachments?: ReadonlyMap<string, Uint8Array>;
}

/** One table of a section: written as CSV, and drawn in the PDF. */
export interface PackTable {
  /** File name inside the ZIP's csv/ folder, without extension, e.g. "people"; '' for a table drawn in the PDF only. */
  file: string;
  /** Heading above the table in the PDF. */
  title: string;
  columns: readonly string[];
  rows: ReadonlyArray<readonly CsvValue[]>;
  /**
   * What the PDF shows: the indices of the columns to draw (a CSV can be too
   * wide for A4) and their relative widths. Leave out to skip the table in the PDF.
   */
  pdf?: { columns: readonly number[]; widths?: readonly number[]; limit?: number } | undefined;
}

/** The requirements of A 5.4 the summary table has one row for, in order. */
export const REQUIREMENTS = [
  { key: 'roles', label: 'Roles and security duties documented' },
  { key: 'competence', label: 'People competent for their security roles' },
  { key: 'policies', label: 'Policies in place and acknowledged' },
  { key: 'training', label: 'Training and awareness' },
  { key: 'agreements', label: 'Security in contracts and agreements' },
  { key: 'speakup', label: 'Speak-up channel' },
  { key: 'disciplinary', label: 'Disciplinary process' },
  { key: 'reviews', label: 'Management reviews' },
  { key: 'resources', label: 'Resources provided' },
  { key: 'checklists', label: 'Monthly checklists and briefings' },
] as const;

export type RequirementKey = (typeof REQUIREMENTS)[number]['key'];

/** A register's contribution to one row of the summary table. */
export interface SummaryFigure {
  requirement: RequirementKey | (string & {});
  /** The figures, for a person to read: "8 of 10 acknowledged (80%)". */
  figures: string[];
  /** What is missing or wrong, one line each: "Ada Lovelace: Acceptable use v2 not acknowledged". */
  gaps: string[];
  /** No evidence at all in this register for the period (nothing recorded yet). */
  missing?: boolean | undefined;
}

/** What one register gives the pack. */
export interface RegisterSection {
  /** Heading of the section in the PDF. */
  title: string;
  /** Short paragraphs under the heading: what the section shows, figures, notes. */
  intro: string[];
  tables: PackTable[];
  summary: SummaryFigure[];
  /** Machine-readable records in scope, for evidence.json. */
  records: unknown[];
}

export interface RegisterPack {
  /** Register (document) name, e.g. "people"; also the key under evidence.json `registers`. */
  register: string;
  /** Section title, e.g. "People". */
  title: string;
  /** The A 5.4 requirements this register evidences. */
  requirements: ReadonlyArray<RequirementKey | (string & {})>;
  /** Position of the section in the report (lower first). */
  order: number;
  build(ctx: PackContext): RegisterSection;
  /**
   * Whether an append-only entry of this register's document is in the pack's
   * period and scope (its full text goes in evidence.json; others are pinned by
   * hash only). Default: the entry's `at` timestamp falls in the period, and
   * the scope is every team.
   */
  includeEntry?(entry: unknown, ctx: PackContext): boolean;
}

export interface PackProgress {
  /** 0 … 1 */
  fraction: number;
  /** What is being done, for a person to read. */
  step: string;
}

export interface PackFile {
  path: string;
  bytes: number;
  sha256: string;
}

export interface PackResult {
  zip: Uint8Array;
  files: PackFile[];
  /** Requirements with no evidence at all: what the workspace is missing. */
  missing: string[];
  /** Pages of report.pdf. */
  pages: number;
}
