import { defineRegister, type Panel } from '../../ui/register';
import type { SecurityRole } from './model';
import { seedDefaultRoles } from './seed';
import { createRoleStore, type RoleStore } from './store';

declare module '../../store/registers' { interface RegisterDocuments { roles: true; } }
declare module '../../ui/session' { interface RegisterStores { roles: RoleStore; } }
declare module '../../ui/register' {
  interface Slots {
    /** A panel on a role's detail, between its holders and the RACI. */
    'role-detail': Panel<{ role: SecurityRole }>;
  }
}

export const register = defineRegister({
  name: 'roles',
  label: 'Roles',
  document: { name: 'roles', home: true },
  stores: [{ key: 'roles', when: 'home', create: (s) => createRoleStore(s.docs.roles) }],
  seed: (docs) => seedDefaultRoles(docs.roles),
  sections: [
    { section: 'roles', label: 'Roles & RACI', icon: 'M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z', blurb: 'Security roles, holders and the RACI matrix', screen: () => import('./Screen'), order: 90 },
  ],
});
