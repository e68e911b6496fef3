import { formatDate } from '../../domain/dates';
import { activeOn, plural } from '../../evidence/format';
import type { RegisterPack } from '../../evidence/context';
import { peopleCsv } from './export';
import { readPeople, scopedPeople } from './model';

/** Evidence pack: everyone in the teams in scope, with their team, start date and manager. */
export const pack: RegisterPack = {
  register: 'people',
  title: 'People',
  requirements: [],
  order: 10,
  // People say who is in which team: the pack's scope reads it here (src/export/pack/context.ts).
  directory: readPeople,
  build(ctx) {
    const people = scopedPeople(ctx);
    const active = people.filter((p) => activeOn(p, ctx.asOf));
    const joiners = people.filter((p) => p.startDate && ctx.inPeriod(p.startDate));
    const teams = [...new Set(active.map((p) => p.team))].sort((a, b) => a.localeCompare(b));
    const intro = people.length
      ? [
          `${plural(active.length, 'person', 'people')} active on ${formatDate(ctx.asOf)} in ${plural(teams.length, 'team')}${teams.length ? ` (${teams.join(', ')})` : ''}; ${plural(people.filter((p) => p.archived).length, 'person', 'people')} marked as left.`,
          `${plural(joiners.length, 'person', 'people')} joined during the period.`,
        ]
      : ['Nobody is in People for the teams in scope. Add people under People: every other register refers to them.'];
    return {
      title: 'People',
      intro,
      tables: [
        {
          ...peopleCsv(people, ctx.nameOf, ''),
          file: 'people',
          title: 'People',
          pdf: { columns: [0, 2, 3, 4, 5, 6], widths: [2.2, 1.3, 2, 1.2, 1.8, 0.8] },
        },
      ],
      summary: [],
      records: people,
    };
  },
};
