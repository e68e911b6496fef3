import { describe, expect, it } from 'vitest';
import { membershipDraft } from '../domain/membership';
import { signMembershipEntry, verifyMembership } from './membership';
import { createRecovery, newRecoveryCode, normaliseRecoveryCode, openRecovery } from './recovery';
import { generateSigningKeyPair, signingKeyId, verifyDigest, signDigest } from './signing';

const WS = 'ws-recovery';
const WRONG = 'That recovery code does not open this workspace’s recovery key.';

async function device(deviceId: string) {
  const pair = await generateSigningKeyPair();
  return { pair, keyId: signingKeyId(pair), keys: { deviceId, signKey: pair.publicKey, alg: pair.alg } };
}

describe('recovery code', () => {
  it('has at least 128 random bits, in groups of 4, with no ambiguous letters', () => {
    const code = newRecoveryCode();
    expect(code).toMatch(/^([0-9A-HJKMNP-TV-Z]{4} ){6}[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(code.replace(/ /g, '').length * 5).toBeGreaterThanOrEqual(128);
    expect(new Set(Array.from({ length: 50 }, newRecoveryCode)).size).toBe(50);
  });
  it('is read back with spaces, dashes, any case, O for 0 and I/L for 1', () => {
    const canonical = '0123456789ABCDEFGHJKMNPQRSTV';
    expect(normaliseRecoveryCode('o123-4567 89ab cdef-ghjk mnpq rstv')).toBe(canonical);
    expect(normaliseRecoveryCode('0l23456789ABCDEFGHJKMNPQRSTV')).toBe(canonical);
    expect(normaliseRecoveryCode('0123')).toBeUndefined();
    expect(normaliseRecoveryCode('U123456789ABCDEFGHJKMNPQRSTV')).toBeUndefined();
  });
});

describe('recovery key', () => {
  it('round trip: the code opens a non-extractable key that signs as the recovery key', async () => {
    const { code, payload } = await createRecovery(WS);
    expect(payload.type).toBe('recovery');
    const typed = code.toLowerCase().replace(/ /g, '-');
    const opened = await openRecovery(typed, payload, WS);
    expect(opened.publicKey).toBe(payload.recoveryKey);
    expect(opened.keyId).toBe(signingKeyId({ publicKey: payload.recoveryKey, alg: payload.alg }));
    expect(opened.privateKey.extractable).toBe(false);
    const sig = await signDigest(opened, 'membership', 'ab'.repeat(32));
    expect(await verifyDigest({ publicKey: payload.recoveryKey, alg: payload.alg }, 'membership', 'ab'.repeat(32), sig)).toBe(true);
  });

  it('works for both algorithms', async () => {
    for (const alg of ['Ed25519', 'ES256'] as const) {
      const { code, payload } = await createRecovery(WS, alg);
      expect(payload.alg).toBe(alg);
      expect((await openRecovery(code, payload, WS)).alg).toBe(alg);
    }
  });

  it('a wrong code, or a malformed one, is refused in words', async () => {
    const { payload } = await createRecovery(WS);
    await expect(openRecovery(newRecoveryCode(), payload, WS)).rejects.toThrow(WRONG);
    await expect(openRecovery('not a code', payload, WS)).rejects.toThrow(WRONG);
  });

  it('the code of one workspace does not open in another, nor next to another public key', async () => {
    const { code, payload } = await createRecovery(WS);
    await expect(openRecovery(code, payload, 'ws-other')).rejects.toThrow(WRONG);
    const other = await createRecovery(WS);
    await expect(openRecovery(code, { ...payload, recoveryKey: other.payload.recoveryKey }, WS)).rejects.toThrow(WRONG);
  });

  it('enrols one new owner device through the fold; a spent code is refused', async () => {
    const owner = await device('owner-phone');
    const genesis = await signMembershipEntry(membershipDraft({ type: 'genesis', device: owner.keys, name: 'Ana' }, { workspace: WS, tips: [], by: owner.keyId }), owner.pair);
    let log = await verifyMembership([genesis], { workspace: WS });
    const { code, payload } = await createRecovery(WS);
    const recovery = await signMembershipEntry(membershipDraft(payload, { workspace: WS, tips: log.tips, by: owner.keyId }), owner.pair);
    log = await verifyMembership([genesis, recovery], { workspace: WS });
    const state = [...log.current.recoveryKeys.values()][0]!;
    expect(state).toBeDefined();

    const rk = await openRecovery(code, state, WS);
    const fresh = await device('new-phone');
    const recover = await signMembershipEntry(membershipDraft({ type: 'recover', device: fresh.keys, name: 'Ana' }, { workspace: WS, tips: log.tips, by: rk.keyId }), rk);
    log = await verifyMembership([genesis, recovery, recover], { workspace: WS });
    expect(log.refused).toEqual([]);
    expect(log.current.devices.get('new-phone')).toMatchObject({ role: 'owner', via: 'recovery', grantedBy: rk.keyId });
    expect(log.current.recoveryKeys.get(rk.keyId)?.spent).toBe('new-phone');

    const again = await device('third-phone');
    const second = await signMembershipEntry(membershipDraft({ type: 'recover', device: again.keys, name: 'Mallory' }, { workspace: WS, tips: log.tips, by: rk.keyId }), rk);
    log = await verifyMembership([genesis, recovery, recover, second], { workspace: WS });
    expect(log.current.devices.has('third-phone')).toBe(false);
    expect(log.refused.map((r) => r.reason)).toEqual(['that recovery code was already used']);
  });
});
