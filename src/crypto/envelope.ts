import { fromBase64Url, toBase64Url } from './base64url';
import { aesKeyFromRaw, openBytes, sealBytes } from './aes';

/*
 * An envelope carries a small secret (a register key, a rotated workspace
 * secret) to ONE device, readable only with that device's private key: ECIES
 * over P-256 — a fresh ephemeral key pair per envelope, ECDH with the
 * recipient's public key, HKDF-SHA-256 to an AES-GCM key, `context` as HKDF
 * info and as AES-GCM additional data, so an envelope made for one purpose
 * cannot be replayed as another.
 */

export interface Envelope {
  v: 1;
  /** base64url raw ephemeral public key. */
  epk: string;
  /** base64url(iv ‖ ciphertext). */
  ct: string;
}

const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;
const enc = new TextEncoder();

export function importPublicKey(publicKey: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', fromBase64Url(publicKey), ECDH, true, []);
}

async function envelopeKey(shared: ArrayBuffer, epk: string, recipient: string, context: string): Promise<CryptoKey> {
  const ikm = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveBits']);
  const salt = new Uint8Array([...fromBase64Url(epk), ...fromBase64Url(recipient)]);
  const bits = await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt, info: enc.encode(`muster envelope v1 ${context}`) }, ikm, 256);
  return aesKeyFromRaw(new Uint8Array(bits), false);
}

/**
 * Seals `secret` so that only the holder of `recipientPublicKey`'s private key can open it.
 * `context` names the purpose; the envelope opens only with the same context.
 *
 * @example
 * const env = await wrapTo(member.publicKey, rawKey, `register-key disciplinary ${keyId}`);
 * // on that device:
 * const { privateKey, publicKey } = await deviceKeyPair();
 * const raw = await unwrapWith(privateKey, publicKey, env, `register-key disciplinary ${keyId}`);
 */
export async function wrapTo(recipientPublicKey: string, secret: Uint8Array, context: string): Promise<Envelope> {
  const recipient = await importPublicKey(recipientPublicKey);
  const eph = await crypto.subtle.generateKey(ECDH, true, ['deriveBits']);
  const epk = toBase64Url(new Uint8Array(await crypto.subtle.exportKey('raw', eph.publicKey)));
  const shared = await crypto.subtle.deriveBits({ name: 'ECDH', public: recipient }, eph.privateKey, 256);
  const key = await envelopeKey(shared, epk, recipientPublicKey, context);
  return { v: 1, epk, ct: await sealBytes(key, secret, context) };
}

/** Opens an envelope with this device's private key; rejects if it was not made for it or for this context. */
export async function unwrapWith(privateKey: CryptoKey, ownPublicKey: string, env: Envelope, context: string): Promise<Uint8Array> {
  if (env?.v !== 1 || typeof env.epk !== 'string' || typeof env.ct !== 'string') throw new Error('Not an envelope.');
  const shared = await crypto.subtle.deriveBits({ name: 'ECDH', public: await importPublicKey(env.epk) }, privateKey, 256);
  const key = await envelopeKey(shared, env.epk, ownPublicKey, context);
  return openBytes(key, env.ct, context);
}
