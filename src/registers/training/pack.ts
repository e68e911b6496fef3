import { formatDate } from '../../domain/dates';
import { personGaps, plural, rateText } from '../../evidence/format';
import type { RegisterPack } from '../../evidence/context';
import { trainingMatrix, trainingStanding } from './standing';
import { completionsCsv, type CompletionRow, matrixCsv } from './export';
import { type Course, courseTitles, entryStatus, readAllCompletions, readCourses, renewalLabel, trainingCompletionRate, trainingGaps } from './model';
import { readPeopleById } from '../people/model';

/**
 * Evidence pack: per course, who must do it and where they stand on the
 * period's last day; every completion recorded in the period (corrected ones
 * marked void); the gaps (missing, expired, expiring).
 */
export const pack: RegisterPack = {
  register: 'training',
  title: 'Training',
  requirements: ['training'],
  order: 50,
  build(ctx) {
    const asOf = ctx.asOf;
    const { input, cells } = trainingStanding(ctx);
    const rate = trainingCompletionRate(input);
    const gaps = personGaps(trainingGaps(input), ctx);
    const byCourse = new Map<string, typeof cells>();
    for (const c of cells) byCourse.set(c.course.id, [...(byCourse.get(c.course.id) ?? []), c]);
    const courses = ctx.read(readCourses).filter((c) => !c.archived);
    const courseRows = courses.map((course) => {
      const list = byCourse.get(course.id) ?? [];
      const n = (s: string) => list.filter((c) => c.status === s).length;
      return [course.title, renewalLabel(course.renewalMonths), list.length, n('valid'), n('expiring'), n('expired'), n('missing')];
    });
    const matrixRows = courses.flatMap((course) => matrixCsv(course, byCourse.get(course.id) ?? [], '').rows);
    const matrixColumns = matrixCsv({ title: '', renewalMonths: 0 } as Course, [], '').columns;
    const logged: CompletionRow[] = ctx.read(readAllCompletions)
      .filter((c) => ctx.inPeriod(c.completedOn) && ctx.personInScope(c.personId))
      .sort((a, b) => a.completedOn.localeCompare(b.completedOn) || a.id.localeCompare(b.id))
      .map((completion) => {
        const person = ctx.read(readPeopleById).get(completion.personId);
        return { completion, personName: person?.name ?? 'Unknown person', team: person?.team ?? '', courseTitle: courseTitles(ctx)(completion.courseId) || 'Unknown course', status: entryStatus(completion, asOf) };
      });
    return {
      title: 'Training',
      intro: courses.length
        ? [
            `Completion rate on ${formatDate(asOf)}: ${rateText(rate)} required (person, course) pairs hold a valid completion.`,
            `${plural(logged.length, 'completion')} recorded in the period${logged.some((r) => r.status === 'voided') ? `, of which ${logged.filter((r) => r.status === 'voided').length} later corrected (void)` : ''}.`,
          ]
        : ['No training courses yet. Add them under Training (for example the annual security awareness course) and record completions.'],
      tables: [
        { file: '', title: 'Courses: where people stand', columns: ['Course', 'Renewal', 'Required', 'Valid', 'Expiring', 'Expired', 'Missing'], rows: courseRows, pdf: { columns: [0, 1, 2, 3, 4, 5, 6], widths: [3, 1.4, 0.8, 0.7, 0.8, 0.8, 0.8] } },
        trainingMatrix(ctx),
        { file: 'training-matrix', title: 'Training matrix: every required person × course', columns: matrixColumns, rows: matrixRows },
        { ...completionsCsv(logged, ''), file: 'training-log', title: 'Completions recorded in the period', pdf: { columns: [0, 1, 2, 3, 4, 5, 7], widths: [1.6, 0.9, 1.8, 0.9, 0.9, 0.9, 1.4], limit: 60 } },
      ],
      summary: [
        {
          requirement: 'training',
          figures: courses.length ? [`Valid: ${rateText(rate)}`, `${plural(logged.length, 'completion')} recorded in the period`] : ['No courses'],
          gaps: courses.length ? gaps : ['No training courses recorded'],
          missing: courses.length === 0 || rate.total === 0,
        },
      ],
      records: logged.map((r) => r.completion),
    };
  },
  includeEntry(entry, ctx) {
    const e = entry as { kind?: unknown; completedOn?: unknown; at?: unknown; personId?: unknown };
    if (e.kind === 'completion' && typeof e.completedOn === 'string') return ctx.inPeriod(e.completedOn) && typeof e.personId === 'string' && ctx.personInScope(e.personId);
    return typeof e.at === 'string' && ctx.inPeriod(e.at) && ctx.allTeams;
  },
};
