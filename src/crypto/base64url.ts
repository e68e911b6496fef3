/**
 * Random base64url string of `bytes` random bytes. It never starts with "-" or
 * "_": an id that starts with "-" would be neutralised as a formula in a CSV
 * export and no longer match itself.
 */
export function randomId(bytes = 16): string {
  for (;;) {
    const id = toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));
    if (/^[A-Za-z0-9]/.test(id)) return id;
  }
}

export function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(s: string): Uint8Array<ArrayBuffer> {
  const b = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(b, (c) => c.charCodeAt(0));
}
