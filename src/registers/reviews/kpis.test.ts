import { describe, expect, it } from 'vitest';
import type { Acknowledgement } from '../acknowledgements/model';
import type { Agreement } from '../agreements/model';
import type { Briefing } from '../briefings/model';
import { type Checklist, checklistSnapshot, STANDARD_ITEMS } from '../checklists/model';
import type { Person } from '../people/model';
import type { Policy, Publication } from '../policies/model';
import type { Completion, Course } from '../training/model';
import { EVERYONE } from '../../domain/gaps';
import { computeKpis, type KpiInput, kpiLines, monthEnd, monthsOf } from './kpis';
import type { SignOffEntry } from '../../domain/signoff';

const H1 = 'a'.repeat(64);
const person = (id: string, team: string, extra: Partial<Person> = {}): Person => ({ id, name: id, email: '', team, jobTitle: '', startDate: '', managerId: '', archived: false, ...extra });
const policy: Policy = { id: 'aup', title: 'Acceptable use', ownerId: '', audience: EVERYONE, nextReviewDate: '', archived: false, createdAt: '', createdBy: '' };
const pub = (publishedAt: string): Publication => ({ id: 'aup@1', kind: 'publication', policyId: 'aup', version: '1.0', text: 't', textSha256: H1, approvedBy: 'Cleo', approvedOn: publishedAt.slice(0, 10), publishedAt, byName: 'Mia', deviceId: 'd' });
let n = 0;
const ack = (personId: string, at: string): Acknowledgement => ({ id: `ack${++n}`, kind: 'acknowledgement', personId, policyId: 'aup', version: '1.0', textSha256: H1, typedName: personId, at, deviceId: 'd' });
const course: Course = { id: 'sat', title: 'Awareness', renewalMonths: 12, audience: EVERYONE, provider: '', archived: false, createdAt: '', createdBy: '' };
const completion = (personId: string, completedOn: string, extra: Partial<Completion> = {}): Completion => ({
  id: `c${++n}`, kind: 'completion', personId, courseId: 'sat', completedOn, provider: '', evidence: '', expiresOn: '', source: '', byName: 'Mia', at: `${completedOn}T10:00:00.000Z`, deviceId: 'd', ...extra,
});
const checklist = (team: string, month: string): Checklist => {
  const state = Object.fromEntries(STANDARD_ITEMS.map((i) => [i.key, { status: 'done' as const, note: '', evidence: '', briefingId: '' }]));
  return { id: `${team}-${month}`, team, month, items: [...STANDARD_ITEMS], state, actions: [], createdAt: '', createdBy: '' };
};
const signoff = (c: Checklist, at: string, extra: Partial<SignOffEntry> = {}): SignOffEntry => ({
  id: `s${++n}`, recordId: c.id, kind: 'signoff', byName: 'Mia', at, deviceId: 'd', note: '', snapshot: checklistSnapshot(c), ...extra,
});
const agreement = (id: string, partyPersonId: string, signedOn: string, expiresOn: string, extra: Partial<Agreement> = {}): Agreement => ({
  id, partyPersonId, partyName: '', type: 'employment', signedOn, expiresOn, securityClauses: true, policyIds: [], policyRefs: '', documentRef: '', notes: '', archived: false, createdAt: '', createdBy: '', ...extra,
});
const briefing = (date: string, actions: Briefing['actions']): Briefing => ({ id: `b${++n}`, date, team: 'Ops', attendees: [], topics: [], notes: '', actions, createdAt: '', createdBy: '' });

const empty: KpiInput = {
  people: [], rolesByPerson: new Map(), policies: [], publications: [], acks: [], courses: [], completions: [],
  checklists: [], checklistEntries: [], briefings: [], reviewActions: [], agreements: [],
};
const Q3 = { from: '2026-07-01', to: '2026-09-30' };

describe('period months', () => {
  it('ends months on the 28th, 29th, 30th or 31st', () => {
    expect(monthEnd('2026-02')).toBe('2026-02-28');
    expect(monthEnd('2024-02')).toBe('2024-02-29');
    expect(monthEnd('2000-02')).toBe('2000-02-29');
    expect(monthEnd('2100-02')).toBe('2100-02-28');
    expect(monthEnd('2026-04')).toBe('2026-04-30');
    expect(monthEnd('2026-12')).toBe('2026-12-31');
  });
  it('lists the months whose last day is within the period', () => {
    expect(monthsOf(Q3)).toEqual(['2026-07', '2026-08', '2026-09']);
    expect(monthsOf({ from: '2026-11-01', to: '2027-01-31' })).toEqual(['2026-11', '2026-12', '2027-01']);
    // A period ending on the 28th of a leap February does not include February: it ends on the 29th.
    expect(monthsOf({ from: '2024-01-01', to: '2024-02-28' })).toEqual(['2024-01']);
    expect(monthsOf({ from: '2024-01-01', to: '2024-02-29' })).toEqual(['2024-01', '2024-02']);
    expect(monthsOf({ from: '2026-01-15', to: '2026-02-28' })).toEqual(['2026-01', '2026-02']);
    expect(monthsOf({ from: '2026-03-01', to: '2026-02-01' })).toEqual([]);
  });
});

describe('computeKpis', () => {
  it('shows "—" rates and "not available" speak-up when there is nothing to count', () => {
    const k = computeKpis(empty, Q3);
    expect(k.acknowledgementRate).toEqual({ done: 0, total: 0 });
    expect(k.trainingCompletionRate).toEqual({ done: 0, total: 0 });
    expect(k.checklists).toEqual({ months: ['2026-07', '2026-08', '2026-09'], teams: [], due: 0, onTime: 0 });
    expect(k.speakUp).toEqual({ available: false });
    const lines = Object.fromEntries(kpiLines(k).map((l) => [l.key, l.value]));
    expect(lines).toEqual({ ack: '—', training: '—', checklists: '0 of 0', actions: '0', agreements: '0', speakup: 'not available' });
  });

  it('counts an acknowledgement made on the last day of the period, not one made the day after', () => {
    const input: KpiInput = {
      ...empty,
      people: [person('ana', 'Ops'), person('bo', 'Ops')],
      policies: [policy],
      publications: [pub('2026-06-01T09:00:00.000Z')],
      acks: [ack('ana', '2026-09-30T22:59:00.000Z'), ack('bo', '2026-10-01T00:00:01.000Z')],
    };
    expect(computeKpis(input, Q3).acknowledgementRate).toEqual({ done: 1, total: 2, percent: 50 });
    expect(computeKpis(input, { from: '2026-10-01', to: '2026-12-31' }).acknowledgementRate).toEqual({ done: 2, total: 2, percent: 100 });
  });

  it('reads a timestamp by the device’s day when told how (London 00:30 on 1 Oct is 23:30 UTC on 30 Sep)', () => {
    const input: KpiInput = { ...empty, people: [person('ana', 'Ops')], policies: [policy], publications: [pub('2026-06-01T09:00:00.000Z')], acks: [ack('ana', '2026-09-30T23:30:00.000Z')] };
    expect(computeKpis(input, Q3).acknowledgementRate.done).toBe(1);
    const london = (at: string) => (at === '2026-09-30T23:30:00.000Z' ? '2026-10-01' : at.slice(0, 10));
    expect(computeKpis({ ...input, dayOf: london }, Q3).acknowledgementRate.done).toBe(0);
  });

  it('leaves out a policy version published after the period', () => {
    const input: KpiInput = { ...empty, people: [person('ana', 'Ops')], policies: [policy], publications: [pub('2026-10-02T09:00:00.000Z')] };
    expect(computeKpis(input, Q3).acknowledgementRate).toEqual({ done: 0, total: 0 });
  });

  it('counts training completed on the last day of the period; voided and later ones do not count', () => {
    const input: KpiInput = {
      ...empty,
      people: [person('ana', 'Ops'), person('bo', 'Ops'), person('cy', 'Ops')],
      courses: [course],
      completions: [completion('ana', '2026-09-30'), completion('bo', '2026-10-01'), completion('cy', '2026-08-01', { voidedBy: 'x' })],
    };
    expect(computeKpis(input, Q3).trainingCompletionRate).toEqual({ done: 1, total: 3, percent: 33 });
  });

  it('a completion expiring on the last day still counts; the day before it does not', () => {
    const people = [person('ana', 'Ops')];
    const on = computeKpis({ ...empty, people, courses: [course], completions: [completion('ana', '2025-09-30', { expiresOn: '2026-09-30' })] }, Q3);
    const before = computeKpis({ ...empty, people, courses: [course], completions: [completion('ana', '2025-09-29', { expiresOn: '2026-09-29' })] }, Q3);
    expect(on.trainingCompletionRate.done).toBe(1);
    expect(before.trainingCompletionRate.done).toBe(0);
  });

  it('excludes a person who left (archived) from end-of-period rates, and someone who started after the period', () => {
    const input: KpiInput = {
      ...empty,
      people: [person('ana', 'Ops'), person('leo', 'Ops', { archived: true }), person('new', 'Ops', { startDate: '2026-10-05' })],
      policies: [policy],
      publications: [pub('2026-06-01T09:00:00.000Z')],
      acks: [ack('ana', '2026-07-02T09:00:00.000Z')],
      courses: [course],
      completions: [],
    };
    const k = computeKpis(input, Q3);
    expect(k.acknowledgementRate).toEqual({ done: 1, total: 1, percent: 100 });
    expect(k.trainingCompletionRate).toEqual({ done: 0, total: 1, percent: 0 });
  });

  describe('monthly checklists on time', () => {
    const people = [person('ana', 'Ops'), person('sol', 'Sales')];
    it('counts a checklist signed on the last day of its month, not one signed the next day', () => {
      const jul = checklist('Ops', '2026-07');
      const aug = checklist('Ops', '2026-08');
      const sep = checklist('Ops', '2026-09');
      const input: KpiInput = {
        ...empty,
        people,
        checklists: [jul, aug, sep, checklist('Sales', '2026-07')],
        checklistEntries: [signoff(jul, '2026-07-31T21:00:00.000Z'), signoff(aug, '2026-09-01T08:00:00.000Z'), signoff(sep, '2026-09-30T12:00:00.000Z')],
      };
      const k = computeKpis(input, Q3).checklists;
      expect(k.teams).toEqual([
        { team: 'Ops', due: 3, onTime: 2, notOnTime: ['2026-08'] },
        { team: 'Sales', due: 3, onTime: 0, notOnTime: ['2026-07', '2026-08', '2026-09'] },
      ]);
      expect(k).toMatchObject({ due: 6, onTime: 2, percent: 33 });
    });
    it('uses the latest standing sign-off: a withdrawn one does not count, a later re-sign after the month makes it late', () => {
      const jul = checklist('Ops', '2026-07');
      const first = signoff(jul, '2026-07-20T10:00:00.000Z');
      const withdrawn = { ...empty, people: [people[0]!], checklists: [jul], checklistEntries: [first, signoff(jul, '2026-07-21T10:00:00.000Z', { kind: 'correction', corrects: first.id, withdraws: true })] };
      expect(computeKpis(withdrawn, { from: '2026-07-01', to: '2026-07-31' }).checklists.onTime).toBe(0);
      const resigned = { ...withdrawn, checklistEntries: [first, signoff(jul, '2026-08-03T10:00:00.000Z')] };
      expect(computeKpis(resigned, { from: '2026-07-01', to: '2026-07-31' }).checklists.onTime).toBe(0);
      const once = { ...withdrawn, checklistEntries: [first] };
      expect(computeKpis(once, { from: '2026-07-01', to: '2026-07-31' }).checklists.onTime).toBe(1);
    });
    it('ends February on the 29th in a leap year and on the 28th otherwise', () => {
      const leap = checklist('Ops', '2024-02');
      const k1 = computeKpis({ ...empty, people: [people[0]!], checklists: [leap], checklistEntries: [signoff(leap, '2024-02-29T18:00:00.000Z')] }, { from: '2024-02-01', to: '2024-02-29' });
      expect(k1.checklists).toMatchObject({ due: 1, onTime: 1 });
      const common = checklist('Ops', '2026-02');
      const k2 = computeKpis({ ...empty, people: [people[0]!], checklists: [common], checklistEntries: [signoff(common, '2026-03-01T09:00:00.000Z')] }, { from: '2026-02-01', to: '2026-02-28' });
      expect(k2.checklists).toMatchObject({ due: 1, onTime: 0 });
      const k3 = computeKpis({ ...empty, people: [people[0]!], checklists: [common], checklistEntries: [signoff(common, '2026-02-28T23:00:00.000Z')] }, { from: '2026-02-01', to: '2026-02-28' });
      expect(k3.checklists).toMatchObject({ due: 1, onTime: 1 });
    });
    it('ends April on the 30th', () => {
      const apr = checklist('Ops', '2026-04');
      const k = computeKpis({ ...empty, people: [people[0]!], checklists: [apr], checklistEntries: [signoff(apr, '2026-04-30T18:00:00.000Z')] }, { from: '2026-04-01', to: '2026-06-30' });
      expect(k.checklists.teams).toEqual([{ team: 'Ops', due: 3, onTime: 1, notOnTime: ['2026-05', '2026-06'] }]);
    });
    it('counts a team only in the months it had active people', () => {
      const k = computeKpis({ ...empty, people: [person('ana', 'Ops', { startDate: '2026-08-15' }), person('leo', 'Legal', { archived: true })] }, Q3);
      expect(k.checklists.teams).toEqual([{ team: 'Ops', due: 2, onTime: 0, notOnTime: ['2026-08', '2026-09'] }]);
    });
  });

  it('counts open actions due by the period end, including the last day', () => {
    const input: KpiInput = {
      ...empty,
      briefings: [
        briefing('2026-07-10', [
          { id: 'a1', text: 'due on last day', ownerId: '', due: '2026-09-30', done: false, doneOn: '', doneBy: '' },
          { id: 'a2', text: 'due after', ownerId: '', due: '2026-10-01', done: false, doneOn: '', doneBy: '' },
          { id: 'a3', text: 'done', ownerId: '', due: '2026-08-01', done: true, doneOn: '', doneBy: '' },
          { id: 'a4', text: 'no due date', ownerId: '', due: '', done: false, doneOn: '', doneBy: '' },
        ]),
        briefing('2026-10-03', [{ id: 'a5', text: 'raised after, no due', ownerId: '', due: '', done: false, doneOn: '', doneBy: '' }]),
      ],
      reviewActions: [
        { due: '2026-08-31', done: false, raisedOn: '2026-06-20' },
        { due: '2026-08-31', done: true, raisedOn: '2026-06-20' },
        { due: '', done: false, raisedOn: '2026-06-20' },
      ],
    };
    expect(computeKpis(input, Q3).openActions).toEqual({ briefing: 2, review: 2, total: 4 });
  });

  it('counts agreements expired at period end, not the one expiring on the last day, not replaced ones or those of people who left', () => {
    const input: KpiInput = {
      ...empty,
      people: [person('ana', 'Ops'), person('bo', 'Ops'), person('cy', 'Ops'), person('leo', 'Ops', { archived: true })],
      agreements: [
        agreement('g1', 'ana', '2025-01-01', '2026-09-29'), // expired
        agreement('g2', 'bo', '2025-01-01', '2026-09-30'), // in force on the last day
        agreement('g3', 'cy', '2024-01-01', '2025-12-31'), // expired, but replaced by g4
        agreement('g4', 'cy', '2026-01-01', '', { type: 'contractor' }),
        agreement('g5', 'leo', '2024-01-01', '2025-01-01'), // left
        agreement('g6', 'ana', '2024-01-01', '2025-01-01', { archived: true }),
        agreement('g7', '', '2024-01-01', '2025-06-30', { partyName: 'Acme Hosting', type: 'third-party' }),
      ],
    };
    expect(computeKpis(input, Q3).agreementsExpired).toBe(2);
    // A replacement signed only after the period does not replace it at the period end.
    const late = { ...input, agreements: [agreement('g3', 'cy', '2024-01-01', '2025-12-31'), agreement('g4', 'cy', '2026-10-10', '')] };
    expect(computeKpis(late, Q3).agreementsExpired).toBe(1);
  });

  it('counts speak-up reports received and closed in the period once that register provides them', () => {
    const k = computeKpis({ ...empty, speakUp: [{ receivedOn: '2026-07-01' }, { receivedOn: '2026-06-30', closedOn: '2026-09-30' }, { receivedOn: '2026-09-30', closedOn: '2026-10-01' }] }, Q3);
    expect(k.speakUp).toEqual({ available: true, received: 2, closed: 1 });
    expect(kpiLines(k).find((l) => l.key === 'speakup')?.value).toBe('2 received, 1 closed');
  });
});

describe('issue 11: fair checklist counts and done-on dates', () => {
  const twelveMonths = { from: '2025-12-01', to: '2026-11-30' };
  const people = [person('ana', 'Ops', { startDate: '2024-03-01' }), person('sol', 'Sales', { startDate: '2025-06-01' })];

  it('counts no month before the workspace was created: a workspace made today owes nothing in a year-long pack', () => {
    // What 7fb5941 showed in the first pack: 0 of 24.
    expect(computeKpis({ ...empty, people }, twelveMonths).checklists).toMatchObject({ due: 24, onTime: 0 });
    expect(computeKpis({ ...empty, people, workspaceCreated: '2026-12-06' }, twelveMonths).checklists).toMatchObject({ due: 0, onTime: 0, teams: [] });
    // Created in September: September, October and November are owed per team.
    const k = computeKpis({ ...empty, people, workspaceCreated: '2026-09-14' }, twelveMonths).checklists;
    expect(k.teams.map((t) => [t.team, t.due, t.notOnTime])).toEqual([
      ['Ops', 3, ['2026-09', '2026-10', '2026-11']],
      ['Sales', 3, ['2026-09', '2026-10', '2026-11']],
    ]);
  });

  it('counts from the first member’s start when that is after the workspace’s creation', () => {
    const k = computeKpis({ ...empty, people: [person('new', 'Design', { startDate: '2026-10-20' })], workspaceCreated: '2026-01-05' }, twelveMonths).checklists;
    expect(k.teams).toEqual([{ team: 'Design', due: 2, onTime: 0, notOnTime: ['2026-10', '2026-11'] }]);
  });

  it('a checklist signed on time and then changed is not on time: the register’s own status decides', () => {
    const jul = checklist('Ops', '2026-07');
    const entry = signoff(jul, '2026-07-30T10:00:00.000Z');
    const edited: Checklist = { ...jul, state: { ...jul.state, lead: { status: 'not-done', note: '', evidence: '', briefingId: '' } } };
    const input = { ...empty, people: [person('ana', 'Ops')], checklistEntries: [entry] };
    expect(computeKpis({ ...input, checklists: [jul] }, { from: '2026-07-01', to: '2026-07-31' }).checklists.onTime).toBe(1);
    expect(computeKpis({ ...input, checklists: [edited] }, { from: '2026-07-01', to: '2026-07-31' }).checklists.onTime).toBe(0);
  });

  it('an action done after the period end was open at the period end; one done within it was not', () => {
    const input: KpiInput = {
      ...empty,
      briefings: [
        briefing('2026-07-10', [
          { id: 'late', text: 'done in October', ownerId: '', due: '2026-08-01', done: true, doneOn: '2026-10-02', doneBy: 'Mia' },
          { id: 'ontime', text: 'done in August', ownerId: '', due: '2026-08-01', done: true, doneOn: '2026-08-20', doneBy: 'Mia' },
          { id: 'lastday', text: 'done on the last day', ownerId: '', due: '2026-08-01', done: true, doneOn: '2026-09-30', doneBy: 'Mia' },
        ]),
      ],
      reviewActions: [
        { due: '2026-08-31', done: true, doneOn: '2026-10-20', raisedOn: '2026-06-20' },
        { due: '2026-08-31', done: true, doneOn: '2026-09-01', raisedOn: '2026-06-20' },
      ],
    };
    expect(computeKpis(input, Q3).openActions).toEqual({ briefing: 1, review: 1, total: 2 });
    expect(computeKpis(input, { from: '2026-10-01', to: '2026-12-31' }).openActions).toEqual({ briefing: 0, review: 0, total: 0 });
  });
});
