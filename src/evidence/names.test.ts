import { describe, expect, it } from 'vitest';
import { packFileName, slug } from './names';

describe('file names', () => {
  it('keep the organisation’s name readable in any script', () => {
    expect(slug('Ærø ApS')).toBe('ærø-aps');
    expect(slug('Acmé Ltd')).toBe('acmé-ltd');
    expect(slug('Ağaoğlu & Łukasz Sp. z o.o.')).toBe('ağaoğlu-łukasz-sp-z-o-o');
    expect(slug('Σωκράτης ΑΕ')).toBe('σωκράτης-αε');
    expect(slug('李氏 有限公司')).toBe('李氏-有限公司');
    // Decomposed input (e + combining acute) is composed: one character in the name.
    expect(slug('Acme\u0301')).toBe('acmé');
    expect(packFileName('Ærø', '2025-11-26', '2026-11-25')).toBe('muster-evidence-ærø-2025-11-26-2026-11-25.zip');
  });

  it('drop what a file system refuses, and fall back when nothing is left', () => {
    expect(slug('a/b\\c:d*e?f"g<h>i|j')).toBe('a-b-c-d-e-f-g-h-i-j');
    expect(slug('   ')).toBe('workspace');
    expect(slug('!!!', 'team')).toBe('team');
    expect([...slug('Ø'.repeat(60))]).toHaveLength(40);
  });
});
