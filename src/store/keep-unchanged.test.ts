import { describe, expect, it } from 'vitest';
import { keepUnchanged } from './reactive';

describe('keepUnchanged (structural sharing between versions of a record)', () => {
  it('returns the previous object when nothing changed, and shares the unchanged parts when something did', () => {
    const prev = { id: 'c1', items: [{ key: 'a', t: 'A' }, { key: 'b', t: 'B' }], state: { a: { note: '' }, b: { note: '' } } };
    const same = JSON.parse(JSON.stringify(prev)) as typeof prev;
    expect(keepUnchanged(prev, same)).toBe(prev);
    const next = { ...same, state: { a: { note: 'typed' }, b: { note: '' } } };
    const kept = keepUnchanged(prev, next);
    expect(kept).not.toBe(prev);
    expect(kept.items).toBe(prev.items);
    expect(kept.state.b).toBe(prev.state.b);
    expect(kept.state.a).toEqual({ note: 'typed' });
  });
  it('matches array elements by id or key, so inserting one keeps the others', () => {
    const prev = [{ id: 'x', due: '2026-12-01' }, { id: 'y', due: '2026-12-09' }];
    const next = [{ id: 'w', due: '2026-11-30' }, { id: 'x', due: '2026-12-01' }, { id: 'y', due: '2026-12-09' }];
    const kept = keepUnchanged(prev, next);
    expect(kept[1]).toBe(prev[0]);
    expect(kept[2]).toBe(prev[1]);
    expect(kept[0]).toBe(next[0]);
  });
  it('notices a removed key', () => {
    const prev = { a: 1, b: 2 } as Record<string, number>;
    expect(keepUnchanged(prev, { a: 1 })).toEqual({ a: 1 });
    expect(keepUnchanged(prev, { a: 1 })).not.toBe(prev);
  });
});
