import { fromBase64Url, toBase64Url } from './base64url';

/*
 * AES-256-GCM with a random 96-bit IV per message. Sealed form:
 * base64url(iv ‖ ciphertext+tag). `aad` (additional authenticated data) binds a
 * ciphertext to where it is stored — e.g. an entry id — so a blob copied
 * elsewhere does not open.
 */

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

/** A fresh extractable AES-GCM key (extractable so it can be wrapped for other devices). */
export function newAesKey(): Promise<CryptoKey> {
  return crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
}

export function aesKeyFromRaw(raw: Uint8Array, extractable = true): Promise<CryptoKey> {
  if (raw.length !== 32) throw new Error('An AES key is 32 bytes.');
  return crypto.subtle.importKey('raw', new Uint8Array(raw), 'AES-GCM', extractable, ['encrypt', 'decrypt']);
}

export async function rawOfAesKey(key: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.exportKey('raw', key));
}

export async function sealBytes(key: CryptoKey, plain: Uint8Array, aad: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: enc.encode(aad) }, key, new Uint8Array(plain)));
  const out = new Uint8Array(12 + ct.length);
  out.set(iv);
  out.set(ct, 12);
  return toBase64Url(out);
}

/** Rejects when the key, the aad or a single byte of the sealed text is wrong. */
export async function openBytes(key: CryptoKey, sealed: string, aad: string): Promise<Uint8Array> {
  const bytes = fromBase64Url(sealed);
  if (bytes.length < 12 + 16) throw new Error('Sealed text too short.');
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes.subarray(0, 12), additionalData: enc.encode(aad) }, key, bytes.subarray(12));
  return new Uint8Array(plain);
}

export const sealText = (key: CryptoKey, text: string, aad: string) => sealBytes(key, enc.encode(text), aad);
export const openText = async (key: CryptoKey, sealed: string, aad: string) => dec.decode(await openBytes(key, sealed, aad));
