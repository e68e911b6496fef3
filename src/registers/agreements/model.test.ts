import { describe, expect, it } from 'vitest';
import type { Person } from '../people/model';
import { agreementsCsv } from './export';
import { type Agreement, agreementFields, agreementFromFields, type AgreementInput, agreementGaps, agreementStatus, EXPIRY_BEFORE_SIGNED, matchesFilter, validateAgreement } from './model';

const TODAY = '2026-11-25';

const person = (id: string, archived = false): Person => ({ id, name: `Person ${id}`, email: '', team: 'Ops', jobTitle: '', startDate: '', managerId: '', archived });

const blank: AgreementInput = { partyPersonId: '', partyName: '', type: 'employment', signedOn: '', expiresOn: '', securityClauses: true, policyIds: [], policyRefs: '', documentRef: '', notes: '' };

let seq = 0;
const agreement = (fields: Partial<Agreement>): Agreement => ({ ...agreementFromFields(`a${++seq}`, {}), type: 'employment', securityClauses: true, ...fields });

describe('agreement status', () => {
  it.each([
    ['not signed', { signedOn: '', expiresOn: '' }, 'unsigned'],
    ['signed, no expiry', { signedOn: '2025-01-01', expiresOn: '' }, 'ok'],
    ['expires today (still in force)', { signedOn: '2025-01-01', expiresOn: TODAY }, 'ok'],
    ['expired yesterday', { signedOn: '2025-01-01', expiresOn: '2026-11-24' }, 'expired'],
    ['unsigned with a past expiry', { signedOn: '', expiresOn: '2026-01-01' }, 'unsigned'],
  ] as const)('%s → %s', (_l, a, status) => {
    expect(agreementStatus(a, TODAY)).toBe(status);
  });
  it('filters by status and by missing security clauses', () => {
    const a = agreement({ signedOn: '2025-01-01', securityClauses: false });
    expect(matchesFilter(a, 'ok', TODAY)).toBe(true);
    expect(matchesFilter(a, 'no-clauses', TODAY)).toBe(true);
    expect(matchesFilter(a, 'expired', TODAY)).toBe(false);
    expect(matchesFilter(a, '', TODAY)).toBe(true);
  });
});

describe('agreement validation', () => {
  it('refuses an expiry before the signed date', () => {
    expect(validateAgreement({ ...blank, partyPersonId: 'p', signedOn: '2026-01-10', expiresOn: '2026-01-09' }, TODAY)).toEqual({ ok: false, errors: { expiresOn: EXPIRY_BEFORE_SIGNED } });
  });
  it('needs a party, real dates, no signature in the future', () => {
    expect(validateAgreement(blank, TODAY)).toEqual({ ok: false, errors: { partyName: 'Choose the person, or enter the name of the external party.' } });
    expect(validateAgreement({ ...blank, partyName: 'Acme', signedOn: '2026-02-30' }, TODAY)).toEqual({
      ok: false,
      errors: { signedOn: 'Enter the date it was signed as YYYY-MM-DD, or leave it empty if not signed yet.' },
    });
    expect(validateAgreement({ ...blank, partyName: 'Acme', signedOn: '2026-11-26' }, TODAY).ok).toBe(false);
    expect(validateAgreement({ ...blank, partyName: 'Acme', type: 'lease' as never }, TODAY)).toEqual({ ok: false, errors: { type: 'Choose the type of agreement.' } });
  });
  it('keeps one party and drops policies when there are no security clauses', () => {
    const r = validateAgreement({ ...blank, partyPersonId: 'p', partyName: 'stale', securityClauses: false, policyIds: ['x'] }, TODAY);
    expect(r).toEqual({ ok: true, value: { ...blank, partyPersonId: 'p', partyName: '', securityClauses: false, policyIds: [] } });
  });
  it('stores policies as one boolean each and reads them back', () => {
    const input = { ...blank, partyName: 'Acme', type: 'third-party' as const, policyIds: ['pol-b', 'pol-a'] };
    const fields = agreementFields(input);
    expect(fields['policy.pol-a']).toBe(true);
    expect(agreementFromFields('x', { ...fields, 'policy.old': false })).toMatchObject({ partyName: 'Acme', type: 'third-party', policyIds: ['pol-a', 'pol-b'] });
  });
});

describe('agreement gaps', () => {
  const people = [person('ok'), person('none'), person('unsigned'), person('expired'), person('gone', true), person('renewed'), person('nda')];
  const agreements = [
    agreement({ partyPersonId: 'ok', signedOn: '2024-01-01' }),
    agreement({ partyPersonId: 'none', type: 'nda', signedOn: '2024-01-01' }), // an NDA is not a contract
    agreement({ partyPersonId: 'none', type: 'employment', signedOn: '2024-01-01', archived: true }), // archived: not on file
    agreement({ partyPersonId: 'unsigned', type: 'contractor' }),
    agreement({ partyPersonId: 'expired', type: 'contractor', signedOn: '2025-01-01', expiresOn: '2026-06-30' }),
    agreement({ partyPersonId: 'renewed', signedOn: '2024-01-01', expiresOn: '2025-12-31' }),
    agreement({ partyPersonId: 'renewed', signedOn: '2026-01-01' }),
    agreement({ partyPersonId: 'nda', signedOn: '2024-01-01' }),
    agreement({ partyPersonId: 'nda', type: 'nda', signedOn: '2024-01-01', expiresOn: '2025-01-01' }),
    agreement({ partyName: 'Acme Hosting', type: 'third-party' }), // external: no person gap
  ];
  it('missing, unsigned, expired; ok, renewed and archived people have none', () => {
    const gaps = agreementGaps({ people, agreements, today: TODAY });
    expect(gaps.map((g) => [g.personId, g.kind, g.label])).toEqual([
      ['none', 'agreement-missing', 'No employment or contractor agreement on file'],
      ['unsigned', 'agreement-unsigned', 'Contractor agreement not signed'],
      ['expired', 'agreement-expired', 'Contractor agreement expired'],
      ['nda', 'agreement-expired', 'NDA / confidentiality expired'],
    ]);
    expect(gaps[0]!.href).toBe('#/agreements/new?person=none');
    expect(gaps[2]!.due).toBe('2026-06-30');
    expect(gaps[2]!.href).toMatch(/^#\/agreements\/a\d+$/);
  });
  it('exports CSV', () => {
    const t = agreementsCsv(agreements.slice(-1), () => '', () => '', TODAY, '2026-11-25');
    expect(t.rows[0]!.slice(0, 7)).toEqual(['Acme Hosting', 'External party', 'Third-party / supplier agreement', '', 'No expiry', 'Not signed', 'Yes']);
  });
});
