import { fromBase64 } from 'lib0/buffer';
import { rgb } from 'pdf-lib';
import { MUTED, type PdfLayout } from '../../evidence/pdf/pdf';
import type { SignatureFigure } from '../../evidence/types';

/*
 * Drawn signatures in the PDF: the image as drawn, beside who signed, when,
 * what, and the SHA-256 of the exact text signed. Built on PdfLayout's page
 * and cursor, so pdf.ts needs no image primitive.
 */

const PNG = 'data:image/png;base64,';
const BOX = { width: 150, height: 56 } as const;

/** PNG bytes of a figure, or undefined when it is not a PNG. */
export function pngBytes(png: Uint8Array | string): Uint8Array | undefined {
  if (typeof png !== 'string') return png;
  if (!png.startsWith(PNG)) return undefined;
  try {
    return fromBase64(png.slice(PNG.length));
  } catch {
    return undefined;
  }
}

export async function drawSignatures(pdf: PdfLayout, title: string, items: readonly SignatureFigure[]): Promise<void> {
  pdf.heading(title, 2);
  if (items.length === 0) {
    pdf.text('No drawn signature in the period.', { color: MUTED, size: 9 });
    return;
  }
  for (const item of items) {
    const captionHeight = item.caption.length * 8.5 * 1.3 + 12;
    pdf.ensure(Math.max(BOX.height, captionHeight) + 10);
    const top = pdf.y;
    const bytes = pngBytes(item.png);
    let drawn = false;
    if (bytes) {
      try {
        const image = await pdf.doc.embedPng(bytes);
        const scale = Math.min(BOX.width / image.width, BOX.height / image.height, 1);
        pdf.page.drawRectangle({ x: pdf.left, y: top - BOX.height, width: BOX.width, height: BOX.height, borderWidth: 0.5, borderColor: rgb(0.82, 0.85, 0.88) });
        pdf.page.drawImage(image, { x: pdf.left + (BOX.width - image.width * scale) / 2, y: top - BOX.height + (BOX.height - image.height * scale) / 2, width: image.width * scale, height: image.height * scale });
        drawn = true;
      } catch {
        drawn = false;
      }
    }
    if (!drawn) pdf.text('(the signature image could not be read)', { size: 8, color: MUTED, indent: 0, after: 0 });
    pdf.y = top;
    for (const line of item.caption) pdf.text(line, { size: 8.5, indent: BOX.width + 12, after: 0 });
    pdf.y = Math.min(pdf.y, top - BOX.height) - 10;
  }
}
