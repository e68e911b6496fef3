import { type DueEntry, defineRegister, type Panel } from '../../ui/register';
import type { ManagementReview } from './model';
import type { ReviewStore } from './store';

declare module '../../store/registers' { interface RegisterDocuments { reviews: true; } }
declare module '../../ui/register' {
  interface Slots {
    /** Below a review's actions: what other registers link to it (resources: the approvals decided there). */
    'review-detail': Panel<{ review: ManagementReview }>;
  }
}
declare module '../../ui/session' { interface RegisterStores { reviews: ReviewStore; } }

/** Its part of Due, from ./due.ts: loaded with the store, after Home (reviews are an owner's, and not on Home's path). */
let due: DueEntry | undefined;

export const register = defineRegister({
  rights: () => import('./rights'),
  name: 'reviews',
  label: 'Management reviews',
  document: { name: 'reviews', access: { read: ['owner'] } },
  stores: [
    {
      key: 'reviews',
      when: 'later',
      load: () =>
        Promise.all([import('./store'), import('./due')]).then(([store, hooks]) => {
          due = hooks.reviewsDue;
          return (s) => store.createReviewStore(s.docs.reviews);
        }),
    },
  ],
  sections: [
    { section: 'reviews', label: 'Management reviews', icon: 'M4 5h16v11H9l-5 4zM8 9h8M8 12h5', blurb: 'Quarterly reviews (Clause 9.3): inputs, KPIs, decisions, actions', screen: () => import('./Screen'), order: 120, later: true },
  ],
  // Called only once the later stores are in (src/registers/due/collect.ts).
  due: { duties: (s, today) => due?.duties?.(s, today) ?? [], actions: (s) => due?.actions?.(s) ?? [] },
});
