import type { Session } from '../../ui/session';
import { validCourseIds } from '../training/model';
import type { CompetencyInput } from './model';

/**
 * What the competency functions need, read from the open workspace: the roles
 * register for holders, the training log for valid course completions.
 * Call inside a memo or effect: it reads the stores.
 */
export function competencyInput(s: Session, today: string): CompetencyInput {
  const completions = s.training.completions();
  return {
    people: s.people.all(),
    roles: s.roles.all(),
    competences: s.competency.competences(),
    holdings: s.competency.holdings(),
    validCourses: (personId) => validCourseIds(personId, completions, today),
    today,
  };
}

/** Title of a training course, or '' when it is not (yet) on this device. */
export const courseTitleOf = (s: Session) => (courseId: string) => s.training.courseById().get(courseId)?.title ?? '';
