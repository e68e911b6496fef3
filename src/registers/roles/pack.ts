import { plural } from '../../evidence/format';
import type { RegisterPack } from '../../evidence/context';
import { raciCsv, rolesCsv } from './export';
import { accountableCheck, readActivities, readRoles, readRolesByPerson } from './model';
import { readPeople } from '../people/model';

/** Evidence pack: the security roles, who holds them, and the RACI matrix (A 5.2 / A 5.4 "roles documented"). */
export const pack: RegisterPack = {
  register: 'roles',
  title: 'Security roles and RACI',
  requirements: ['roles'],
  order: 20,
  // Roles say who holds which: the pack's audiences read it here (src/export/pack/context.ts).
  roleHolders: readRolesByPerson,
  build(ctx) {
    const roles = ctx.read(readRoles).filter((r) => !r.archived);
    const activities = ctx.read(readActivities).filter((a) => !a.archived);
    const activePeople = new Set(ctx.read(readPeople).filter((p) => !p.archived).map((p) => p.id));
    const held = roles.filter((r) => r.holders.some((id) => activePeople.has(id)));
    const checks = activities.map((a) => ({ a, check: accountableCheck(a, roles) }));
    const gaps = [
      ...roles.filter((r) => !held.includes(r)).map((r) => `${r.name}: nobody holds this role`),
      ...roles.filter((r) => !r.responsibilities.trim()).map((r) => `${r.name}: responsibilities not written down`),
      ...checks.filter((c) => c.check.warning).map((c) => `RACI, ${c.a.name}: ${c.check.warning}`),
    ];
    if (roles.length === 0) gaps.push('No security roles documented: add them under Roles & RACI');
    if (roles.length > 0 && activities.length === 0) gaps.push('No RACI matrix: add the security activities and who is responsible, accountable, consulted and informed.');
    const roleTable = rolesCsv(roles, ctx.nameOf, '');
    const raci = raciCsv(activities, roles, '');
    return {
      title: 'Security roles and RACI',
      intro: [
        `${plural(roles.length, 'security role')} documented, ${held.length} held by someone active.`,
        activities.length ? `RACI matrix: ${plural(activities.length, 'activity', 'activities')}, ${checks.filter((c) => !c.check.warning).length} with exactly one role accountable.` : 'No RACI matrix yet.',
      ],
      tables: [
        { ...roleTable, file: 'roles', title: 'Roles and holders', pdf: { columns: [0, 1, 2], widths: [1.4, 3.2, 2] } },
        {
          file: '',
          title: 'RACI matrix: who is responsible, accountable, consulted and informed',
          columns: ['Activity', 'Responsible', 'Accountable', 'Consulted', 'Informed', 'Check'],
          rows: checks.map(({ a, check }) => [a.name, ...(['R', 'A', 'C', 'I'] as const).map((letter) => roles.filter((r) => a.raci[r.id] === letter).map((r) => r.name).join(', ')), check.warning ?? 'OK']),
          pdf: { columns: [0, 1, 2, 3, 4, 5], widths: [2, 1.4, 1.4, 1.4, 1.4, 1.6] },
        },
        { ...raci, file: 'raci', title: 'RACI matrix (activities × roles)' },
      ],
      summary: [
        {
          requirement: 'roles',
          figures: [`${plural(roles.length, 'role')} documented, ${held.length} held`, ...(activities.length ? [`RACI: ${checks.filter((c) => !c.check.warning).length} of ${activities.length} activities with one accountable role`] : [])],
          gaps,
          missing: roles.length === 0,
        },
      ],
      records: [...roles, ...activities],
    };
  },
};
