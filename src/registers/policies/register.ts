import { defineRegister, type Panel } from '../../ui/register';
import type { Session } from '../../ui/session';
import type { Policy, Publication } from './model';
import { createPolicyStore, type PolicyStore } from './store';
import { policyReviewDuties } from './due';

declare module '../../store/registers' { interface RegisterDocuments { policies: true; } }
declare module '../../ui/session' { interface RegisterStores { policies: PolicyStore; } }
declare module '../../ui/register' {
  interface Slots {
    /** A panel on a policy's detail, under its actions; `current`: the published version, if any. */
    'policy-detail': Panel<{ policy: Policy; current: Publication | undefined }>;
    /** How many of the people a policy applies to (those this device sees) have done what it asks: the list, the detail, the CSV. */
    'policy-rate': (s: Session) => (p: Policy) => { done: number; total: number; percent?: number };
  }
}

export const register = defineRegister({
  rights: () => import('./rights'),
  name: 'policies',
  label: 'Policies',
  document: { name: 'policies', home: true, access: { write: { owner: 'any', manager: 'any' } } },
  stores: [{ key: 'policies', when: 'home', create: (s) => createPolicyStore(s.docs.policies) }],
  sections: [
    { section: 'policies', label: 'Policies', icon: 'M6 3h9l3 3v15H6zM9 9h6M9 13h6M9 17h4', blurb: 'Policy list, versions, reviews, acknowledgements', screen: () => import('./Screen'), roles: ['owner', 'manager'], order: 60 },
  ],
  due: { duties: (s, today) => policyReviewDuties({ people: s.people.all(), policies: s.policies.all(), publications: s.policies.publications(), reviews: s.policies.reviews(), today }) },
});
