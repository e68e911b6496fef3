import { computeKpis, type KpiInput } from './kpis';
import type { Session } from '../../ui/session';
import { kpiInputOf } from './kpi-input';
import { type ManagementReview, previousActions, type ReviewInputs } from './model';

export { localDayOf } from '../../domain/dates';

type ReviewSession = Pick<Session, 'source' | 'roles' | 'reviews'> & Partial<Pick<Session, 'speakup'>>;

/** The registers as `computeKpis` reads them, with the earlier reviews' actions of `review`: the pack's reading of the live documents. */
export const kpiInput = (s: ReviewSession, review: ManagementReview): KpiInput => kpiInputOf(s.source, review, { rolesByPerson: s.roles.byPerson(), speakUp: s.speakup?.reviewRows() });

/** What a review shows as computed inputs right now: earlier actions still open and the KPIs of its period. */
export function liveInputs(s: ReviewSession, review: ManagementReview): ReviewInputs {
  return {
    previousActions: previousActions(s.reviews.all(), review),
    kpis: computeKpis(kpiInput(s, review), { from: review.periodFrom, to: review.periodTo }),
  };
}
