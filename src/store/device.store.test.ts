import Dexie from 'dexie';
import { describe, expect, test } from 'vitest';
import { DeviceDb, randomId, type WorkspaceRecord } from './device-db';
import { deviceIdentity, DeviceStore } from './device';

/*
 * Home's first path reads the device database Dexie made without loading Dexie
 * (src/store/device.ts): reads of Dexie's stores through lib0/indexeddb, writes
 * through Dexie once it is loaded. `loads` counts the times Dexie was asked for.
 */

const ws = (id: string): WorkspaceRecord => ({ id, secret: 's'.repeat(43), orgName: `Org ${id}`, memberName: 'Ann', joinedAt: '2026-01-01T00:00:00.000Z' });
const sv = (n: number) => new Uint8Array([n]);

function storeOver(name: string) {
  const counter = { loads: 0, db: undefined as DeviceDb | undefined };
  const store = new DeviceStore(name, async () => {
    counter.loads++;
    return (counter.db ??= new DeviceDb(name));
  });
  return { store, counter };
}

/** A returning device: the database as Dexie made it, with a workspace, an identity, keys and a room's relay state. */
async function returningDevice(): Promise<string> {
  const name = `device-${randomId()}`;
  const db = new DeviceDb(name);
  await db.workspaces.bulkAdd([ws('b'), ws('a')]);
  await db.device.add({ key: 'self', deviceId: 'dev-1', createdAt: '2026-01-01T00:00:00.000Z' });
  const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
  const sign = await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
  await db.deviceKeys.add({ key: 'self', privateKey: pair.privateKey, publicKey: 'pub', createdAt: '2026-01-01T00:00:00.000Z', sign: { privateKey: (sign as CryptoKeyPair).privateKey, publicKey: 'spub', alg: 'Ed25519', keyId: 'k' } });
  await db.relayState.put({ room: 'r1', stateVector: sv(1), pending: [[7, 3]] });
  db.close();
  return name;
}

const versionOf = async (name: string) => (await indexedDB.databases()).find((d) => d.name === name)?.version;

describe('a returning device, before Dexie loads', () => {
  test('reads the workspace, the identity, the keys and the relay states without Dexie, and leaves the schema alone', async () => {
    const name = await returningDevice();
    const version = await versionOf(name);
    const { store, counter } = storeOver(name);
    expect((await store.get('workspaces', 'b'))?.orgName).toBe('Org b');
    expect((await deviceIdentity(store)).deviceId).toBe('dev-1');
    expect((await store.get('deviceKeys', 'self'))?.privateKey).toBeInstanceOf(CryptoKey);
    expect((await store.getMany('relayState', ['r1', 'r2'])).map((r) => r && [...r.stateVector])).toEqual([[1], undefined]);
    expect(counter.loads).toBe(0);
    expect(await versionOf(name)).toBe(version);
    (await store.db()).close();
  });

  test('a write waits for Dexie, reads return it meanwhile, and the latest write of a key wins', async () => {
    const name = await returningDevice();
    const { store, counter } = storeOver(name);
    const first = store.put('relayState', 'r1', { room: 'r1', stateVector: sv(2) });
    const second = store.put('relayState', 'r1', { room: 'r1', stateVector: sv(3), pending: [] });
    expect([...(await store.get('relayState', 'r1'))!.stateVector]).toEqual([3]);
    expect(counter.loads).toBe(0);
    // Not in the database yet: another reader (another tab) still sees the old one.
    const other = storeOver(name);
    expect([...(await other.store.get('relayState', 'r1'))!.stateVector]).toEqual([1]);
    const db = await store.db();
    await Promise.all([first, second]);
    const saved = await db.relayState.get('r1');
    expect([[...saved!.stateVector], saved!.pending]).toEqual([[3], []]);
    // Every other row is still there.
    expect((await db.workspaces.toArray()).map((w) => w.id)).toEqual(['a', 'b']);
    expect((await db.device.get('self'))?.deviceId).toBe('dev-1');
    db.close();
    (await other.store.db()).close();
  });

  test('an early read does not block Dexie upgrading an older database, and nothing stored is lost', async () => {
    const name = `device-v1-${randomId()}`;
    const old = new Dexie(name);
    old.version(1).stores({ workspaces: 'id', device: 'key', relayState: 'room' });
    await old.table('workspaces').add(ws('a'));
    old.close();
    const { store, counter } = storeOver(name);
    expect((await store.get('workspaces', 'a'))?.id).toBe('a');
    expect(counter.loads).toBe(0);
    // That version had no key store: Dexie is loaded to add it (the early connection gives way).
    expect(await store.get('deviceKeys', 'self')).toBeUndefined();
    expect(counter.loads).toBe(1);
    const db = await store.db();
    expect(db.verno).toBe(3);
    expect(await db.speakupOutbox.count()).toBe(0);
    expect((await db.workspaces.get('a'))?.orgName).toBe('Org a');
    db.close();
  });
});

describe('a first visit', () => {
  test('loads Dexie at once; the early read leaves no empty database behind, and Dexie makes it whole', async () => {
    const name = `device-new-${randomId()}`;
    let versionAtLoad: number | undefined = -1;
    const store = new DeviceStore(name, async () => {
      versionAtLoad = await versionOf(name);
      return new DeviceDb(name);
    });
    expect(await store.get('device', 'self')).toBeUndefined();
    // When Dexie was asked for, the early read had made no database (an empty version 1 would not be Dexie's).
    expect(versionAtLoad).toBeUndefined();
    const [a, b] = await Promise.all([deviceIdentity(store), deviceIdentity(store)]);
    expect(a.deviceId).toBe(b.deviceId);
    const db = await store.db();
    expect(db.tables.map((t) => t.name).sort()).toEqual(['blobs', 'device', 'deviceKeys', 'relayState', 'speakupOutbox', 'workspaces']);
    db.close();
    // The next visit reads it without Dexie.
    const next = storeOver(name);
    expect((await deviceIdentity(next.store)).deviceId).toBe(a.deviceId);
    expect(next.counter.loads).toBe(0);
  });
});
