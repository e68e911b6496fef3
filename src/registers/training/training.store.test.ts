import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { EVERYONE } from '../../domain/gaps';
import { EXPIRY_BEFORE_COMPLETION } from './model';
import { createTrainingStore } from './store';

const alice = { name: 'Mia Manager', deviceId: 'device-a', personId: 'mia' };
const bob = { name: 'Sam Supervisor', deviceId: 'device-b' };
const TODAY = '2026-11-25';
const entry = { completedOn: '2026-11-20', provider: 'In-house', evidence: 'Briefing minutes', expiresOn: '' };

function pair() {
  const a = new Y.Doc();
  const b = new Y.Doc();
  const sync = () => {
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
  };
  return { a, b, sync, sa: createTrainingStore(a), sb: createTrainingStore(b) };
}

describe('training store', () => {
  it('keeps the completions two offline devices recorded, after they merge', () =>
    createRoot((dispose) => {
      const { sa, sb, sync } = pair();
      const course = sa.addAnnualAwareness('Mia');
      if (!course.ok) throw new Error('course');
      expect(course.value).toMatchObject({ title: 'Annual security awareness', renewalMonths: 12, audience: EVERYONE });
      sync();
      // Both devices offline: each records a completion, one of them for the same person.
      const ra = sa.record({ ...entry, personId: 'p1', courseId: course.value.id }, alice, TODAY);
      const rb1 = sb.record({ ...entry, personId: 'p1', courseId: course.value.id, completedOn: '2026-11-21' }, bob, TODAY);
      const rb2 = sb.record({ ...entry, personId: 'p2', courseId: course.value.id }, bob, TODAY);
      expect([ra.ok, rb1.ok, rb2.ok]).toEqual([true, true, true]);
      sync();
      for (const s of [sa, sb]) {
        expect(s.completions().map((c) => `${c.personId} ${c.completedOn} ${c.deviceId}`).sort()).toEqual([
          'p1 2026-11-20 device-a',
          'p1 2026-11-21 device-b',
          'p2 2026-11-20 device-b',
        ]);
      }
      const first = sa.completions().find((c) => c.deviceId === 'device-a')!;
      expect(first).toMatchObject({ kind: 'completion', expiresOn: '2027-11-20', byName: 'Mia Manager', byPersonId: 'mia', provider: 'In-house', evidence: 'Briefing minutes', source: '' });
      expect(Number.isNaN(Date.parse(first.at))).toBe(false);
      dispose();
    }));

  it('merges course audiences edited on two devices (one field per team)', () =>
    createRoot((dispose) => {
      const { sa, sb, sync } = pair();
      const r = sa.addCourse({ title: 'Phishing', renewalMonths: 6, audience: { everyone: false, teams: ['Ops'], roles: [] }, provider: '' });
      if (!r.ok) throw new Error('course');
      sync();
      expect(sa.updateCourse(r.value.id, { title: 'Phishing', renewalMonths: 6, audience: { everyone: false, teams: ['Ops', 'Sales'], roles: [] }, provider: '' }).ok).toBe(true);
      expect(sb.updateCourse(r.value.id, { title: 'Phishing', renewalMonths: 6, audience: { everyone: false, teams: ['Ops'], roles: ['isms'] }, provider: 'KnowBe4' }).ok).toBe(true);
      sync();
      for (const s of [sa, sb]) expect(s.courseById().get(r.value.id)).toMatchObject({ audience: { everyone: false, teams: ['Ops', 'Sales'], roles: ['isms'] }, provider: 'KnowBe4' });
      dispose();
    }));

  it('records exactly one completion per attendee of a briefing', () =>
    createRoot((dispose) => {
      const { a, sa } = pair();
      const course = sa.addAnnualAwareness();
      if (!course.ok) throw new Error('course');
      const briefing = { id: 'br1', attendees: ['p1', 'p2', 'p3'] };
      const r = sa.recordForBriefing(briefing, { ...entry, courseId: course.value.id }, alice, TODAY);
      expect(r.ok && r.value.length).toBe(3);
      expect(sa.completions().map((c) => c.personId).sort()).toEqual(['p1', 'p2', 'p3']);
      expect(new Set(sa.completions().map((c) => c.source))).toEqual(new Set(['briefing:br1']));
      expect(new Set(sa.completions().map((c) => c.id)).size).toBe(3);
      // Tapping it again records nobody twice.
      const before = Y.encodeStateAsUpdate(a);
      expect(sa.recordForBriefing(briefing, { ...entry, courseId: course.value.id }, alice, TODAY)).toEqual({
        ok: false,
        errors: { personId: 'Everyone chosen already has this course recorded on that date.' },
      });
      expect(Y.encodeStateAsUpdate(a)).toEqual(before);
      // A later attendee added to the minutes is recorded alone.
      const again = sa.recordForBriefing({ ...briefing, attendees: [...briefing.attendees, 'p4'] }, { ...entry, courseId: course.value.id }, alice, TODAY);
      expect(again.ok && again.value.map((c) => c.personId)).toEqual(['p4']);
      expect(sa.completions()).toHaveLength(4);
      // By team, too.
      const t = sa.recordForTeam('Ops', ['p5', 'p6'], { ...entry, courseId: course.value.id }, alice, TODAY);
      expect(t.ok && t.value.map((c) => c.source)).toEqual(['team:Ops', 'team:Ops']);
      dispose();
    }));

  it('stores nothing on bad input', () =>
    createRoot((dispose) => {
      const { a, sa } = pair();
      const course = sa.addAnnualAwareness();
      if (!course.ok) throw new Error('course');
      const before = Y.encodeStateAsUpdate(a);
      const courseId = course.value.id;
      expect(sa.record({ ...entry, personId: 'p1', courseId, expiresOn: '2026-11-19' }, alice, TODAY)).toEqual({ ok: false, errors: { expiresOn: EXPIRY_BEFORE_COMPLETION } });
      expect(sa.record({ ...entry, personId: '', courseId }, alice, TODAY).ok).toBe(false);
      expect(sa.record({ ...entry, personId: 'p1', courseId: 'nope' }, alice, TODAY).ok).toBe(false);
      expect(sa.record({ ...entry, personId: 'p1', courseId, completedOn: '2026-12-01' }, alice, TODAY).ok).toBe(false);
      expect(sa.recordForBriefing({ id: 'b', attendees: ['p1', 'p2'] }, { ...entry, courseId, expiresOn: '2020-01-01' }, alice, TODAY)).toEqual({ ok: false, errors: { expiresOn: EXPIRY_BEFORE_COMPLETION } });
      expect(sa.recordForBriefing({ id: 'b', attendees: [] }, { ...entry, courseId }, alice, TODAY)).toEqual({ ok: false, errors: { briefingId: 'Nobody is marked present at that briefing.' } });
      expect(sa.recordForTeam('Empty', [], { ...entry, courseId }, alice, TODAY).ok).toBe(false);
      expect(sa.addCourse({ title: '', renewalMonths: 12, audience: EVERYONE, provider: '' }).ok).toBe(false);
      expect(sa.addCourse({ title: 'Annual security awareness', renewalMonths: 12, audience: EVERYONE, provider: '' }).ok).toBe(false);
      expect(sa.updateCourse(courseId, { title: 'X', renewalMonths: 'often', audience: EVERYONE, provider: '' }).ok).toBe(false);
      expect(sa.correct('nope', 'typo', alice)).toBe('That completion is not in the training log.');
      expect(Y.encodeStateAsUpdate(a)).toEqual(before);
      expect(sa.completions()).toHaveLength(0);
      dispose();
    }));

  it('voids a completion with a correction entry, never editing it', () =>
    createRoot((dispose) => {
      const { a, sa } = pair();
      const course = sa.addAnnualAwareness();
      if (!course.ok) throw new Error('course');
      const r = sa.record({ ...entry, personId: 'p1', courseId: course.value.id }, alice, TODAY);
      if (!r.ok) throw new Error('record');
      const stored = JSON.stringify(a.getMap('entries').get(r.value.id));
      expect(sa.correct(r.value.id, '  ', alice)).toBe('Say why this completion is being corrected.');
      expect(sa.correct(r.value.id, 'Recorded for the wrong person', alice)).toBeUndefined();
      expect(sa.correct(r.value.id, 'again', alice)).toBe('That completion has already been corrected.');
      expect(sa.completions()).toHaveLength(0);
      expect(sa.allCompletions()[0]!.voidedBy).toBe(sa.corrections()[0]!.id);
      expect(sa.corrections()[0]).toMatchObject({ kind: 'correction', corrects: r.value.id, reason: 'Recorded for the wrong person', byName: 'Mia Manager', deviceId: 'device-a' });
      expect(JSON.stringify(a.getMap('entries').get(r.value.id))).toBe(stored);
      // Recording again on the same date is allowed once the first is void.
      expect(sa.record({ ...entry, personId: 'p1', courseId: course.value.id }, alice, TODAY).ok).toBe(true);
      dispose();
    }));
});
