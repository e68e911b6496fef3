import { describe, expect, it } from 'vitest';
import { href, parseRoute } from './router';

describe('hash routes', () => {
  it('parse section, id and parameters', () => {
    const r = parseRoute('#/checklists/new?team=Ops%20North&month=2026-11');
    expect(r.section).toBe('checklists');
    expect(r.id).toBe('new');
    expect(r.params.get('team')).toBe('Ops North');
    expect(parseRoute('').section).toBe('home');
    expect(parseRoute('#/people/a%2Fb').id).toBe('a/b');
  });
  it('build what they parse', () => {
    const h = href('checklists', 'new', { team: 'R&D', month: '2026-11' });
    expect(parseRoute(h).params.get('team')).toBe('R&D');
    expect(href('people')).toBe('#/people');
  });
});
