import { describe, expect, it } from 'vitest';
import { buildDashboard, describeKinds, isNewJoiner, type PersonLike } from './dashboard';
import type { Gap } from './gaps';

const person = (id: string, team: string, startDate = '', archived = false): PersonLike => ({ id, name: id.toUpperCase(), team, startDate, archived });
const gap = (personId: string, kind: Gap['kind']): Gap => ({ personId, kind, label: kind, href: '#/x' });

describe('new joiners', () => {
  it('are people who started in the last 30 days, not in the future', () => {
    expect(isNewJoiner(person('a', 'Ops', '2026-11-01'), '2026-11-25')).toBe(true);
    expect(isNewJoiner(person('a', 'Ops', '2026-10-26'), '2026-11-25')).toBe(true); // exactly 30 days
    expect(isNewJoiner(person('a', 'Ops', '2026-10-25'), '2026-11-25')).toBe(false);
    expect(isNewJoiner(person('a', 'Ops', '2026-12-01'), '2026-11-25')).toBe(false);
    expect(isNewJoiner(person('a', 'Ops', ''), '2026-11-25')).toBe(false);
  });
});

describe('dashboard', () => {
  const people = [person('a', 'Ops', '2026-11-20'), person('b', 'Ops'), person('c', 'Sales'), person('gone', 'Sales', '', true)];
  const gaps = [gap('a', 'policy-unacknowledged'), gap('a', 'training-missing'), gap('c', 'training-expired'), gap('gone', 'agreement-missing'), gap('ghost', 'training-missing')];
  const d = buildDashboard(people, gaps, '2026-11-25');

  it('lists people with gaps, most first, without those who left or unknown ids', () => {
    expect(d.people.map((r) => [r.person.id, r.gaps.length])).toEqual([['a', 2], ['c', 1]]);
    expect(d.peopleWithGaps).toBe(2);
    expect(d.activePeople).toBe(3);
  });
  it('rolls up per team', () => {
    expect(d.teams).toEqual([
      { team: 'Ops', people: 2, peopleWithGaps: 1, gaps: 2, byKind: { 'policy-unacknowledged': 1, 'training-missing': 1 } },
      { team: 'Sales', people: 1, peopleWithGaps: 1, gaps: 1, byKind: { 'training-expired': 1 } },
    ]);
  });
  it('calls out new joiners with gaps', () => {
    expect(d.newJoiners.map((r) => r.person.id)).toEqual(['a']);
  });
  it('describes counts by kind', () => {
    expect(describeKinds({ 'training-missing': 1, 'policy-unacknowledged': 3 })).toBe('3 × policy not acknowledged, 1 × training not done');
  });
  it('is empty with no gaps', () => {
    const e = buildDashboard(people, [], '2026-11-25');
    expect(e.people).toEqual([]);
    expect(e.teams.every((t) => t.gaps === 0)).toBe(true);
  });
});
