import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The text of a PDF as a real reader extracts it: poppler's `pdftotext`
 * (Debian package poppler-utils, installed by .ci/run). `layout` keeps the
 * columns of tables on one line.
 */
export function pdfText(bytes: Uint8Array, opts: { layout?: boolean } = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-pdf-'));
  const file = path.join(dir, 'file.pdf');
  try {
    fs.writeFileSync(file, bytes);
    return execFileSync('pdftotext', [...(opts.layout ? ['-layout'] : []), '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Number of pages, from `pdfinfo` (same package). */
export function pdfPages(bytes: Uint8Array): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-pdf-'));
  const file = path.join(dir, 'file.pdf');
  try {
    fs.writeFileSync(file, bytes);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? NaN);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
