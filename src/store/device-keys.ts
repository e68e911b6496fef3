import { generateDeviceKeyPair } from '../crypto/device-keys';
import { device, type DeviceStore } from './device';
import type { DeviceKeyRecord } from './device-records';

/**
 * This device's key pair, created on first use and kept in Dexie (read before
 * Dexie loads: src/store/device.ts). Two tabs
 * racing on first use agree: the first stored pair wins and both return it.
 *
 * @example
 * const { privateKey, publicKey } = await deviceKeyPair();
 * const secret = await unwrapWith(privateKey, publicKey, envelope, 'register-key disciplinary');
 */
export async function deviceKeyPair(store: DeviceStore = device): Promise<DeviceKeyRecord> {
  const existing = await store.get('deviceKeys', 'self');
  if (existing) return existing;
  const db = await store.db();
  // Generated outside the transaction: a Dexie transaction must not await foreign promises.
  const fresh = await generateDeviceKeyPair();
  return db.transaction('rw', db.deviceKeys, async () => {
    const stored = await db.deviceKeys.get('self');
    if (stored) return stored;
    const record: DeviceKeyRecord = { key: 'self', ...fresh, createdAt: new Date().toISOString() };
    await db.deviceKeys.add(record);
    return record;
  });
}
