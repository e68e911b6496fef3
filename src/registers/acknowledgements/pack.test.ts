import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pdfText } from '../../../test/pdftext';
import { buildSectionPdf } from '../../export/pack/build';
import { fixtureInput } from '../../export/pack/test-fixture';

// A 1×1 PNG, as the signature pad's data URL would carry it.
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** Images in a PDF, from poppler's `pdfimages -list` (same package as pdftotext). */
function imagesIn(bytes: Uint8Array): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-pdf-'));
  try {
    fs.writeFileSync(path.join(dir, 'f.pdf'), bytes);
    // Rows after the two header lines whose type is "image" (a PNG's alpha is listed apart, as "smask").
    const rows = execFileSync('pdfimages', ['-list', path.join(dir, 'f.pdf')], { encoding: 'utf8' }).trim().split('\n').slice(2);
    return rows.filter((r) => r.trim().split(/\s+/)[2] === 'image').length;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('policy acknowledgements in the pack', () => {
  it('shows each drawn signature as an image, with who signed, when, and the SHA-256 of the text signed', async () => {
    const input = fixtureInput();
    (input.registers['acknowledgements']!.entries['ack-2'] as Record<string, unknown>)['signature'] = PNG;
    const { bytes } = await buildSectionPdf(input, 'acknowledgements');
    expect(imagesIn(bytes)).toBe(1);
    const text = pdfText(bytes).replace(/\s+/g, ' ');
    expect(text).toContain('Drawn signatures in the period, with the SHA-256 of the text signed');
    expect(text).toContain(`SHA-256 of the text signed: ${'a'.repeat(64)}`);
    expect(text).toContain('Acceptable use v1.0, 1 Mar 2026');
    expect(text).toContain('Acknowledgement ack-2');
    // Without a drawn signature: no image, and it says so.
    const none = await buildSectionPdf(fixtureInput(), 'acknowledgements');
    expect(imagesIn(none.bytes)).toBe(0);
    expect(pdfText(none.bytes)).toContain('No drawn signature in the period.');
  });

  it('draws the person × policy matrix instead of cutting the roster at 200 rows', async () => {
    const text = pdfText((await buildSectionPdf(fixtureInput(), 'acknowledgements')).bytes).replace(/\s+/g, ' ');
    expect(text).toContain('Every person × policy: day the current version was acknowledged');
    expect(text).not.toContain('Current versions: who has acknowledged');
  });
});
