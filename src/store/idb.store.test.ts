import Dexie from 'dexie';
import { describe, expect, test } from 'vitest';
import { type BlobRecord, DeviceDb, deviceIdentity, randomId, type WorkspaceRecord } from './device-db';
import { liveQuery } from './live-query';

/*
 * The device database used to be opened by Dexie. Devices in use hold a
 * Dexie-made `muster-device`; the wrapper (src/store/idb.ts) must open it in
 * place and keep every row, and Dexie must still open what the wrapper wrote.
 */

const ws = (id: string): WorkspaceRecord => ({ id, secret: 's'.repeat(43), orgName: `Org ${id}`, memberName: 'Ann', joinedAt: '2026-01-01T00:00:00.000Z' });
const blob = (hash: string, uploaded: 0 | 1): BlobRecord => ({ hash, workspaceId: 'w1', type: 'image/png', size: 1, bytes: new Uint8Array([1]), createdAt: '2026-01-01T00:00:00.000Z', uploaded });

/** The schema as the app declared it with Dexie, up to `upTo`. */
function dexieDb(name: string, upTo: 1 | 3) {
  const db = new Dexie(name);
  db.version(1).stores({ workspaces: 'id', device: 'key', relayState: 'room' });
  if (upTo === 3) {
    db.version(2).stores({ deviceKeys: 'key', blobs: 'hash, workspaceId, uploaded' });
    db.version(3).stores({ speakupOutbox: 'id' });
  }
  return db;
}

describe('a database Dexie made', () => {
  test('at the current version: every row is read, by key, index and order; Dexie reads what the wrapper writes', async () => {
    const name = `dexie-${randomId()}`;
    const old = dexieDb(name, 3);
    await old.table('workspaces').bulkAdd([ws('b'), ws('a')]);
    await old.table('device').add({ key: 'self', deviceId: 'dev-1', createdAt: '2026-01-01T00:00:00.000Z' });
    await old.table('blobs').bulkAdd([blob('h1', 0), blob('h2', 1)]);
    await old.table('relayState').add({ room: 'r1', stateVector: new Uint8Array([0]) });
    old.close();

    const db = new DeviceDb(name);
    expect((await deviceIdentity(db)).deviceId).toBe('dev-1');
    expect((await db.workspaces.first())?.id).toBe('a');
    expect((await db.workspaces.get('b'))?.orgName).toBe('Org b');
    expect((await db.blobs.where('uploaded').equals(0).toArray()).map((b) => b.hash)).toEqual(['h1']);
    expect((await db.relayState.bulkGet(['r1', 'r2'])).map((r) => r?.room)).toEqual(['r1', undefined]);
    expect(await db.workspaces.update('a', { memberName: 'Bo' })).toBe(1);
    await db.speakupOutbox.add({ id: 'o1', workspaceId: 'a', via: 'workspace', update: new Uint8Array([2]) });
    db.close();

    const again = dexieDb(name, 3);
    expect((await again.table('workspaces').get('a')).memberName).toBe('Bo');
    expect(await again.table('speakupOutbox').count()).toBe(1);
    expect(await again.table('workspaces').count()).toBe(2);
    again.close();
  });

  test('at an older version: the missing stores and indexes are added, and nothing stored is lost', async () => {
    const name = `dexie-v1-${randomId()}`;
    const old = dexieDb(name, 1);
    await old.table('workspaces').add(ws('a'));
    old.close();

    const db = new DeviceDb(name);
    expect((await db.workspaces.toArray()).map((w) => w.id)).toEqual(['a']);
    await db.blobs.bulkPut([blob('h1', 0), blob('h2', 0)]);
    expect((await db.blobs.where('workspaceId').equals('w1').toArray()).length).toBe(2);
    expect(await db.speakupOutbox.count()).toBe(0);
    db.close();
  });
});

describe('the table API the app uses', () => {
  test('update changes an existing row only; add refuses a key that is taken and keeps the row', async () => {
    const db = new DeviceDb(`api-${randomId()}`);
    expect(await db.workspaces.update('missing', { memberName: 'X' })).toBe(0);
    expect(await db.workspaces.count()).toBe(0);
    await db.workspaces.add(ws('a'));
    await expect(db.workspaces.add({ ...ws('a'), orgName: 'Other' })).rejects.toMatchObject({ name: 'ConstraintError' });
    expect((await db.workspaces.get('a'))?.orgName).toBe('Org a');
    await db.workspaces.delete('a');
    expect(await db.workspaces.get('a')).toBeUndefined();
    db.close();
  });

  test('two first uses at once make one device identity', async () => {
    const db = new DeviceDb(`identity-${randomId()}`);
    const [a, b] = await Promise.all([deviceIdentity(db), deviceIdentity(db)]);
    expect(a.deviceId).toBe(b.deviceId);
    expect(await db.device.count()).toBe(1);
    db.close();
  });

  test('a live query answers again after a write to the table it read, not after writes elsewhere', async () => {
    const db = new DeviceDb(`live-${randomId()}`);
    const seen: string[][] = [];
    const sub = liveQuery(() => db.blobs.bulkGet(['h1', 'h2'])).subscribe({ next: (rows) => seen.push(rows.filter((r) => !!r).map((r) => r!.hash)) });
    await expect.poll(() => seen.length).toBe(1);
    await db.blobs.put(blob('h2', 0));
    await expect.poll(() => seen.at(-1)).toEqual(['h2']);
    const answers = seen.length;
    await db.relayState.put({ room: 'r', stateVector: new Uint8Array([0]) });
    await db.blobs.put(blob('h1', 1));
    await expect.poll(() => seen.at(-1)).toEqual(['h1', 'h2']);
    expect(seen.length).toBe(answers + 1);
    sub.unsubscribe();
    await db.blobs.delete('h1');
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.at(-1)).toEqual(['h1', 'h2']);
    db.close();
  });
});
