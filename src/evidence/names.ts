/*
 * File names keep the organisation's name readable: letters and digits of
 * any script stay ("Ærø ApS" → "ærø-aps", "李氏" → "李氏"), accents stay
 * composed (NFC), everything else (spaces, punctuation, characters Windows,
 * macOS or Android refuse in a file name) becomes one "-".
 */
const NOT_NAME = /[^\p{L}\p{N}]+/gu;

/** Text reduced to safe file-name characters: "Acmé Ltd" → "acmé-ltd", "Ærø" → "ærø". */
export function slug(text: string, fallback = 'workspace'): string {
  const s = text
    .normalize('NFC')
    .toLocaleLowerCase('en-GB')
    .replace(NOT_NAME, '-')
    .replace(/^-+|-+$/g, '');
  // At most 40 characters (code points, so a name is never cut inside a character).
  return [...s].slice(0, 40).join('').replace(/-+$/, '') || fallback;
}

/** `muster-evidence-<org>-<from>-<to>.zip` */
export function packFileName(org: string, from: string, to: string, ext = 'zip'): string {
  return `muster-evidence-${slug(org)}-${from}-${to}.${ext}`;
}
