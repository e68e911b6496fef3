import { defineRegister } from '../../ui/register';
import { createPeopleStore, type PeopleStore } from './store';

declare module '../../store/registers' { interface RegisterDocuments { people: true; } }
declare module '../../ui/session' { interface RegisterStores { people: PeopleStore; } }

export const register = defineRegister({
  name: 'people',
  label: 'People',
  document: { name: 'people', home: true, access: { write: { owner: 'any', manager: 'any' }, audience: 'directory', private: ['email', 'jobTitle', 'startDate', 'managerId'] } },
  stores: [{ key: 'people', when: 'home', create: (s) => createPeopleStore(s.docs.people) }],
  sections: [
    { section: 'people', label: 'People', icon: 'M8 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm8 0a3 3 0 1 0 0-6M2 20c0-3 3-5 6-5s6 2 6 5m2-5c3 0 6 2 6 5', blurb: 'People and teams', screen: () => import('./PeopleScreen'), roles: ['owner', 'manager'], order: 30, tab: true },
  ],
});
