import { describe, expect, it } from 'vitest';
import { audienceFields, audienceFromFields } from './audience';

describe('stored audiences', () => {
  it('round-trip', () => {
    const a = { everyone: false, teams: ['Ops', 'Sales'], roles: ['role-ceo'] };
    expect(audienceFromFields(audienceFields(a))).toEqual(a);
  });
  it('set members taken out to false, never remove them', () => {
    const before = audienceFields({ everyone: false, teams: ['Ops', 'Sales'], roles: ['r1'] });
    expect(audienceFields({ everyone: true, teams: ['Ops'], roles: [] }, before)).toEqual({ everyone: true, 'team.Ops': true, 'team.Sales': false, 'role.r1': false });
  });
});
