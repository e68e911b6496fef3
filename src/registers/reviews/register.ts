import { defineRegister, type Panel } from '../../ui/register';
import type { ManagementReview } from './model';
import { createReviewStore, type ReviewStore } from './store';
import { liveReviewInput, managementReviewDuties } from './due';
import { reviewDueActions } from './model';
import { teamOfPerson } from '../people/model';

declare module '../../store/registers' { interface RegisterDocuments { reviews: true; } }
declare module '../../ui/register' {
  interface Slots {
    /** Below a review's actions: what other registers link to it (resources: the approvals decided there). */
    'review-detail': Panel<{ review: ManagementReview }>;
  }
}
declare module '../../ui/session' { interface RegisterStores { reviews: ReviewStore; } }

export const register = defineRegister({
  rights: () => import('./rights'),
  name: 'reviews',
  label: 'Management reviews',
  document: { name: 'reviews', access: { read: ['owner'] } },
  stores: [{ key: 'reviews', when: 'home', create: (s) => createReviewStore(s.docs.reviews) }],
  sections: [
    { section: 'reviews', label: 'Management reviews', icon: 'M4 5h16v11H9l-5 4zM8 9h8M8 12h5', blurb: 'Quarterly reviews (Clause 9.3): inputs, KPIs, decisions, actions', screen: () => import('./Screen'), order: 120, later: true },
  ],
  due: {
    duties: (s, today) => managementReviewDuties({ ...liveReviewInput(s, today), today }),
    actions: (s) => reviewDueActions(s.reviews.all(), teamOfPerson(s.people.all())),
  },
});
