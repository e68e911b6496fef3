import { createMemo } from 'solid-js';
import { localIsoDate } from '../../domain/dates';
import type { Session } from '../../ui/session';
import type { CompletionRow } from './export';
import { type Course, entryStatus, type TrainingCell, trainingCells, type TrainingInput } from './model';

/** Case- and accent-folded text, for a search over 10,000 rows that does not re-fold every row per keystroke. */
export const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

export interface LogRow extends CompletionRow {
  /** Folded text the search looks in. */
  haystack: string;
}

/**
 * Derived training facts for the screens: today's date, the gap input, the
 * matrix cells and the log rows. Rows are built once per change of the data;
 * filters only walk them.
 */
export function createTrainingFacts(s: Session) {
  const today = localIsoDate();
  const input = createMemo<TrainingInput>(() => ({
    // Member roles: staff see their own training, managers their team's (src/domain/permissions.ts).
    people: s.access.visiblePeople(),
    courses: s.training.courses(),
    completions: s.training.completions(),
    rolesByPerson: s.roles.byPerson(),
    today,
  }));
  const cells = createMemo(() => trainingCells(input()));
  const cellsByCourse = createMemo(() => {
    const map = new Map<string, TrainingCell[]>();
    for (const c of cells()) map.set(c.course.id, [...(map.get(c.course.id) ?? []), c]);
    return map;
  });
  const rows = createMemo<LogRow[]>(() => {
    const people = s.people.byId();
    const courses = s.training.courseById();
    const visible = s.access.visibleIds();
    return s.training.allCompletions().filter((c) => visible.has(c.personId)).map((completion) => {
      const p = people.get(completion.personId);
      const course = courses.get(completion.courseId);
      const personName = p?.name ?? 'Unknown person';
      const team = p?.team ?? '';
      const courseTitle = course?.title ?? 'Unknown course';
      return {
        completion,
        personName,
        team,
        courseTitle,
        status: entryStatus(completion, today),
        haystack: fold(`${personName}\n${team}\n${courseTitle}\n${completion.provider}\n${completion.evidence}\n${completion.completedOn}`),
      };
    });
  });
  return {
    today,
    input,
    cells,
    cellsFor: (courseId: string) => cellsByCourse().get(courseId) ?? [],
    rows,
    rolesOf: (personId: string) => s.roles.rolesOf(personId),
    roleName: (id: string) => s.roles.byId().get(id)?.name ?? '',
  };
}

export type TrainingFacts = ReturnType<typeof createTrainingFacts>;

/** Counts of each status among a course's cells. */
export function statusCounts(cells: readonly TrainingCell[]): Record<TrainingCell['status'], number> {
  const counts = { valid: 0, expiring: 0, expired: 0, missing: 0 };
  for (const c of cells) counts[c.status] += 1;
  return counts;
}

/** "Everyone", or "Ops team, ISMS manager". */
export function audienceText(course: Course, roleName: (id: string) => string): string {
  const a = course.audience;
  if (a.everyone) return 'Everyone';
  const parts = [...a.teams.map((t) => `${t} team`), ...a.roles.map((r) => roleName(r) || 'Unknown role')];
  return parts.length ? parts.join(', ') : 'Nobody';
}

export const STATUS_TONE = { valid: 'ok', expiring: 'warn', expired: 'bad', missing: 'bad', voided: 'muted' } as const;
