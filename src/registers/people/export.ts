import type { CsvTable } from '../../evidence/csv';
import type { Person } from './model';

export function peopleCsv(people: readonly Person[], nameOf: (id: string) => string, stamp: string): CsvTable {
  return {
    name: `muster-people-${stamp}`,
    columns: ['Name', 'Email', 'Team', 'Job title', 'Start date', 'Manager', 'Status', 'Person id'],
    rows: people.map((p) => [p.name, p.email, p.team, p.jobTitle, p.startDate, p.managerId ? nameOf(p.managerId) : '', p.archived ? 'Left' : 'Active', p.id]),
  };
}
