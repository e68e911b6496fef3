import { describe, expect, it } from 'vitest';
import {
  amountLabel,
  type ApprovalEntry,
  CURRENCIES,
  isCurrency,
  parseApprovals,
  type ResourceInput,
  resourceFromFields,
  totals,
  UNKNOWN_CURRENCY,
  validateApproval,
  validateResource,
  withApproval,
} from './model';

const TODAY = '2026-11-25';
const tool: ResourceInput = { kind: 'tool', description: 'Password manager for all staff', amount: '1,200.50', currency: 'gbp', hours: '', control: 'A 5.17 authentication', reviewId: 'r1' };

describe('currency', () => {
  it('accepts ISO 4217 codes in circulation, upper-cased', () => {
    expect(['GBP', 'EUR', 'USD', 'CHF', 'JPY', 'XOF'].every(isCurrency)).toBe(true);
    expect(['gbp', 'EURO', 'US$', 'XAU', 'XXX', 'HRK', 'ABC', ''].some(isCurrency)).toBe(false);
    expect(CURRENCIES.size).toBeGreaterThan(150);
    const r = validateResource(tool);
    expect(r).toEqual({ ok: true, value: { kind: 'tool', description: 'Password manager for all staff', amount: 1200.5, currency: 'GBP', control: 'A 5.17 authentication', reviewId: 'r1' } });
  });
  it('refuses an unknown code, an amount without currency and a currency without amount', () => {
    expect(validateResource({ ...tool, currency: 'XYZ' })).toEqual({ ok: false, errors: { currency: UNKNOWN_CURRENCY('XYZ') } });
    expect(validateResource({ ...tool, currency: 'pounds' }).ok).toBe(false);
    expect(validateResource({ ...tool, currency: '' })).toEqual({ ok: false, errors: { currency: 'Choose the currency of the amount, e.g. GBP.' } });
    expect(validateResource({ ...tool, kind: 'other', amount: '', hours: '4' })).toEqual({ ok: false, errors: { amount: 'Enter the amount in GBP, or clear the currency.' } });
  });
});

describe('what was approved', () => {
  it('needs an amount for budget and tools, hours for staff time and training hours, one of them for other', () => {
    expect(validateResource({ ...tool, amount: '', currency: '' }).ok).toBe(false);
    expect(validateResource({ ...tool, kind: 'budget', amount: '0' })).toEqual({ ok: false, errors: { amount: 'The amount must be more than 0.' } });
    expect(validateResource({ ...tool, amount: '12.345' }).ok).toBe(false);
    expect(validateResource({ ...tool, amount: '-5' }).ok).toBe(false);
    const hours = { ...tool, kind: 'training-hours' as const, amount: '', currency: '', hours: '7.5' };
    expect(validateResource(hours)).toMatchObject({ ok: true, value: { hours: 7.5, currency: '' } });
    expect(validateResource({ ...hours, hours: '' })).toEqual({ ok: false, errors: { hours: 'Enter the number of hours approved.' } });
    expect(validateResource({ ...hours, hours: 'lots' }).ok).toBe(false);
    expect(validateResource({ ...hours, kind: 'staff-time', amount: '800', currency: 'EUR' })).toMatchObject({ ok: true, value: { hours: 7.5, amount: 800, currency: 'EUR' } });
    expect(validateResource({ ...hours, kind: 'other', hours: '' }).ok).toBe(false);
    expect(validateResource({ ...tool, kind: '' }).ok).toBe(false);
    expect(validateResource({ ...tool, description: ' ' }).ok).toBe(false);
    expect(validateResource({ ...tool, control: '' }).ok).toBe(false);
  });
  it('needs who approved it, and a date not in the future', () => {
    expect(validateApproval({ approvedBy: 'cleo', approvedOn: TODAY }, TODAY).ok).toBe(true);
    expect(validateApproval({ approvedBy: 'cleo', approvedOn: '2026-11-26' }, TODAY)).toEqual({ ok: false, errors: { approvedOn: 'The approval date cannot be in the future.' } });
    expect(validateApproval({ approvedBy: '', approvedOn: '' }, TODAY)).toEqual({ ok: false, errors: { approvedBy: 'Choose who approved it.', approvedOn: 'Enter the date it was approved.' } });
    expect(validateApproval({ approvedBy: 'cleo', approvedOn: '25/11/2026' }, TODAY).ok).toBe(false);
  });
});

describe('approvals as evidence', () => {
  const entry = (id: string, at: string, approvedBy: string, extra: Partial<ApprovalEntry> = {}): ApprovalEntry => ({ id, kind: 'approval', recordId: 'x', approvedBy, approvedOn: '2026-10-01', byName: 'Mia', at, deviceId: 'd', ...extra });
  it('the latest entry stands; malformed entries are skipped', () => {
    const entries = parseApprovals([entry('e1', '2026-10-01T10:00:00.000Z', 'cleo'), entry('e2', '2026-10-02T10:00:00.000Z', 'ceo', { corrects: 'e1', note: 'It was the CEO' }), { id: 'bad', kind: 'approval' }]);
    expect(entries.map((e) => e.id)).toEqual(['e1', 'e2']);
    const r = withApproval(resourceFromFields('x', { kind: 'tool', description: 'EDR', amount: 10, currency: 'EUR' }), entries);
    expect(r).toMatchObject({ approvedBy: 'ceo', approvedOn: '2026-10-01', amount: 10, currency: 'EUR' });
    expect(withApproval(resourceFromFields('y', {}), entries)).toMatchObject({ kind: 'other', approvedBy: '', approvedOn: '' });
  });
});

describe('totals', () => {
  it('adds up per currency without floating-point drift, and hours apart', () => {
    const t = totals([
      { amount: 0.1, currency: 'GBP' },
      { amount: 0.2, currency: 'GBP' },
      { amount: 500, currency: 'EUR', hours: 4 },
      { currency: '', hours: 7.5 },
    ]);
    expect(t).toEqual({ money: [{ currency: 'EUR', total: 500, count: 1 }, { currency: 'GBP', total: 0.3, count: 2 }], hours: 11.5 });
    expect(totals([])).toEqual({ money: [], hours: 0 });
    expect(amountLabel({ amount: 1200.5, currency: 'GBP', hours: 16 }, 'en-GB')).toBe('£1,200.50 · 16 h');
    expect(amountLabel({ currency: '' })).toBe('—');
  });
});
