import { describe, expect, it } from 'vitest';
import type { Reader } from '../../evidence/context';
import { readPeople } from '../../registers/people/model';
import { readChecklists } from '../../registers/checklists/model';
import { PackReads } from './context';
import { fixtureInput } from './test-fixture';

describe('the pack context: one read interface, no register named', () => {
  it('runs each reader once per pack, and a reader may read through others', () => {
    const ctx = new PackReads(fixtureInput());
    let runs = 0;
    const teams: Reader<string[]> = (src) => (runs++, [...new Set(src.read(readPeople).map((p) => p.team))].sort());
    expect(ctx.read(teams)).toEqual(['Ops', 'Sales']);
    expect(ctx.read(teams)).toBe(ctx.read(teams));
    expect(runs).toBe(1);
    // The register's own reader, sorted once in its model: the same array for every hook.
    expect(ctx.read(readChecklists)).toBe(ctx.read(readChecklists));
    expect(ctx.read(readChecklists).map((c) => c.month)).toEqual([...ctx.read(readChecklists).map((c) => c.month)].sort());
  });

  it('answers the scope from the directory the people register declares (its pack hook), those who left aside', () => {
    const ctx = new PackReads(fixtureInput({ scope: { teams: ['Sales'] } }));
    expect(ctx.nameOf('p-li')).toBe('李小龍');
    expect(ctx.personInScope('p-li')).toBe(true);
    expect(ctx.personInScope('p-zoe')).toBe(false);
    expect(ctx.allNames).toContain('Gone Person');
    expect(new PackReads(fixtureInput()).scopeTeams).toEqual(['Ops', 'Sales']);
    // The roles register says who holds which role.
    expect(ctx.rolesByPerson.get('p-zoe')).toContain('role-isms-manager');
  });
});
