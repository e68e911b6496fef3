/*
 * Readable stand-ins for characters a font lacks. The PDFs are set in Noto
 * Sans (typeface.ts), which draws Latin, Greek and Cyrillic exactly, and CJK
 * when Noto Sans SC could be loaded; `readable` covers the rest: "Ł" → "L"
 * where a font lacks it, Greek and Cyrillic transliterated, and what has no
 * Latin reading written as its code, "[U+674E]". `toWinAnsi` applies it for
 * the 218 characters of WinAnsi (Windows-1252, the standard PDF fonts'
 * encoding), for text that must stay in it. The CSV and JSON files of the
 * pack keep every text exactly.
 */

const EXTRA = '\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030\u2039\u203a\u20ac\u2122';
const EXTRA_SET = new Set([...EXTRA].map((c) => c.codePointAt(0)!));

/** Can Helvetica (WinAnsi) draw this code point? */
export function isWinAnsi(cp: number): boolean {
  return (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff) || EXTRA_SET.has(cp);
}

/** Letters that do not decompose (NFKD) into a base letter and a mark, and common symbols. */
const REPLACE: Record<string, string> = {
  Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', Ħ: 'H', ħ: 'h', ı: 'i', Ŀ: 'L', ŀ: 'l', Ŋ: 'N', ŋ: 'n', Ŧ: 'T', ŧ: 't', ſ: 's', ĸ: 'k',
  Ɖ: 'D', ɖ: 'd', Ɛ: 'E', ɛ: 'e', Ə: 'E', ə: 'e', Ɣ: 'G', ɣ: 'g', Ʒ: 'Z', ʒ: 'z', ȷ: 'j', Ĳ: 'IJ', ĳ: 'ij',
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2015': '—', '\u2212': '-', '\u2043': '-',
  '\u2032': "'", '\u2033': '"', '\u201b': "'", '\u201f': '"', '\u2044': '/', '\u2215': '/',
  '\u2190': '<-', '\u2192': '->', '\u2194': '<->', '\u21d2': '=>', '\u2264': '<=', '\u2265': '>=', '\u2260': '!=', '\u2248': '~',
  '\u2713': 'v', '\u2714': 'v', '\u2717': 'x', '\u2718': 'x', '\u25cf': '•', '\u25e6': '•', '\u2023': '•', '\u2219': '•',
  '\u2116': 'No.', '\u2103': '°C', '\u20b9': 'INR', '\u20bd': 'RUB', '\u20ba': 'TRY', '\u20a9': 'KRW', '\u20aa': 'ILS', '\u20b4': 'UAH', '\u20ab': 'VND', '\u20b1': 'PHP',
};

/** Greek and Cyrillic, letter by letter (a reading, not a standard romanisation). */
const TRANSLIT: Record<string, string> = {
  // Greek
  Α: 'A', Β: 'V', Γ: 'G', Δ: 'D', Ε: 'E', Ζ: 'Z', Η: 'I', Θ: 'Th', Ι: 'I', Κ: 'K', Λ: 'L', Μ: 'M', Ν: 'N', Ξ: 'X', Ο: 'O', Π: 'P', Ρ: 'R', Σ: 'S', Τ: 'T', Υ: 'Y', Φ: 'F', Χ: 'Ch', Ψ: 'Ps', Ω: 'O',
  α: 'a', β: 'v', γ: 'g', δ: 'd', ε: 'e', ζ: 'z', η: 'i', θ: 'th', ι: 'i', κ: 'k', λ: 'l', μ: 'm', ν: 'n', ξ: 'x', ο: 'o', π: 'p', ρ: 'r', σ: 's', ς: 's', τ: 't', υ: 'y', φ: 'f', χ: 'ch', ψ: 'ps', ω: 'o',
  // Cyrillic
  А: 'A', Б: 'B', В: 'V', Г: 'G', Ґ: 'G', Д: 'D', Е: 'E', Ё: 'Yo', Є: 'Ye', Ж: 'Zh', З: 'Z', И: 'I', І: 'I', Ї: 'Yi', Й: 'Y', К: 'K', Л: 'L', М: 'M', Н: 'N', О: 'O', П: 'P', Р: 'R', С: 'S', Т: 'T', У: 'U', Ў: 'U', Ф: 'F', Х: 'Kh', Ц: 'Ts', Ч: 'Ch', Ш: 'Sh', Щ: 'Shch', Ъ: '', Ы: 'Y', Ь: '', Э: 'E', Ю: 'Yu', Я: 'Ya', Ђ: 'Dj', Ј: 'J', Љ: 'Lj', Њ: 'Nj', Ћ: 'C', Џ: 'Dz',
  а: 'a', б: 'b', в: 'v', г: 'g', ґ: 'g', д: 'd', е: 'e', ё: 'yo', є: 'ye', ж: 'zh', з: 'z', и: 'i', і: 'i', ї: 'yi', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ў: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya', ђ: 'dj', ј: 'j', љ: 'lj', њ: 'nj', ћ: 'c', џ: 'dz',
};

const PLAIN = /^[\x20-\x7e]*$/;
const MARK = /\p{M}/u;
const INVISIBLE = /[\p{Cc}\p{Cf}]/u;
const SPACE = /\p{Zs}|\u2028|\u2029/u;

const codeOf = (cp: number) => `[U+${cp.toString(16).toUpperCase().padStart(4, '0')}]`;

/**
 * One character that the font lacks, as the nearest readable text the font
 * has (`has`, by code point): a Latin reading, or its code "[U+674E]".
 */
export function readable(ch: string, has: (cp: number) => boolean = isWinAnsi): string {
  const cp = ch.codePointAt(0)!;
  const direct = REPLACE[ch] ?? TRANSLIT[ch];
  if (direct !== undefined) return direct;
  if (ch === '\t' || ch === '\n' || ch === '\r' || SPACE.test(ch)) return ' ';
  if (MARK.test(ch) || INVISIBLE.test(ch)) return '';
  // Accented and compatibility forms: "ș" → "s" + comma below → "s"; "ﬁ" → "fi"; "Ａ" → "A".
  const decomposed = ch.normalize('NFKD');
  if (decomposed !== ch) {
    let out = '';
    for (const part of decomposed) {
      const p = part.codePointAt(0)!;
      if (MARK.test(part)) continue;
      const r = has(p) ? part : REPLACE[part] ?? TRANSLIT[part];
      // A part with no reading either (a Hangul syllable's jamo): the code of the whole character.
      if (r === undefined) return codeOf(cp);
      out += r;
    }
    if (out) return out;
  }
  return codeOf(cp);
}

/**
 * Text Helvetica can draw: every character WinAnsi has is kept (first composed
 * with NFC, so "e" + combining diaeresis is "ë"), the rest replaced by a
 * readable fallback. Line breaks and tabs become spaces: split lines first.
 *
 * @example toWinAnsi('Łukasz Zoë 李') // 'Lukasz Zoë [U+674E]'
 */
export function toWinAnsi(text: string): string {
  if (PLAIN.test(text)) return text;
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const cp = ch.codePointAt(0)!;
    out += isWinAnsi(cp) ? ch : readable(ch);
  }
  return out;
}
