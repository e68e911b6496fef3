import { localIsoDate } from '../../domain/dates';
import { computeKpis, type KpiInput } from './kpis';
import type { Session } from '../../ui/session';
import { liveWorkspaceCreated } from '../checklists/model';
import { type ManagementReview, previousActions, type ReviewInputs, reviewKpiActions } from './model';

/** The device's calendar day of a timestamp: a sign-off at 00:30 in London on 1 Oct is 1 Oct. */
export const localDayOf = (at: string) => {
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? at.slice(0, 10) : localIsoDate(d);
};

type ReviewSession = Pick<Session, 'members' | 'people' | 'roles' | 'policies' | 'acknowledgements' | 'training' | 'checklists' | 'briefings' | 'agreements' | 'reviews'> & Partial<Pick<Session, 'speakup'>>;

/** The registers as `computeKpis` reads them, with the earlier reviews' actions of `review`. */
export function kpiInput(s: ReviewSession, review: ManagementReview): KpiInput {
  return {
    people: s.people.all(),
    rolesByPerson: s.roles.byPerson(),
    policies: s.policies.all(),
    publications: s.policies.publications(),
    acks: s.acknowledgements.all(),
    courses: s.training.courses(),
    completions: s.training.completions(),
    checklists: s.checklists.all(),
    checklistEntries: s.checklists.entries(),
    briefings: s.briefings.all(),
    reviewActions: reviewKpiActions(s.reviews.all(), review),
    agreements: s.agreements.all(),
    // Speak-up: days received and closed only, never content; left out while the channel is not in use.
    ...(s.speakup?.reviewRows() ? { speakUp: s.speakup.reviewRows() } : {}),
    dayOf: localDayOf,
    workspaceCreated: liveWorkspaceCreated(s),
  };
}

/** What a review shows as computed inputs right now: earlier actions still open and the KPIs of its period. */
export function liveInputs(s: ReviewSession, review: ManagementReview): ReviewInputs {
  return {
    previousActions: previousActions(s.reviews.all(), review),
    kpis: computeKpis(kpiInput(s, review), { from: review.periodFrom, to: review.periodTo }),
  };
}
