import { unzipSync } from 'fflate';
import { type LogSection, type LogSummary, type LogVerification, verifyLog } from '../domain/evidence-log';
import { isRecord } from '../domain/is-record';
import { sha256HexSync } from '../domain/sha256';
import { plural, pluralWord } from '../domain/plural';
import { BEFORE_SIGNING, type IdentityOptions, type IdentityReport, NO_LOG, verifyIdentity } from './verify-identity';

/*
 * Verifies an exported evidence pack (a ZIP). No DOM, no Solid, no session
 * (WebCrypto only, for the signatures), so the same code runs on the Verify
 * screen (offline, in the browser) and in `node --import tsx scripts/verify-pack.ts pack.zip`.
 *
 * The pack format (the contract with the exporter):
 *   manifest.json  { format: 'muster-evidence-pack', schemaVersion: 1, generatedAt,
 *                    files: { <path>: { sha256, bytes } }, evidenceLog: LogSummary }
 *   evidence.json  { …, log: LogSection }
 *   identity.json  the membership log and the entries' signatures (src/export/pack/identity.ts),
 *                  pinned by manifest.identity; packs made before signed identity have neither
 *   every other file listed in manifest.files, and nothing else.
 */

export const PACK_FORMAT = 'muster-evidence-pack';
export const PACK_SCHEMA_VERSION = 1;
export const MANIFEST = 'manifest.json';
export const EVIDENCE = 'evidence.json';

export interface FileCheck {
  path: string;
  ok: boolean;
  problem?: string;
}

export interface VerifyReport {
  ok: boolean;
  /** False when the file is not a Muster evidence pack at all (not a ZIP, no manifest, another format). */
  readable: boolean;
  /** "Intact: N files, M entries checked." or "Not intact: N problems found." (or why the file is not a pack). */
  headline: string;
  /** The headline, and what was not checked in full (entries outside the scope, entries written before the log existed). */
  summary: string;
  files: FileCheck[];
  log: LogVerification;
  /** Every problem, in plain words (files first, then the log). Forks are notes, listed in `notes`. */
  problems: string[];
  /** Things worth knowing that are not problems (e.g. a fork: two tabs of one device wrote at once). */
  notes: string[];
  /** When the pack says it was made. */
  generatedAt?: string;
  /** The log's root hash, to compare with a copy kept elsewhere (e.g. on the report's cover). */
  root?: string;
  /** Who signed what: the membership log and every evidence signature (verify-identity.ts). */
  identity?: IdentityReport;
}

export const VERIFY_MESSAGES = {
  notZip: 'This file is not a ZIP archive, so it is not a Muster evidence pack. Choose the .zip file that Muster exported.',
  noManifest: 'This ZIP has no manifest.json, so it is not a Muster evidence pack (or its manifest was removed).',
  badManifest: 'The manifest.json in this ZIP cannot be read (it is not valid JSON): the pack is damaged.',
  notPack: 'This ZIP is not a Muster evidence pack: its manifest.json is of another kind.',
  newer: (v: number) => `This pack was made by a newer version of Muster (format version ${v}); use a newer verifier.`,
  noFiles: 'The manifest lists no files, so nothing in the pack can be checked.',
  noLogSummary: 'The manifest has no evidence-log summary, so the history in the pack cannot be checked against it.',
  noEvidence: 'The evidence log cannot be checked: evidence.json is missing or cannot be read.',
  noLogSection: 'The evidence log cannot be checked: evidence.json has no log section.',
} as const;

const emptyLog = (): LogVerification => ({ ok: false, problems: [], checked: 0, unchained: 0, stubs: 0 });

function unreadable(message: string): VerifyReport {
  return { ok: false, readable: false, headline: message, summary: message, files: [], log: emptyLog(), problems: [message], notes: [] };
}

function parseJson(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) };
  } catch {
    return { ok: false };
  }
}

/**
 * Checks an evidence pack: every file against the manifest, the evidence log
 * against the manifest's summary, then the membership log and every signature
 * (with sign17's judge and the registers' rules, when given).
 */
export async function verifyPack(zipBytes: Uint8Array, opts: IdentityOptions = {}): Promise<VerifyReport> {
  let files: Record<string, Uint8Array>;
  try {
    if (zipBytes.length < 4 || zipBytes[0] !== 0x50 || zipBytes[1] !== 0x4b) throw new Error('no zip signature');
    files = unzipSync(zipBytes);
  } catch {
    return unreadable(VERIFY_MESSAGES.notZip);
  }
  const manifestBytes = files[MANIFEST];
  if (!manifestBytes) return unreadable(VERIFY_MESSAGES.noManifest);
  const parsed = parseJson(manifestBytes);
  if (!parsed.ok) return unreadable(VERIFY_MESSAGES.badManifest);
  const manifest = parsed.value;
  if (!isRecord(manifest) || manifest['format'] !== PACK_FORMAT) return unreadable(VERIFY_MESSAGES.notPack);
  const version = manifest['schemaVersion'];
  if (typeof version === 'number' && version > PACK_SCHEMA_VERSION) return unreadable(VERIFY_MESSAGES.newer(version));

  const problems: string[] = [];
  const checks: FileCheck[] = [];
  const listed = isRecord(manifest['files']) ? manifest['files'] : undefined;
  if (!listed || Object.keys(listed).length === 0) problems.push(VERIFY_MESSAGES.noFiles);

  for (const path of Object.keys(listed ?? {}).sort()) {
    const want = listed![path];
    const bytes = path === MANIFEST ? undefined : files[path];
    let problem: string | undefined;
    if (path === MANIFEST) problem = 'The manifest lists itself, which it cannot: the manifest was edited.';
    else if (!bytes) problem = `${path} is missing from the pack.`;
    else if (!isRecord(want) || typeof want['sha256'] !== 'string') problem = `${path} has no checksum in the manifest, so it cannot be checked.`;
    else if (sha256HexSync(bytes) !== want['sha256'].toLowerCase()) problem = `${path} was changed after the pack was made: its content does not match the SHA-256 in the manifest.`;
    else if (typeof want['bytes'] === 'number' && want['bytes'] !== bytes.length) problem = `${path} has another size than the manifest records (${plural(bytes.length, 'byte')} instead of ${plural(want['bytes'], 'byte')}).`;
    checks.push(problem ? { path, ok: false, problem } : { path, ok: true });
    if (problem) problems.push(problem);
  }
  for (const path of Object.keys(files).sort()) {
    if (path === MANIFEST || path.endsWith('/') || (listed && path in listed)) continue;
    const problem = `${path} is in the pack but not in its manifest: it was added after the pack was made.`;
    checks.push({ path, ok: false, problem });
    problems.push(problem);
  }

  // The evidence log: re-hash every entry and compare the chains with the manifest's summary.
  let log = emptyLog();
  const summary = manifest['evidenceLog'];
  const evidenceBytes = files[EVIDENCE];
  const evidence = evidenceBytes ? parseJson(evidenceBytes) : { ok: false as const };
  if (!isRecord(summary)) problems.push(VERIFY_MESSAGES.noLogSummary);
  else if (!evidence.ok || !isRecord(evidence.value)) problems.push(VERIFY_MESSAGES.noEvidence);
  else if (!isRecord(evidence.value['log'])) problems.push(VERIFY_MESSAGES.noLogSection);
  else {
    log = verifyLog(evidence.value['log'] as unknown as LogSection, summary as unknown as LogSummary);
    for (const p of log.problems) if (p.kind !== 'fork') problems.push(p.message);
  }
  const notes = log.problems.filter((p) => p.kind === 'fork').map((p) => p.message);

  const section = evidence.ok && isRecord(evidence.value) && isRecord(evidence.value['log']) ? (evidence.value['log'] as unknown as LogSection) : undefined;
  const identity = await verifyIdentity(manifest, files, section, opts);
  problems.push(...identity.problems);

  const ok = problems.length === 0;
  const fileCount = checks.filter((c) => c.ok).length;
  const extra: string[] = [];
  if (log.stubs) extra.push(`${plural(log.stubs, 'entry', 'entries')} outside the pack’s period or scope ${pluralWord(log.stubs, 'was', 'were')} checked by ${pluralWord(log.stubs, 'its link', 'their links')} only`);
  if (log.unchained) extra.push(`${plural(log.unchained, 'entry was', 'entries were')} written before the log existed and ${pluralWord(log.unchained, 'is', 'are')} not chained`);
  if (identity.state !== 'signed') extra.push(identity.state === 'before' ? 'not signed (made before signed identity)' : 'not signed (the workspace had no signed membership log yet)');
  else if (identity.counts.flagged) extra.push(`${plural(identity.counts.flagged, 'entry', 'entries')} flagged: signed by a device without the right, not counted`);
  const headline = ok ? `Intact: ${plural(fileCount, 'file')}, ${plural(log.checked, 'entry', 'entries')} checked${identity.state === 'signed' ? `, ${plural(identity.counts.signed + identity.counts.vouched + identity.counts.flagged, 'signature')} checked` : ''}.${identity.counts.flagged ? ` ${plural(identity.counts.flagged, 'entry', 'entries')} flagged (not counted).` : ''}` : `Not intact: ${plural(problems.length, 'problem')} found.`;
  const summaryText = ok && extra.length ? `${headline} ${extra.join('; ')}.` : headline;
  const generatedAt = typeof manifest['generatedAt'] === 'string' ? manifest['generatedAt'] : undefined;
  const root = isRecord(summary) && typeof summary['root'] === 'string' ? summary['root'] : undefined;
  return { ok, readable: true, headline, summary: summaryText, files: checks, log, problems, notes, identity, ...(generatedAt ? { generatedAt } : {}), ...(root ? { root } : {}) };
}

/** The identity part of the report as lines: counts, flagged entries first, then who signed (the screen shows the same). */
export function identityLines(id: IdentityReport): string[] {
  if (id.state === 'before') return [BEFORE_SIGNING];
  if (id.state === 'no-log') return [NO_LOG];
  const c = id.counts;
  const lines = [
    `Signatures: ${plural(c.signed, 'entry', 'entries')} signed and allowed, ${plural(c.vouched, 'vouched for', 'vouched for')} at migration, ${plural(c.flagged, 'flagged', 'flagged')}, ${plural(c.unsigned, 'unsigned', 'unsigned')}${c.outside ? `; ${plural(c.outside, 'signature')} of entries outside the period or scope checked` : ''}.`,
    `Membership log: ${plural(id.membership.valid, 'entry', 'entries')} valid, ${plural(id.membership.refused.length, 'refused', 'refused')}.`,
  ];
  if (id.flagged.length) lines.push('', `FLAGGED (${plural(id.flagged.length, 'entry', 'entries')}, not counted in any figure):`, ...id.flagged.map((f) => `  ! ${f}`));
  if (id.membership.refused.length) lines.push('', 'Membership entries refused:', ...id.membership.refused.map((r) => `  - ${r}`));
  if (id.signers.length) lines.push('', 'Signed by:', ...id.signers.map((g) => `  ${g.signer}: ${[g.signed ? `signed ${plural(g.signed, 'entry', 'entries')}` : '', g.vouched ? `vouched for ${plural(g.vouched, 'entry', 'entries')}` : ''].filter(Boolean).join(', ')} (${g.registers})`));
  if (id.unsigned.length) lines.push('', 'Not signed (written before signing, or not yet signed when the pack was made):', ...id.unsigned.map((u) => `  - ${u}`));
  return lines;
}

/** The report as plain text lines (for the node script and for copying). */
export function reportLines(report: VerifyReport): string[] {
  const lines = [report.summary];
  if (!report.readable) return lines;
  if (report.generatedAt) lines.push(`Pack made: ${report.generatedAt}`);
  const id = report.identity;
  if (id?.rootFingerprint) lines.splice(1, 0, `Root owner key: ${id.rootFingerprint}${id.rootWords ? ` (${id.rootWords})` : ''}`);
  if (report.root) lines.push(`Evidence-log fingerprint: ${report.root}`);
  lines.push('', 'Files:');
  for (const f of report.files) lines.push(`  ${f.ok ? 'ok ' : 'BAD'} ${f.path}${f.problem ? ` — ${f.problem}` : ''}`);
  const logProblems = report.problems.filter((p) => !report.files.some((f) => f.problem === p));
  if (logProblems.length) {
    lines.push('', 'Problems:');
    for (const p of logProblems) lines.push(`  - ${p}`);
  }
  if (report.notes.length) {
    lines.push('', 'Notes:');
    for (const n of report.notes) lines.push(`  - ${n}`);
  }
  if (id) lines.push('', ...identityLines(id));
  return lines;
}
