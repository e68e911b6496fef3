import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from './base64url';
import { fingerprintWords, generateSigningKeyPair, signDigest, signingKeyId, verifyDigest } from './signing';

const DIGEST = 'c0ffee'.repeat(10) + 'beef';

describe.each(['Ed25519', 'ES256'] as const)('device signing keys (%s)', (alg) => {
  it('makes a non-extractable key that signs, and whose signature verifies with its public half', async () => {
    const pair = await generateSigningKeyPair(alg);
    expect(pair.alg).toBe(alg);
    expect(pair.privateKey.extractable).toBe(false);
    expect(fromBase64Url(pair.publicKey).length).toBe(alg === 'Ed25519' ? 32 : 65);
    const sig = await signDigest(pair, 'membership', DIGEST);
    expect(fromBase64Url(sig).length).toBe(64);
    expect(await verifyDigest(pair, 'membership', DIGEST, sig)).toBe(true);
  });

  it('a signature for one purpose, one digest or one key verifies for no other', async () => {
    const [a, b] = await Promise.all([generateSigningKeyPair(alg), generateSigningKeyPair(alg)]);
    const sig = await signDigest(a, 'membership', DIGEST);
    expect(await verifyDigest(a, 'evidence', DIGEST, sig)).toBe(false);
    expect(await verifyDigest(a, 'membership', DIGEST.replace(/^c/, 'd'), sig)).toBe(false);
    expect(await verifyDigest(b, 'membership', DIGEST, sig)).toBe(false);
    const flipped = fromBase64Url(sig);
    flipped[10]! ^= 1;
    expect(await verifyDigest(a, 'membership', DIGEST, toBase64Url(flipped))).toBe(false);
  });

  it('a malformed key, signature or algorithm is false, never a throw', async () => {
    const pair = await generateSigningKeyPair(alg);
    const sig = await signDigest(pair, 'membership', DIGEST);
    expect(await verifyDigest({ publicKey: 'AAAA', alg }, 'membership', DIGEST, sig)).toBe(false);
    expect(await verifyDigest(pair, 'membership', DIGEST, '!!not base64!!')).toBe(false);
    expect(await verifyDigest({ publicKey: pair.publicKey, alg: 'RS256' as never }, 'membership', DIGEST, sig)).toBe(false);
    expect(await verifyDigest({ publicKey: pair.publicKey, alg: alg === 'Ed25519' ? 'ES256' : 'Ed25519' }, 'membership', DIGEST, sig)).toBe(false);
  });
});

describe('key ids and fingerprints', () => {
  it('a key id is 128 bits of hex, depends on the algorithm and key, and groups into 8 words of 4', async () => {
    const pair = await generateSigningKeyPair();
    const id = signingKeyId(pair);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(signingKeyId({ publicKey: pair.publicKey, alg: pair.alg === 'Ed25519' ? 'ES256' : 'Ed25519' })).not.toBe(id);
    expect(signingKeyId(await generateSigningKeyPair())).not.toBe(id);
    expect(fingerprintWords(id).split(' ')).toHaveLength(8);
    expect(fingerprintWords(id).replace(/ /g, '')).toBe(id);
  });
});
