import { defineRegister } from '../../ui/register';
import { createTrainingStore, type TrainingStore } from './store';

declare module '../../store/registers' {
  interface RegisterDocuments {
    training: true;
  }
}
declare module '../../ui/session' {
  interface RegisterStores {
    training: TrainingStore;
  }
}

export const register = defineRegister({
  name: 'training',
  label: 'Training',
  document: { name: 'training', home: true },
  stores: [
    { key: 'training', when: 'home', create: (s) => createTrainingStore(s.docs.training) },
  ],
  sections: [
    { section: 'training', label: 'Training', icon: 'M2 9l10-5 10 5-10 5zM6 11v5c3 2 9 2 12 0v-5', blurb: 'Training log and renewals', screen: () => import('./Screen'), roles: ['owner', 'manager', 'staff'], order: 70 },
  ],
});
