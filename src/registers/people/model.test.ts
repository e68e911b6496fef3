import { describe, expect, it } from 'vitest';
import { membersOf, type Person, personFromFields, teamsOf, validatePerson } from './model';

const input = { name: 'Ada Lovelace', email: '', team: 'Ops', jobTitle: '', startDate: '', managerId: '' };

describe('person validation', () => {
  it('accepts a minimal person and trims', () => {
    expect(validatePerson({ ...input, name: '  Ada  ' })).toEqual({ ok: true, value: { ...input, name: 'Ada' } });
  });
  it('explains each bad field', () => {
    const r = validatePerson({ ...input, name: '', team: '', email: 'ada@', startDate: '2026-02-30' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors).toEqual({
        name: 'Enter the person’s name.',
        team: 'Enter a team: checklists and briefings are per team.',
        email: 'Enter an email like name@example.org, or leave it empty.',
        startDate: 'Enter the start date as YYYY-MM-DD, e.g. 2026-11-02.',
      });
    }
  });
  it('refuses a person as their own manager', () => {
    expect(validatePerson({ ...input, managerId: 'me' }, 'me')).toEqual({ ok: false, errors: { managerId: 'A person cannot be their own manager.' } });
  });
});

describe('teams', () => {
  it('are derived from people, sorted, without those who left', () => {
    const people: Person[] = [
      personFromFields('1', { name: 'A', team: 'Sales' }),
      personFromFields('2', { name: 'B', team: 'Ops' }),
      personFromFields('3', { name: 'C', team: 'Ops' }),
      personFromFields('4', { name: 'D', team: 'Gone', archived: true }),
    ];
    expect(teamsOf(people)).toEqual(['Ops', 'Sales']);
    expect(membersOf(people, 'Ops').map((p) => p.name)).toEqual(['B', 'C']);
  });
});
