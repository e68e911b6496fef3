import { describe, expect, it } from 'vitest';
import type { SignerInfo, TrustLookup } from '../../domain/evidence-trust';
import type { MemberDevice, MembershipState } from '../../domain/membership';
import type { Role } from '../../domain/permissions';
import { rights } from './rights';

const people: Record<string, { id: string; name: string; team: string; managerId?: string }> = {
  'p-mia': { id: 'p-mia', name: 'Mia', team: 'Finance' },
  'p-sam': { id: 'p-sam', name: 'Sam', team: 'Finance', managerId: 'p-mia' },
  'p-ola': { id: 'p-ola', name: 'Ola', team: 'Ops' },
  'p-zoe': { id: 'p-zoe', name: 'Zoë', team: 'Sales' },
};
const completions: Record<string, Record<string, unknown>> = {
  'tc-sam': { id: 'tc-sam', kind: 'completion', personId: 'p-sam' },
  'tc-zoe': { id: 'tc-zoe', kind: 'completion', personId: 'p-zoe' },
};
const look: TrustLookup = { person: (id) => people[id], record: () => undefined, entry: (id) => completions[id] };
const who = (role: Role, personId: string): SignerInfo => ({
  device: { deviceId: `d-${personId}`, keyId: 'k', signKey: 's', alg: 'Ed25519', name: people[personId]!.name, personId, role, roleSince: '2026-01-01T00:00:00.000Z', via: 'grant' } as MemberDevice,
  state: {} as MembershipState,
  officer: false,
  personId,
});
const correct = (corrects: string) => ({ id: 'c1', kind: 'correction', corrects });

describe('training rights: a correction is judged by the completion it voids', () => {
  it('an owner, or the manager of that completion’s person, may void it', () => {
    expect(rights['correction']!(correct('tc-sam'), who('owner', 'p-ola'), look)).toBeUndefined();
    expect(rights['correction']!(correct('tc-sam'), who('manager', 'p-mia'), look)).toBeUndefined();
  });
  it('a manager of another team may not void Zoë’s completion, nor may staff', () => {
    expect(rights['correction']!(correct('tc-zoe'), who('manager', 'p-mia'), look)).toBe('A correction of Zoë’s training completion needs Zoë’s manager or an owner.');
    expect(rights['correction']!(correct('tc-sam'), who('staff', 'p-sam'), look)).toBe('A correction of Sam’s training completion needs Sam’s manager or an owner.');
  });
  it('when the completion is not at hand (outside a pack’s period), a manager or an owner', () => {
    expect(rights['correction']!(correct('tc-gone'), who('manager', 'p-mia'), look)).toBeUndefined();
    expect(rights['correction']!(correct('tc-gone'), who('staff', 'p-sam'), look)).toBe('A correction of a training completion needs an owner or manager.');
  });
});
