import { describe, expect, it } from 'vitest';
import { canonicalJson, historyOf, parseSignOffEntry, type SignOffEntry, signOffState, withoutFollowUp } from './signoff';

const entry = (over: Partial<SignOffEntry>): SignOffEntry => ({
  id: 'e1', recordId: 'r1', kind: 'signoff', byName: 'Mia', at: '2026-11-25T10:00:00.000Z', deviceId: 'd1', note: '', snapshot: 'S1', ...over,
});

describe('sign-off state', () => {
  it('is unsigned with no entries', () => {
    expect(signOffState([], 'S1').state).toBe('unsigned');
  });
  it('is signed when the latest sign-off covers the current content', () => {
    const s = signOffState([entry({})], 'S1');
    expect(s.state).toBe('signed');
  });
  it('is changed when the content differs from what was signed', () => {
    expect(signOffState([entry({})], 'S2').state).toBe('changed');
  });
  it('a later sign-off covers the new content', () => {
    const h = [entry({}), entry({ id: 'e2', at: '2026-11-26T10:00:00.000Z', snapshot: 'S2' })];
    expect(signOffState(h, 'S2').state).toBe('signed');
  });
  it('a correction that withdraws a sign-off leaves the record unsigned', () => {
    const h = [entry({}), entry({ id: 'c1', kind: 'correction', corrects: 'e1', withdraws: true, at: '2026-11-25T11:00:00.000Z', note: 'signed by mistake' })];
    expect(signOffState(h, 'S1').state).toBe('unsigned');
  });
  it('a correction that does not withdraw keeps the sign-off standing', () => {
    const h = [entry({}), entry({ id: 'c1', kind: 'correction', corrects: 'e1', withdraws: false, note: 'typo in note' })];
    expect(signOffState(h, 'S1').state).toBe('signed');
  });
  it('orders history by device time, then id, and per record', () => {
    const h = historyOf([entry({ id: 'b', at: '2026-11-25T10:00:00.000Z' }), entry({ id: 'a', at: '2026-11-25T10:00:00.000Z' }), entry({ id: 'z', at: '2026-11-24T10:00:00.000Z' }), entry({ id: 'x', recordId: 'other' })], 'r1');
    expect(h.map((e) => e.id)).toEqual(['z', 'a', 'b']);
  });
});

describe('parseSignOffEntry', () => {
  it('rejects malformed entries rather than showing them as evidence', () => {
    expect(parseSignOffEntry({ id: 'x' })).toBeUndefined();
    expect(parseSignOffEntry(entry({ byName: '  ' }))).toBeUndefined();
    expect(parseSignOffEntry(entry({ at: 'yesterday' }))).toBeUndefined();
    expect(parseSignOffEntry(null)).toBeUndefined();
    expect(parseSignOffEntry(entry({}))).toMatchObject({ id: 'e1' });
  });
});

describe('canonicalJson', () => {
  it('is independent of key order and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: undefined } })).toBe(canonicalJson({ a: { d: [2, { e: 0, f: 1 }] }, b: 1 }));
  });
});

describe('follow-up is not an edit of what was signed (issue 11)', () => {
  const decided = withoutFollowUp(['actions.*'], ['done', 'doneOn', 'doneBy']);
  it('leaves out follow-up keys at the given paths, and reads old and new snapshots alike', () => {
    expect(decided('{"actions":[{"done":true,"id":"a","text":"x"}],"notes":"n"}')).toBe('{"actions":[{"id":"a","text":"x"}],"notes":"n"}');
    expect(decided(canonicalJson({ actions: [{ id: 'a', text: 'x', done: false }] }))).toBe(decided(canonicalJson({ actions: [{ id: 'a', text: 'x', done: true, doneOn: '2026-12-06', doneBy: 'Mia' }] })));
    expect(decided('not json')).toBe('not json');
  });
  it('a sign-off stands when only follow-up changed, and is changed when anything else did', () => {
    const entry = { id: 'e', recordId: 'r', kind: 'signoff' as const, byName: 'Mia', at: '2026-12-01T10:00:00.000Z', deviceId: 'd', note: '', snapshot: canonicalJson({ actions: [{ id: 'a', text: 'x', done: false }] }) };
    expect(signOffState([entry], canonicalJson({ actions: [{ id: 'a', text: 'x', done: true }] }), decided).state).toBe('signed');
    expect(signOffState([entry], canonicalJson({ actions: [{ id: 'a', text: 'x', done: true }] })).state).toBe('changed');
    expect(signOffState([entry], canonicalJson({ actions: [{ id: 'a', text: 'y', done: false }] }), decided).state).toBe('changed');
  });
});
