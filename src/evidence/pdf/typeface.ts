import fontkit from '@pdf-lib/fontkit';
import { type Color, type PDFDocument, type PDFFont, PDFHexString, PDFName, type PDFPage, type RGB } from 'pdf-lib';
import { loadedFont, loadFont } from './fonts';
import { readable } from './winansi';

/*
 * Text in the PDF's embedded fonts. pdf-lib measures and encodes a custom
 * font through fontkit's full shaping (GSUB/GPOS) on every call: 0.2–0.4 ms
 * per string, seconds for a pack. Names and records need no shaping (Latin,
 * Greek, Cyrillic, CJK: one glyph per code point after NFC), so a Face maps
 * code points to glyphs through the font's cmap, caching each advance width
 * and subset glyph id, and replaces the embedder's encodeText with that.
 *
 * Drawing bypasses page.drawText too: it validates every option, writes
 * each number as an operand object, and adds a new font resource to the page
 * on every call (so a page of a table held hundreds). `ops` returns the
 * content operators as a string (content.ts writes them), with one font
 * resource per face and page.
 */

/** A number for a content stream: at most 2 decimals (1/7200 inch), no exponent. */
export const num = (n: number) => String(Math.round(n * 100) / 100);

export const fill = (c: Color) => `${num((c as RGB).red)} ${num((c as RGB).green)} ${num((c as RGB).blue)} rg`;
export const stroke = (c: Color) => `${num((c as RGB).red)} ${num((c as RGB).green)} ${num((c as RGB).blue)} RG`;

interface FkGlyph {
  id: number;
  advanceWidth: number;
}
interface FkFont {
  unitsPerEm: number;
  hasGlyphForCodePoint(cp: number): boolean;
  glyphForCodePoint(cp: number): FkGlyph;
}
type Bytes = Uint8Array & { constructor: { alloc(n: number): Uint8Array } };
/** fontkit's TrueType subset: the glyph records it has copied so far, and the offset of the next. */
interface TtfSubset {
  includeGlyph(glyph: FkGlyph): number;
  _addGlyph?(gid: number): number;
  glyf?: Bytes[];
  offset?: number;
}
/** The fields of pdf-lib's CustomFontSubsetEmbedder that the fast path fills in as its own encodeText would. */
interface SubsetEmbedder {
  font: FkFont;
  subset: TtfSubset;
  glyphs: FkGlyph[];
  glyphIdMap: Map<number, number>;
  glyphCache: { invalidate(): void };
  encodeText(text: string): PDFHexString;
  widthOfTextAtSize(text: string, size: number): number;
}

const MISSING = -1;

/**
 * @pdf-lib/fontkit 1.1.1 writes a subset's `loca` in the short format (offsets
 * halved) without padding the glyph records to an even length, so after the
 * first odd-length record every glyph points a byte off and renders blank
 * (fixed in upstream fontkit 1.8, foliojs/fontkit#191; not in pdf-lib's fork).
 * Each record copied into the subset is padded to an even length here.
 */
function padGlyphRecords(subset: TtfSubset): void {
  const add = subset._addGlyph?.bind(subset);
  if (!add) return; // a CFF subset: no loca
  subset._addGlyph = (gid) => {
    const index = add(gid);
    const glyf = subset.glyf!;
    const last = glyf[glyf.length - 1];
    if (last && last.length % 2 === 1) {
      const padded = last.constructor.alloc(last.length + 1);
      padded.set(last);
      glyf[glyf.length - 1] = padded as Bytes;
      subset.offset! += 1;
    }
    return index;
  };
}

let faceCount = 0;

export class Face {
  readonly font: PDFFont;
  /** This face's name in the pages' font resources. */
  readonly key = PDFName.of(`MF${faceCount++}`);
  private readonly pages = new WeakSet<PDFPage>();
  private readonly fk: FkFont;
  private readonly emb: SubsetEmbedder;
  private readonly scale: number;
  /** Code point → advance in 1/1000 em, or MISSING. */
  private readonly advances = new Map<number, number>();
  /** Code point → 4-digit hex subset glyph id. */
  private readonly hex = new Map<number, string>();

  constructor(font: PDFFont) {
    this.font = font;
    this.emb = (font as unknown as { embedder: SubsetEmbedder }).embedder;
    this.fk = this.emb.font;
    this.scale = 1000 / this.fk.unitsPerEm;
    this.emb.encodeText = (text) => this.encode(text);
    this.emb.widthOfTextAtSize = (text, size) => this.width(text, size);
    padGlyphRecords(this.emb.subset);
  }

  /** Advance of a code point in 1/1000 em, or -1 when the font lacks it. */
  advance(cp: number): number {
    let a = this.advances.get(cp);
    if (a === undefined) {
      a = this.fk.hasGlyphForCodePoint(cp) ? this.fk.glyphForCodePoint(cp).advanceWidth * this.scale : MISSING;
      this.advances.set(cp, a);
    }
    return a;
  }

  has(cp: number): boolean {
    return this.advance(cp) !== MISSING;
  }

  width(text: string, size: number): number {
    let w = 0;
    for (let i = 0; i < text.length; i++) {
      const cp = text.codePointAt(i)!;
      if (cp > 0xffff) i++;
      const a = this.advance(cp);
      if (a > 0) w += a;
    }
    return (w * size) / 1000;
  }

  /** The face's resource name on `page`, added to the page's fonts the first time. */
  keyOn(page: PDFPage): string {
    if (!this.pages.has(page)) {
      page.node.setFontDictionary(this.key, this.font.ref);
      this.pages.add(page);
    }
    return this.key.toString();
  }

  private encode(text: string): PDFHexString {
    return PDFHexString.of(this.hexOf(text));
  }

  /** The glyph ids of `text` in the subset, as hex digits. */
  hexOf(text: string): string {
    let out = '';
    for (let i = 0; i < text.length; i++) {
      const cp = text.codePointAt(i)!;
      if (cp > 0xffff) i++;
      let h = this.hex.get(cp);
      if (h === undefined) {
        const glyph = this.fk.glyphForCodePoint(cp);
        const id = this.emb.subset.includeGlyph(glyph);
        this.emb.glyphs[id - 1] = glyph;
        this.emb.glyphIdMap.set(glyph.id, id);
        this.emb.glyphCache.invalidate();
        h = id.toString(16).padStart(4, '0');
        this.hex.set(cp, h);
      }
      out += h;
    }
    return out;
  }
}

export interface Run {
  face: Face;
  text: string;
}

const SPACE = /[\t\n\r\p{Zs}\u2028\u2029]/u;
const INVISIBLE = /[\p{Cc}\p{Cf}]/u;

/**
 * A style of text (regular or bold) set in a list of faces: the first that
 * has a character draws it. A character none has is written as the nearest
 * readable text (`readable`, e.g. a [U+…] code).
 */
export class Typeface {
  readonly faces: readonly Face[];
  /** Did some text need a character no face has? */
  missing = false;
  private readonly cleanCache = new Map<string, string>();

  constructor(faces: readonly Face[]) {
    this.faces = faces;
  }

  get primary(): Face {
    return this.faces[0]!;
  }

  private faceOf(cp: number): Face | undefined {
    for (const f of this.faces) if (f.has(cp)) return f;
    return undefined;
  }

  /** NFC text every character of which some face draws; spaces of any kind become ' ' (a no-break space stays). */
  clean(text: string): string {
    let out = this.cleanCache.get(text);
    if (out !== undefined) return out;
    out = '';
    for (const ch of text.normalize('NFC')) {
      const cp = ch.codePointAt(0)!;
      if (cp === 0xa0) out += ch;
      else if (SPACE.test(ch)) out += ' ';
      else if (this.faceOf(cp)) out += ch;
      else if (INVISIBLE.test(ch) || /\p{M}/u.test(ch)) continue;
      else {
        const r = readable(ch, (p) => this.faceOf(p) !== undefined);
        if (/\[U\+/.test(r)) this.missing = true;
        out += r;
      }
    }
    if (this.cleanCache.size < 50_000) this.cleanCache.set(text, out);
    return out;
  }

  /** Clean text split where the face changes. */
  runs(text: string): Run[] {
    const runs: Run[] = [];
    let face: Face | undefined;
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const cp = text.codePointAt(i)!;
      const f = this.faceOf(cp) ?? this.primary;
      if (f !== face) {
        if (face && i > start) runs.push({ face, text: text.slice(start, i) });
        face = f;
        start = i;
      }
      if (cp > 0xffff) i++;
    }
    if (face && text.length > start) runs.push({ face, text: text.slice(start) });
    return runs;
  }

  /** Width of clean text. */
  width(text: string, size: number): number {
    let w = 0;
    for (let i = 0; i < text.length; i++) {
      const cp = text.codePointAt(i)!;
      if (cp > 0xffff) i++;
      const a = (this.faceOf(cp) ?? this.primary).advance(cp);
      if (a > 0) w += a;
    }
    return (w * size) / 1000;
  }

  /** The operators that draw clean text on `page` with its left end at x, baseline y. */
  ops(page: PDFPage, text: string, x: number, y: number, size: number, color: Color): string {
    if (!text) return '';
    let ops = `BT ${fill(color)} 1 0 0 1 ${num(x)} ${num(y)} Tm`;
    for (const r of this.runs(text)) ops += ` ${r.face.keyOn(page)} ${num(size)} Tf <${r.face.hexOf(r.text)}> Tj`;
    return `${ops} ET`;
  }
}

export interface Typefaces {
  regular: Typeface;
  bold: Typeface;
}

/**
 * Embeds Noto Sans (regular, bold) in `doc`, and Noto Sans SC when it has been
 * loaded (`prepareFontsFor`): the CJK face serves both styles (it has one weight here).
 */
export async function embedTypefaces(doc: PDFDocument): Promise<Typefaces> {
  doc.registerFontkit(fontkit);
  const [regularBytes, boldBytes] = await Promise.all([loadFont('regular'), loadFont('bold')]);
  // A subset's name starts with a six-letter tag and "+" (ISO 32000-1 §9.6.4); fixed tags keep the output reproducible.
  const embed = async (bytes: Uint8Array, customName: string) => new Face(await doc.embedFont(bytes, { subset: true, customName }));
  const regular = await embed(regularBytes, 'MUSREG+NotoSans-Regular');
  const bold = await embed(boldBytes, 'MUSBLD+NotoSans-Bold');
  const cjkBytes = loadedFont('cjk');
  const cjk = cjkBytes ? await embed(cjkBytes, 'MUSCJK+NotoSansSC-Regular') : undefined;
  return {
    regular: new Typeface(cjk ? [regular, cjk] : [regular]),
    bold: new Typeface(cjk ? [bold, cjk] : [bold]),
  };
}
