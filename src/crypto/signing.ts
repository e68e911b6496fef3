import { sha256HexSync } from '../domain/sha256';
import { fromBase64Url, toBase64Url } from './base64url';

/*
 * Device signing keys (issue 17): WebCrypto Ed25519 where the browser has it,
 * ECDSA P-256 with SHA-256 (ES256) otherwise. The private key is made
 * non-extractable; the public key travels as base64url of its raw form
 * (32 bytes for Ed25519, the 65-byte uncompressed point for P-256).
 * Signatures are base64url: 64 bytes for Ed25519, r‖s (IEEE P1363, 64 bytes)
 * for ES256, as WebCrypto makes them.
 *
 * What is signed is always `signingInput(context, digest)`: a fixed prefix, the
 * purpose and a hex SHA-256, so a signature made for one purpose (a membership
 * entry, an evidence entry, a relay challenge) never verifies as another.
 */

export type SigningAlg = 'Ed25519' | 'ES256';
export const SIGNING_ALGS: readonly SigningAlg[] = ['Ed25519', 'ES256'];

export interface SigningKeyPair {
  privateKey: CryptoKey;
  /** base64url of the raw public key. */
  publicKey: string;
  alg: SigningAlg;
}

/** The public half of a signing key, as other devices and the relay see it. */
export interface PublicSigningKey {
  publicKey: string;
  alg: SigningAlg;
}

const params = (alg: SigningAlg) =>
  alg === 'Ed25519'
    ? { generate: { name: 'Ed25519' } as AlgorithmIdentifier, import: { name: 'Ed25519' } as AlgorithmIdentifier, sign: { name: 'Ed25519' } as AlgorithmIdentifier }
    : {
        generate: { name: 'ECDSA', namedCurve: 'P-256' } as EcKeyGenParams,
        import: { name: 'ECDSA', namedCurve: 'P-256' } as EcKeyImportParams,
        sign: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams,
      };

/** WebCrypto parameters to import a key of `alg` (the recovery key's private half, src/crypto/recovery.ts). */
export const signingImportParams = (alg: SigningAlg) => params(alg).import;

export const isSigningAlg = (v: unknown): v is SigningAlg => v === 'Ed25519' || v === 'ES256';

/**
 * A fresh signing key pair: Ed25519 when this WebCrypto has it, else ES256.
 * `extractable` is for the recovery key only (src/crypto/recovery.ts), whose
 * private half is stored sealed under the recovery code; device keys never are.
 *
 * @example
 * const pair = await generateSigningKeyPair();
 * const sig = await signDigest(pair, 'membership', digestHex);
 * await verifyDigest(pair, 'membership', digestHex, sig); // true
 */
export async function generateSigningKeyPair(prefer?: SigningAlg, extractable = false): Promise<SigningKeyPair> {
  const order: SigningAlg[] = prefer ? [prefer, ...SIGNING_ALGS.filter((a) => a !== prefer)] : [...SIGNING_ALGS];
  let last: unknown;
  for (const alg of order) {
    try {
      const pair = (await crypto.subtle.generateKey(params(alg).generate, extractable, ['sign', 'verify'])) as CryptoKeyPair;
      const publicKey = toBase64Url(new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey)));
      return { privateKey: pair.privateKey, publicKey, alg };
    } catch (err) {
      last = err; // this WebCrypto lacks the algorithm: try the next one
    }
  }
  throw new Error(`This browser cannot make a signing key (${String(last)}).`);
}

/** A key's id: hex SHA-256 of its algorithm and raw public key, first 32 hex digits (128 bits). */
export function signingKeyId(key: PublicSigningKey): string {
  return sha256HexSync(`${key.alg}:${key.publicKey}`).slice(0, 32);
}

/** The id grouped for people to compare by eye: `3f2a 9c01 …` (8 groups of 4). */
export function fingerprintWords(keyId: string): string {
  return keyId.match(/.{1,4}/g)?.join(' ') ?? keyId;
}

const enc = new TextEncoder();

/** The bytes a signature covers: prefix, purpose, digest. */
export function signingInput(context: string, digestHex: string): Uint8Array<ArrayBuffer> {
  return enc.encode(`muster-sig v1\n${context}\n${digestHex}`);
}

export async function signDigest(key: { privateKey: CryptoKey; alg: SigningAlg }, context: string, digestHex: string): Promise<string> {
  const sig = await crypto.subtle.sign(params(key.alg).sign, key.privateKey, signingInput(context, digestHex));
  return toBase64Url(new Uint8Array(sig));
}

const imported = new Map<string, Promise<CryptoKey>>();

function importPublic(key: PublicSigningKey): Promise<CryptoKey> {
  const cacheKey = `${key.alg}:${key.publicKey}`;
  let hit = imported.get(cacheKey);
  if (!hit) {
    hit = crypto.subtle.importKey('raw', fromBase64Url(key.publicKey), params(key.alg).import, true, ['verify']);
    // A bad key must not stay cached as a rejected promise forever for a different caller's benefit: drop it.
    hit.catch(() => imported.delete(cacheKey));
    if (imported.size > 4096) imported.clear();
    imported.set(cacheKey, hit);
  }
  return hit;
}

/** True when `sig` is `key`'s signature of (context, digest). Never throws: a malformed key or signature is false. */
export async function verifyDigest(key: PublicSigningKey, context: string, digestHex: string, sig: string): Promise<boolean> {
  if (!isSigningAlg(key.alg) || typeof key.publicKey !== 'string' || typeof sig !== 'string') return false;
  try {
    const pub = await importPublic(key);
    return await crypto.subtle.verify(params(key.alg).sign, pub, fromBase64Url(sig), signingInput(context, digestHex));
  } catch {
    return false;
  }
}
