import { describe, expect, it } from 'vitest';
import type { Person } from '../people/model';
import { completionsCsv } from './export';
import {
  applyCorrections,
  bulkTargets,
  type Completion,
  completionStatus,
  computedExpiry,
  type Course,
  courseFromFields,
  EXPIRY_BEFORE_COMPLETION,
  expiryStatus,
  parseTrainingEntries,
  renewalLabel,
  trainingCompletionRate,
  trainingGaps,
  validateCompletion,
  validateCourse,
  validCourseIds,
} from './model';

const TODAY = '2026-11-25';

const person = (id: string, team: string, archived = false): Person => ({ id, name: `Person ${id}`, email: '', team, jobTitle: '', startDate: '', managerId: '', archived });

const course = (id: string, fields: Record<string, unknown>): Course => courseFromFields(id, { title: `Course ${id}`, renewalMonths: 12, everyone: true, ...fields });

let seq = 0;
const completion = (personId: string, courseId: string, completedOn: string, expiresOn: string, extra: Partial<Completion> = {}): Completion => ({
  id: `c${++seq}`,
  kind: 'completion',
  personId,
  courseId,
  completedOn,
  provider: '',
  evidence: '',
  expiresOn,
  source: '',
  byName: 'Mia',
  at: '2026-11-25T10:00:00.000Z',
  deviceId: 'dev',
  ...extra,
});

describe('expiry windows', () => {
  // An expiry date is the last day the completion counts; "expiring" = within 30 days of today.
  it.each([
    ['expires today', '2026-11-25', 'expiring'],
    ['expires in 30 days', '2026-12-25', 'expiring'],
    ['expires in 31 days', '2026-12-26', 'valid'],
    ['expired yesterday', '2026-11-24', 'expired'],
    ['never expires', '', 'valid'],
  ] as const)('%s → %s', (_label, expiresOn, status) => {
    expect(expiryStatus(expiresOn, TODAY)).toBe(status);
    const p = person('p', 'Ops');
    const c = course('k', {});
    expect(completionStatus(p, c, [completion('p', 'k', '2025-11-01', expiresOn)], [], TODAY)).toBe(status);
  });
});

describe('renewal interval', () => {
  it('clamps to the end of a shorter month: 2026-01-31 + 1 month = 2026-02-28', () => {
    expect(computedExpiry('2026-01-31', 1)).toBe('2026-02-28');
    expect(computedExpiry('2026-03-31', 1)).toBe('2026-04-30');
  });
  it('handles the leap day: 2028-02-29 + 12 months = 2029-02-28; 2027-02-28 + 12 = 2028-02-28', () => {
    expect(computedExpiry('2028-02-29', 12)).toBe('2029-02-28');
    expect(computedExpiry('2028-01-31', 1)).toBe('2028-02-29');
    expect(computedExpiry('2027-02-28', 12)).toBe('2028-02-28');
  });
  it('0 months never expires', () => {
    expect(computedExpiry('2026-01-31', 0)).toBe('');
  });
  it('is filled in from the course at entry time unless entered', () => {
    const c = course('k', { renewalMonths: 1 });
    const base = { personId: 'p', courseId: 'k', completedOn: '2026-01-31', provider: '', evidence: '', expiresOn: '' };
    expect(validateCompletion(base, c, TODAY)).toEqual({ ok: true, value: { ...base, expiresOn: '2026-02-28' } });
    expect(validateCompletion({ ...base, expiresOn: '2026-06-30' }, c, TODAY)).toEqual({ ok: true, value: { ...base, expiresOn: '2026-06-30' } });
  });
  it('labels', () => {
    expect([0, 1, 6, 12, 24].map(renewalLabel)).toEqual(['Never expires', 'Every month', 'Every 6 months', 'Every year', 'Every 2 years']);
  });
});

describe('completion validation', () => {
  const c = course('k', {});
  const base = { personId: 'p', courseId: 'k', completedOn: '2026-11-20', provider: '', evidence: '', expiresOn: '' };
  it('refuses an expiry before the completion date, with a clear message', () => {
    expect(validateCompletion({ ...base, expiresOn: '2026-11-19' }, c, TODAY)).toEqual({ ok: false, errors: { expiresOn: EXPIRY_BEFORE_COMPLETION } });
    expect(EXPIRY_BEFORE_COMPLETION).toBe('The expiry date cannot be before the completion date.');
    // The same day is allowed (a one-day certificate).
    expect(validateCompletion({ ...base, expiresOn: '2026-11-20' }, c, TODAY).ok).toBe(true);
  });
  it('explains bad dates, people and courses', () => {
    const r = validateCompletion({ ...base, personId: '', completedOn: '20/11/2026', expiresOn: '2027-02-30' }, c, TODAY);
    expect(r).toEqual({
      ok: false,
      errors: {
        personId: 'Choose who completed the training.',
        completedOn: 'Enter the completion date as YYYY-MM-DD, e.g. 2026-11-25.',
        expiresOn: 'Enter the expiry date as YYYY-MM-DD, or leave it empty to use the course’s renewal.',
      },
    });
    expect(validateCompletion({ ...base, completedOn: '2026-11-26' }, c, TODAY)).toEqual({ ok: false, errors: { completedOn: 'The completion date cannot be in the future.' } });
    expect(validateCompletion(base, undefined, TODAY)).toEqual({ ok: false, errors: { courseId: 'Choose a course of this training log.' } });
    expect(validateCompletion(base, { ...c, archived: true }, TODAY).ok).toBe(false);
  });
});

describe('course', () => {
  it('reads the audience from one boolean per team and role', () => {
    const c = courseFromFields('k', { title: 'Phishing', renewalMonths: 6, everyone: false, 'team.Ops': true, 'team.Sales': false, 'role.isms': true, provider: 'KnowBe4' });
    expect(c).toMatchObject({ title: 'Phishing', renewalMonths: 6, audience: { everyone: false, teams: ['Ops'], roles: ['isms'] }, provider: 'KnowBe4', archived: false });
  });
  it('applies by team and by security role only to those', () => {
    const c = course('k', { everyone: false, 'team.Ops': true, 'role.isms': true });
    expect(completionStatus(person('a', 'Ops'), c, [], [], TODAY)).toBe('missing');
    expect(completionStatus(person('b', 'Sales'), c, [], [], TODAY)).toBe('not-required');
    expect(completionStatus(person('b', 'Sales'), c, [], ['isms'], TODAY)).toBe('missing');
    expect(completionStatus(person('c', 'Sales'), c, [], ['ceo'], TODAY)).toBe('not-required');
    expect(completionStatus(person('d', 'Ops', true), c, [], [], TODAY)).toBe('not-required');
    expect(completionStatus(person('a', 'Ops'), { ...c, archived: true }, [], [], TODAY)).toBe('not-required');
  });
  it('validates the form', () => {
    const input = { title: ' Phishing ', renewalMonths: '12', audience: { everyone: false, teams: ['Ops', 'Ops'], roles: [] }, provider: '' };
    expect(validateCourse(input)).toEqual({ ok: true, value: { title: 'Phishing', renewalMonths: 12, audience: { everyone: false, teams: ['Ops'], roles: [] }, provider: '' } });
    const bad = validateCourse({ title: '', renewalMonths: '1.5', audience: { everyone: false, teams: [], roles: [] }, provider: '' });
    expect(bad).toEqual({
      ok: false,
      errors: {
        title: 'Enter the course title, e.g. Annual security awareness.',
        renewalMonths: 'Enter the renewal interval in whole months, from 0 (never expires) to 120.',
        audience: 'Choose who must do it: everyone, some teams or some security roles.',
      },
    });
    expect(validateCourse({ ...input, renewalMonths: '' }).ok).toBe(false);
    expect(validateCourse({ ...input, renewalMonths: -1 }).ok).toBe(false);
    expect(validateCourse({ ...input, renewalMonths: 0 }).ok).toBe(true);
    expect(validateCourse(input, [course('x', { title: 'phishing' })])).toEqual({ ok: false, errors: { title: 'There is already a course called phishing.' } });
    expect(validateCourse(input, [course('x', { title: 'phishing', archived: true })]).ok).toBe(true);
  });
});

describe('gaps and completion rate', () => {
  const awareness = course('aware', { title: 'Security awareness', renewalMonths: 12 });
  const isms = course('isms', { title: 'ISMS lead training', renewalMonths: 0, everyone: false, 'role.isms-manager': true });
  const old = course('old', { title: 'Old course', archived: true });
  const people = [person('ada', 'Ops'), person('bo', 'Ops'), person('cy', 'Sales'), person('dee', 'Sales'), person('gone', 'Ops', true)];
  const rolesByPerson = new Map([['ada', ['isms-manager']]]);
  const completions = [
    completion('ada', 'aware', '2026-01-10', '2027-01-10'), // valid
    completion('ada', 'isms', '2020-05-01', ''), // never expires
    completion('bo', 'aware', '2025-12-01', '2026-12-01'), // expiring (6 days)
    completion('cy', 'aware', '2025-10-01', '2026-10-01'), // expired
    completion('gone', 'aware', '2020-01-01', '2021-01-01'), // archived person: ignored
    completion('dee', 'old', '2020-01-01', '2021-01-01'), // archived course: ignored
  ];
  const input = { people, courses: [awareness, isms, old], completions, rolesByPerson, today: TODAY };

  it('reports missing, expired and expiring per person and required course', () => {
    expect(trainingGaps(input)).toEqual([
      { personId: 'bo', kind: 'training-expiring', label: 'Security awareness expires soon', href: '#/training/matrix?course=aware', due: '2026-12-01' },
      { personId: 'cy', kind: 'training-expired', label: 'Security awareness expired', href: '#/training/matrix?course=aware', due: '2026-10-01' },
      { personId: 'dee', kind: 'training-missing', label: 'Security awareness not done', href: '#/training/matrix?course=aware' },
    ]);
  });
  it('rate: required pairs valid or expiring / all required pairs (archived people and courses excluded)', () => {
    // Required: 4 people × awareness + ada × isms = 5; done: ada×2, bo = 3.
    expect(trainingCompletionRate(input)).toEqual({ done: 3, total: 5, percent: 60 });
    expect(trainingCompletionRate({ ...input, courses: [] })).toEqual({ done: 0, total: 0 });
  });
  it('a later renewal replaces an expired completion', () => {
    const renewed = [...completions, completion('cy', 'aware', '2026-11-20', '2027-11-20')];
    expect(trainingGaps({ ...input, completions: renewed }).map((g) => g.personId)).toEqual(['bo', 'dee']);
  });
  it('a corrected (voided) completion no longer counts', () => {
    const entry = completions[0]!;
    const voided = applyCorrections(completions, [{ id: 'x', kind: 'correction', corrects: entry.id, reason: 'Wrong person', byName: 'Mia', at: '2026-11-25T11:00:00.000Z', deviceId: 'dev' }]);
    expect(voided[0]!.voidedBy).toBe('x');
    expect(completionStatus(people[0]!, awareness, voided, [], TODAY)).toBe('missing');
    expect(trainingGaps({ ...input, completions: voided }).filter((g) => g.personId === 'ada')).toEqual([
      { personId: 'ada', kind: 'training-missing', label: 'Security awareness not done', href: '#/training/matrix?course=aware' },
    ]);
    expect(trainingCompletionRate({ ...input, completions: voided })).toEqual({ done: 2, total: 5, percent: 40 });
    expect(validCourseIds('ada', voided, TODAY)).toEqual(new Set(['isms']));
  });
  it('validCourseIds: current completions only', () => {
    expect(validCourseIds('ada', completions, TODAY)).toEqual(new Set(['aware', 'isms']));
    expect(validCourseIds('bo', completions, TODAY)).toEqual(new Set(['aware']));
    expect(validCourseIds('cy', completions, TODAY)).toEqual(new Set());
  });
});

describe('stored entries', () => {
  it('parses completions and corrections, skips malformed ones, marks voided completions', () => {
    const c = completion('p', 'k', '2026-11-01', '2027-11-01');
    const raw = [c, { ...c, id: 'bad', completedOn: 'yesterday' }, { id: 'r', kind: 'correction', corrects: c.id, reason: 'typo', byName: 'M', at: '2026-11-25T12:00:00Z', deviceId: 'd' }, null, 42];
    const parsed = parseTrainingEntries(raw);
    expect(parsed.completions).toEqual([{ ...c, voidedBy: 'r' }]);
    expect(parsed.corrections.map((x) => x.id)).toEqual(['r']);
  });
  it('bulk targets: each person once, skipping those already recorded that day', () => {
    const done = [completion('a', 'k', '2026-11-20', '')];
    expect(bulkTargets(['a', 'b', 'b', 'c'], 'k', '2026-11-20', done)).toEqual({ record: ['b', 'c'], already: ['a'] });
    expect(bulkTargets(['a'], 'k', '2026-11-21', done)).toEqual({ record: ['a'], already: [] });
  });
  it('exports CSV rows with the evidence trail', () => {
    const c = completion('p', 'k', '2026-11-01', '');
    const t = completionsCsv([{ completion: c, personName: 'Ada', team: 'Ops', courseTitle: 'Phishing', status: 'valid' }], '2026-11-25');
    expect(t.name).toBe('muster-training-2026-11-25');
    expect(t.rows[0]!.slice(0, 6)).toEqual(['Ada', 'Ops', 'Phishing', '2026-11-01', 'Never', 'Valid']);
    expect(t.rows[0]!.length).toBe(t.columns.length);
  });
});
