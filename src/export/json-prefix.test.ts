import { describe, expect, it } from 'vitest';
import { isCutOffJson } from './json-prefix';

describe('isCutOffJson', () => {
  const doc = JSON.stringify({ a: [1, -2.5e3, true, false, null, 'x\\"\u00e9\u2028'], b: { c: '' }, d: 0 }, null, 1);
  it('is true for every proper prefix of valid JSON', () => {
    for (let i = 1; i < doc.length; i++) expect(isCutOffJson(doc.slice(0, i)), doc.slice(0, i)).toBe(true);
  });
  it('is false for complete JSON and for a change anywhere', () => {
    expect(isCutOffJson(doc)).toBe(false);
    for (const bad of ['{"a":1,}', '{"a" 1}', '{"a":tru e}', "{'a':1}", '{"a":01}', '[1 2]', '{"a":"\\x"}', '{"a":1}}', '{"a":1]', '{"a":"line\nbreak"}']) expect(isCutOffJson(bad), bad).toBe(false);
  });
});
