import { defineRegister } from '../../ui/register';
import { createAgreementStore, type AgreementStore } from './store';
import { agreementGaps } from './model';
import { agreementDuties } from './due';

declare module '../../store/registers' { interface RegisterDocuments { agreements: true; } }
declare module '../../ui/session' { interface RegisterStores { agreements: AgreementStore; } }

export const register = defineRegister({
  name: 'agreements',
  label: 'Agreements',
  document: { name: 'agreements', home: true, access: { audience: 'person-only' } },
  stores: [{ key: 'agreements', when: 'home', create: (s) => createAgreementStore(s.docs.agreements) }],
  sections: [
    { section: 'agreements', label: 'Agreements', icon: 'M5 3h10l4 4v14H5zM8 17c2-3 3 1 5-2', blurb: 'Contracts and agreements with security clauses', screen: () => import('./Screen'), order: 100 },
  ],
  health: { order: 30, gaps: (s, today) => agreementGaps({ people: s.access.visiblePeople(), agreements: s.agreements.all(), today }) },
  due: { duties: (s, today) => agreementDuties({ people: s.people.all(), agreements: s.agreements.all(), today }) },
});
