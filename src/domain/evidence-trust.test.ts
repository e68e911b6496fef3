import { describe, expect, it } from 'vitest';
import { rights as acknowledgements } from '../registers/acknowledgements/rights';
import { rights as briefings } from '../registers/briefings/rights';
import { rights as checklists } from '../registers/checklists/rights';
import { rights as disciplinary } from '../registers/disciplinary/rights';
import { rights as policies } from '../registers/policies/rights';
import { rights as resources } from '../registers/resources/rights';
import { rights as reviews } from '../registers/reviews/rights';
import { rights as training } from '../registers/training/rights';
import { chainEntry } from './evidence-log';
import type { EvidenceSig } from './evidence-sigs';
import { judgeEntry, kindOf, type RightRule, type TrustLookup } from './evidence-trust';
import { type MembershipEntry, type MembershipPayload, membershipDraft, membershipId, readMembership } from './membership';
import type { Role } from './permissions';

/*
 * Pure: the log is read with every signature taken as valid (sigOk), key ids
 * are the public keys themselves; the WebCrypto half is in
 * src/store/evidence-signer.store.test.ts.
 */
const WS = 'ws';
const keys = (id: string) => ({ deviceId: id, signKey: `key-${id}`, alg: 'Ed25519' as const });

function makeLog(extra: Array<[MembershipPayload, string]> = []) {
  const raw: MembershipEntry[] = [];
  let tips: string[] = [];
  const add = (payload: MembershipPayload, by: string) => {
    const e = { ...membershipDraft(payload, { workspace: WS, tips, by, at: `2026-01-0${raw.length + 1}T00:00:00.000Z` }), sig: 'x' } as MembershipEntry;
    raw.push(e);
    tips = [membershipId(e)];
    return tips;
  };
  add({ type: 'genesis', device: keys('owner'), name: 'Olu Owner', personId: 'p-owner' }, 'key-owner');
  const grant = (id: string, name: string, personId: string, role: Role) => add({ type: 'grant', device: keys(id), name, personId, role }, 'key-owner');
  grant('mia', 'Mia Manager', 'p-mia', 'manager');
  grant('max', 'Max Manager', 'p-max', 'manager');
  grant('sam', 'Sam Lee', 'p-sam', 'staff');
  grant('ola', 'Ola Officer', 'p-ola', 'staff');
  add({ type: 'officer', personId: 'p-ola', designated: true }, 'key-owner');
  const before = tips;
  for (const [p, by] of extra) add(p, by);
  const log = readMembership(raw, { workspace: WS, sigOk: () => true, keyIdOf: (k) => k.publicKey });
  return { log, before, tips: log.tips };
}

const people: Record<string, { id: string; name: string; team: string; managerId?: string }> = {
  'p-owner': { id: 'p-owner', name: 'Olu Owner', team: '' },
  'p-mia': { id: 'p-mia', name: 'Mia Manager', team: 'Finance' },
  'p-max': { id: 'p-max', name: 'Max Manager', team: 'Sales' },
  'p-sam': { id: 'p-sam', name: 'Sam Lee', team: 'Finance', managerId: 'p-mia' },
  'p-ola': { id: 'p-ola', name: 'Ola Officer', team: 'Sales' },
};
const records: Record<string, Record<string, unknown>> = {
  c1: { team: 'Finance' },
  r1: { chairId: 'p-mia' },
};
const look: TrustLookup = { person: (id) => people[id], record: (id) => records[id] };

function judge(rules: Readonly<Record<string, RightRule>>, entry: Record<string, unknown>, device: string, o: { sig?: Partial<EvidenceSig> | null; sigOk?: boolean; extra?: Array<[MembershipPayload, string]>; self?: string; look?: TrustLookup } = {}) {
  const { log, tips } = makeLog(o.extra);
  const stored = chainEntry({ id: 'e1', ...entry }, device, undefined) as unknown as Record<string, unknown>;
  const sig = o.sig === null ? undefined : ({ v: 1, by: `key-${device}`, m: tips, at: '2026-02-01T00:00:00.000Z', sig: 's', ...o.sig } as EvidenceSig);
  return judgeEntry({ register: 'x', entry: stored, sig, sigOk: o.sigOk ?? true, log, rules, look: o.look ?? look, ...(o.self ? { self: o.self } : {}) });
}
const reason = (v: ReturnType<typeof judge>) => (v.ok ? 'ok' : v.reason);

describe('judgeEntry', () => {
  const signoff = { kind: 'signoff', recordId: 'c1' };
  it('counts an entry signed by its own chain device holding the right, naming role and since', () => {
    expect(judge(checklists, signoff, 'mia')).toMatchObject({ ok: true, kind: 'signed', role: 'manager', since: '2026-01-02T00:00:00.000Z' });
  });
  it('says who signed and what was needed when the right is missing', () => {
    expect(reason(judge(checklists, signoff, 'sam'))).toBe('Signed by Sam Lee’s device (staff). A checklist sign-off for Finance needs a manager of Finance or an owner.');
  });
  it('refuses a bad signature, a missing one, a key of another device, and a non-member key', () => {
    expect(reason(judge(checklists, signoff, 'mia', { sigOk: false }))).toMatch(/^Its signature does not verify/);
    expect(reason(judge(checklists, signoff, 'mia', { sig: null }))).toBe('It is not signed by the device that wrote it.');
    expect(judge(checklists, signoff, 'mia', { sig: null, self: 'mia' })).toMatchObject({ ok: true, kind: 'pending' });
    expect(reason(judge(checklists, signoff, 'mia', { sig: { by: 'key-owner' } }))).toBe('Signed by Olu Owner’s device (owner). It was written on another device’s chain, so only that device can sign it.');
    expect(reason(judge(checklists, signoff, 'mia', { sig: { by: 'key-stranger' } }))).toBe('It is signed by a key that was not a member of the workspace at the time.');
  });
  it('judges by the right at the time: signed before a removal counts, signed after it does not', () => {
    const extra: Array<[MembershipPayload, string]> = [[{ type: 'remove', deviceId: 'mia' }, 'key-owner']];
    const { before } = makeLog();
    expect(judge(checklists, signoff, 'mia', { extra, sig: { m: before } })).toMatchObject({ ok: true, kind: 'signed' });
    expect(reason(judge(checklists, signoff, 'mia', { extra }))).toBe('Signed by Mia Manager’s device (manager). That device had been removed from the workspace by then.');
  });
  it('an owner vouches for an entry of a device that is not a member; a manager cannot; nor can an owner for a member’s entry', () => {
    expect(judge(checklists, signoff, 'old-phone', { sig: { by: 'key-owner', vouch: true } })).toMatchObject({ ok: true, kind: 'vouched' });
    expect(reason(judge(checklists, signoff, 'old-phone', { sig: { by: 'key-mia', vouch: true } }))).toBe('Signed by Mia Manager’s device (manager). Only an owner can vouch for another device’s entry.');
    expect(reason(judge(checklists, signoff, 'sam', { sig: { by: 'key-owner', vouch: true } }))).toBe('Signed by Olu Owner’s device (owner). Its own device is a member and must sign it itself.');
  });
  it('trusts every entry of a workspace with no genesis yet', () => {
    const log = readMembership([], { workspace: WS, sigOk: () => true, keyIdOf: (k) => k.publicKey });
    expect(judgeEntry({ register: 'x', entry: { id: 'e' }, sig: undefined, sigOk: false, log, rules: checklists, look })).toMatchObject({ ok: true });
  });
  it('kindOf reads kind, then type, else *', () => {
    expect([kindOf({ kind: 'signoff' }), kindOf({ type: 'grant' }), kindOf({ sealed: 'x' })]).toEqual(['signoff', 'grant', '*']);
  });
});

describe('each register’s rights', () => {
  const ok = (v: ReturnType<typeof judge>) => expect(reason(v)).toBe('ok');
  it('checklists and briefings: a manager of the team or an owner; corrections likewise', () => {
    for (const rules of [checklists, briefings]) {
      ok(judge(rules, { kind: 'signoff', recordId: 'c1' }, 'owner'));
      ok(judge(rules, { kind: 'correction', recordId: 'c1' }, 'mia'));
      expect(reason(judge(rules, { kind: 'signoff', recordId: 'c1' }, 'max'))).toMatch(/\(manager\)\. A (checklist|briefing) sign-off for Finance needs a manager of Finance or an owner\.$/);
      expect(reason(judge(rules, { kind: 'correction', recordId: 'c1' }, 'sam'))).toMatch(/correction for Finance needs a manager of Finance or an owner\.$/);
    }
  });
  it('checklists and briefings: a manager also signs off the team of someone who reports to them', () => {
    // Ada in Finance reports to Max (Sales): Max's screens offer Finance (visibleTeams), and his sign-off counts.
    const withReport: TrustLookup = { ...look, reportsOf: (id) => (id === 'p-max' ? [{ team: 'Finance' }] : []) };
    for (const rules of [checklists, briefings]) {
      ok(judge(rules, { kind: 'signoff', recordId: 'c1' }, 'max', { look: withReport }));
      expect(reason(judge(rules, { kind: 'signoff', recordId: 'c1' }, 'sam', { look: withReport }))).toMatch(/needs a manager of Finance or an owner\.$/);
    }
  });
  it('reviews: only the chair’s device approves or corrects, not even an owner', () => {
    ok(judge(reviews, { kind: 'signoff', recordId: 'r1' }, 'mia'));
    expect(reason(judge(reviews, { kind: 'signoff', recordId: 'r1' }, 'owner'))).toBe('Signed by Olu Owner’s device (owner). A review approval needs the chair’s device (Mia Manager).');
    expect(reason(judge(reviews, { kind: 'correction', recordId: 'r1' }, 'sam'))).toBe('Signed by Sam Lee’s device (staff). A correction of a review approval needs the chair’s device (Mia Manager).');
  });
  it('policies and resources: owners and managers', () => {
    ok(judge(policies, { kind: 'publication' }, 'max'));
    ok(judge(policies, { kind: 'review' }, 'owner'));
    ok(judge(resources, { kind: 'approval' }, 'mia'));
    expect(reason(judge(policies, { kind: 'publication' }, 'sam'))).toBe('Signed by Sam Lee’s device (staff). A policy publication needs an owner or manager.');
    expect(reason(judge(resources, { kind: 'approval' }, 'sam'))).toBe('Signed by Sam Lee’s device (staff). A resource approval needs an owner or manager.');
  });
  it('acknowledgements and training completions: the person’s own device, their manager or an owner', () => {
    for (const [rules, kind, what] of [[acknowledgements, 'acknowledgement', 'An acknowledgement'], [training, 'completion', 'A training completion']] as const) {
      ok(judge(rules, { kind, personId: 'p-sam' }, 'sam'));
      ok(judge(rules, { kind, personId: 'p-sam' }, 'mia'));
      ok(judge(rules, { kind, personId: 'p-sam' }, 'owner'));
      expect(reason(judge(rules, { kind, personId: 'p-mia' }, 'sam'))).toBe(`Signed by Sam Lee’s device (staff). ${what} for Mia Manager needs Mia Manager’s own device, their manager or an owner.`);
      expect(reason(judge(rules, { kind, personId: 'p-sam' }, 'max'))).toMatch(/\(manager\)\. .* for Sam Lee needs Sam Lee’s own device/);
    }
    expect(reason(judge(training, { kind: 'correction', corrects: 'x' }, 'sam'))).toBe('Signed by Sam Lee’s device (staff). A correction of a training completion needs an owner or manager.');
  });
  it('disciplinary: a designated officer’s device only', () => {
    ok(judge(disciplinary, { sealed: 'x' }, 'ola'));
    expect(reason(judge(disciplinary, { sealed: 'x' }, 'owner'))).toBe('Signed by Olu Owner’s device (owner). A disciplinary entry needs a designated disciplinary officer’s device.');
  });
});
