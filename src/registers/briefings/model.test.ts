import { describe, expect, it } from 'vitest';
import { actionField, attendeeField, briefingFromFields, briefingsFor, briefingSnapshot, topicField, validateAction, validateBriefingHeader, validateTopic } from './model';

describe('briefing fields', () => {
  it('reads attendance, topics and actions from per-item fields', () => {
    const b = briefingFromFields('b1', {
      date: '2026-11-25', team: 'Ops', notes: 'n',
      [attendeeField('p1')]: true, [attendeeField('p2')]: false,
      [topicField('Screen locking')]: true, [topicField('Phishing')]: false,
      [actionField('a1')]: { text: 'Enable MFA', ownerId: 'p1', due: '2026-12-01', done: false },
      [actionField('a2')]: { text: 'gone', ownerId: '', due: '', done: false, deleted: true },
    });
    expect(b.attendees).toEqual(['p1']);
    expect(b.topics).toEqual(['Screen locking']);
    expect(b.actions.map((a) => a.text)).toEqual(['Enable MFA']);
  });
  it('the sign-off snapshot ignores attendance order', () => {
    const a = briefingFromFields('b', { date: '2026-11-25', team: 'Ops', [attendeeField('x')]: true, [attendeeField('y')]: true });
    const b = briefingFromFields('b', { [attendeeField('y')]: true, team: 'Ops', date: '2026-11-25', [attendeeField('x')]: true });
    expect(briefingSnapshot(a)).toBe(briefingSnapshot(b));
  });
  it('finds the briefings that evidence a team’s month', () => {
    const list = [
      briefingFromFields('1', { date: '2026-11-03', team: 'Ops' }),
      briefingFromFields('2', { date: '2026-11-20', team: 'Ops' }),
      briefingFromFields('3', { date: '2026-10-31', team: 'Ops' }),
      briefingFromFields('4', { date: '2026-11-05', team: 'Sales' }),
    ];
    expect(briefingsFor(list, 'Ops', '2026-11').map((b) => b.id)).toEqual(['2', '1']);
  });
});

describe('briefing validation', () => {
  it('requires a real date and a team', () => {
    const r = validateBriefingHeader({ date: '2026-02-30', team: '', notes: '' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors['date']).toBe('Enter the date as YYYY-MM-DD, e.g. 2026-11-25.');
      expect(r.errors['team']).toBe('Choose the team that was briefed.');
    }
    expect(validateBriefingHeader({ date: '2026-11-25', team: 'Ops', notes: '' }).ok).toBe(true);
  });
  it('requires action text and a valid optional due date', () => {
    expect(validateAction({ text: ' ', ownerId: '', due: '', done: false }).ok).toBe(false);
    const r = validateAction({ text: 'Fix', ownerId: '', due: '2026/12/01', done: false });
    expect(r.ok ? undefined : r.errors['due']).toBe('Enter the due date as YYYY-MM-DD, or leave it empty.');
    expect(validateAction({ text: ' Fix ', ownerId: 'p', due: '', done: false })).toEqual({ ok: true, value: { text: 'Fix', ownerId: 'p', due: '', done: false } });
  });
  it('trims topics and refuses empty ones', () => {
    expect(validateTopic('  ')).toEqual({ ok: false, errors: { topic: 'Type a topic first.' } });
    expect(validateTopic(' MFA ')).toEqual({ ok: true, value: 'MFA' });
  });
});

describe('one status for minutes (issue 11)', () => {
  it('names signed, changed and unsigned minutes the same way everywhere: changed is never "Not signed"', async () => {
    const { SIGN_OFF_WORDS } = await import('../../domain/signoff');
    const { briefingStatus } = await import('./model');
    const { briefingsCsv } = await import('./export');
    const b = briefingFromFields('b1', { date: '2026-11-25', team: 'Ops', notes: 'first', [attendeeField('p1')]: true });
    const entry = { id: 'e', recordId: 'b1', kind: 'signoff' as const, byName: 'Mia', at: '2026-11-25T10:00:00.000Z', deviceId: 'd', note: '', snapshot: briefingSnapshot(b) };
    const edited = briefingFromFields('b1', { date: '2026-11-25', team: 'Ops', notes: 'edited', [attendeeField('p1')]: true });
    expect(briefingStatus(b, [entry]).state).toBe('signed');
    expect(briefingStatus(edited, [entry]).state).toBe('changed');
    expect(briefingStatus(edited, []).state).toBe('unsigned');
    const rows = briefingsCsv([b, edited], () => '', (x) => briefingStatus(x, [entry]), '').rows;
    expect(rows.map((r) => r[7])).toEqual([SIGN_OFF_WORDS.signed, 'Changed since sign-off']);
  });
});
