/*
 * Tells a JSON text that was cut off (every byte up to the end is valid JSON,
 * it just stops early) from one that was altered (a byte somewhere is not
 * JSON). JSON.parse gives the same failure for both; a backup restore must say
 * "cut off, download it again" for one and "damaged" for the other.
 */

const WS = new Set([' ', '\t', '\n', '\r']);
const LITERALS = ['true', 'false', 'null'];

/** True when `text` is a strict prefix of some valid JSON value (and not valid JSON itself). */
export function isCutOffJson(text: string): boolean {
  // What may come next: a value, a key (or '}' right after '{'), ':', ',' or a closer.
  type Want = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'comma-or-close' | 'end';
  const stack: Array<'{' | '['> = [];
  let want: Want = 'value';
  let i = 0;
  const n = text.length;
  const afterValue = (): Want => (stack.length ? 'comma-or-close' : 'end');
  while (i < n) {
    const c = text[i]!;
    if (WS.has(c)) {
      i++;
      continue;
    }
    if (want === 'end') return false;
    if (want === 'colon') {
      if (c !== ':') return false;
      want = 'value';
      i++;
      continue;
    }
    if (want === 'comma-or-close') {
      const top = stack.at(-1);
      if (c === ',') want = top === '{' ? 'key' : 'value';
      else if ((c === '}' && top === '{') || (c === ']' && top === '[')) {
        stack.pop();
        want = afterValue();
      } else return false;
      i++;
      continue;
    }
    if ((want === 'key-or-close' && c === '}') || (want === 'value-or-close' && c === ']')) {
      stack.pop();
      want = afterValue();
      i++;
      continue;
    }
    if (want === 'key' || want === 'key-or-close') {
      if (c !== '"') return false;
      const end = scanString(text, i);
      if (end === 'bad') return false;
      if (end === 'open') return true;
      i = end;
      want = 'colon';
      continue;
    }
    // A value.
    if (c === '{' || c === '[') {
      stack.push(c);
      want = c === '{' ? 'key-or-close' : 'value-or-close';
      i++;
      continue;
    }
    if (c === '"') {
      const end = scanString(text, i);
      if (end === 'bad') return false;
      if (end === 'open') return true;
      i = end;
      want = afterValue();
      continue;
    }
    if (c === '-' || (c >= '0' && c <= '9')) {
      const m = /^-?(0|[1-9]\d*)?(\.\d*)?([eE][+-]?\d*)?/.exec(text.slice(i, i + 400))!;
      const num = m[0];
      if (i + num.length >= n) return /^-?(0|[1-9]\d*)?(\.\d*)?([eE][+-]?\d*)?$/.test(num);
      if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(num)) return false;
      i += num.length;
      want = afterValue();
      continue;
    }
    const rest = text.slice(i, i + 5);
    const lit = LITERALS.find((l) => rest.startsWith(l) || (i + rest.length >= n && l.startsWith(rest)));
    if (!lit) return false;
    if (!rest.startsWith(lit)) return true;
    i += lit.length;
    want = afterValue();
  }
  return want !== 'end';
}

/** End index after a string starting at `start` (a quote), 'open' if the text ends inside it, 'bad' if it is not a JSON string. */
function scanString(text: string, start: number): number | 'open' | 'bad' {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) return 'bad';
    if (c === 0x5c) {
      const e = text[i + 1];
      if (e === undefined) return 'open';
      if (e === 'u') {
        const hex = text.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]*$/.test(hex)) return 'bad';
        if (hex.length < 4) return 'open';
        i += 6;
        continue;
      }
      if (!'"\\/bfnrt'.includes(e)) return 'bad';
      i += 2;
      continue;
    }
    i++;
  }
  return 'open';
}
