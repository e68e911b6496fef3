import { defineRegister } from '../../ui/register';
import { createSettingsStore, type SettingsStore } from './store';

declare module '../../store/registers' { interface RegisterDocuments { settings: true; } }
declare module '../../ui/session' { interface RegisterStores { settings: SettingsStore; } }

export const register = defineRegister({
  name: 'settings',
  label: 'Settings',
  document: { name: 'settings', home: true },
  stores: [{ key: 'settings', when: 'home', create: (s) => createSettingsStore(s.docs.settings, s.workspace().orgName) }],
});
