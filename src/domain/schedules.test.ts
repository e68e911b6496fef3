import { describe, expect, it } from 'vitest';
import { addDays, addMonths, daysBetween } from './dates';
import {
  badgeCount,
  checklistDue,
  checklistMonths,
  compareDuties,
  type Duty,
  dueStatus,
  dueSummary,
  filterDuties,
  groupDuties,
  isLeapYear,
  lastDayOfMonth,
  monthsBetween,
  nextManagementReview,
  nextPolicyReview,
  relativeDue,
  shiftMonth,
} from './schedules';

describe('month ends', () => {
  it('knows the last day of every kind of month', () => {
    expect(lastDayOfMonth('2026-01')).toBe('2026-01-31');
    expect(lastDayOfMonth('2026-04')).toBe('2026-04-30');
    expect(lastDayOfMonth('2026-11')).toBe('2026-11-30');
    expect(lastDayOfMonth('2026-12')).toBe('2026-12-31');
    expect(lastDayOfMonth('2026-02')).toBe('2026-02-28');
    expect(lastDayOfMonth('2028-02')).toBe('2028-02-29');
    // From a date in the month, too.
    expect(lastDayOfMonth('2028-02-01')).toBe('2028-02-29');
    expect(lastDayOfMonth('2026-08-31')).toBe('2026-08-31');
  });

  it('follows the Gregorian leap-year rule (every 4 years, not centuries, but every 400)', () => {
    expect([2024, 2028, 2000, 2400].map(isLeapYear)).toEqual([true, true, true, true]);
    expect([2026, 2027, 1900, 2100].map(isLeapYear)).toEqual([false, false, false, false]);
    expect(lastDayOfMonth('2000-02')).toBe('2000-02-29');
    expect(lastDayOfMonth('2100-02')).toBe('2100-02-28');
  });

  it('dues a month’s checklist on its last day', () => {
    expect(checklistDue('2026-10')).toBe('2026-10-31');
    expect(checklistDue('2026-11')).toBe('2026-11-30');
    expect(checklistDue('2027-02')).toBe('2027-02-28');
    expect(checklistDue('2028-02')).toBe('2028-02-29');
  });

  it('moves months across year ends', () => {
    expect(shiftMonth('2026-01', -2)).toBe('2025-11');
    expect(shiftMonth('2026-12', 1)).toBe('2027-01');
    expect(monthsBetween('2026-11', '2027-02')).toBe(3);
    expect(monthsBetween('2027-02', '2026-11')).toBe(-3);
  });

  it('refuses a month that is not one', () => {
    expect(() => lastDayOfMonth('2026-13')).toThrow();
    expect(() => lastDayOfMonth('')).toThrow();
  });
});

describe('the months a team owes a checklist for', () => {
  it('is this month and last month once the team existed then', () => {
    expect(checklistMonths('2026-11-25', 1, '2024-03')).toEqual(['2026-11', '2026-10']);
    expect(checklistMonths('2026-01-05', 1, '2020-01')).toEqual(['2026-01', '2025-12']);
    expect(checklistMonths('2026-11-25', 2, '2026-10')).toEqual(['2026-11', '2026-10']);
  });

  it('is only this month for a team new this month, or with no known start', () => {
    expect(checklistMonths('2026-11-25', 1, '2026-11')).toEqual(['2026-11']);
    expect(checklistMonths('2026-11-25', 1)).toEqual(['2026-11']);
    // A team whose members all start next month owes nothing yet (issue 11: due from the month the first member started).
    expect(checklistMonths('2026-11-25', 1, '2026-12')).toEqual([]);
  });
});

describe('adding calendar months (management reviews every 3 months)', () => {
  it('clamps to the end of a shorter month', () => {
    expect(nextManagementReview('2026-11-30', '2026-12-01')).toBe('2027-02-28');
    expect(nextManagementReview('2027-11-30', '2027-12-01')).toBe('2028-02-29'); // leap year
    expect(nextManagementReview('2026-08-31', '2026-09-01')).toBe('2026-11-30');
    expect(nextManagementReview('2026-05-31', '2026-06-01')).toBe('2026-08-31');
    expect(nextManagementReview('2026-10-31', '2026-11-01')).toBe('2027-01-31');
    expect(nextManagementReview('2026-12-31', '2027-01-01')).toBe('2027-03-31');
    expect(nextManagementReview('2025-11-29', '2025-12-01')).toBe('2026-02-28');
    expect(nextManagementReview('2023-11-29', '2023-12-01')).toBe('2024-02-29');
  });

  it('is due today when no review is on record, and follows a custom interval', () => {
    expect(nextManagementReview(undefined, '2026-11-25')).toBe('2026-11-25');
    expect(nextManagementReview('not a date', '2026-11-25')).toBe('2026-11-25');
    expect(nextManagementReview('2026-01-31', '2026-02-01', 1)).toBe('2026-02-28');
  });

  it('uses the shared date helpers (no local-midnight timestamps)', () => {
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(daysBetween('2028-02-01', '2028-03-01')).toBe(29);
    expect(daysBetween('2027-02-01', '2027-03-01')).toBe(28);
  });
});

describe('policy reviews (annual)', () => {
  it('is due at the earlier of the next review date and 12 months after the last evidenced review', () => {
    expect(nextPolicyReview('2027-06-01', '2026-03-10')).toBe('2027-03-10');
    expect(nextPolicyReview('2026-12-01', '2026-03-10')).toBe('2026-12-01');
    expect(nextPolicyReview('2027-06-01', undefined)).toBe('2027-06-01');
    expect(nextPolicyReview('', '2026-03-10')).toBe('2027-03-10');
    expect(nextPolicyReview('', undefined)).toBeUndefined();
  });

  it('a review on 29 February is due again on 28 February', () => {
    expect(nextPolicyReview('', '2024-02-29')).toBe('2025-02-28');
    expect(dueStatus(nextPolicyReview('', '2024-02-29')!, '2025-02-28')).toBe('this-week');
    expect(dueStatus(nextPolicyReview('', '2024-02-29')!, '2025-03-01')).toBe('overdue');
  });
});

describe('where a duty stands on a day', () => {
  const today = '2026-11-25';

  it('is overdue from the day after its due date', () => {
    expect(dueStatus('2026-11-24', today)).toBe('overdue');
    expect(dueStatus('2025-01-01', today)).toBe('overdue');
  });

  it('"this week" is today and the next 6 days (a rolling 7 days, not the ISO week)', () => {
    expect(dueStatus(today, today)).toBe('this-week');
    expect(dueStatus('2026-12-01', today)).toBe('this-week'); // today + 6 (a Tuesday: the ISO week ended on Sunday)
    expect(dueStatus('2026-12-02', today)).toBe('this-month'); // today + 7
  });

  it('"this month" is 7 to 30 days away: it always covers the rest of the calendar month', () => {
    expect(dueStatus('2026-12-25', today)).toBe('this-month'); // today + 30
    expect(dueStatus('2026-12-26', today)).toBe('later'); // today + 31
    // On the 1st of a 31-day month, the month's last day is 30 days away.
    expect(dueStatus(lastDayOfMonth('2026-12'), '2026-12-01')).toBe('this-month');
    expect(dueStatus(lastDayOfMonth('2027-01'), '2027-01-01')).toBe('this-month');
    // And the last day of February is never "later" on 1 February.
    expect(dueStatus(lastDayOfMonth('2028-02'), '2028-02-01')).toBe('this-month');
  });

  it('counts days across month ends and leap days', () => {
    // 1 March is 7 days after 22 February, but only 6 after 23 February in a year without 29 February…
    expect(dueStatus('2027-03-01', '2027-02-22')).toBe('this-month');
    expect(dueStatus('2027-03-01', '2027-02-23')).toBe('this-week');
    // …while in a leap year the 29th moves the boundary by a day.
    expect(dueStatus('2028-03-01', '2028-02-23')).toBe('this-month');
    expect(dueStatus('2028-03-01', '2028-02-24')).toBe('this-week');
  });

  it('done wins over any date', () => {
    expect(dueStatus('2020-01-01', today, true)).toBe('done');
  });

  it('says it in words', () => {
    expect(relativeDue(today, today)).toBe('Due today');
    expect(relativeDue('2026-11-26', today)).toBe('Due tomorrow');
    expect(relativeDue('2026-11-30', today)).toBe('Due in 5 days');
    expect(relativeDue('2026-11-24', today)).toBe('1 day overdue');
    expect(relativeDue('2026-11-01', today)).toBe('24 days overdue');
  });
});

describe('lists of duties', () => {
  const duty = (id: string, due: string, status: Duty['status'], extra: Partial<Duty> = {}): Duty => ({ id, kind: 'checklist', title: id, due, href: '#/', status, ...extra });
  const list = [
    duty('c', '2026-12-10', 'this-month', { team: 'Ops', personId: 'p1' }),
    duty('a', '2026-11-20', 'overdue', { team: 'Sales', kind: 'policy-review' }),
    duty('b', '2026-11-27', 'this-week', { team: 'Ops' }),
    duty('d', '2027-06-01', 'later', { personId: 'p2', kind: 'training-renewal' }),
    duty('e', '2026-11-30', 'done', { team: 'Ops' }),
    duty('f', '2026-11-22', 'overdue', { personId: 'p1', kind: 'training-renewal', team: 'Ops' }),
  ];

  it('groups per status, soonest first', () => {
    const g = groupDuties(list);
    expect(g.overdue.map((d) => d.id)).toEqual(['a', 'f']);
    expect(g['this-week'].map((d) => d.id)).toEqual(['b']);
    expect(g['this-month'].map((d) => d.id)).toEqual(['c']);
    expect(g.later.map((d) => d.id)).toEqual(['d']);
    expect(g.done.map((d) => d.id)).toEqual(['e']);
  });

  it('orders ties by kind then title', () => {
    const x = duty('x', '2026-11-30', 'this-week', { kind: 'agreement-expiry', title: 'A' });
    const y = duty('y', '2026-11-30', 'this-week', { kind: 'checklist', title: 'Z' });
    expect([x, y].sort(compareDuties).map((d) => d.id)).toEqual(['y', 'x']);
  });

  it('summarises counts per status for the dashboard, and the badge counts overdue + this week', () => {
    const s = dueSummary(list);
    expect(s).toEqual({ overdue: 2, 'this-week': 1, 'this-month': 1, later: 1, done: 1, total: 6 });
    expect(badgeCount(list)).toBe(3);
    expect(badgeCount(s)).toBe(3);
    expect(badgeCount([])).toBe(0);
  });

  it('filters per team, person and kind', () => {
    expect(filterDuties(list, { team: 'Ops' }).map((d) => d.id)).toEqual(['c', 'b', 'e', 'f']);
    expect(filterDuties(list, { personId: 'p1' }).map((d) => d.id)).toEqual(['c', 'f']);
    expect(filterDuties(list, { team: 'Ops', kind: 'training-renewal' }).map((d) => d.id)).toEqual(['f']);
    expect(filterDuties(list, { team: '', personId: '', kind: '' })).toHaveLength(6);
  });
});
