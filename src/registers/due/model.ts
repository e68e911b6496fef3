import { actionDuties, type DueAction, DEFAULT_SCHEDULE, type Duty, type ScheduleSettings, sortDuties } from '../../domain/schedules';
import type { SignOffEntry } from '../../domain/signoff';
import { type Agreement } from '../agreements/model';
import { agreementDuties } from '../agreements/due';
import { type Briefing, briefingDueActions } from '../briefings/model';
import { type ManagementReview, reviewDueActions } from '../reviews/model';
import { type ManagementReviewInput, managementReviewDuties } from '../reviews/due';
import { type Checklist, checklistDueActions } from '../checklists/model';
import { checklistDuties } from '../checklists/due';
import { type Person, teamOfPerson } from '../people/model';
import type { Policy, Publication, Review } from '../policies/model';
import { policyReviewDuties } from '../policies/due';
import type { Completion, Course } from '../training/model';
import { trainingDuties } from '../training/due';

// Each register's rule lives in its own due.ts; the pack (./pack.ts) and these tests read them through here.
export { agreementDuties } from '../agreements/due';
export { checklistDuties, checklistHref, newChecklistHref, teamManager } from '../checklists/due';
export { teamOfPerson } from '../people/model';
export { policyReviewDuties, policyReviewHref } from '../policies/due';
export { type ManagementReviewInput, managementReviewDuties, REVIEWS_HREF } from '../reviews/due';
export { renewTrainingHref, trainingDuties } from '../training/due';

/**
 * "What is due": the recurring duties of the workspace, gathered from the
 * registers by their own rules (checklist status, last evidenced policy
 * review, training cells, agreement expiry) and scheduled by
 * src/domain/schedules.ts. Pure: `today` and every register's content are
 * parameters, so the same data gives the same list on every device.
 *
 * Open actions with a due date come from the registers that hold them: each
 * gives its `DueAction`s through one pure function (`briefingDueActions`,
 * `reviewDueActions`, `checklistDueActions`; `dueActionsOf` below lists them), and `actionDuties`
 * schedules them, overdue however long ago.
 *
 * Not listed here (they are gaps on the dashboard, with no date to schedule):
 * training never done, agreements missing or not signed.
 */

export interface DueSources {
  today: string;
  people: readonly Person[];
  checklists: readonly Checklist[];
  /** The checklists document's sign-off entries (store `entries()`). */
  checklistEntries: readonly SignOffEntry[];
  policies: readonly Policy[];
  publications: readonly Publication[];
  /** Evidenced policy reviews (policies store `reviews()`). */
  policyReviews: readonly Review[];
  courses: readonly Course[];
  /** Completions that count (not voided). */
  completions: readonly Completion[];
  /** personId → security role ids held (roles store `byPerson()`). */
  rolesByPerson: ReadonlyMap<string, string[]>;
  agreements: readonly Agreement[];
  managementReview: ManagementReviewInput;
  /** Open actions of every register that holds them (`dueActionsOf`). */
  actions?: readonly DueAction[];
  /** The local day the workspace was created: no checklist is owed for a month before it. */
  workspaceCreated?: string | undefined;
  schedule?: Partial<ScheduleSettings>;
}

// ---------- everything ----------

/** Every duty of the workspace on `today`, soonest first. */
export function due(src: DueSources): Duty[] {
  const schedule = { ...DEFAULT_SCHEDULE, ...src.schedule };
  const { today, people } = src;
  return sortDuties([
    ...checklistDuties({ people, checklists: src.checklists, checklistEntries: src.checklistEntries, today, lookbackMonths: schedule.checklistLookbackMonths, workspaceCreated: src.workspaceCreated }),
    ...managementReviewDuties({ ...src.managementReview, today, everyMonths: schedule.reviewEveryMonths }),
    ...policyReviewDuties({ people, policies: src.policies, publications: src.publications, reviews: src.policyReviews, today, everyMonths: schedule.policyReviewEveryMonths }),
    ...trainingDuties({ people, courses: src.courses, completions: src.completions, rolesByPerson: src.rolesByPerson, today }),
    ...agreementDuties({ people, agreements: src.agreements, today }),
    ...actionDuties(src.actions ?? [], today),
  ]);
}

/**
 * The open actions of every register that holds actions, as Due reads them.
 * A register with actions adds one line here: its own pure function from
 * its records to `DueAction`s.
 */
export function dueActionsOf(input: { briefings: readonly Briefing[]; reviews: readonly ManagementReview[]; checklists: readonly Checklist[]; people: readonly Person[] }): DueAction[] {
  const teamOf = teamOfPerson(input.people);
  return [...briefingDueActions(input.briefings), ...reviewDueActions(input.reviews, teamOf), ...checklistDueActions(input.checklists)];
}

