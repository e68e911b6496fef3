/**
 * Counts in sentences: "1 gap", "3 gaps", "1 of 1 checklist". The one place
 * the app chooses between a word's singular and plural (Intl.PluralRules, en-GB),
 * so that no screen says "1 gaps" or "gap(s)".
 *
 * @example
 * plural(1, 'gap');                      // "1 gap"
 * plural(3, 'entry', 'entries');         // "3 entries"
 * plural(1200, 'person', 'people');      // "1,200 people"
 * pluralWord(2, 'was', 'were');          // "were"
 * countOf(2, 5, 'policy', 'policies');   // "2 of 5 policies"
 */
const RULES = new Intl.PluralRules('en-GB');

/** The word alone: `one` for 1, `many` (default `one` + "s") otherwise. */
export const pluralWord = (n: number, one: string, many = `${one}s`): string => (RULES.select(n) === 'one' ? one : many);

/** The number (grouped as en-GB) and the word that agrees with it. */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-GB')} ${pluralWord(n, one, many)}`;

/** "3 of 10 completions": the word agrees with the total. */
export const countOf = (shown: number, total: number, one: string, many = `${one}s`): string => `${shown.toLocaleString('en-GB')} of ${plural(total, one, many)}`;
