import { describe, expect, it } from 'vitest';
import {
  accountableCheck,
  activityFromFields,
  byPosition,
  DEFAULT_ROLES,
  roleFromFields,
  rolesByPerson,
  type SecurityRole,
  STANDARD_ACTIVITIES,
  validateActivity,
  validateRaciValue,
  validateRole,
} from './model';

const role = (id: string, name: string, extra: Partial<SecurityRole> = {}): SecurityRole => ({ id, name, responsibilities: '', holders: [], archived: false, ...extra });
const roles = [role('ceo', 'CEO'), role('isms', 'ISMS manager'), role('old', 'Old role', { archived: true })];

describe('role validation', () => {
  it('refuses an empty name', () => {
    expect(validateRole({ name: '   ', responsibilities: '' }, roles)).toEqual({ ok: false, errors: { name: 'Enter the role’s name.' } });
  });
  it('refuses a name another active role has, whatever the case', () => {
    expect(validateRole({ name: 'isms MANAGER', responsibilities: '' }, roles)).toEqual({ ok: false, errors: { name: 'There is already a role called ISMS manager.' } });
  });
  it('allows keeping its own name, and reusing an archived role’s name', () => {
    expect(validateRole({ name: 'ISMS manager', responsibilities: 'x' }, roles, 'isms').ok).toBe(true);
    expect(validateRole({ name: 'Old role', responsibilities: '' }, roles)).toEqual({ ok: true, value: { name: 'Old role', responsibilities: '' } });
  });
  it('trims what it keeps', () => {
    expect(validateRole({ name: '  DPO ', responsibilities: ' Privacy ' }, roles)).toEqual({ ok: true, value: { name: 'DPO', responsibilities: 'Privacy' } });
  });
});

describe('roles', () => {
  it('reads holders from one boolean field per person', () => {
    const r = roleFromFields('r1', { name: 'CEO', 'holder.p2': true, 'holder.p1': true, 'holder.p3': false });
    expect(r.holders).toEqual(['p1', 'p2']);
  });
  it('maps people to the active roles they hold', () => {
    const map = rolesByPerson([role('a', 'A', { holders: ['p1'] }), role('b', 'B', { holders: ['p1', 'p2'] }), role('c', 'C', { holders: ['p1'], archived: true })]);
    expect(map.get('p1')).toEqual(['a', 'b']);
    expect(map.get('p2')).toEqual(['b']);
  });
  it('ships the eight default roles', () => {
    expect(DEFAULT_ROLES.map((r) => r.name)).toEqual([
      'CEO', 'Leadership team', 'ISMS manager', 'Management review team', 'Supplier manager', 'Business continuity manager', 'Information owners', 'Incident management',
    ]);
  });
});

describe('RACI', () => {
  it('reads one letter per role and ignores anything else', () => {
    const a = activityFromFields('x', { type: 'activity', name: 'Run the risk assessment', position: 2, 'raci.ceo': 'A', 'raci.isms': 'R', 'raci.old': '', 'raci.bad': 'Z' });
    expect(a).toEqual({ id: 'x', name: 'Run the risk assessment', position: 2, raci: { ceo: 'A', isms: 'R' }, archived: false });
  });

  it('wants exactly one A among active roles', () => {
    expect(accountableCheck({ raci: { ceo: 'A', isms: 'R' } }, roles)).toEqual({ accountable: ['ceo'] });
    expect(accountableCheck({ raci: { isms: 'R' } }, roles)).toEqual({ accountable: [], warning: 'No role is accountable (A): choose exactly one.' });
    expect(accountableCheck({ raci: { ceo: 'A', isms: 'A' } }, roles)).toEqual({
      accountable: ['ceo', 'isms'],
      warning: '2 roles are accountable (CEO, ISMS manager): only one should be.',
    });
  });

  it('ignores the A of an archived role', () => {
    expect(accountableCheck({ raci: { ceo: 'A', old: 'A' } }, roles).warning).toBeUndefined();
    expect(accountableCheck({ raci: { old: 'A' } }, roles).warning).toBe('No role is accountable (A): choose exactly one.');
  });

  it('validates activities and cell values', () => {
    const existing = [activityFromFields('a', { type: 'activity', name: 'Brief teams monthly' })];
    expect(validateActivity({ name: ' ' }, existing).ok).toBe(false);
    expect(validateActivity({ name: 'brief teams MONTHLY' }, existing)).toEqual({ ok: false, errors: { name: '“Brief teams monthly” is already in the matrix.' } });
    expect(validateActivity({ name: 'Brief teams monthly' }, existing, 'a').ok).toBe(true);
    expect(validateRaciValue('A')).toBeUndefined();
    expect(validateRaciValue('')).toBeUndefined();
    expect(validateRaciValue('X')).toBe('Choose R, A, C, I or nothing.');
  });

  it('orders activities by position, then name', () => {
    const list = [
      activityFromFields('b', { name: 'B', position: 1 }),
      activityFromFields('a', { name: 'A', position: 1 }),
      activityFromFields('c', { name: 'C', position: 0 }),
    ].sort(byPosition);
    expect(list.map((a) => a.id)).toEqual(['c', 'a', 'b']);
  });

  it('suggests exactly one A for each standard activity, for default roles only', () => {
    const defaults = new Set(DEFAULT_ROLES.map((r) => `role-${r.key}`));
    for (const a of STANDARD_ACTIVITIES) {
      expect(Object.values(a.raci).filter((l) => l === 'A')).toHaveLength(1);
      for (const roleId of Object.keys(a.raci)) expect(defaults.has(roleId)).toBe(true);
    }
    expect(STANDARD_ACTIVITIES).toHaveLength(8);
  });
});
