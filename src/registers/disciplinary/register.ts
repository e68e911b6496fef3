import { defineRegister } from '../../ui/register';
import type { DisciplinaryStore } from './store';

declare module '../../store/registers' { interface RegisterDocuments { disciplinary: true; } }
declare module '../../ui/session' { interface RegisterStores { disciplinary: DisciplinaryStore; } }

export const register = defineRegister({
  rights: () => import('./rights'),
  name: 'disciplinary',
  label: 'Disciplinary',
  // Officers hold any role and seal entries and key wraps here: every role writes (the entries are sealed, the officer checks the app's; docs/SECURITY.md).
  document: { name: 'disciplinary', access: { write: { owner: 'any', manager: 'any', staff: 'any' } } },
  stores: [
    {
      key: 'disciplinary',
      when: 'later',
      // Sealed with AES-GCM under a key only the officers' devices hold (./keys.ts).
      load: async () => {
        const [{ createDisciplinaryKeys }, { createDisciplinaryStore }] = await Promise.all([import('./keys'), import('./store')]);
        return (s) => {
          const keys = createDisciplinaryKeys(s.docs.disciplinary, { deviceId: s.device.deviceId, deviceKeys: s.deviceKeys, members: s.members, people: s.people });
          return createDisciplinaryStore(s.docs.disciplinary, keys.codec, {
            ...keys,
            members: s.members,
            // A signed workspace designates officers in the member list (owners only).
            signOfficer: async (personId, designated) => {
              const r = await (await s.access.actions()).sign([{ type: 'officer', personId, designated }]);
              return r.ok ? undefined : r.error;
            },
          });
        };
      },
    },
  ],
  sections: [
    // The screen itself shows non-officers the documented process only.
    { section: 'disciplinary', label: 'Disciplinary', icon: 'M12 3l8 4v5c0 5-3.5 8-8 9-4.5-1-8-4-8-9V7z', blurb: 'Tiered process and confidential log', screen: () => import('./Screen'), roles: ['owner', 'manager', 'staff'], order: 140, later: true },
  ],
});
