import { isIsoDate } from '../../domain/dates';
import { DEFAULT_SCHEDULE, type Duty, dueStatus, nextManagementReview } from '../../domain/schedules';
import type { Session } from '../../ui/session';
import type { DueEntry } from '../../ui/register';
import { teamOfPerson } from '../people/model';
import { latestReview, reviewDueActions } from './model';

/* What is due of the management reviews (src/registers/due/ gathers it from the descriptor). */

/** Where a management review is held: a new review (the reviews register pulls in last review's actions and the KPIs). */
export const REVIEWS_HREF = '#/reviews/new';

/**
 * What the due list needs of the management reviews register: the date of the
 * last review held. Kept minimal so the reviews register can change shape
 * freely; `src/registers/due/collect.ts` `managementReviewInput` fills it.
 */
export interface ManagementReviewInput {
  /** ISO date of the last management review held; undefined when none is on record. */
  lastReviewDate?: string | undefined;
}

/** The next quarterly management review (Clause 9.3): `everyMonths` after the last one, or today when none is on record. */
export function managementReviewDuties(input: ManagementReviewInput & { today: string; everyMonths?: number }): Duty[] {
  const due = nextManagementReview(input.lastReviewDate, input.today, input.everyMonths ?? DEFAULT_SCHEDULE.reviewEveryMonths);
  return [
    {
      id: 'management-review',
      kind: 'management-review',
      title: input.lastReviewDate ? 'Quarterly management review' : 'First management review',
      due,
      href: REVIEWS_HREF,
      status: dueStatus(due, input.today),
    },
  ];
}

/**
 * What Due reads of this register: the meeting date of the latest review held
 * (not archived, dated today or earlier; approved or not: the meeting took
 * place). No review on record: the first one is due today.
 */
export function liveReviewInput(s: Pick<Session, 'reviews'>, today: string): ManagementReviewInput {
  const held = s.reviews.all().filter((r) => isIsoDate(r.date) && r.date <= today);
  const last = latestReview(held);
  return last ? { lastReviewDate: last.date } : {};
}

/** This register's part of Due (its descriptor's `due`, once the store has loaded after Home: see ./register.ts). */
export const reviewsDue: Required<DueEntry> = {
  duties: (s, today) => managementReviewDuties({ ...liveReviewInput(s, today), today }),
  actions: (s) => reviewDueActions(s.reviews.all(), teamOfPerson(s.people.all())),
};
