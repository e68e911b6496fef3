import { describe, expect, it } from 'vitest';
import { fromBase64Url, randomId, toBase64Url } from './device-db';

describe('random ids', () => {
  it('never start with a character a spreadsheet treats as a formula', () => {
    for (let i = 0; i < 2000; i++) expect(randomId(6)).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]*$/);
  });
  it('encode the requested number of bytes', () => {
    expect(randomId(16)).toHaveLength(22);
    expect(randomId(32)).toHaveLength(43);
    const bytes = Uint8Array.from([251, 255, 0, 1]);
    expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
  });
});
