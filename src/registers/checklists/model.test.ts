import { describe, expect, it } from 'vitest';
import type { SignOffEntry } from '../../domain/signoff';
import {
  duplicateIds, canSignOff, type Checklist, checklistFromFields, checklistSnapshot, checklistStatus, itemField, serializeItems, STANDARD_ITEMS,
  validateNewChecklist, validateTemplateItem,
} from './model';

function checklist(statuses: Record<string, string>, extra: Record<string, unknown> = {}): Checklist {
  const fields: Record<string, unknown> = { team: 'Ops', month: '2026-11', items: serializeItems(STANDARD_ITEMS), ...extra };
  for (const [k, v] of Object.entries(statuses)) fields[itemField(k, 'status')] = v;
  return checklistFromFields('c1', fields);
}
const signed = (c: Checklist, id = 's1'): SignOffEntry => ({ id, recordId: c.id, kind: 'signoff', byName: 'Mia', at: '2026-11-25T10:00:00.000Z', deviceId: 'd', note: '', snapshot: checklistSnapshot(c) });
const ALL_DONE = { brief: 'done', compliance: 'done', enforce: 'done', lead: 'done' };

describe('checklist status', () => {
  it('ships the four standard actions of A 5.4 with their evidence', () => {
    expect(STANDARD_ITEMS.map((i) => [i.title, i.evidenceHint])).toEqual([
      ['Brief the team', 'Briefing minutes'],
      ['Check compliance', 'Training log'],
      ['Enforce rules', 'Disciplinary note or email record'],
      ['Lead by example', 'Observation'],
    ]);
  });
  it('is in progress while any item is unanswered', () => {
    const c = checklist({ brief: 'done', compliance: 'done', enforce: 'na' });
    expect(canSignOff(c)).toBe(false);
    expect(checklistStatus(c, [])).toBe('in-progress');
  });
  it('is ready to sign once every item has an answer', () => {
    const c = checklist({ ...ALL_DONE, enforce: 'not-done' });
    expect(canSignOff(c)).toBe(true);
    expect(checklistStatus(c, [])).toBe('ready');
  });
  it('is complete only when every item is done or N/A AND it is signed off', () => {
    const c = checklist({ ...ALL_DONE, enforce: 'na' });
    expect(checklistStatus(c, [])).toBe('ready');
    expect(checklistStatus(c, [signed(c)])).toBe('complete');
  });
  it('a signed checklist with a "not done" item is signed with gaps, not complete', () => {
    const c = checklist({ ...ALL_DONE, lead: 'not-done' });
    expect(checklistStatus(c, [signed(c)])).toBe('signed-with-gaps');
  });
  it('an edit after sign-off (answer or note) needs a new sign-off', () => {
    const c = checklist(ALL_DONE);
    const s = signed(c);
    expect(checklistStatus(checklist({ ...ALL_DONE, lead: 'na' }), [s])).toBe('changed');
    expect(checklistStatus(checklist(ALL_DONE, { [itemField('enforce', 'note')]: 'late note' }), [s])).toBe('changed');
  });
  it('ignores unknown statuses from storage', () => {
    expect(checklist({ brief: 'maybe' }).state['brief']?.status).toBe('');
  });
  it('keeps the items a checklist was created with, and falls back to the standard items', () => {
    const custom = checklistFromFields('x', { items: serializeItems([...STANDARD_ITEMS, { key: 'x1', title: 'Review access', evidenceHint: '' }]) });
    expect(custom.items).toHaveLength(5);
    expect(checklistFromFields('y', { items: 'not json' }).items).toHaveLength(4);
  });
});

describe('new checklist validation', () => {
  it('requires a team and an ISO month', () => {
    const r = validateNewChecklist({ team: ' ', month: '11/2026' }, []);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors['team']).toBe('Choose the team this checklist is for.');
      expect(r.errors['month']).toBe('Enter the month as YYYY-MM, e.g. 2026-11.');
    }
  });
  it('refuses a second checklist for the same team and month', () => {
    const r = validateNewChecklist({ team: 'Ops', month: '2026-11' }, [checklist({})]);
    expect(r).toEqual({ ok: false, errors: { month: 'Ops already has a checklist for 2026-11.' } });
    expect(validateNewChecklist({ team: 'Ops', month: '2026-12' }, [checklist({})]).ok).toBe(true);
  });
});

describe('template items', () => {
  it('needs a title that is not already there', () => {
    expect(validateTemplateItem('', '', STANDARD_ITEMS).ok).toBe(false);
    expect(validateTemplateItem('brief the team', '', STANDARD_ITEMS)).toEqual({ ok: false, errors: { title: 'The checklist already has this action.' } });
    expect(validateTemplateItem(' Review access rights ', ' Export ', STANDARD_ITEMS)).toEqual({ ok: true, value: { title: 'Review access rights', evidenceHint: 'Export' } });
  });
});

describe('duplicates from offline devices', () => {
  it('flags two checklists for the same team and month', () => {
    const a = checklistFromFields('a', { team: 'Ops', month: '2026-11' });
    const b = checklistFromFields('b', { team: 'Ops', month: '2026-11' });
    const c = checklistFromFields('c', { team: 'Ops', month: '2026-12' });
    expect([...duplicateIds([a, b, c])].sort()).toEqual(['a', 'b']);
  });
});
