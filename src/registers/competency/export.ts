import type { CsvTable } from '../../evidence/csv';
import { cellText, type Competence, isTrainingLinked, KIND_LABELS, type MatrixRow } from './model';

/** One row per holder × required competence: the matrix an auditor reads, gaps included. */
export function competencyMatrixCsv(rows: readonly MatrixRow[], courseTitle: (courseId: string) => string, stamp: string): CsvTable {
  return {
    name: `muster-competency-${stamp}`,
    columns: ['Person', 'Role', 'Competence', 'Kind', 'Required level', 'Proven by course', 'Level held', 'Status', 'Gap', 'Evidence', 'Assessed on'],
    rows: rows.flatMap((row) =>
      row.cells.map(({ competence: c, status }) => [
        row.person.name,
        row.role.name,
        c.name,
        KIND_LABELS[c.kind],
        status.required,
        isTrainingLinked(c) ? courseTitle(c.courseId) || c.courseId : '',
        status.held,
        cellText(status),
        status.gap ? 'Yes' : 'No',
        status.holding?.evidence ?? '',
        status.holding?.assessedOn ?? '',
      ]),
    ),
  };
}

/** The competences and what each role requires. */
export function competencesCsv(competences: readonly Competence[], roleName: (roleId: string) => string, courseTitle: (courseId: string) => string, stamp: string): CsvTable {
  return {
    name: `muster-competences-${stamp}`,
    columns: ['Competence', 'Kind', 'Proven by course', 'Required by', 'Status', 'Competence id'],
    rows: competences.map((c) => [
      c.name,
      KIND_LABELS[c.kind],
      isTrainingLinked(c) ? courseTitle(c.courseId) || c.courseId : '',
      Object.entries(c.required)
        .map(([roleId, level]) => `${roleName(roleId) || 'Unknown role'} (level ${level})`)
        .sort((a, b) => a.localeCompare(b))
        .join('; '),
      c.archived ? 'Archived' : 'Active',
      c.id,
    ]),
  };
}
