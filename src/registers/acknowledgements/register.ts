import { defineRegister } from '../../ui/register';
import { policyRate } from './model';
import { createAcknowledgementStore, type AcknowledgementStore } from './store';
import { acknowledgementRate, policyGaps } from './model';
import type { Session } from '../../ui/session';

declare module '../../store/registers' { interface RegisterDocuments { acknowledgements: true; } }
declare module '../../ui/session' { interface RegisterStores { acknowledgements: AcknowledgementStore; } }

/** The policies' input as Home reads it: the people the viewer may see (src/domain/permissions.ts). */
const policyInput = (s: Session, today: string) => ({ people: s.access.visiblePeople(), policies: s.policies.all(), publications: s.policies.publications(), acks: s.acknowledgements.all(), rolesByPerson: s.roles.byPerson(), today });

export const register = defineRegister({
  rights: () => import('./rights'),
  // A staff member's My policies shows their own acknowledgements; the ones that do not count are listed with the policies.
  notCountedIn: ['policies'],
  name: 'acknowledgements',
  label: 'Acknowledgements',
  document: { name: 'acknowledgements', home: true, access: { write: { owner: 'any', manager: 'any', staff: 'own-entries' }, audience: 'person' } },
  stores: [{ key: 'acknowledgements', when: 'home', create: (s) => createAcknowledgementStore(s.docs.acknowledgements) }],
  sections: [
    { section: 'my-policies', label: 'My policies', icon: 'M6 3h9l3 3v15H6zM9 12l2 2 4-4', blurb: 'Read and acknowledge the policies that apply to you', screen: () => import('./Screen'), roles: ['owner', 'manager', 'staff'], order: 50 },
  ],
  contributes: {
    'policy-detail': () => import('./PolicyAcknowledgements'),
    'policy-rate': (s) => {
      // Read once per call (inside the policy list's memo): over the people this device sees (managers: their teams).
      const input = { people: s.access.visiblePeople(), publications: s.policies.publications(), acks: s.acknowledgements.all(), rolesByPerson: s.roles.byPerson() };
      return (p) => policyRate(p, input);
    },
  },
  health: {
    order: 10,
    gaps: (s, today) => policyGaps(policyInput(s, today)),
    rate: { key: 'ack', of: (s, today) => acknowledgementRate(policyInput(s, today)) },
  },
});
