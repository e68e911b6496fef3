import type { MembershipPayload, RecoveryKey } from '../domain/membership';
import { openBytes, sealBytes } from './aes';
import { fromBase64Url, toBase64Url } from './base64url';
import { generateSigningKeyPair, type SigningAlg, signingImportParams, signingKeyId } from './signing';

/*
 * Recovery keys (issue 17): when every owner device is lost, the recovery
 * code enrols a new owner device with a signed, visible `recover` entry.
 *
 * The recovery key is a signing key pair made extractable once, at set-up:
 * its public half goes in the membership log (`recovery` entry); its private
 * half (PKCS8) is sealed with AES-256-GCM under a key derived from the code,
 * and the sealed blob goes in the log too, so any device holding the log
 * and the code can open it. Nothing else keeps the private half.
 *
 * The code: 28 characters of Crockford base32 (no I, L, O, U), 140 random
 * bits, shown as 7 groups of 4. Typed back with spaces, dashes, any case; O
 * is read as 0 and I, L as 1, as Crockford decodes them.
 *
 * PBKDF2-SHA-256, 100,000 iterations, 16-byte random salt: the code carries
 * 140 random bits, so it cannot be guessed however fast the derivation is;
 * stretching is defence in depth only, kept to a count a slow phone does in
 * well under a second. The additional data binds the sealed key to its
 * workspace and its public key: a blob copied into another workspace's log,
 * or next to another public key, does not open.
 */

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_CHARS = 28;
const ITERATIONS = 100_000;
const WRONG = 'That recovery code does not open this workspace’s recovery key.';

/** A fresh recovery code, grouped for reading aloud and typing: `7K2Q 9XMD …` (7 groups of 4). */
export function newRecoveryCode(): string {
  // 256 is a multiple of 32, so byte & 31 is uniform.
  const chars = [...crypto.getRandomValues(new Uint8Array(CODE_CHARS))].map((b) => ALPHABET[b & 31]!);
  return chars.join('').match(/.{1,4}/g)!.join(' ');
}

/** The code as typed → its canonical characters, or undefined when it cannot be a recovery code. */
export function normaliseRecoveryCode(typed: string): string | undefined {
  const s = typed
    .toUpperCase()
    .replace(/[\s\-‐-―]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  return s.length === CODE_CHARS && [...s].every((c) => ALPHABET.includes(c)) ? s : undefined;
}

const aadOf = (workspace: string, alg: SigningAlg, publicKey: string) => `muster-recovery v1\n${workspace}\n${alg}\n${publicKey}`;

async function codeKey(code: string, salt: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(code), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: ITERATIONS }, base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

/**
 * A recovery code and the `recovery` membership payload that holds its sealed key.
 * Show `code` once (print or save); sign `payload` with an owner device (membershipDraft + signMembershipEntry).
 *
 * @example
 * const { code, payload } = await createRecovery(workspace);
 * await signMembershipEntry(membershipDraft(payload, { workspace, tips, by: ownerKeyId }), ownerKey);
 */
export async function createRecovery(workspace: string, prefer?: SigningAlg): Promise<{ code: string; payload: Extract<MembershipPayload, { type: 'recovery' }> }> {
  const code = newRecoveryCode();
  const pair = await generateSigningKeyPair(prefer, true);
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const sealed = await sealBytes(await codeKey(normaliseRecoveryCode(code)!, salt), pkcs8, aadOf(workspace, pair.alg, pair.publicKey));
  pkcs8.fill(0);
  return { code, payload: { type: 'recovery', recoveryKey: pair.publicKey, alg: pair.alg, sealed, salt: toBase64Url(salt) } };
}

/** The recovery key as the log holds it: a `RecoveryKey` of the state, or the `recovery` payload itself. */
export type RecoveryKeyState = Pick<RecoveryKey, 'publicKey' | 'alg' | 'sealed' | 'salt'> | Extract<MembershipPayload, { type: 'recovery' }>;

/**
 * Opens the recovery key with the code typed by a person. The private key comes back non-extractable,
 * ready for signMembershipEntry of a `recover` draft whose `by` is `keyId`.
 * Throws Error('That recovery code does not open this workspace’s recovery key.') on a wrong code,
 * another workspace's key, or a damaged blob.
 */
export async function openRecovery(code: string, state: RecoveryKeyState, workspace: string): Promise<{ privateKey: CryptoKey; alg: SigningAlg; publicKey: string; keyId: string }> {
  const publicKey = 'publicKey' in state ? state.publicKey : state.recoveryKey;
  const canonical = normaliseRecoveryCode(code);
  if (!canonical) throw new Error(WRONG);
  let pkcs8: Uint8Array;
  try {
    pkcs8 = await openBytes(await codeKey(canonical, fromBase64Url(state.salt)), state.sealed, aadOf(workspace, state.alg, publicKey));
  } catch {
    throw new Error(WRONG);
  }
  const privateKey = await crypto.subtle.importKey('pkcs8', new Uint8Array(pkcs8), signingImportParams(state.alg), false, ['sign']);
  pkcs8.fill(0);
  return { privateKey, alg: state.alg, publicKey, keyId: signingKeyId({ publicKey, alg: state.alg }) };
}
