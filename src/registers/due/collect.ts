import { type Accessor, createMemo, createSignal, onCleanup } from 'solid-js';
import { isIsoDate, localIsoDate } from '../../domain/dates';
import { actionDuties, type Duty, sortDuties } from '../../domain/schedules';
import type { Session } from '../../ui/session';
import { liveWorkspaceCreated } from '../checklists/model';
import { latestReview } from '../reviews/model';
import { agreementDuties, checklistDuties, dueActionsOf, type ManagementReviewInput, managementReviewDuties, policyReviewDuties, trainingDuties } from './model';

/** The registers the due list reads. */
export type DueSession = Pick<Session, 'people' | 'checklists' | 'policies' | 'training' | 'roles' | 'agreements' | 'reviews' | 'briefings' | 'members'>;

/** The local day the workspace started (`workspaceCreatedOn`), from the session's registers (the checklists register's rule). */
export const workspaceCreated = liveWorkspaceCreated;

/**
 * The one place the due list reads the management reviews register
 * (src/registers/reviews/): the meeting date of the latest review held (not
 * archived, dated today or earlier; approved or not: the meeting took place).
 * No review on record: the first one is due today.
 */
export function managementReviewInput(s: DueSession, today: string): ManagementReviewInput {
  const held = s.reviews.all().filter((r) => isIsoDate(r.date) && r.date <= today);
  const last = latestReview(held);
  return last ? { lastReviewDate: last.date } : {};
}

/**
 * Today's local date as a signal: rechecked every minute and when the app
 * comes back to the foreground, so a phone left open overnight moves on.
 */
export function createToday(): Accessor<string> {
  const [today, setToday] = createSignal(localIsoDate());
  const refresh = () => setToday(localIsoDate());
  const timer = setInterval(refresh, 60_000);
  document.addEventListener('visibilitychange', refresh);
  onCleanup(() => {
    clearInterval(timer);
    document.removeEventListener('visibilitychange', refresh);
  });
  return today;
}

/**
 * Every duty of the workspace, kept up to date. Each kind is its own memo, so
 * an edit to one register recomputes only that register's duties (a checklist
 * answer does not walk 10,000 training records).
 */
export function createDue(s: DueSession, today: Accessor<string>): Accessor<Duty[]> {
  const checklists = createMemo(() =>
    checklistDuties({ people: s.people.all(), checklists: s.checklists.all(), checklistEntries: s.checklists.entries(), today: today(), workspaceCreated: workspaceCreated(s) }),
  );
  const review = createMemo(() => managementReviewDuties({ ...managementReviewInput(s, today()), today: today() }));
  const policies = createMemo(() =>
    policyReviewDuties({ people: s.people.all(), policies: s.policies.all(), publications: s.policies.publications(), reviews: s.policies.reviews(), today: today() }),
  );
  const training = createMemo(() =>
    trainingDuties({ people: s.people.all(), courses: s.training.courses(), completions: s.training.completions(), rolesByPerson: s.roles.byPerson(), today: today() }),
  );
  const agreements = createMemo(() => agreementDuties({ people: s.people.all(), agreements: s.agreements.all(), today: today() }));
  const actions = createMemo(() => actionDuties(dueActionsOf({ briefings: s.briefings.all(), reviews: s.reviews.all(), checklists: s.checklists.all(), people: s.people.all() }), today()));
  return createMemo(() => sortDuties([...checklists(), ...review(), ...policies(), ...training(), ...agreements(), ...actions()]));
}
