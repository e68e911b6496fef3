import { describe, expect, it } from 'vitest';
import { arrowsUp, readShape } from '../scripts/layers';

/*
 * Issue 16: registers never import each other both ways round, and the low
 * floors (crypto < store < sync) import nothing above them. Read from the
 * source as it is (scripts/layers.ts), so a new import up fails here.
 */
const shape = readShape();
const filesOf = (from: string, to: string) => shape.arrows.find((a) => a.from === from && a.to === to)?.files ?? [];

describe('the import shape of src/', () => {
  it('crypto, store and sync import nothing on a floor above theirs', () => {
    const up = arrowsUp(shape).filter((a) => ['crypto', 'store', 'sync'].includes(a.from));
    expect(up.map((a) => `${a.from} → ${a.to} (${a.files.join(', ')})`)).toEqual([]);
  });

  // The other direction is the natural one: members filters people, competency reads roles, the management review reads resources.
  it.each([
    ['people', 'members'],
    ['roles', 'competency'],
    ['resources', 'reviews'],
  ])('registers/%s imports nothing of registers/%s', (from, to) => {
    expect(filesOf(`registers/${from}`, `registers/${to}`)).toEqual([]);
  });

  it('policies import nothing of acknowledgements (the roster and the rate fill slots; the pack reads the rate by name)', () => {
    expect(filesOf('registers/policies', 'registers/acknowledgements')).toEqual([]);
  });
});
