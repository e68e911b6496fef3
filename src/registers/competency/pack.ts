import { plural, personGaps } from '../../evidence/format';
import type { RegisterPack } from '../../evidence/context';
import { courseTitles, readCompletions, validCourseIds } from '../training/model';
import { competencesCsv, competencyMatrixCsv } from './export';
import { competenceGaps, type CompetencyInput, readCompetences, readHoldings, roleMatrix } from './model';
import { scopedPeople } from '../people/model';
import { readRoles, roleNames } from '../roles/model';

/** Evidence pack: what each security role requires, and whether its holders meet it (A 7.2 via A 5.4). */
export const pack: RegisterPack = {
  register: 'competency',
  title: 'Competency',
  requirements: ['competence'],
  order: 30,
  build(ctx) {
    const completions = ctx.read(readCompletions);
    const input: CompetencyInput = {
      people: scopedPeople(ctx),
      roles: ctx.read(readRoles),
      competences: ctx.read(readCompetences),
      holdings: ctx.read(readHoldings),
      validCourses: (personId) => validCourseIds(personId, completions, ctx.asOf),
      today: ctx.asOf,
    };
    const rows = ctx.read(readRoles).flatMap((role) => roleMatrix(role, input));
    const cells = rows.flatMap((r) => r.cells);
    const met = cells.filter((c) => !c.status.gap).length;
    const active = ctx.read(readCompetences).filter((c) => !c.archived);
    const gaps = personGaps(competenceGaps(input), ctx);
    const matrix = competencyMatrixCsv(rows, courseTitles(ctx), '');
    return {
      title: 'Competency',
      intro: active.length
        ? [`${plural(active.length, 'competence')} required by the security roles. ${rows.length} role holdings in scope; ${met} of ${cells.length} required competences met.`]
        : ['No competences are defined for the security roles. Add them under Competency: what each role requires, and at what level.'],
      tables: [
        { ...matrix, file: 'competency-matrix', title: 'Competency matrix: holders × required competences', pdf: { columns: [0, 1, 2, 4, 6, 7, 9], widths: [1.6, 1.4, 1.8, 0.7, 0.7, 1.5, 1.6] } },
        { ...competencesCsv(ctx.read(readCompetences), roleNames(ctx), courseTitles(ctx), ''), file: 'competences', title: 'Competences and what each role requires', pdf: { columns: [0, 1, 2, 3, 4], widths: [1.6, 0.9, 1.4, 3, 0.8] } },
      ],
      summary: [
        {
          requirement: 'competence',
          figures: active.length ? [`${met} of ${cells.length} required competences met by role holders`] : ['No competences defined'],
          gaps: active.length ? gaps : ['No competences defined for the security roles'],
          missing: active.length === 0,
        },
      ],
      records: [...ctx.read(readCompetences), ...ctx.read(readHoldings).filter((h) => ctx.personInScope(h.personId)), ...rows.map((r) => ({ personId: r.person.id, roleId: r.role.id, cells: r.cells.map((c) => ({ competenceId: c.competence.id, ...c.status, holding: undefined })) }))],
    };
  },
};
