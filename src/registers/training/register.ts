import { defineRegister } from '../../ui/register';
import { createTrainingStore, type TrainingStore } from './store';
import { trainingCompletionRate, trainingGaps } from './model';
import type { Session } from '../../ui/session';
import { trainingDuties } from './due';

declare module '../../store/registers' { interface RegisterDocuments { training: true; } }
declare module '../../ui/session' { interface RegisterStores { training: TrainingStore; } }

/** The courses' input as Home reads it: the people the viewer may see (src/domain/permissions.ts). */
const trainingInput = (s: Session, today: string) => ({ people: s.access.visiblePeople(), courses: s.training.courses(), completions: s.training.completions(), rolesByPerson: s.roles.byPerson(), today });

export const register = defineRegister({
  rights: () => import('./rights'),
  name: 'training',
  label: 'Training',
  document: { name: 'training', home: true, access: { write: { owner: 'any', manager: 'any', staff: 'own-entries' }, audience: 'person' } },
  stores: [{ key: 'training', when: 'home', create: (s) => createTrainingStore(s.docs.training) }],
  sections: [
    { section: 'training', label: 'Training', icon: 'M2 9l10-5 10 5-10 5zM6 11v5c3 2 9 2 12 0v-5', blurb: 'Training log and renewals', screen: () => import('./Screen'), roles: ['owner', 'manager', 'staff'], order: 70 },
  ],
  health: {
    order: 20,
    gaps: (s, today) => trainingGaps(trainingInput(s, today)),
    rate: { key: 'training', of: (s, today) => trainingCompletionRate(trainingInput(s, today)) },
  },
  due: { duties: (s, today) => trainingDuties({ people: s.people.all(), courses: s.training.courses(), completions: s.training.completions(), rolesByPerson: s.roles.byPerson(), today }) },
});
