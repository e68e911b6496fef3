import { describe, expect, it } from 'vitest';
import { EVERYONE } from '../../domain/gaps';
import { sha256HexAsync as sha256Hex } from '../../domain/sha256';
import {
  audienceFields,
  audienceLabel,
  currentPublication,
  lastEvidencedReview,
  nextReviewPassed,
  parsePublication,
  type Policy,
  policyFromFields,
  type Publication,
  type Review,
  reviewOverdue,
  validatePolicy,
  validatePublication,
  validateReview,
} from './model';

const HASH = 'a'.repeat(64);
const pub = (policyId: string, version: string, publishedAt: string, extra: Partial<Publication> = {}): Publication => ({
  id: `${policyId}-${version}`,
  kind: 'publication',
  policyId,
  version,
  text: `Text of ${version}`,
  textSha256: HASH,
  approvedBy: 'Cleo CEO',
  approvedOn: publishedAt.slice(0, 10),
  publishedAt,
  byName: 'Mia Manager',
  deviceId: 'dev-a',
  ...extra,
});
const review = (policyId: string, reviewedOn: string): Review => ({
  id: `r-${reviewedOn}`, kind: 'review', policyId, reviewedOn, reviewedBy: 'Ivy ISMS', outcome: 'No change', nextReviewDate: '2099-01-01', at: `${reviewedOn}T10:00:00.000Z`, byName: 'Ivy', deviceId: 'd',
});
const policy = (extra: Partial<Policy> = {}): Policy => ({ id: 'p1', title: 'Acceptable use', ownerId: 'o', audience: EVERYONE, nextReviewDate: '2027-01-01', archived: false, createdAt: '', createdBy: '', ...extra });

describe('policy fields', () => {
  it('reads the audience from one boolean field per team and role', () => {
    const p = policyFromFields('p1', { title: 'Access control', ownerId: 'o1', everyone: false, 'team.Ops': true, 'team.Sales': false, 'team.Dev.Web': true, 'role.isms': true, nextReviewDate: '2027-01-01' });
    expect(p.audience).toEqual({ everyone: false, teams: ['Dev.Web', 'Ops'], roles: ['isms'] });
    expect(p.archived).toBe(false);
    expect(policyFromFields('p1', audienceFields(p.audience)).audience).toEqual(p.audience);
  });
  it('labels the audience', () => {
    expect(audienceLabel(EVERYONE, () => '')).toBe('Everyone');
    expect(audienceLabel({ everyone: false, teams: ['Ops'], roles: ['isms'] }, () => 'ISMS manager')).toBe('Ops team, ISMS manager');
  });
});

describe('policy validation', () => {
  it('needs a title, an owner, an audience and a next review date', () => {
    const r = validatePolicy({ title: ' ', ownerId: '', audience: { everyone: false, teams: [], roles: [] }, nextReviewDate: '2027-02-30' });
    expect(r.ok ? {} : r.errors).toEqual({
      title: 'Enter the policy’s title.',
      ownerId: 'Choose who owns the policy.',
      audience: 'Choose who the policy applies to: everyone, some teams or some security roles.',
      nextReviewDate: 'Enter the next review date as YYYY-MM-DD, e.g. 2027-01-31.',
    });
  });
  it('everyone drops a team selection', () => {
    const r = validatePolicy({ title: ' AUP ', ownerId: 'o', audience: { everyone: true, teams: ['Ops'], roles: [] }, nextReviewDate: '2027-01-01' });
    expect(r).toEqual({ ok: true, value: { title: 'AUP', ownerId: 'o', audience: EVERYONE, nextReviewDate: '2027-01-01' } });
  });
  it('a version must be new for the policy, approved, and not approved in the future', () => {
    const existing = [pub('p1', '1.0', '2026-01-01T00:00:00.000Z')];
    const input = { version: '1.0', text: 'Be good.', approvedBy: 'Cleo', approvedOn: '2026-11-26' };
    const r = validatePublication(input, existing, '2026-11-25');
    expect(r.ok ? {} : r.errors).toEqual({ version: 'Version 1.0 is already published: choose a new version number.', approvedOn: 'The approval date cannot be in the future.' });
    const empty = validatePublication({ version: '', text: '  ', approvedBy: '', approvedOn: '' }, [], '2026-11-25');
    expect(Object.keys(empty.ok ? {} : empty.errors).sort()).toEqual(['approvedBy', 'approvedOn', 'text', 'version']);
    expect(validatePublication({ ...input, version: '2.0', text: 'a\r\nb', approvedOn: '2026-11-25' }, existing, '2026-11-25')).toEqual({
      ok: true,
      value: { version: '2.0', text: 'a\nb', approvedBy: 'Cleo', approvedOn: '2026-11-25' },
    });
  });
  it('a review needs a date not in the future and a later next review', () => {
    const r = validateReview({ reviewedOn: '2026-11-26', reviewedBy: 'Ivy', outcome: 'ok', nextReviewDate: '2026-11-01' }, '2026-11-25');
    expect(r.ok ? {} : r.errors).toEqual({ reviewedOn: 'The review date cannot be in the future.', nextReviewDate: 'The next review must come after this one.' });
    expect(validateReview({ reviewedOn: '2026-11-25', reviewedBy: ' ', outcome: '', nextReviewDate: '2027-11-25' }, '2026-11-25').ok).toBe(false);
  });
});

describe('versions', () => {
  it('the current version is the latest publication, ties broken by id', () => {
    const list = [pub('p1', '2.0', '2026-06-01T00:00:00.000Z'), pub('p1', '1.0', '2026-01-01T00:00:00.000Z'), pub('p2', '9.0', '2027-01-01T00:00:00.000Z')];
    expect(currentPublication('p1', list)?.version).toBe('2.0');
    expect(currentPublication('p3', list)).toBeUndefined();
    const tie = [pub('p1', 'b', '2026-06-01T00:00:00.000Z', { id: 'z' }), pub('p1', 'a', '2026-06-01T00:00:00.000Z', { id: 'y' })];
    expect(currentPublication('p1', tie)?.version).toBe('b');
    expect(currentPublication('p1', [...tie].reverse())?.version).toBe('b');
  });
  it('hashes the exact text with SHA-256', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await sha256Hex('Café\n')).not.toBe(await sha256Hex('Cafe\n'));
  });
  it('skips malformed entries', () => {
    expect(parsePublication({ kind: 'publication', id: 'x' })).toBeUndefined();
    expect(parsePublication({ kind: 'review' })).toBeUndefined();
    expect(parsePublication(pub('p1', '1.0', '2026-01-01T00:00:00.000Z'))?.version).toBe('1.0');
  });
});

describe('review overdue', () => {
  const today = '2026-11-25';
  it('a review exactly 12 months ago still counts; 12 months and a day does not', () => {
    expect(reviewOverdue(policy(), [], [review('p1', '2025-11-25')], today)).toBe(false);
    expect(reviewOverdue(policy(), [], [review('p1', '2025-11-24')], today)).toBe(true);
  });
  it('an approved version counts as evidence too, by its approval date', () => {
    expect(reviewOverdue(policy(), [pub('p1', '1.0', '2025-11-25T09:00:00.000Z')], [], today)).toBe(false);
    expect(reviewOverdue(policy(), [pub('p1', '1.0', '2025-11-24T09:00:00.000Z')], [], today)).toBe(true);
    expect(lastEvidencedReview('p1', [pub('p1', '1.0', '2025-03-01T09:00:00.000Z')], [review('p1', '2025-06-01'), review('p2', '2026-11-01')])).toBe('2025-06-01');
  });
  it('no evidence at all is overdue; archived policies never are', () => {
    expect(reviewOverdue(policy(), [], [review('p2', '2026-11-01')], today)).toBe(true);
    expect(reviewOverdue(policy({ archived: true }), [], [], today)).toBe(false);
  });
  it('flags a next review date in the past', () => {
    expect(nextReviewPassed(policy({ nextReviewDate: '2026-11-24' }), today)).toBe(true);
    expect(nextReviewPassed(policy({ nextReviewDate: '2026-11-25' }), today)).toBe(false);
    expect(nextReviewPassed(policy({ nextReviewDate: '' }), today)).toBe(false);
  });
});
