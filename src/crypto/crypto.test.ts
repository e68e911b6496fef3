import { describe, expect, it } from 'vitest';
import { newAesKey, openText, rawOfAesKey, sealText } from './aes';
import { generateDeviceKeyPair } from './device-keys';
import { unwrapWith, wrapTo } from './envelope';

describe('AES-GCM sealing', () => {
  it('round-trips and binds the additional data', async () => {
    const key = await newAesKey();
    const sealed = await sealText(key, 'Zoë was warned', 'entry-1');
    // Whole words: a two-letter needle turns up in random base64 about once in a hundred runs.
    expect(sealed).not.toMatch(/Zoë|warned/);
    expect(await openText(key, sealed, 'entry-1')).toBe('Zoë was warned');
    await expect(openText(key, sealed, 'entry-2')).rejects.toThrow();
    await expect(openText(await newAesKey(), sealed, 'entry-1')).rejects.toThrow();
  });

  it('refuses a sealed text with one byte changed', async () => {
    const key = await newAesKey();
    const sealed = await sealText(key, 'hello', 'a');
    const flipped = sealed.slice(0, 20) + (sealed[20] === 'A' ? 'B' : 'A') + sealed.slice(21);
    await expect(openText(key, flipped, 'a')).rejects.toThrow();
  });
});

describe('envelopes to a device key', () => {
  it('only the recipient device opens it, only for its context', async () => {
    const alice = await generateDeviceKeyPair();
    const bob = await generateDeviceKeyPair();
    const secret = await rawOfAesKey(await newAesKey());
    const env = await wrapTo(alice.publicKey, secret, 'register-key disciplinary k1');
    expect(await unwrapWith(alice.privateKey, alice.publicKey, env, 'register-key disciplinary k1')).toEqual(secret);
    await expect(unwrapWith(bob.privateKey, bob.publicKey, env, 'register-key disciplinary k1')).rejects.toThrow();
    await expect(unwrapWith(alice.privateKey, alice.publicKey, env, 'workspace-secret 2')).rejects.toThrow();
  });
});
