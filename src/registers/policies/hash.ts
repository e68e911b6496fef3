/**
 * Lower-case hex SHA-256 of the UTF-8 bytes of `text`, with WebCrypto
 * (browser, and Node 20's global `crypto`). It pins the exact text of a
 * published version, and what a person saw when they acknowledged it.
 */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  let hex = '';
  for (const b of new Uint8Array(digest)) hex += b.toString(16).padStart(2, '0');
  return hex;
}
