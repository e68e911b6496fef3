import { describe, expect, it } from 'vitest';
import { EVERYONE } from '../../domain/gaps';
import type { Person } from '../people/model';
import type { Policy, Publication } from '../policies/model';
import { type Acknowledgement, acknowledgementRate, ackRoster, ackStatus, latestAck, MAX_SIGNATURE_BYTES, myPoliciesHref, policyGaps, policyRate, sameName, validateAcknowledgement } from './model';

const H1 = '1'.repeat(64);
const H2 = '2'.repeat(64);
const person = (id: string, name: string, team: string, extra: Partial<Person> = {}): Person => ({ id, name, email: '', team, jobTitle: '', startDate: '', managerId: '', archived: false, ...extra });
const policy = (id: string, title: string, extra: Partial<Policy> = {}): Policy => ({ id, title, ownerId: 'mia', audience: EVERYONE, nextReviewDate: '2027-01-01', archived: false, createdAt: '', createdBy: '', ...extra });
const pub = (policyId: string, version: string, textSha256: string, publishedAt: string): Publication => ({
  id: `${policyId}@${version}`, kind: 'publication', policyId, version, text: 't', textSha256, approvedBy: 'Cleo', approvedOn: publishedAt.slice(0, 10), publishedAt, byName: 'Mia', deviceId: 'a',
});
let n = 0;
const ack = (personId: string, policyId: string, version: string, textSha256: string, at = '2026-10-01T10:00:00.000Z'): Acknowledgement => ({
  id: `ack${++n}`, kind: 'acknowledgement', personId, policyId, version, textSha256, typedName: personId, at, deviceId: 'b',
});

const sam = person('sam', 'Sam Staff', 'Ops');
const aup = policy('aup', 'Acceptable use');
const v1 = pub('aup', '1.0', H1, '2026-09-01T09:00:00.000Z');
const v2 = pub('aup', '2.0', H2, '2026-11-01T09:00:00.000Z');

describe('acknowledgement status', () => {
  it('is current for the current version, and stale once a new version is published', () => {
    const acks = [ack('sam', 'aup', '1.0', H1)];
    expect(ackStatus(sam, aup, v1, acks, [])).toBe('current');
    expect(ackStatus(sam, aup, v2, acks, [])).toBe('stale');
    expect(latestAck('sam', 'aup', acks)?.version).toBe('1.0');
    expect(ackStatus(sam, aup, v2, [...acks, ack('sam', 'aup', '2.0', H2)], [])).toBe('current');
  });
  it('is missing with no acknowledgement, and not applicable without a publication', () => {
    expect(ackStatus(sam, aup, v1, [ack('other', 'aup', '1.0', H1), ack('sam', 'other', '1.0', H1)], [])).toBe('missing');
    expect(ackStatus(sam, aup, undefined, [], [])).toBe('not-applicable');
    expect(ackStatus({ ...sam, archived: true }, aup, v1, [], [])).toBe('not-applicable');
    expect(ackStatus(sam, { ...aup, archived: true }, v1, [], [])).toBe('not-applicable');
  });
  it('an acknowledgement of a same-numbered version with another text does not count', () => {
    expect(ackStatus(sam, aup, v1, [ack('sam', 'aup', '1.0', H2)], [])).toBe('stale');
  });
  it('follows the audience: by team and by security role', () => {
    const ops = policy('ops', 'Ops runbook', { audience: { everyone: false, teams: ['Ops'], roles: [] } });
    const isms = policy('isms', 'ISMS manual', { audience: { everyone: false, teams: [], roles: ['role-isms'] } });
    const opsV1 = pub('ops', '1.0', H1, '2026-09-01T09:00:00.000Z');
    const ismsV1 = pub('isms', '1.0', H1, '2026-09-01T09:00:00.000Z');
    const ana = person('ana', 'Ana Sales', 'Sales');
    expect(ackStatus(sam, ops, opsV1, [], [])).toBe('missing');
    expect(ackStatus(ana, ops, opsV1, [], [])).toBe('not-applicable');
    expect(ackStatus(ana, isms, ismsV1, [], [])).toBe('not-applicable');
    expect(ackStatus(ana, isms, ismsV1, [], ['role-isms'])).toBe('missing');
  });
});

describe('validating an acknowledgement', () => {
  const ctx = { personName: 'Sam Staff', publication: v1, shownSha256: H1 };
  it('refuses an empty name and a name that is not the person’s', () => {
    expect(validateAcknowledgement({ typedName: '   ' }, ctx)).toEqual({ ok: false, errors: { typedName: 'Type your full name to acknowledge.' } });
    const wrong = validateAcknowledgement({ typedName: 'Sam Smith' }, ctx);
    expect(wrong.ok ? '' : wrong.errors['typedName']).toMatch(/^That is not the name of the person acknowledging/);
  });
  it('ignores case and spaces in the name', () => {
    expect(validateAcknowledgement({ typedName: '  sam   STAFF ' }, ctx)).toEqual({ ok: true, value: { typedName: 'sam STAFF' } });
    expect(sameName('SamStaff', 'Sam Staff')).toBe(true);
    expect(sameName('Sam Staf', 'Sam Staff')).toBe(false);
  });
  it('refuses text on screen whose hash is not the published one', () => {
    const r = validateAcknowledgement({ typedName: 'Sam Staff' }, { ...ctx, shownSha256: H2 });
    expect(r.ok ? '' : r.errors['text']).toMatch(/^The text on screen is not the published text of version 1\.0/);
  });
  it('takes a PNG signature up to the size limit', () => {
    const png = (bytes: number) => `data:image/png;base64,${'A'.repeat(bytes - 22)}`;
    expect(validateAcknowledgement({ typedName: 'Sam Staff', signature: png(1000) }, ctx)).toEqual({ ok: true, value: { typedName: 'Sam Staff', signature: png(1000) } });
    expect(validateAcknowledgement({ typedName: 'Sam Staff', signature: '' }, ctx)).toEqual({ ok: true, value: { typedName: 'Sam Staff' } });
    const big = validateAcknowledgement({ typedName: 'Sam Staff', signature: png(MAX_SIGNATURE_BYTES + 1) }, ctx);
    expect(big.ok ? '' : big.errors['signature']).toMatch(/^The signature is too large \(201 KB; at most 200 KB\)/);
    const jpeg = validateAcknowledgement({ typedName: 'Sam Staff', signature: 'data:image/jpeg;base64,AAAA' }, ctx);
    expect(jpeg.ok).toBe(false);
  });
});

describe('policy gaps and acknowledgement rate', () => {
  // Sam (Ops), Ana (Sales, ISMS manager), Leo (Ops, left).
  const ana = person('ana', 'Ana Sales', 'Sales', { startDate: '2026-11-10' });
  const leo = person('leo', 'Leo Left', 'Ops', { archived: true });
  const ops = policy('ops', 'Ops runbook', { audience: { everyone: false, teams: ['Ops'], roles: [] } });
  const isms = policy('isms', 'ISMS manual', { audience: { everyone: false, teams: [], roles: ['role-isms'] } });
  const draft = policy('draft', 'Draft policy');
  const old = policy('old', 'Old policy', { archived: true });
  const fixture = {
    people: [sam, ana, leo],
    policies: [aup, ops, isms, draft, old],
    publications: [v1, v2, pub('ops', '1.0', H1, '2026-09-01T09:00:00.000Z'), pub('isms', '1.0', H1, '2026-09-01T09:00:00.000Z'), pub('old', '1.0', H1, '2026-01-01T09:00:00.000Z')],
    acks: [ack('sam', 'aup', '1.0', H1), ack('sam', 'ops', '1.0', H1), ack('ana', 'aup', '2.0', H2)],
    rolesByPerson: new Map([['ana', ['role-isms']], ['leo', ['role-isms']]]),
    today: '2026-11-25',
  };

  it('lists what each active person still has to acknowledge', () => {
    const gaps = policyGaps(fixture);
    expect(gaps).toEqual([
      { personId: 'sam', kind: 'policy-stale', label: 'Acceptable use: acknowledged v1.0, current is v2.0', href: '#/my-policies/sam?policy=aup', due: '2026-11-01' },
      { personId: 'ana', kind: 'policy-unacknowledged', label: 'ISMS manual v1.0 not acknowledged', href: '#/my-policies/ana?policy=isms', due: '2026-11-10' },
    ]);
    expect(myPoliciesHref('sam')).toBe('#/my-policies/sam');
  });
  it('excludes people who left, unpublished and archived policies', () => {
    const gaps = policyGaps(fixture);
    expect(gaps.some((g) => g.personId === 'leo')).toBe(false);
    expect(gaps.some((g) => g.href.includes('draft') || g.href.includes('old'))).toBe(false);
  });
  it('counts person × applicable published policy pairs acknowledged at the current version', () => {
    // Pairs: sam×aup (stale), sam×ops (current), ana×aup (current), ana×isms (missing).
    expect(acknowledgementRate(fixture)).toEqual({ done: 2, total: 4, percent: 50 });
    expect(acknowledgementRate({ ...fixture, policies: [draft] })).toEqual({ done: 0, total: 0 });
    expect(policyRate(aup, fixture)).toEqual({ done: 1, total: 2, percent: 50 });
    expect(policyRate(ops, fixture)).toEqual({ done: 1, total: 1, percent: 100 });
  });
  it('the roster of a policy shows who has and has not acknowledged, with the stale version', () => {
    const roster = ackRoster(aup, v2, fixture.people, fixture.acks, fixture.rolesByPerson);
    expect(roster.map((r) => [r.person.id, r.status, r.ack?.version])).toEqual([
      ['sam', 'stale', '1.0'],
      ['ana', 'current', '2.0'],
    ]);
  });
});
