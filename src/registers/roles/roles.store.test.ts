import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { seedDefaultRoles } from './seed';
import { createRoleStore } from './store';

/** Two devices that edit offline, then exchange their updates. */
function twoDevices() {
  const a = new Y.Doc();
  const b = new Y.Doc();
  const sync = () => {
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
  };
  return { a, b, sync };
}

describe('role store', () => {
  it('keeps both holders when two devices assign different people to the same role offline', () =>
    createRoot((dispose) => {
      const { a, b, sync } = twoDevices();
      seedDefaultRoles(a);
      sync();
      const sa = createRoleStore(a);
      const sb = createRoleStore(b);
      expect(sa.active()).toHaveLength(8);
      expect(sa.setHolder('role-isms-manager', 'p1', true)).toBeUndefined();
      expect(sb.setHolder('role-isms-manager', 'p2', true)).toBeUndefined();
      sync();
      for (const s of [sa, sb]) {
        expect(s.byId().get('role-isms-manager')!.holders).toEqual(['p1', 'p2']);
        expect(s.rolesOf('p2')).toEqual(['role-isms-manager']);
      }
      dispose();
    }));

  it('keeps both cells when two devices set different RACI cells of the same activity', () =>
    createRoot((dispose) => {
      const { a, b, sync } = twoDevices();
      seedDefaultRoles(a);
      const sa = createRoleStore(a);
      const act = sa.addActivity({ name: 'Run the risk assessment' });
      if (!act.ok) throw new Error('add failed');
      sync();
      const sb = createRoleStore(b);
      expect(sa.setRaci(act.value.id, 'role-ceo', 'A')).toBeUndefined();
      expect(sb.setRaci(act.value.id, 'role-isms-manager', 'R')).toBeUndefined();
      sync();
      for (const s of [sa, sb]) {
        expect(s.activityById().get(act.value.id)!.raci).toEqual({ 'role-ceo': 'A', 'role-isms-manager': 'R' });
        // Activities are not roles.
        expect(s.all().map((r) => r.id)).not.toContain(act.value.id);
      }
      sa.setRaci(act.value.id, 'role-ceo', '');
      expect(sa.activityById().get(act.value.id)!.raci).toEqual({ 'role-isms-manager': 'R' });
      dispose();
    }));

  it('adds the standard activities once, with letters only for default roles still active', () =>
    createRoot((dispose) => {
      const { a, b, sync } = twoDevices();
      seedDefaultRoles(a);
      sync();
      const sa = createRoleStore(a);
      const sb = createRoleStore(b);
      sa.setArchived('role-bc-manager', true);
      expect(sa.addStandardActivities()).toBe(8);
      expect(sa.addStandardActivities()).toBe(0);
      // The other device taps it too, offline: the fixed ids mean no duplicates after sync.
      expect(sb.addStandardActivities()).toBe(8);
      sync();
      expect(sa.activeActivities()).toHaveLength(8);
      expect(sa.activeActivities()[0]!.name).toBe('Approve the information security policy');
      const bc = sa.activityById().get('activity-business-continuity')!;
      expect(sa.activeActivities().at(-1)!.id).toBe(bc.id);
      dispose();
    }));

  it('stores nothing on bad input', () =>
    createRoot((dispose) => {
      const doc = new Y.Doc();
      seedDefaultRoles(doc);
      const s = createRoleStore(doc);
      const act = s.addActivity({ name: 'Respond to incidents' });
      if (!act.ok) throw new Error('add failed');
      const before = Y.encodeStateAsUpdate(doc);
      expect(s.add({ name: '  ', responsibilities: '' })).toEqual({ ok: false, errors: { name: 'Enter the role’s name.' } });
      expect(s.add({ name: 'ceo', responsibilities: '' })).toEqual({ ok: false, errors: { name: 'There is already a role called CEO.' } });
      expect(s.update('role-ceo', { name: 'ISMS Manager', responsibilities: '' }).ok).toBe(false);
      expect(s.update('nope', { name: 'X', responsibilities: '' }).ok).toBe(false);
      expect(s.setHolder('nope', 'p1', true)).toBe('This role is not on this device.');
      expect(s.setHolder('role-ceo', '', true)).toBe('Choose a person.');
      expect(s.addActivity({ name: '' }).ok).toBe(false);
      expect(s.addActivity({ name: 'respond to INCIDENTS' }).ok).toBe(false);
      expect(s.updateActivity(act.value.id, { name: ' ' }).ok).toBe(false);
      expect(s.setRaci(act.value.id, 'role-ceo', 'X' as 'A')).toBe('Choose R, A, C, I or nothing.');
      expect(s.setRaci(act.value.id, 'nope', 'A')).toBe('This role is not on this device.');
      expect(s.setRaci('nope', 'role-ceo', 'A')).toBe('This activity is not on this device.');
      expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
      expect(s.active()).toHaveLength(8);
      dispose();
    }));
});
