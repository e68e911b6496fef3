import { describe, expect, it } from 'vitest';
import { EVERYONE, inAudience, percent } from './gaps';

describe('audiences', () => {
  it('include everyone, a team, or holders of a role', () => {
    const ops = { team: 'Ops' };
    expect(inAudience(EVERYONE, ops, [])).toBe(true);
    expect(inAudience({ everyone: false, teams: ['Ops'], roles: [] }, ops, [])).toBe(true);
    expect(inAudience({ everyone: false, teams: ['Sales'], roles: [] }, ops, [])).toBe(false);
    expect(inAudience({ everyone: false, teams: [], roles: ['isms'] }, ops, ['isms'])).toBe(true);
    expect(inAudience({ everyone: false, teams: [], roles: [] }, ops, ['isms'])).toBe(false);
  });
  it('percentages round, and are undefined with nothing to count', () => {
    expect(percent(2, 3)).toBe(67);
    expect(percent(0, 0)).toBeUndefined();
    expect(percent(0, 4)).toBe(0);
  });
});
