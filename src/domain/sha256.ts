import { digest } from 'lib0/hash/sha256';

/*
 * Hex SHA-256: the one implementation for the app, the pack worker, the
 * verifier script and Node. Both variants are needed:
 * - sha256HexSync (lib0, pure JS): the evidence log, backups, the pack and its
 *   verifier hash inside synchronous code.
 * - sha256HexAsync (WebCrypto): attachments (photos of several MB, where the
 *   native digest is much faster), policy texts and credential verifiers.
 * Both give the same lower-case hex for the same bytes; text is hashed as UTF-8.
 */

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** Lower-case hex of some bytes. */
export const hex = (bytes: Uint8Array): string => {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!];
  return out;
};

const bytesOf = (data: string | Uint8Array): Uint8Array => (typeof data === 'string' ? new TextEncoder().encode(data) : data);

/** Hex SHA-256 of text (as UTF-8) or bytes, computed synchronously. */
export const sha256HexSync = (data: string | Uint8Array): string => hex(digest(bytesOf(data)));

/** Hex SHA-256 of text (as UTF-8) or bytes, with WebCrypto (browser, and Node 20's global `crypto`). */
export async function sha256HexAsync(data: string | Uint8Array): Promise<string> {
  return hex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytesOf(data) as Uint8Array<ArrayBuffer>)));
}

/** True for what sha256Hex* returns: 64 lower-case hex digits. */
export const isSha256Hex = (s: string): boolean => /^[0-9a-f]{64}$/.test(s);
