import { describe, expect, it } from 'vitest';
import { addDays } from '../../domain/dates';
import { badgeCount, dueSummary, type Duty } from '../../domain/schedules';
import type { SignOffEntry } from '../../domain/signoff';
import { agreementFromFields, type Agreement } from '../agreements/model';
import { briefingFromFields } from '../briefings/model';
import { type Checklist, checklistFromFields, checklistSnapshot, STANDARD_ITEMS } from '../checklists/model';
import { reviewFromFields } from '../reviews/model';
import type { Person } from '../people/model';
import { type Policy, policyFromFields, type Publication, type Review, reviewOverdue } from '../policies/model';
import { type Completion, type Course, courseFromFields } from '../training/model';
import { dutiesCsv } from './export';
import {
  agreementDuties,
  checklistDuties,
  due,
  dueActionsOf,
  type DueSources,
  managementReviewDuties,
  policyReviewDuties,
  teamManager,
  trainingDuties,
} from './model';

const person = (id: string, name: string, team: string, extra: Partial<Person> = {}): Person => ({
  id,
  name,
  email: '',
  team,
  jobTitle: '',
  startDate: '2024-03-01',
  managerId: '',
  archived: false,
  ...extra,
});

const mia = person('mia', 'Mia Manager', 'Ops');
const sam = person('sam', 'Sam Staff', 'Ops', { managerId: 'mia' });
const ola = person('ola', 'Ola Ops', 'Ops', { managerId: 'mia' });
const ana = person('ana', 'Ana Boss', 'Sales');
const lee = person('lee', 'Lee Sales', 'Sales', { managerId: 'ana' });
const gone = person('gone', 'Gus Gone', 'Legacy', { archived: true });
const PEOPLE = [mia, sam, ola, ana, lee, gone];

/** A checklist with every item answered (done unless told). */
function checklist(id: string, team: string, month: string, status = 'done'): Checklist {
  const fields: Record<string, unknown> = { team, month };
  for (const i of STANDARD_ITEMS) fields[`item.${i.key}.status`] = status;
  return checklistFromFields(id, fields);
}

let seq = 0;
const signOff = (c: Checklist, at: string, extra: Partial<SignOffEntry> = {}): SignOffEntry => ({
  id: `e${++seq}`,
  recordId: c.id,
  kind: 'signoff',
  byName: 'Mia Manager',
  at,
  deviceId: 'dev',
  note: '',
  snapshot: checklistSnapshot(c),
  ...extra,
});

const ids = (duties: readonly Duty[]) => duties.map((d) => d.id);
const byId = (duties: readonly Duty[], id: string) => duties.find((d) => d.id === id);

describe('monthly checklists', () => {
  it('computes a duty for each team with active people, due on the month’s last day', () => {
    const duties = checklistDuties({ people: PEOPLE, checklists: [], checklistEntries: [], today: '2026-11-10', lookbackMonths: 0 });
    expect(ids(duties)).toEqual(['checklist:Ops:2026-11', 'checklist:Sales:2026-11']);
    expect(duties.map((d) => [d.team, d.due, d.status])).toEqual([
      ['Ops', '2026-11-30', 'this-month'],
      ['Sales', '2026-11-30', 'this-month'],
    ]);
    // Nobody active in Legacy: nothing is owed there.
    expect(duties.some((d) => d.team === 'Legacy')).toBe(false);
  });

  it('falls due on the 31st, the 30th, 28 February and 29 February in a leap year', () => {
    const dueOn = (today: string) => checklistDuties({ people: [mia], checklists: [], checklistEntries: [], today, lookbackMonths: 0 })[0]!.due;
    expect(dueOn('2026-10-05')).toBe('2026-10-31');
    expect(dueOn('2026-11-05')).toBe('2026-11-30');
    expect(dueOn('2027-02-05')).toBe('2027-02-28');
    expect(dueOn('2028-02-05')).toBe('2028-02-29');
  });

  it('a checklist signed on the last day of the month counts as done for that month', () => {
    const nov = checklist('nov', 'Ops', '2026-11');
    const entries = [signOff(nov, '2026-11-30T23:59:00.000Z')];
    // On the day itself…
    const onTheDay = checklistDuties({ people: [mia, sam], checklists: [nov], checklistEntries: entries, today: '2026-11-30' });
    expect(byId(onTheDay, 'checklist:Ops:2026-11')).toMatchObject({ status: 'done', href: '#/checklists/nov' });
    // …and the next morning, November is done while December is open.
    const nextDay = checklistDuties({ people: [mia, sam], checklists: [nov], checklistEntries: entries, today: '2026-12-01' });
    expect(nextDay.map((d) => [d.id, d.status])).toEqual([
      ['checklist:Ops:2026-12', 'this-month'],
      ['checklist:Ops:2026-11', 'done'],
    ]);
  });

  it('last month’s unsigned checklist is overdue from the 1st; one month back only', () => {
    const oct = checklist('oct', 'Ops', '2026-10');
    const duties = checklistDuties({ people: [mia], checklists: [oct], checklistEntries: [], today: '2026-11-01' });
    expect(duties.map((d) => [d.id, d.due, d.status, d.href])).toEqual([
      ['checklist:Ops:2026-11', '2026-11-30', 'this-month', '#/checklists/new?team=Ops&month=2026-11'],
      ['checklist:Ops:2026-10', '2026-10-31', 'overdue', '#/checklists/oct'],
    ]);
  });

  it('a team that did not exist last month owes only this month', () => {
    const newcomer = person('new', 'Nia New', 'Design', { startDate: '2026-11-02' });
    const unknown = person('unk', 'Uma Unknown', 'Legal', { startDate: '' });
    const duties = checklistDuties({ people: [newcomer, unknown], checklists: [], checklistEntries: [], today: '2026-11-20' });
    expect(ids(duties)).toEqual(['checklist:Design:2026-11', 'checklist:Legal:2026-11']);
  });

  it('is not done while unsigned, changed since sign-off or withdrawn; signed with gaps is done', () => {
    const ready = checklist('ready', 'Ops', '2026-11');
    const gaps = checklist('gaps', 'Sales', '2026-11', 'not-done');
    const people = [mia, ana];
    const today = '2026-11-20';
    const run = (cs: Checklist[], es: SignOffEntry[]) => checklistDuties({ people, checklists: cs, checklistEntries: es, today, lookbackMonths: 0 });

    expect(run([ready, gaps], []).map((d) => d.status)).toEqual(['this-month', 'this-month']);
    const signedGaps = signOff(gaps, '2026-11-19T10:00:00.000Z');
    expect(run([ready, gaps], [signedGaps]).map((d) => d.status)).toEqual(['this-month', 'done']);

    // Signed, then an answer changed: it needs a new sign-off.
    const entry = signOff(ready, '2026-11-19T10:00:00.000Z');
    const changed = checklistFromFields('ready', { team: 'Ops', month: '2026-11', 'item.brief.status': 'not-done', 'item.compliance.status': 'done', 'item.enforce.status': 'done', 'item.lead.status': 'done' });
    expect(byId(run([changed], [entry]), 'checklist:Ops:2026-11')!.status).toBe('this-month');

    // Signed, then the sign-off withdrawn by a correction.
    const withdrawal = signOff(ready, '2026-11-19T11:00:00.000Z', { kind: 'correction', corrects: entry.id, withdraws: true, note: 'Wrong team' });
    expect(byId(run([ready], [entry, withdrawal]), 'checklist:Ops:2026-11')!.status).toBe('this-month');
    expect(byId(run([ready], [entry]), 'checklist:Ops:2026-11')!.status).toBe('done');
  });

  it('counts the month of the checklist, not the day it was signed', () => {
    // October's checklist signed late, on 3 November: October is done, November still open.
    const oct = checklist('oct', 'Ops', '2026-10');
    const duties = checklistDuties({ people: [mia], checklists: [oct], checklistEntries: [signOff(oct, '2026-11-03T09:00:00.000Z')], today: '2026-11-05' });
    expect(duties.map((d) => [d.id, d.status])).toEqual([
      ['checklist:Ops:2026-11', 'this-month'],
      ['checklist:Ops:2026-10', 'done'],
    ]);
  });

  it('two checklists for one team and month (two devices offline): done when either is signed', () => {
    const a = checklist('a', 'Ops', '2026-11');
    const b = checklist('b', 'Ops', '2026-11');
    const duties = checklistDuties({ people: [mia], checklists: [a, b], checklistEntries: [signOff(b, '2026-11-20T09:00:00.000Z')], today: '2026-11-21', lookbackMonths: 0 });
    expect(duties).toHaveLength(1);
    expect(duties[0]).toMatchObject({ status: 'done', href: '#/checklists/b' });
  });

  it('gives the team’s manager as the person to act', () => {
    expect(teamManager(PEOPLE, 'Ops')).toBe('mia');
    expect(teamManager(PEOPLE, 'Sales')).toBe('ana');
    expect(teamManager(PEOPLE, 'Legacy')).toBeUndefined();
    const duties = checklistDuties({ people: PEOPLE, checklists: [], checklistEntries: [], today: '2026-11-10', lookbackMonths: 0 });
    expect(duties.map((d) => d.personId)).toEqual(['mia', 'ana']);
  });
});

describe('management review', () => {
  it('is due 3 months after the last one, clamped to the month end', () => {
    expect(managementReviewDuties({ lastReviewDate: '2026-08-31', today: '2026-11-25' })[0]).toMatchObject({ due: '2026-11-30', status: 'this-week', title: 'Quarterly management review', href: '#/reviews/new' });
    expect(managementReviewDuties({ lastReviewDate: '2026-11-30', today: '2026-12-01' })[0]).toMatchObject({ due: '2027-02-28', status: 'later' });
    expect(managementReviewDuties({ lastReviewDate: '2027-11-30', today: '2028-02-29' })[0]).toMatchObject({ due: '2028-02-29', status: 'this-week' });
    expect(managementReviewDuties({ lastReviewDate: '2026-07-31', today: '2026-11-25' })[0]).toMatchObject({ due: '2026-10-31', status: 'overdue' });
  });

  it('is due today when none is on record', () => {
    expect(managementReviewDuties({ today: '2026-11-25' })[0]).toMatchObject({ due: '2026-11-25', status: 'this-week', title: 'First management review' });
  });
});

describe('policy reviews', () => {
  const policy = (id: string, fields: Record<string, unknown>): Policy => policyFromFields(id, { title: `Policy ${id}`, ownerId: 'mia', everyone: true, nextReviewDate: '2027-06-01', ...fields });
  const publication = (policyId: string, approvedOn: string): Publication => ({
    id: `pub-${policyId}-${approvedOn}`,
    kind: 'publication',
    policyId,
    version: '1.0',
    text: 'x',
    textSha256: '0'.repeat(64),
    approvedBy: 'CEO',
    approvedOn,
    publishedAt: `${approvedOn}T10:00:00.000Z`,
    byName: 'Mia',
    deviceId: 'dev',
  });
  const review = (policyId: string, reviewedOn: string): Review => ({
    id: `rev-${policyId}-${reviewedOn}`,
    kind: 'review',
    policyId,
    reviewedOn,
    reviewedBy: 'Mia',
    outcome: 'No change',
    nextReviewDate: '2099-01-01',
    at: `${reviewedOn}T10:00:00.000Z`,
    byName: 'Mia',
    deviceId: 'dev',
  });
  const run = (policies: Policy[], publications: Publication[], reviews: Review[], today: string) => policyReviewDuties({ people: PEOPLE, policies, publications, reviews, today });

  it('a next review date in the past is overdue; the owner acts, in their team', () => {
    const duties = run([policy('aup', { nextReviewDate: '2026-11-01', title: 'Acceptable use' })], [], [], '2026-11-25');
    expect(duties).toEqual([
      { id: 'policy:aup', kind: 'policy-review', title: 'Review Acceptable use', due: '2026-11-01', personId: 'mia', team: 'Ops', href: '#/policies/aup?do=review', status: 'overdue' },
    ]);
  });

  it('is due 12 months after the last evidenced review or approval, if that comes first', () => {
    const p = policy('p', { nextReviewDate: '2027-12-31' });
    expect(run([p], [publication('p', '2026-01-15')], [], '2026-11-25')[0]).toMatchObject({ due: '2027-01-15', status: 'later' });
    expect(run([p], [publication('p', '2025-12-10')], [review('p', '2025-12-20')], '2026-11-25')[0]).toMatchObject({ due: '2026-12-20', status: 'this-month' });
    expect(run([p], [publication('p', '2025-11-20')], [], '2026-11-25')[0]).toMatchObject({ due: '2026-11-20', status: 'overdue' });
  });

  it('agrees with the policies register’s "review overdue" at the 12-month boundary', () => {
    const p = policy('p', { nextReviewDate: '2099-01-01' });
    for (const [last, today] of [
      ['2025-11-25', '2026-11-25'],
      ['2025-11-24', '2026-11-25'],
      ['2024-02-29', '2025-02-28'],
      ['2024-02-29', '2025-03-01'],
      ['2025-03-31', '2026-03-31'],
      ['2025-03-31', '2026-04-01'],
    ] as const) {
      const pubs = [publication('p', last)];
      expect({ last, today, overdue: run([p], pubs, [], today)[0]!.status === 'overdue' }).toEqual({ last, today, overdue: reviewOverdue(p, pubs, [], today) });
    }
  });

  it('skips archived policies; an owner who left gives no team', () => {
    expect(run([policy('old', { archived: true, nextReviewDate: '2020-01-01' })], [], [], '2026-11-25')).toEqual([]);
    const d = run([policy('p', { ownerId: 'gone' })], [], [], '2026-11-25')[0]!;
    expect(d.personId).toBe('gone');
    expect(d.team).toBeUndefined();
  });
});

describe('training renewals', () => {
  const course = (id: string, fields: Record<string, unknown> = {}): Course => courseFromFields(id, { title: `Course ${id}`, renewalMonths: 12, everyone: true, ...fields });
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
    at: `${completedOn}T10:00:00.000Z`,
    deviceId: 'dev',
    ...extra,
  });
  const run = (completions: Completion[], today: string, courses = [course('sec', { title: 'Security awareness' })], people = [mia, sam]) =>
    trainingDuties({ people, courses, completions, rolesByPerson: new Map(), today });

  it('appears in "this month" 20 days before expiry, "this week" on the day, and "overdue" the day after', () => {
    const expiry = '2026-12-15';
    const c = [completion('sam', 'sec', '2025-12-15', expiry)];
    expect(run(c, addDays(expiry, -31))[0]!.status).toBe('later');
    expect(run(c, addDays(expiry, -20))[0]).toMatchObject({
      id: 'training:sam:sec',
      title: 'Renew Security awareness',
      due: expiry,
      personId: 'sam',
      team: 'Ops',
      href: '#/training/new?course=sec&person=sam',
      status: 'this-month',
    });
    expect(run(c, addDays(expiry, -6))[0]!.status).toBe('this-week');
    expect(run(c, expiry)[0]!.status).toBe('this-week');
    expect(run(c, addDays(expiry, 1))[0]!.status).toBe('overdue');
  });

  it('follows the completion that counts: a renewal moves the date, a voided one does not count', () => {
    const old = completion('sam', 'sec', '2025-11-01', '2026-11-01');
    const renewed = completion('sam', 'sec', '2026-11-20', '2027-11-20');
    expect(run([old, renewed], '2026-11-25')[0]).toMatchObject({ due: '2027-11-20', status: 'later' });
    expect(run([old, { ...renewed, voidedBy: 'x' }], '2026-11-25')[0]).toMatchObject({ due: '2026-11-01', status: 'overdue' });
  });

  it('nothing to renew: never expires, not done (a gap, not a renewal), person left, course archived or not for them', () => {
    expect(run([completion('sam', 'sec', '2026-01-01', '')], '2026-11-25')).toEqual([]);
    expect(run([], '2026-11-25')).toEqual([]);
    expect(run([completion('gone', 'sec', '2025-01-01', '2026-01-01')], '2026-11-25', undefined, [gone])).toEqual([]);
    expect(run([completion('sam', 'sec', '2025-01-01', '2026-01-01')], '2026-11-25', [course('sec', { archived: true })])).toEqual([]);
    expect(run([completion('sam', 'sec', '2025-01-01', '2026-01-01')], '2026-11-25', [course('sec', { everyone: false, 'team.Sales': true })])).toEqual([]);
  });
});

describe('agreement expiries', () => {
  const agreement = (id: string, fields: Record<string, unknown>): Agreement =>
    agreementFromFields(id, { partyPersonId: 'sam', type: 'employment', signedOn: '2025-01-01', expiresOn: '2026-12-31', securityClauses: true, ...fields });
  const run = (agreements: Agreement[], today = '2026-11-25') => agreementDuties({ people: PEOPLE, agreements, today });

  it('is due on the expiry date, the last day in force', () => {
    expect(run([agreement('a', {})])).toEqual([
      { id: 'agreement:a', kind: 'agreement-expiry', title: 'Renew Employment contract', due: '2026-12-31', personId: 'sam', team: 'Ops', href: '#/agreements/a', status: 'later' },
    ]);
    expect(run([agreement('a', { expiresOn: '2026-11-25' })])[0]!.status).toBe('this-week');
    expect(run([agreement('a', { expiresOn: '2026-11-24' })])[0]!.status).toBe('overdue');
  });

  it('a later agreement of the same kind replaces it; one that never expires means nothing is due', () => {
    const old = agreement('old', { expiresOn: '2026-10-31' });
    expect(ids(run([old, agreement('new', { type: 'contractor', expiresOn: '2027-10-31' })]))).toEqual(['agreement:new']);
    expect(run([old, agreement('open', { expiresOn: '' })])).toEqual([]);
    // An NDA is its own kind: both come due.
    expect(ids(run([old, agreement('nda', { type: 'nda', expiresOn: '2026-12-01' })])).sort()).toEqual(['agreement:nda', 'agreement:old']);
  });

  it('skips unsigned and archived agreements and people who left; names external parties', () => {
    expect(run([agreement('u', { signedOn: '' })])).toEqual([]);
    expect(run([agreement('x', { archived: true })])).toEqual([]);
    expect(run([agreement('g', { partyPersonId: 'gone' })])).toEqual([]);
    const supplier = run([agreement('s', { partyPersonId: '', partyName: 'Acme Cloud Ltd', type: 'third-party' })])[0]!;
    expect(supplier).toMatchObject({ title: 'Renew Third-party / supplier agreement with Acme Cloud Ltd', due: '2026-12-31' });
    expect(supplier.personId).toBeUndefined();
    expect(supplier.team).toBeUndefined();
  });
});

describe('everything due', () => {
  const sources = (today: string): DueSources => {
    const nov = checklist('nov-ops', 'Ops', '2026-11');
    return {
      today,
      people: PEOPLE,
      checklists: [nov],
      checklistEntries: [signOff(nov, '2026-11-20T09:00:00.000Z')],
      policies: [policyFromFields('aup', { title: 'Acceptable use', ownerId: 'mia', everyone: true, nextReviewDate: '2026-11-01' })],
      publications: [],
      policyReviews: [],
      courses: [courseFromFields('sec', { title: 'Security awareness', renewalMonths: 12, everyone: true })],
      completions: [
        { id: 'c-lee', kind: 'completion', personId: 'lee', courseId: 'sec', completedOn: '2025-12-15', provider: '', evidence: '', expiresOn: '2026-12-15', source: '', byName: 'Mia', at: '2025-12-15T10:00:00Z', deviceId: 'dev' },
      ],
      rolesByPerson: new Map(),
      agreements: [agreementFromFields('ag', { partyPersonId: 'ana', type: 'employment', signedOn: '2024-01-01', expiresOn: '2027-06-30' })],
      managementReview: { lastReviewDate: '2026-09-01' },
    };
  };

  it('gathers every register, soonest first, and summarises them', () => {
    const duties = due(sources('2026-11-25'));
    expect(duties.map((d) => [d.id, d.due, d.status])).toEqual([
      ['checklist:Ops:2026-10', '2026-10-31', 'overdue'],
      ['checklist:Sales:2026-10', '2026-10-31', 'overdue'],
      ['policy:aup', '2026-11-01', 'overdue'],
      ['checklist:Ops:2026-11', '2026-11-30', 'done'],
      ['checklist:Sales:2026-11', '2026-11-30', 'this-week'],
      ['management-review', '2026-12-01', 'this-week'],
      ['training:lee:sec', '2026-12-15', 'this-month'],
      ['agreement:ag', '2027-06-30', 'later'],
    ]);
    expect(dueSummary(duties)).toEqual({ overdue: 3, 'this-week': 2, 'this-month': 1, later: 1, done: 1, total: 8 });
    expect(badgeCount(duties)).toBe(5);
  });

  it('honours the schedule settings', () => {
    const duties = due({ ...sources('2026-11-25'), schedule: { reviewEveryMonths: 6, checklistLookbackMonths: 0 } });
    expect(byId(duties, 'management-review')!.due).toBe('2027-03-01');
    expect(duties.some((d) => d.id.endsWith(':2026-10'))).toBe(false);
  });

  it('exports what it shows as CSV, names resolved', () => {
    const duties = due(sources('2026-11-25')).slice(0, 3);
    const t = dutiesCsv(duties, (id) => PEOPLE.find((p) => p.id === id)?.name ?? '', '2026-11-25', '2026-11-25');
    expect(t.name).toBe('muster-due-2026-11-25');
    expect(t.rows[2]).toEqual(['Overdue', '2026-11-01', '24 days overdue', 'Review Acceptable use', 'Policy review', 'Ops', 'Mia Manager', '', '#/policies/aup?do=review', 'policy:aup']);
  });
});

describe('issue 11: Due is complete and fair', () => {
  it('a workspace made today owes this month’s checklist only, whatever its people’s start dates', () => {
    // 7fb5941 listed last month as overdue on the first day.
    expect(ids(checklistDuties({ people: [mia, sam], checklists: [], checklistEntries: [], today: '2026-12-06' }))).toEqual(['checklist:Ops:2026-12', 'checklist:Ops:2026-11']);
    const made = checklistDuties({ people: [mia, sam], checklists: [], checklistEntries: [], today: '2026-12-06', workspaceCreated: '2026-12-06' });
    expect(made.map((d) => [d.id, d.status])).toEqual([['checklist:Ops:2026-12', 'this-month']]);
    // A month later, November is still not owed; December is.
    expect(ids(checklistDuties({ people: [mia, sam], checklists: [], checklistEntries: [], today: '2027-01-03', workspaceCreated: '2026-12-06' }))).toEqual(['checklist:Ops:2027-01', 'checklist:Ops:2026-12']);
  });

  it('a team whose first member starts next month owes nothing yet', () => {
    const nia = person('nia', 'Nia New', 'Design', { startDate: '2027-01-04' });
    expect(checklistDuties({ people: [nia], checklists: [], checklistEntries: [], today: '2026-12-06', workspaceCreated: '2026-06-01' })).toEqual([]);
  });

  it('lists open briefing and review actions with a due date, overdue however old, done and undated ones left out', () => {
    const briefing = briefingFromFields('b1', {
      date: '2020-02-10', team: 'Ops',
      'action.old': { text: 'Replace the shared password', ownerId: 'sam', due: '2020-03-01', done: false },
      'action.soon': { text: 'Shred old files', ownerId: '', due: '2026-12-09', done: false },
      'action.done': { text: 'Done already', ownerId: '', due: '2020-03-01', done: true },
      'action.undated': { text: 'Some day', ownerId: '', due: '', done: false },
    });
    const review = reviewFromFields('r1', { date: '2026-10-05', 'action.mfa': { text: 'Roll out MFA', ownerId: 'lee', due: '2026-11-15', status: 'in-progress' } });
    const actions = dueActionsOf({ briefings: [briefing], reviews: [review], checklists: [], people: PEOPLE });
    const duties = due({
      today: '2026-12-06', people: PEOPLE, checklists: [], checklistEntries: [], policies: [], publications: [], policyReviews: [], courses: [], completions: [],
      rolesByPerson: new Map(), agreements: [], managementReview: { lastReviewDate: '2026-10-05' }, actions,
    });
    const rows = duties.filter((d) => d.kind === 'action').map((d) => [d.id, d.title, d.status, d.team ?? '', d.personId ?? '', d.source, d.href]);
    expect(rows).toEqual([
      ['action:briefings:b1:old', 'Replace the shared password', 'overdue', 'Ops', 'sam', 'Ops briefing, 10 Feb 2020', '#/briefings/b1'],
      ['action:reviews:mfa', 'Roll out MFA', 'overdue', 'Sales', 'lee', 'Review of 5 Oct 2026', '#/reviews/r1'],
      ['action:briefings:b1:soon', 'Shred old files', 'this-week', 'Ops', '', 'Ops briefing, 10 Feb 2020', '#/briefings/b1'],
    ]);
  });

  it('lists a checklist item\'s open action with its team and item; a ticked one leaves Due', () => {
    const fields = {
      team: 'Ops', month: '2026-11',
      'action.a1': { text: 'Chase the two missing courses', ownerId: 'sam', due: '2026-11-30', done: false, item: 'compliance' },
      'action.a2': { text: 'Already done', ownerId: '', due: '2026-11-30', done: true, doneOn: '2026-11-29', doneBy: 'Mia', item: 'compliance' },
      'action.a3': { text: 'Removed', ownerId: '', due: '2026-11-30', done: false, item: 'lead', deleted: true },
    };
    const rows = (checklists: ReturnType<typeof checklistFromFields>[]) =>
      due({
        today: '2026-12-06', people: PEOPLE, checklists: [], checklistEntries: [], policies: [], publications: [], policyReviews: [], courses: [], completions: [],
        rolesByPerson: new Map(), agreements: [], managementReview: { lastReviewDate: '2026-10-05' }, actions: dueActionsOf({ briefings: [], reviews: [], checklists, people: PEOPLE }),
      }).filter((d) => d.kind === 'action').map((d) => [d.id, d.title, d.status, d.team ?? '', d.personId ?? '', d.source, d.href]);
    expect(rows([checklistFromFields('c1', fields)])).toEqual([
      ['action:checklists:c1:a1', 'Chase the two missing courses', 'overdue', 'Ops', 'sam', 'Ops checklist, Nov 2026: Check compliance', '#/checklists/c1'],
    ]);
    expect(rows([checklistFromFields('c1', { ...fields, 'action.a1': { ...fields['action.a1'], done: true } })])).toEqual([]);
  });
});
