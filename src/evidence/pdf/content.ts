import { zlibSync } from 'fflate';
import { type PDFDocument, type PDFPage, PDFRawStream } from 'pdf-lib';

/*
 * The pages' drawing operators, kept as text per page and written at save as
 * one Flate stream each (fflate, about twice as fast as the pako inside
 * pdf-lib, and no operator objects to serialise one by one). Drawing that
 * still goes through pdf-lib (page.drawImage, …) lands in pdf-lib's own
 * content stream, drawn before this one.
 */
export class PageContent {
  private readonly pages = new Map<PDFPage, string[]>();

  push(page: PDFPage, ops: string): void {
    let list = this.pages.get(page);
    if (!list) this.pages.set(page, (list = []));
    list.push(ops);
  }

  /** Adds each page's stream to it (once: the text is dropped). */
  finish(doc: PDFDocument): void {
    const encoder = new TextEncoder();
    for (const [page, list] of this.pages) {
      const bytes = zlibSync(encoder.encode(list.join('\n')), { level: 6 });
      const stream = PDFRawStream.of(doc.context.obj({ Filter: 'FlateDecode', Length: bytes.length }), bytes);
      page.node.addContentStream(doc.context.register(stream));
    }
    this.pages.clear();
  }
}
