import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createCompetencyStore } from './store';

const ROLES = ['role-isms-manager', 'role-ceo'];
const TODAY = '2026-11-25';

function twoDevices() {
  const a = new Y.Doc();
  const b = new Y.Doc();
  const sync = () => {
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
  };
  return { a, b, sync };
}

describe('competency store', () => {
  it('merges what two devices set for different roles and different parts of a holding', () =>
    createRoot((dispose) => {
      const { a, b, sync } = twoDevices();
      const sa = createCompetencyStore(a);
      const sb = createCompetencyStore(b);
      const c = sa.addCompetence({ name: 'Risk assessment', kind: 'skill', courseId: '', required: { 'role-isms-manager': 2 } }, ROLES);
      if (!c.ok) throw new Error('add failed');
      expect(sa.recordHolding({ personId: 'p1', competenceId: c.value.id, level: 1, evidence: '', assessedOn: '2026-11-01' }, TODAY).ok).toBe(true);
      sync();
      expect(sa.setRequirement(c.value.id, 'role-ceo', 1)).toBeUndefined();
      expect(sb.setRequirement(c.value.id, 'role-isms-manager', 3)).toBeUndefined();
      sync();
      for (const s of [sa, sb]) expect(s.competenceById().get(c.value.id)!.required).toEqual({ 'role-isms-manager': 3, 'role-ceo': 1 });

      // Device A raises the level, device B adds the evidence reference: both kept.
      sa.recordHolding({ personId: 'p1', competenceId: c.value.id, level: 2, evidence: '', assessedOn: '2026-11-01' }, TODAY);
      sb.recordHolding({ personId: 'p1', competenceId: c.value.id, level: 1, evidence: 'Appraisal 2026', assessedOn: '2026-11-01' }, TODAY);
      sync();
      for (const s of [sa, sb]) {
        expect(s.holdingOf('p1', c.value.id)).toMatchObject({ level: 2, evidence: 'Appraisal 2026', assessedOn: '2026-11-01' });
        expect(s.holdings()).toHaveLength(1);
      }
      dispose();
    }));

  it('saving a form sets roles taken out to 0 rather than removing them', () =>
    createRoot((dispose) => {
      const doc = new Y.Doc();
      const s = createCompetencyStore(doc);
      const c = s.addCompetence({ name: 'GDPR', kind: 'training', courseId: 'course-1', required: { 'role-isms-manager': 2, 'role-ceo': 1 } }, ROLES);
      if (!c.ok) throw new Error('add failed');
      const u = s.updateCompetence(c.value.id, { name: 'GDPR basics', kind: 'training', courseId: 'course-1', required: { 'role-ceo': 2 } }, ROLES);
      expect(u.ok && u.value.required).toEqual({ 'role-ceo': 2 });
      expect(doc.getMap<Y.Map<unknown>>('records').get(c.value.id)!.get('require.role-isms-manager')).toBe(0);
      dispose();
    }));

  it('stores nothing on bad input', () =>
    createRoot((dispose) => {
      const doc = new Y.Doc();
      const s = createCompetencyStore(doc);
      const c = s.addCompetence({ name: 'Risk assessment', kind: 'skill', courseId: '', required: { 'role-isms-manager': 2 } }, ROLES);
      if (!c.ok) throw new Error('add failed');
      s.recordHolding({ personId: 'p1', competenceId: c.value.id, level: 2, evidence: 'x', assessedOn: TODAY }, TODAY);
      const before = Y.encodeStateAsUpdate(doc);
      expect(s.addCompetence({ name: '', kind: 'skill', courseId: '', required: { 'role-ceo': 1 } }, ROLES).ok).toBe(false);
      expect(s.addCompetence({ name: 'Risk Assessment', kind: 'skill', courseId: '', required: { 'role-ceo': 1 } }, ROLES).ok).toBe(false);
      expect(s.addCompetence({ name: 'Other', kind: 'skill', courseId: '', required: {} }, ROLES).ok).toBe(false);
      expect(s.updateCompetence(c.value.id, { name: 'Risk', kind: '', courseId: '', required: { 'role-ceo': 1 } }, ROLES).ok).toBe(false);
      expect(s.updateCompetence('nope', { name: 'Risk', kind: 'skill', courseId: '', required: { 'role-ceo': 1 } }, ROLES).ok).toBe(false);
      expect(s.setRequirement(c.value.id, 'role-ceo', 7)).toBe('Choose a level: 1 basic, 2 working or 3 expert.');
      expect(s.setRequirement('nope', 'role-ceo', 1)).toBe('This competence is not on this device.');
      expect(s.recordHolding({ personId: 'p1', competenceId: c.value.id, level: 3, evidence: '', assessedOn: '' }, TODAY)).toEqual({
        ok: false, errors: { assessedOn: 'Enter the date the level was assessed.' },
      });
      expect(s.recordHolding({ personId: 'p1', competenceId: c.value.id, level: 3, evidence: '', assessedOn: '2027-01-01' }, TODAY).ok).toBe(false);
      expect(s.recordHolding({ personId: 'p1', competenceId: 'nope', level: 1, evidence: '', assessedOn: TODAY }, TODAY).ok).toBe(false);
      expect(s.recordHolding({ personId: '', competenceId: c.value.id, level: 1, evidence: '', assessedOn: TODAY }, TODAY).ok).toBe(false);
      // Saving what is already stored writes nothing either.
      expect(s.recordHolding({ personId: 'p1', competenceId: c.value.id, level: 2, evidence: 'x', assessedOn: TODAY }, TODAY).ok).toBe(true);
      expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
      dispose();
    }));
});
