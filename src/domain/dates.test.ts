import { describe, expect, it } from 'vitest';
import { daysInMonth, formatDate, formatMonth, isIsoDate, isIsoMonth, localIsoDate, monthOf } from './dates';

describe('ISO dates', () => {
  it('accepts real calendar dates only', () => {
    expect(isIsoDate('2026-11-25')).toBe(true);
    expect(isIsoDate('2028-02-29')).toBe(true); // leap year
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-04-31')).toBe(false);
    expect(isIsoDate('25/11/2026')).toBe(false);
    expect(isIsoDate('2026-1-5')).toBe(false);
    expect(isIsoDate('')).toBe(false);
  });
  it('accepts months', () => {
    expect(isIsoMonth('2026-11')).toBe(true);
    expect(isIsoMonth('2026-00')).toBe(false);
    expect(isIsoMonth('2026-11-01')).toBe(false);
    expect(isIsoMonth('Nov 2026')).toBe(false);
  });
  it('knows month lengths', () => {
    expect(daysInMonth(2026, 2)).toBe(28);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(2026, 12)).toBe(31);
  });
  it('uses the local calendar day, not UTC', () => {
    const lateEvening = new Date(2026, 10, 30, 23, 30); // 30 Nov, 23:30 local
    expect(localIsoDate(lateEvening)).toBe('2026-11-30');
    expect(monthOf(localIsoDate(lateEvening))).toBe('2026-11');
  });
  it('formats for people', () => {
    expect(formatMonth('2026-11')).toBe('Nov 2026');
    expect(formatDate('2026-11-05')).toBe('5 Nov 2026');
    expect(formatDate('garbage')).toBe('garbage');
  });
});

import { addDays, addMonths, daysBetween } from './dates';

describe('date arithmetic', () => {
  it('adds days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
  it('adds months, clamping to the last day', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2026-11-25', 12)).toBe('2027-11-25');
    expect(addMonths('2026-11-25', -11)).toBe('2025-12-25');
  });
  it('counts days between dates', () => {
    expect(daysBetween('2026-11-25', '2026-12-25')).toBe(30);
    expect(daysBetween('2026-12-25', '2026-11-25')).toBe(-30);
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2); // across a DST change in Europe
  });
});
