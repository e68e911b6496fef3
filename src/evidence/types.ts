import type { CsvValue } from './csv';

/*
 * The A 5.4 evidence pack: what goes in, what each register gives back.
 *
 * Everything here is plain data, so a pack can be built in a Web Worker from
 * JSON: no Yjs, no Solid, no DOM. Each register adds itself to the pack with
 * one file in its own folder, `src/registers/<name>/pack.ts`, exporting
 * `pack: RegisterPack` (./context.ts); the builder finds them by glob (no central switch).
 */

/** One register document as plain JSON: records (id → fields) and append-only entries (id → entry). */
export interface RawRegister {
  records: Record<string, Record<string, unknown>>;
  entries: Record<string, unknown>;
  /** Evidence signature records (src/domain/evidence-sigs.ts), entry id → EvidenceSig. */
  sigs?: Record<string, unknown>;
  /** The members document only: the signed membership log (src/domain/membership.ts), entry id → entry. */
  membership?: Record<string, unknown>;
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
  /** The workspace id: membership entries are signed for it (packs built before signed identity have none). */
  workspace?: string;
  /** Key id of the root owner this device trusts, when it pinned one; else the log's first genesis is named. */
  identityRoot?: string;
  /** ISO timestamp of the export. */
  generatedAt: string;
  /** Who exported it: the name this device signs with. */
  generatedBy: string;
  /** The device's calendar day (ISO date). */
  today: string;
  period: PackPeriod;
  scope: PackScope;
  /** How each register is named to a person (src/ui/registry.ts `REGISTER_LABELS`), for the verifier's messages. */
  labels?: Record<string, string>;
  /** Every register document of the workspace, keyed by register name. */
  registers: Partial<Record<string, RawRegister>>;
  /**
   * Disciplinary log entries this device already opened (an officer's device
   * that unlocked the log). The pack never opens sealed entries itself: without
   * these it reports the log as unreadable here.
   */
  disciplinaryOpened?: readonly unknown[];
  /**
   * Why the disciplinary log could or could not be read on the exporting
   * device (client.ts): an officer's device opens it for the export; entries
   * still waiting for the key, or damaged, are counted so the pack can say so.
   */
  disciplinaryAccess?: DisciplinaryAccess | undefined;
  /** Attachment bytes this device holds, by SHA-256 hex (src/export/pack/attachments.ts). */
  attachments?: ReadonlyMap<string, Uint8Array>;
}

export interface DisciplinaryAccess {
  /** The exporting device's person is a designated officer. */
  officer: boolean;
  /** Sealed entries this device holds no key for yet. */
  waitingForKey: number;
  /** Sealed entries that could not be opened (damaged, unknown codec). */
  unreadable: number;
}

/** How one cell of a PDF table is drawn (colour, weight), from its CSV value. */
export interface PackCellStyle {
  bold?: boolean;
  color?: readonly [number, number, number];
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
  pdf?: PackTablePdf | undefined;
}

export interface PackTablePdf {
  columns: readonly number[];
  widths?: readonly number[];
  /** Rows drawn at most; the PDF then says how many are left and in which CSV. */
  limit?: number;
  /**
   * A matrix wider than the page: the first `fixed` drawn columns (e.g. the
   * person) repeat, the others are drawn `per` at a time, one pass each.
   */
  band?: { fixed: number; per: number };
  /** Font size of the cells (default 8). */
  size?: number;
  /** Colour or weight of a cell from its value and its column (index in `columns` of the table, as in the CSV). */
  style?: (value: unknown, column: number) => PackCellStyle | undefined;
  /** A line under the table (a legend). */
  note?: string;
  /** The rows the PDF draws when not all of the CSV's (the note says which and where the rest are). */
  rows?: ReadonlyArray<readonly CsvValue[]>;
}

/** Drawn signatures: the image and what the signer signed, for the PDF only. */
export interface SignatureFigure {
  /** PNG bytes, or a data: URL of a PNG. */
  png: Uint8Array | string;
  /** Lines beside the image: who, when, what, and the SHA-256 of the text signed. */
  caption: string[];
}

/** The requirements of A 5.4 the summary table has one row for, in order. */
export const REQUIREMENTS = [
  { key: 'roles', label: 'Roles and security duties documented' },
  { key: 'competence', label: 'People competent for their security roles' },
  { key: 'policies', label: 'Policies in place and acknowledged' },
  { key: 'training', label: 'Training and awareness' },
  { key: 'agreements', label: 'Security in contracts and agreements' },
  { key: 'new-hires', label: 'New hires: agreement, policies and initial training' },
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
  /** Drawn signatures, shown as images after the tables. */
  signatures?: { title: string; items: SignatureFigure[] } | undefined;
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
