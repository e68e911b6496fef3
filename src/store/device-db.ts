import Dexie, { type EntityTable } from 'dexie';
import type { BlobRecord, DeviceKeyRecord, DeviceRecord, RelayStateRecord, SpeakupOutboxRecord, WorkspaceRecord } from './device-records';
import { randomId } from './device-records';

export * from './device-records';

/** Device-local data that is not a CRDT and never syncs. */
export class DeviceDb extends Dexie {
  workspaces!: EntityTable<WorkspaceRecord, 'id'>;
  device!: EntityTable<DeviceRecord, 'key'>;
  relayState!: EntityTable<RelayStateRecord, 'room'>;
  deviceKeys!: EntityTable<DeviceKeyRecord, 'key'>;
  blobs!: EntityTable<BlobRecord, 'hash'>;
  speakupOutbox!: EntityTable<SpeakupOutboxRecord, 'id'>;

  constructor(name = 'muster-device') {
    super(name);
    this.version(1).stores({ workspaces: 'id', device: 'key', relayState: 'room' });
    this.version(2).stores({ deviceKeys: 'key', blobs: 'hash, workspaceId, uploaded' });
    this.version(3).stores({ speakupOutbox: 'id' });
  }
}

export const deviceDb = new DeviceDb();

/** This device's stable identity, created on first use. */
export async function deviceIdentity(db: DeviceDb = deviceDb): Promise<DeviceRecord> {
  return db.transaction('rw', db.device, async () => {
    const existing = await db.device.get('self');
    if (existing) return existing;
    const created: DeviceRecord = { key: 'self', deviceId: randomId(), createdAt: new Date().toISOString() };
    await db.device.add(created);
    return created;
  });
}
