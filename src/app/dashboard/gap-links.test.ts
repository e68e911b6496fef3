import { describe, expect, it } from 'vitest';
import type { Gap } from '../../domain/gaps';
import { can, type Role } from '../../domain/permissions';
import { closedBy, gapTarget } from './gap-links';
import { SECTION_RULES } from '../sections';

const gap = (kind: Gap['kind'], href: string): Gap => ({ personId: 'sam', kind, label: '', href });
const as = (role: Role) => (a: Parameters<typeof can>[1]) => can(role, a, SECTION_RULES);

describe('gap links', () => {
  const policy = gap('policy-unacknowledged', '#/my-policies/sam?policy=p1');
  const training = gap('training-missing', '#/training/matrix?course=c1');
  const agreement = gap('agreement-missing', '#/agreements/new?person=sam');
  const competence = gap('competence-missing', '#/competency?role=r1');
  it('staff: policy and training open where they are closed; agreement and competence open their gap page, never a refused section', () => {
    expect([policy, training, agreement, competence].map((g) => gapTarget(g, as('staff')))).toEqual([
      policy.href,
      training.href,
      '#/home/person?id=sam&gap=agreement-missing',
      '#/home/person?id=sam&gap=competence-missing',
    ]);
  });
  it('owners open every gap where it is closed', () => {
    for (const g of [policy, training, agreement, competence]) expect(gapTarget(g, as('owner'))).toBe(g.href);
  });
  it('says who closes a gap the device cannot', () => {
    expect(closedBy('agreement-missing', 'you', 'Olga Owner')).toBe('Agreements are kept by an owner in Agreements. If you have signed one, give it to Olga Owner: this gap closes when they record it.');
    expect(closedBy('competence-missing', 'Sam Staff', 'an owner')).toMatch(/^Competences for security roles are recorded by an owner in Competency\. Ask an owner how Sam Staff can show it/);
  });
});
