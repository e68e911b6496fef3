import { afterAll, describe, expect, it } from 'vitest';
import { localIsoDate } from '../../domain/dates';
import type { Person } from '../people/model';
import { checklistFromFields, checklistSnapshot, STANDARD_ITEMS } from '../checklists/model';
import { courseFromFields } from '../training/model';
import { agreementFromFields } from '../agreements/model';
import { policyFromFields } from '../policies/model';
import { due, type DueSources } from './model';

/*
 * Two phones in opposite time zones, each at the same local date and time:
 * Tonga (UTC+13) and American Samoa (UTC-11) are 24 hours apart, so the same
 * wall-clock moment there is two different instants. Every schedule is an
 * ISO date and `today` is the phone's local date, so both compute the same
 * list. This file changes process.env.TZ (Node applies it at once); vitest
 * runs each file in its own worker, so no other test sees it.
 */

const ORIGINAL_TZ = process.env.TZ;
afterAll(() => {
  if (ORIGINAL_TZ === undefined) delete process.env.TZ;
  else process.env.TZ = ORIGINAL_TZ;
});

/** Runs `fn` with the process in time zone `tz`. */
function inZone<T>(tz: string, fn: () => T): T {
  const before = process.env.TZ;
  process.env.TZ = tz;
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
}

const TONGA = 'Pacific/Tongatapu'; // UTC+13
const SAMOA = 'Pacific/Pago_Pago'; // UTC-11

const person = (id: string, team: string): Person => ({ id, name: id, email: '', team, jobTitle: '', startDate: '2024-01-15', managerId: '', archived: false });

function sources(today: string): DueSources {
  const fields: Record<string, unknown> = { team: 'Ops', month: '2026-11' };
  for (const i of STANDARD_ITEMS) fields[`item.${i.key}.status`] = 'done';
  const nov = checklistFromFields('nov', fields);
  return {
    today,
    people: [person('mia', 'Ops'), person('lee', 'Sales')],
    checklists: [nov],
    // Signed at 23:30 on 30 November in Tonga (10:30 UTC): the month of the checklist decides, not the instant.
    checklistEntries: [{ id: 's1', recordId: 'nov', kind: 'signoff', byName: 'Mia', at: '2026-11-30T10:30:00.000Z', deviceId: 'tonga', note: '', snapshot: checklistSnapshot(nov) }],
    policies: [policyFromFields('aup', { title: 'Acceptable use', ownerId: 'mia', everyone: true, nextReviewDate: '2026-11-30' })],
    publications: [],
    policyReviews: [],
    courses: [courseFromFields('sec', { title: 'Security awareness', renewalMonths: 12, everyone: true })],
    completions: [
      { id: 'c1', kind: 'completion', personId: 'lee', courseId: 'sec', completedOn: '2025-12-01', provider: '', evidence: '', expiresOn: '2026-12-01', source: '', byName: 'Mia', at: '2025-12-01T10:00:00.000Z', deviceId: 'samoa' },
    ],
    rolesByPerson: new Map(),
    agreements: [agreementFromFields('ag', { partyPersonId: 'lee', type: 'employment', signedOn: '2025-01-01', expiresOn: '2026-12-31' })],
    managementReview: { lastReviewDate: '2026-08-31' },
  };
}

describe('time zones', () => {
  it('the process really switches zone (the two instants are a day apart)', () => {
    const tonga = inZone(TONGA, () => new Date(2026, 10, 30, 23, 30));
    const samoa = inZone(SAMOA, () => new Date(2026, 10, 30, 23, 30));
    expect(tonga.toISOString()).toBe('2026-11-30T10:30:00.000Z');
    expect(samoa.toISOString()).toBe('2026-12-01T10:30:00.000Z');
    // A UTC date taken from the instant would already disagree:
    expect(tonga.toISOString().slice(0, 10)).not.toBe(samoa.toISOString().slice(0, 10));
  });

  for (const [label, hours, minutes, day] of [
    ['late on the last day of the month', 23, 30, 30],
    ['just after midnight on the 1st', 0, 15, 1],
    ['at noon', 12, 0, 30],
  ] as const) {
    it(`a phone in UTC+13 and one in UTC-11 at the same local date and time (${label}) list the same duties`, () => {
      const month = day === 1 ? 11 : 10; // Date months count from 0: 10 = November
      const compute = (tz: string) =>
        inZone(tz, () => {
          const today = localIsoDate(new Date(2026, month, day, hours, minutes));
          return { today, duties: due(sources(today)) };
        });
      const tonga = compute(TONGA);
      const samoa = compute(SAMOA);
      expect(tonga.today).toBe(day === 1 ? '2026-12-01' : '2026-11-30');
      expect(samoa.today).toBe(tonga.today);
      expect(samoa.duties).toEqual(tonga.duties);
      // And the list is what the calendar says, not shifted by a day either way.
      const status = (id: string) => tonga.duties.find((d) => d.id === id)?.status;
      if (day === 30) {
        expect(status('checklist:Ops:2026-11')).toBe('done');
        expect(status('checklist:Sales:2026-11')).toBe('this-week'); // due today, 30 November
        expect(status('policy:aup')).toBe('this-week');
        expect(status('management-review')).toBe('this-week'); // 31 Aug + 3 months = 30 Nov
      } else {
        expect(status('checklist:Sales:2026-11')).toBe('overdue');
        expect(status('checklist:Ops:2026-11')).toBe('done');
        expect(status('checklist:Sales:2026-12')).toBe('this-month');
        expect(status('policy:aup')).toBe('overdue');
        expect(status('training:lee:sec')).toBe('this-week'); // expires today, 1 December
      }
    });
  }

  it('the due dates themselves are the same strings whatever the zone', () => {
    const dates = (tz: string) => inZone(tz, () => due(sources('2026-11-30')).map((d) => `${d.id}@${d.due}`));
    expect(dates(TONGA)).toEqual(dates(SAMOA));
    expect(dates('UTC')).toEqual(dates(TONGA));
    expect(dates(TONGA)).toContain('checklist:Ops:2026-11@2026-11-30');
  });
});
