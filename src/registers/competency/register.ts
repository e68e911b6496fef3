import { defineRegister } from '../../ui/register';
import { createCompetencyStore, type CompetencyStore } from './store';
import { competencyInput } from './link';
import { competenceGaps } from './model';

declare module '../../store/registers' { interface RegisterDocuments { competency: true; } }
declare module '../../ui/session' { interface RegisterStores { competency: CompetencyStore; } }

export const register = defineRegister({
  name: 'competency',
  label: 'Competency',
  document: { name: 'competency', home: true, access: { audience: 'person' } },
  stores: [{ key: 'competency', when: 'home', create: (s) => createCompetencyStore(s.docs.competency) }],
  sections: [
    { section: 'competency', label: 'Competency', icon: 'M12 3l2.5 5 5.5.8-4 3.9.9 5.5-4.9-2.6-4.9 2.6.9-5.5-4-3.9 5.5-.8z', blurb: 'Competences per security role, and gaps', screen: () => import('./Screen'), order: 80 },
  ],
  contributes: {
    'role-detail': () => import('./RoleCompetences'),
  },
  health: {
    order: 40,
    // Competences are read for everyone (holders of a role); Home shows only the people the viewer may see.
    gaps: (s, today) => {
      const visible = s.access.visibleIds();
      return competenceGaps(competencyInput(s, today)).filter((g) => visible.has(g.personId));
    },
  },
});
