import { describe, expect, it } from 'vitest';
import { hex, isSha256Hex, sha256HexAsync, sha256HexSync } from './sha256';

const ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

describe('sha256', () => {
  it('hex writes every byte as two lower-case digits', () => {
    expect(hex(new Uint8Array([0, 1, 15, 16, 171, 255]))).toBe('00010f10abff');
    expect(hex(new Uint8Array())).toBe('');
  });

  it('the sync and async variants agree, on text (UTF-8) and on bytes', async () => {
    expect(sha256HexSync('abc')).toBe(ABC);
    expect(await sha256HexAsync('abc')).toBe(ABC);
    const bytes = new TextEncoder().encode('Café ✓\n');
    expect(sha256HexSync(bytes)).toBe(sha256HexSync('Café ✓\n'));
    expect(await sha256HexAsync(bytes)).toBe(sha256HexSync(bytes));
    const big = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31) & 255);
    expect(await sha256HexAsync(big)).toBe(sha256HexSync(big));
  });

  it('isSha256Hex accepts only what the digests return', () => {
    expect(isSha256Hex(ABC)).toBe(true);
    expect(isSha256Hex(ABC.toUpperCase())).toBe(false);
    expect(isSha256Hex(ABC.slice(1))).toBe(false);
  });
});
