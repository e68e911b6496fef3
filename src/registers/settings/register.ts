import { defineRegister } from '../../ui/register';
import { createSettingsStore, type SettingsStore } from './store';

declare module '../../store/registers' { interface RegisterDocuments { settings: true; } }
declare module '../../ui/session' { interface RegisterStores { settings: SettingsStore; } }

export const register = defineRegister({
  name: 'settings',
  label: 'Settings',
  document: { name: 'settings', home: true },
  stores: [{ key: 'settings', when: 'home', create: (s) => createSettingsStore(s.docs.settings, s.workspace().orgName) }],
  sections: [
    { section: 'settings', label: 'Settings', icon: 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM12 2v3m0 14v3M2 12h3m14 0h3M5 5l2 2m10 10 2 2M5 19l2-2m10-10 2-2', blurb: 'Workspace, devices, checklist actions, export', screen: () => import('./SettingsScreen'), roles: ['owner', 'manager', 'staff'], order: 160, later: true },
  ],
});
