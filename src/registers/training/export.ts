import type { CsvTable } from '../../evidence/csv';
import { type Completion, type Course, renewalLabel, STATUS_LABELS, type TrainingCell } from './model';

/** A completion as the log shows it: names resolved, status as of today. */
export interface CompletionRow {
  completion: Completion;
  personName: string;
  team: string;
  courseTitle: string;
  status: 'valid' | 'expiring' | 'expired' | 'voided';
}

const ROW_STATUS: Record<CompletionRow['status'], string> = { valid: 'Valid', expiring: 'Expiring', expired: 'Expired', voided: 'Corrected (void)' };

/** One row per completion shown, with who recorded it, when and on which device. */
export function completionsCsv(rows: readonly CompletionRow[], stamp: string): CsvTable {
  return {
    name: `muster-training-${stamp}`,
    columns: ['Person', 'Team', 'Course', 'Completed on', 'Expires on', 'Status', 'Provider', 'Evidence', 'Recorded from', 'Recorded by', 'Recorded at', 'Device', 'Voided by correction', 'Entry id', 'Person id', 'Course id'],
    rows: rows.map(({ completion: c, personName, team, courseTitle, status }) => [
      personName, team, courseTitle, c.completedOn, c.expiresOn || 'Never', ROW_STATUS[status], c.provider, c.evidence, c.source, c.byName, c.at, c.deviceId, c.voidedBy ?? '', c.id, c.personId, c.courseId,
    ]),
  };
}

/** The matrix of one course: every person who must do it, and where they stand. */
export function matrixCsv(course: Course, cells: readonly TrainingCell[], stamp: string): CsvTable {
  return {
    name: `muster-training-matrix-${stamp}`,
    columns: ['Course', 'Renewal', 'Person', 'Team', 'Status', 'Completed on', 'Expires on', 'Person id'],
    rows: cells.map((cell) => [
      course.title, renewalLabel(course.renewalMonths), cell.person.name, cell.person.team, STATUS_LABELS[cell.status],
      cell.completion?.completedOn ?? '', cell.completion ? cell.completion.expiresOn || 'Never' : '', cell.person.id,
    ]),
  };
}
