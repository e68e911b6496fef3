import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { isWinAnsi, readable, toWinAnsi } from './winansi';

describe('toWinAnsi', () => {
  it('keeps every character Helvetica can draw, accents included', () => {
    expect(toWinAnsi('Zoë Ångström, Søren Ærø, François, José Núñez, Jürgen Weiß')).toBe('Zoë Ångström, Søren Ærø, François, José Núñez, Jürgen Weiß');
    expect(toWinAnsi('“Quotes” – dashes — € 5 … Œuvre Šárka Žižek')).toBe('“Quotes” – dashes — € 5 … Œuvre Šárka Žižek');
  });

  it('composes a letter and a combining mark into the drawable letter', () => {
    expect(toWinAnsi('Zoe\u0308')).toBe('Zoë');
  });

  it('spells Latin letters that WinAnsi lacks with their base letter', () => {
    expect(toWinAnsi('Łukasz Żółkiewski')).toBe('Lukasz Zólkiewski');
    expect(toWinAnsi('Ștefan Țărână')).toBe('Stefan Tarâna');
    expect(toWinAnsi('Đorđe Dvořák İstanbul')).toBe('Dorde Dvorák Istanbul');
    expect(toWinAnsi('ﬁle ２０２６')).toBe('file 2026');
  });

  it('transliterates Greek and Cyrillic names', () => {
    expect(toWinAnsi('Иван Петров')).toBe('Ivan Petrov');
    expect(toWinAnsi('Олександр Шевченко')).toBe('Oleksandr Shevchenko');
    expect(toWinAnsi('Σωκράτης')).toBe('Sokratis');
  });

  it('writes what has no Latin reading as its code point, so nothing is silently lost', () => {
    expect(toWinAnsi('李小龍')).toBe('[U+674E][U+5C0F][U+9F8D]');
    expect(toWinAnsi('Wei 李 😀')).toBe('Wei [U+674E] [U+1F600]');
    expect(toWinAnsi('محمد')).toBe('[U+0645][U+062D][U+0645][U+062F]');
  });

  it('turns tabs and odd spaces into spaces and drops invisible characters', () => {
    expect(toWinAnsi('a\tb\u2003c\u200bd\u00a0e')).toBe('a b cd\u00a0e');
    expect(toWinAnsi('x\u0007y')).toBe('xy');
  });

  it('returns only characters pdf-lib can encode in Helvetica, for any input', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const allowed = new Set(font.getCharacterSet());
    let sample = '';
    for (let cp = 0; cp < 0x30000; cp += 37) if (cp < 0xd800 || cp > 0xdfff) sample += String.fromCodePoint(cp);
    const out = toWinAnsi(sample);
    for (const ch of out) expect(allowed.has(ch.codePointAt(0)!), `U+${ch.codePointAt(0)!.toString(16)}`).toBe(true);
    expect(() => font.encodeText(out)).not.toThrow();
    // And the test's idea of WinAnsi is pdf-lib's.
    for (let cp = 0; cp < 0x2200; cp++) if (cp >= 0x20) expect(isWinAnsi(cp), `U+${cp.toString(16)}`).toBe(allowed.has(cp));
  });
});

describe('readable: a stand-in for a character the font lacks', () => {
  it('writes a character without a Latin reading as one code, not the codes of its parts', () => {
    // Hangul syllables decompose (NFKD) into jamo, which have no reading either: "김" is one code.
    expect(readable('김')).toBe('[U+AE40]');
    expect(readable('ș')).toBe('s');
  });

  it('keeps what the given font has', () => {
    expect(readable('ﬁ', (cp) => cp < 0x80)).toBe('fi');
    // A font without "f": the ligature's parts cannot be drawn either, so its code.
    expect(readable('ﬁ', (cp) => cp < 0x80 && cp !== 0x66)).toBe('[U+FB01]');
    expect(readable('Ж', (cp) => cp < 0x250)).toBe('Zh');
  });
});
