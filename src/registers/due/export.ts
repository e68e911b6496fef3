import { type Duty, KIND_LABELS, relativeDue, STATUS_LABELS } from '../../domain/schedules';
import type { CsvTable } from '../../evidence/csv';

/** One row per duty shown, soonest first, with where it stands on `today`. */
export function dutiesCsv(duties: readonly Duty[], nameOf: (personId: string) => string, today: string, stamp: string): CsvTable {
  return {
    name: `muster-due-${stamp}`,
    columns: ['Status', 'Due', 'When', 'What', 'Kind', 'Team', 'Person', 'From', 'Where to do it', 'Duty id'],
    rows: duties.map((d) => [
      STATUS_LABELS[d.status],
      d.due,
      d.status === 'done' ? 'Done' : relativeDue(d.due, today),
      d.title,
      KIND_LABELS[d.kind],
      d.team ?? '',
      d.personId ? nameOf(d.personId) : '',
      d.source ?? '',
      d.href,
      d.id,
    ]),
  };
}
