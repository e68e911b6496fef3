import { defineRegister } from '../../ui/register';
import { createChecklistStore, type ChecklistStore } from './store';
import { checklistDuties } from './due';
import { checklistDueActions, liveWorkspaceCreated } from './model';

declare module '../../store/registers' { interface RegisterDocuments { checklists: true; } }
declare module '../../ui/session' { interface RegisterStores { checklists: ChecklistStore; } }

export const register = defineRegister({
  rights: () => import('./rights'),
  name: 'checklists',
  label: 'Checklists',
  document: { name: 'checklists', home: true, access: { read: ['owner', 'manager'], write: { owner: 'any', manager: 'any' } } },
  stores: [{ key: 'checklists', when: 'home', create: (s) => createChecklistStore(s.docs.checklists) }],
  sections: [
    { section: 'checklists', label: 'Checklists', icon: 'M4 5h16M4 12h16M4 19h10', blurb: 'Monthly manager checklist', screen: () => import('./ChecklistsScreen'), roles: ['owner', 'manager'], order: 10, tab: true },
  ],
  due: {
    duties: (s, today) => checklistDuties({ people: s.people.all(), checklists: s.checklists.all(), checklistEntries: s.checklists.entries(), today, workspaceCreated: liveWorkspaceCreated(s) }),
    actions: (s) => checklistDueActions(s.checklists.all()),
  },
});
