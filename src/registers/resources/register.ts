import { defineRegister } from '../../ui/register';
import type { ResourceStore } from './store';

declare module '../../store/registers' { interface RegisterDocuments { resources: true; } }
declare module '../../ui/session' { interface RegisterStores { resources: ResourceStore; } }

export const register = defineRegister({
  rights: () => import('./rights'),
  name: 'resources',
  label: 'Resources',
  document: { name: 'resources', access: { read: ['owner'] } },
  stores: [{ key: 'resources', when: 'later', load: () => import('./store').then((m) => (s) => m.createResourceStore(s.docs.resources)) }],
  sections: [
    { section: 'resources', label: 'Resources', icon: 'M12 3v18M17 7H9.5a3 3 0 0 0 0 6h5a3 3 0 0 1 0 6H6', blurb: 'Budget, time and tools approved, by whom, when', screen: () => import('./Screen'), order: 130, later: true },
  ],
  contributes: {
    'review-detail': () => import('./ReviewResources'),
  },
});
