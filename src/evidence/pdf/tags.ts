import { type PDFDocument, PDFHexString, PDFName, PDFNumber, PDFObject, type PDFPage, type PDFRef, PDFString } from 'pdf-lib';
import type { PageContent } from './content';

/*
 * A tagged PDF (ISO 32000-1 §14.8; what PDF/UA asks for): every piece of
 * content on a page is marked, either as part of the logical structure
 * (`/P <</MCID n>> BDC … EMC`, the marked-content id n pointing into the
 * structure tree) or as an artifact (page furniture: rules, shading, footers,
 * a table header repeated on a new page). At save the tree is written as
 * StructElem dictionaries under the catalog's StructTreeRoot, with the
 * ParentTree that maps each page's MCIDs back to their elements, /MarkInfo,
 * /Lang and a displayed document title. pdf-lib has no API for this, so it is
 * built from its low-level objects.
 */

export type StructType = 'Document' | 'Sect' | 'H1' | 'H2' | 'H3' | 'P' | 'L' | 'LI' | 'Lbl' | 'LBody' | 'Table' | 'TR' | 'TH' | 'TD' | 'Figure';

interface MarkedRef {
  page: PDFPage;
  mcid: number;
}

export class StructElem {
  readonly kids: Array<StructElem | MarkedRef> = [];
  constructor(
    readonly type: StructType,
    readonly attrs: { scope?: 'Column' | 'Row'; alt?: string } = {},
  ) {}

  add(type: StructType, attrs?: StructElem['attrs']): StructElem {
    const e = new StructElem(type, attrs);
    this.kids.push(e);
    return e;
  }
}


/**
 * An object given as its PDF text (ASCII). pdf-lib's PDFInvalidObject is also copied as it is, but kept out of
 * the compressed object streams; this one goes into them with the rest.
 */
class RawObject extends PDFObject {
  constructor(private readonly text: string) {
    super();
  }
  override clone(): RawObject {
    return new RawObject(this.text);
  }
  override toString(): string {
    return this.text;
  }
  override sizeInBytes(): number {
    return this.text.length;
  }
  override copyBytesInto(buffer: Uint8Array, offset: number): number {
    for (let i = 0; i < this.text.length; i++) buffer[offset + i] = this.text.charCodeAt(i);
    return this.text.length;
  }
}

export class Tagger {
  readonly root = new StructElem('Document');
  /** Per page: the element of each MCID, in order. */
  private readonly perPage = new Map<PDFPage, StructElem[]>();

  constructor(
    private readonly doc: PDFDocument,
    private readonly content: PageContent,
  ) {}

  /** Draws `draw`'s content as a marked-content sequence belonging to `elem`. */
  mark(page: PDFPage, elem: StructElem, draw: () => void): void {
    let list = this.perPage.get(page);
    if (!list) this.perPage.set(page, (list = []));
    const mcid = list.length;
    list.push(elem);
    elem.kids.push({ page, mcid });
    this.content.push(page, `/${elem.type} <</MCID ${mcid}>> BDC`);
    draw();
    this.content.push(page, 'EMC');
  }

  /** Draws page furniture (rules, backgrounds, footers, repeated headers) outside the structure. */
  artifact(page: PDFPage, draw: () => void, kind: 'Layout' | 'Pagination' = 'Layout'): void {
    this.content.push(page, `/Artifact <</Type /${kind}>> BDC`);
    draw();
    this.content.push(page, 'EMC');
  }

  /** Writes the structure tree, ParentTree, /MarkInfo and /Lang into the catalog. */
  finish(lang: string): void {
    const ctx = this.doc.context;
    const rootRef = ctx.nextRef();
    const refs = new Map<StructElem, PDFRef>();

    // Tens of thousands of elements (one per table cell): each is written as its PDF text directly (an object
    // pdf-lib copies as it is), not built as a PDFDict of PDFName and PDFNumber objects.
    const write = (e: StructElem, parent: PDFRef): PDFRef => {
      const ref = ctx.nextRef();
      refs.set(e, ref);
      const firstPage = e.kids.find((k): k is MarkedRef => !(k instanceof StructElem))?.page;
      // A marked-content kid on the element's page (/Pg) is its MCID alone; on another page, a marked-content reference.
      const kids = e.kids.map((k) => (k instanceof StructElem ? `${write(k, ref)}` : k.page === firstPage ? String(k.mcid) : `<</Type/MCR/Pg ${k.page.ref}/MCID ${k.mcid}>>`));
      let dict = `<</Type/StructElem/S/${e.type}/P ${parent}/K[${kids.join(' ')}]`;
      if (firstPage) dict += `/Pg ${firstPage.ref}`;
      if (e.attrs.scope) dict += `/A<</O/Table/Scope/${e.attrs.scope}>>`;
      if (e.attrs.alt) dict += `/Alt ${PDFHexString.fromText(e.attrs.alt)}`;
      ctx.assign(ref, new RawObject(`${dict}>>`));
      return ref;
    };
    const docRef = write(this.root, rootRef);

    // The ParentTree is a number tree: keys (each page's StructParents) ascending.
    const nums: Array<PDFNumber | PDFRef> = [];
    this.doc.getPages().forEach((page, key) => {
      const elems = this.perPage.get(page);
      if (!elems) return;
      page.node.set(PDFName.of('StructParents'), PDFNumber.of(key));
      page.node.set(PDFName.of('Tabs'), PDFName.of('S'));
      nums.push(PDFNumber.of(key), ctx.register(new RawObject(`[${elems.map((e) => refs.get(e)!).join(' ')}]`)));
    });
    const parentTree = ctx.register(ctx.obj({ Nums: nums }));

    ctx.assign(rootRef, ctx.obj({ Type: 'StructTreeRoot', K: docRef, ParentTree: parentTree, ParentTreeNextKey: this.doc.getPageCount() }));
    const catalog = this.doc.catalog;
    catalog.set(PDFName.of('StructTreeRoot'), rootRef);
    catalog.set(PDFName.of('MarkInfo'), ctx.obj({ Marked: true }));
    catalog.set(PDFName.of('Lang'), PDFString.of(lang));
  }
}
