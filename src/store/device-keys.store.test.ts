import { describe, expect, test } from 'vitest';
import { unwrapWith, wrapTo } from '../crypto/envelope';
import { generateDeviceKeyPair } from '../crypto/device-keys';
import { signDigest, signingKeyId, verifyDigest } from '../crypto/signing';
import { DeviceStore } from './device';
import { DeviceDb, randomId } from './device-db';
import { deviceKeyPair } from './device-keys';

/** A device database of its own; `loads` counts the times Dexie was asked for. */
function freshStore() {
  const name = `keys-${randomId()}`;
  const counter = { loads: 0, db: undefined as DeviceDb | undefined };
  const store = new DeviceStore(name, async () => {
    counter.loads++;
    return (counter.db ??= new DeviceDb(name));
  });
  return { name, store, counter };
}

describe("this device's key pair (src/store/device-keys.ts)", () => {
  test('is made once, kept, and opens what is wrapped to it', async () => {
    const { store } = freshStore();
    const first = await deviceKeyPair(store);
    expect(first.key).toBe('self');
    expect(first.privateKey.extractable).toBe(false);
    const again = await deviceKeyPair(store);
    expect(again.publicKey).toBe(first.publicKey);
    const envelope = await wrapTo(first.publicKey, new TextEncoder().encode('register key'), 'test');
    expect(new TextDecoder().decode(await unwrapWith(again.privateKey, again.publicKey, envelope, 'test'))).toBe('register key');
    (await store.db()).close();
  });

  test('two tabs asking at once on a first visit agree on one pair', async () => {
    const { name, store } = freshStore();
    const other = new DeviceStore(name, async () => new DeviceDb(name));
    const [a, b] = await Promise.all([deviceKeyPair(store), deviceKeyPair(other)]);
    expect(b.publicKey).toBe(a.publicKey);
    expect(await (await store.db()).deviceKeys.count()).toBe(1);
    (await store.db()).close();
    (await other.db()).close();
  });

  test('a returning device reads its pair without loading Dexie', async () => {
    const { name, store } = freshStore();
    const made = await deviceKeyPair(store);
    (await store.db()).close();
    let loads = 0;
    const later = new DeviceStore(name, async () => (loads++, new DeviceDb(name)));
    expect((await deviceKeyPair(later)).publicKey).toBe(made.publicKey);
    expect(loads).toBe(0);
  });

  test('a record made before signing existed gets a signing pair and keeps its encryption pair', async () => {
    const { store } = freshStore();
    const db = await store.db();
    const old = await generateDeviceKeyPair();
    await db.deviceKeys.put({ key: 'self', ...old, createdAt: '2026-01-01T00:00:00.000Z' } as never);
    const upgraded = await deviceKeyPair(store);
    expect(upgraded.publicKey).toBe(old.publicKey);
    expect(upgraded.sign.privateKey.extractable).toBe(false);
    expect(upgraded.sign.keyId).toBe(signingKeyId(upgraded.sign));
    const sig = await signDigest(upgraded.sign, 'test', 'ab'.repeat(32));
    expect(await verifyDigest(upgraded.sign, 'test', 'ab'.repeat(32), sig)).toBe(true);
    expect(await verifyDigest(upgraded.sign, 'other', 'ab'.repeat(32), sig)).toBe(false);
    expect((await deviceKeyPair(store)).sign.publicKey).toBe(upgraded.sign.publicKey);
    db.close();
  });
});
