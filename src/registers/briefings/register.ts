import { defineRegister } from '../../ui/register';
import { createBriefingStore, type BriefingStore } from './store';
import { briefingDueActions } from './model';

declare module '../../store/registers' { interface RegisterDocuments { briefings: true; } }
declare module '../../ui/session' { interface RegisterStores { briefings: BriefingStore; } }

export const register = defineRegister({
  rights: () => import('./rights'),
  name: 'briefings',
  label: 'Briefings',
  document: { name: 'briefings', home: true, access: { read: ['owner', 'manager'], write: { owner: 'any', manager: 'any' } } },
  stores: [{ key: 'briefings', when: 'home', create: (s) => createBriefingStore(s.docs.briefings) }],
  sections: [
    { section: 'briefings', label: 'Briefings', icon: 'M5 4h14v16H5zM8 8h8M8 12h8M8 16h5', blurb: 'Briefing minutes', screen: () => import('./BriefingsScreen'), roles: ['owner', 'manager'], order: 20, tab: true },
  ],
  due: { actions: (s) => briefingDueActions(s.briefings.all()) },
});
