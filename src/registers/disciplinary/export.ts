import type { CsvTable } from '../../evidence/csv';
import { type DisciplinaryEntry, REDACTED_COLUMNS, redactedRow, type Tier } from './model';

/**
 * The log as CSV, redacted: entry id, date, tier, policy and outcome only.
 * No person, no decider, no recorder, no facts; names typed into the policy or
 * outcome are scrubbed (`names`: everyone in People).
 */
export function redactedLogCsv(entries: readonly DisciplinaryEntry[], names: readonly string[], tierName: (tierId: string) => string | undefined, stamp: string): CsvTable {
  return {
    name: `muster-disciplinary-redacted-${stamp}`,
    columns: REDACTED_COLUMNS,
    rows: entries.map((e) => redactedRow(e, names, tierName)),
  };
}

/**
 * The log with names: personal data about identified people. Only offered to
 * officers, behind an explicit "Include names" choice and a warning.
 */
export function namedLogCsv(entries: readonly DisciplinaryEntry[], nameOf: (personId: string) => string, tierName: (tierId: string) => string | undefined, stamp: string): CsvTable {
  return {
    name: `muster-disciplinary-with-names-${stamp}`,
    columns: ['Entry id', 'Date', 'Person', 'Tier', 'Policy', 'Facts', 'Outcome', 'Decided by', 'Evidence', 'Corrects entry', 'Correction reason', 'Recorded by', 'Recorded at', 'Device', 'Person id', 'Decided by id'],
    rows: entries.map((e) => [
      e.id, e.date, nameOf(e.personId) || 'Unknown person', tierName(e.tierId) ?? e.tierName, e.policy, e.facts, e.outcome, nameOf(e.decidedById) || 'Unknown person', e.evidence,
      e.corrects ?? '', e.reason ?? '', e.byName, e.at, e.deviceId, e.personId, e.decidedById,
    ]),
  };
}

/** The documented process, in order: what every member of staff may read. */
export function processCsv(tiers: readonly Tier[], stamp: string): CsvTable {
  return {
    name: `muster-disciplinary-process-${stamp}`,
    columns: ['Step', 'Tier', 'When it applies', 'Consequence', 'Tier id'],
    rows: tiers.map((t, i) => [i + 1, t.name, t.appliesWhen, t.consequence, t.id]),
  };
}
