import type { CsvValue } from '../../evidence/csv';
import type { PackContext } from '../../evidence/context';
import { activeOn } from '../../evidence/format';
import { byTeamThenName, matrixPdf, NOT_ACKNOWLEDGED, NOT_APPLICABLE } from '../../evidence/matrix';
import type { PackTable } from '../../evidence/types';
import { scopedPeople } from '../people/model';
import { type Course, readCompletions, readCourses, type TrainingCell, trainingCells, type TrainingInput } from './model';

/*
 * Where each person stands on the period's last day on the courses, computed
 * once per pack and shared by the training section, its matrix and the new
 * hires' section (so the figures cannot disagree).
 */

export interface TrainingStanding {
  input: TrainingInput;
  cells: TrainingCell[];
  /** Active courses, in title order. */
  courses: Course[];
  /** personId → courseId → cell (only required pairs). */
  byPerson: Map<string, Map<string, TrainingCell>>;
}

export function trainingStanding(ctx: PackContext): TrainingStanding {
  return ctx.memo('standing:training', () => {
    const asOf = ctx.asOf;
    const input: TrainingInput = { people: scopedPeople(ctx).filter((p) => activeOn(p, asOf)), courses: ctx.read(readCourses), completions: ctx.read(readCompletions), rolesByPerson: ctx.rolesByPerson, today: asOf };
    const cells = trainingCells(input);
    const byPerson = new Map<string, Map<string, TrainingCell>>();
    for (const c of cells) {
      const own = byPerson.get(c.person.id) ?? new Map<string, TrainingCell>();
      own.set(c.course.id, c);
      byPerson.set(c.person.id, own);
    }
    return { input, cells, courses: ctx.read(readCourses).filter((c) => !c.archived), byPerson };
  });
}

/** Every active person × every active course they must do: their latest completion and whether it still counts. */
export function trainingMatrix(ctx: PackContext): PackTable {
  const st = trainingStanding(ctx);
  const people = st.input.people.filter((p) => st.byPerson.has(p.id)).sort(byTeamThenName);
  const rows: CsvValue[][] = people.map((p) => {
    const own = st.byPerson.get(p.id)!;
    return [
      p.name,
      p.team,
      ...st.courses.map((course) => {
        const c = own.get(course.id);
        if (!c) return NOT_APPLICABLE;
        if (!c.completion) return NOT_ACKNOWLEDGED;
        const on = c.completion.completedOn;
        return c.status === 'expired' ? `Expired ${c.completion.expiresOn}` : c.status === 'expiring' ? `Expiring ${c.completion.expiresOn}` : on;
      }),
    ];
  });
  return {
    file: 'training-by-person',
    title: 'Every person × course: day of the completion that counts',
    columns: ['Person', 'Team', ...st.courses.map((c) => c.title)],
    rows,
    pdf: matrixPdf(st.courses.length, `A date: completed that day, still valid. "${NOT_ACKNOWLEDGED}": never done. "Expired …" / "Expiring …": the day it stops counting. "${NOT_APPLICABLE}": not required of them. Every completion with its evidence is in csv/training-log.csv.`),
  };
}
