import type { CsvTable } from '../../evidence/csv';
import { accountableCheck, type RaciActivity, type SecurityRole } from './model';

/** One row per role: name, responsibilities and who holds it. */
export function rolesCsv(roles: readonly SecurityRole[], nameOf: (personId: string) => string, stamp: string): CsvTable {
  return {
    name: `muster-roles-${stamp}`,
    columns: ['Role', 'Responsibilities', 'Holders', 'Holders (count)', 'Status', 'Role id'],
    rows: roles.map((r) => {
      const names = r.holders.map((id) => nameOf(id) || 'Unknown person').sort((a, b) => a.localeCompare(b));
      return [r.name, r.responsibilities, names.join('; '), names.length, r.archived ? 'Archived' : 'Active', r.id];
    }),
  };
}

/** The RACI matrix as a spreadsheet: activities down, roles across, with the "exactly one A" check. */
export function raciCsv(activities: readonly RaciActivity[], roles: readonly SecurityRole[], stamp: string): CsvTable {
  return {
    name: `muster-raci-${stamp}`,
    columns: ['Activity', ...roles.map((r) => r.name), 'Accountable check'],
    rows: activities.map((a) => [a.name, ...roles.map((r) => a.raci[r.id] ?? ''), accountableCheck(a, roles).warning ?? 'OK']),
  };
}
