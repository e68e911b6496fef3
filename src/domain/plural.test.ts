import { describe, expect, it } from 'vitest';
import { countOf, plural, pluralWord } from './plural';

describe('plural', () => {
  it('agrees with the number: 0 and 2+ are plural, 1 is singular', () => {
    expect([0, 1, 2].map((n) => plural(n, 'gap'))).toEqual(['0 gaps', '1 gap', '2 gaps']);
    expect(plural(1, 'entry', 'entries')).toBe('1 entry');
    expect(plural(12000, 'person', 'people')).toBe('12,000 people');
    expect([pluralWord(1, 'was', 'were'), pluralWord(4, 'was', 'were')]).toEqual(['was', 'were']);
  });
  it('“n of m” agrees with the total', () => {
    expect(countOf(1, 1, 'checklist')).toBe('1 of 1 checklist');
    expect(countOf(0, 3, 'policy', 'policies')).toBe('0 of 3 policies');
  });
});
