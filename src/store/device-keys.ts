import { generateDeviceKeyPair } from '../crypto/device-keys';
import { generateSigningKeyPair, signingKeyId } from '../crypto/signing';
import { device, type DeviceStore } from './device';
import type { DeviceKeyRecord } from './device-records';
import type { DeviceKeys } from '../domain/membership';

/**
 * This device's key pairs, created on first use and kept in Dexie (read before
 * Dexie loads: src/store/device.ts): the ECDH pair envelopes are wrapped to, and
 * the signing pair (issue 17), added to a record made before signing existed.
 * Two tabs racing on first use agree: the first stored pair wins and both return it.
 *
 * @example
 * const { privateKey, publicKey, sign } = await deviceKeyPair();
 * const secret = await unwrapWith(privateKey, publicKey, envelope, 'register-key disciplinary');
 * const sig = await signDigest(sign, 'membership', id);
 */
export async function deviceKeyPair(store: DeviceStore = device): Promise<DeviceKeyRecord> {
  const existing = await store.get('deviceKeys', 'self');
  if (existing?.sign) return existing;
  const db = await store.db();
  // Generated outside the transaction: a Dexie transaction must not await foreign promises.
  const box = existing ? undefined : await generateDeviceKeyPair();
  const signing = await generateSigningKeyPair();
  const sign = { ...signing, keyId: signingKeyId(signing) };
  return db.transaction('rw', db.deviceKeys, async () => {
    const stored = await db.deviceKeys.get('self');
    if (stored?.sign) return stored;
    const record: DeviceKeyRecord = stored ? { ...stored, sign } : { key: 'self', ...box!, createdAt: new Date().toISOString(), sign };
    await db.deviceKeys.put(record);
    return record;
  });
}

/** This device's public keys as the signed member list names a device (a grant, a redeem, a join request). */
export const logDeviceKeys = (deviceId: string, keys: DeviceKeyRecord): DeviceKeys => ({ deviceId, signKey: keys.sign.publicKey, alg: keys.sign.alg, boxKey: keys.publicKey });
