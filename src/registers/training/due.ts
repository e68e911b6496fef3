import { type Duty, dueStatus } from '../../domain/schedules';
import type { Person } from '../people/model';
import { type Completion, type Course, trainingCells } from './model';

/* What is due of the training: renewals (src/registers/due/ gathers it from the descriptor). */

const query = (params: Record<string, string>) => new URLSearchParams(params).toString();
export const renewTrainingHref = (courseId: string, personId: string) => `#/training/new?${query({ course: courseId, person: personId })}`;

/**
 * One duty per active person and required course whose completion expires:
 * renew by the expiry date (the last day it counts). 20 days before, it is due
 * this month; the day after, overdue.
 */
export function trainingDuties(input: {
  people: readonly Person[];
  courses: readonly Course[];
  completions: readonly Completion[];
  rolesByPerson: ReadonlyMap<string, string[]>;
  today: string;
}): Duty[] {
  const cells = trainingCells({
    people: [...input.people],
    courses: [...input.courses],
    completions: [...input.completions],
    rolesByPerson: input.rolesByPerson as Map<string, string[]>,
    today: input.today,
  });
  const duties: Duty[] = [];
  for (const { person, course, completion } of cells) {
    if (!completion?.expiresOn) continue;
    duties.push({
      id: `training:${person.id}:${course.id}`,
      kind: 'training-renewal',
      title: `Renew ${course.title}`,
      due: completion.expiresOn,
      personId: person.id,
      ...(person.team ? { team: person.team } : {}),
      href: renewTrainingHref(course.id, person.id),
      status: dueStatus(completion.expiresOn, input.today),
    });
  }
  return duties;
}
