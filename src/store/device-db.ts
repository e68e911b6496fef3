import Dexie, { type EntityTable } from 'dexie';

/** A workspace this device belongs to. The secret never leaves the device except in a join link's fragment. */
export interface WorkspaceRecord {
  id: string;
  /** base64url, 256 bits. */
  secret: string;
  orgName: string;
  /** The name this device's user signs with. */
  memberName: string;
  joinedAt: string;
}

export interface DeviceRecord {
  key: 'self';
  deviceId: string;
  createdAt: string;
}

/** What this device last knew the relay to hold for a room, and its changes the relay had not confirmed. */
export interface RelayStateRecord {
  room: string;
  /** Encoded Yjs state vector. */
  stateVector: Uint8Array;
  /** [client id, clock] at the end of each unconfirmed local change. */
  pending?: Array<[number, number]>;
}

/** Device-local data that is not a CRDT and never syncs. */
export class DeviceDb extends Dexie {
  workspaces!: EntityTable<WorkspaceRecord, 'id'>;
  device!: EntityTable<DeviceRecord, 'key'>;
  relayState!: EntityTable<RelayStateRecord, 'room'>;

  constructor(name = 'muster-device') {
    super(name);
    this.version(1).stores({ workspaces: 'id', device: 'key', relayState: 'room' });
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

/**
 * Random base64url string of `bytes` random bytes. It never starts with "-" or
 * "_": an id that starts with "-" would be neutralised as a formula in a CSV
 * export and no longer match itself.
 */
export function randomId(bytes = 16): string {
  for (;;) {
    const id = toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));
    if (/^[A-Za-z0-9]/.test(id)) return id;
  }
}

export function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(s: string): Uint8Array<ArrayBuffer> {
  const b = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(b, (c) => c.charCodeAt(0));
}
