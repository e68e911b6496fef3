import * as idb from 'lib0/indexeddb';
import type { DeviceDb } from './device-db';
import type { DeviceKeyRecord, DeviceRecord, RelayStateRecord, WorkspaceRecord } from './device-records';

/*
 * The device database is Dexie's (src/store/device-db.ts), but Dexie is not on a
 * returning member's first path: until Home is synced, the few records Home and
 * sync need are read with lib0/indexeddb (already there for y-indexeddb), from
 * the stores Dexie made, opened without a version so the schema stays Dexie's.
 * Every write goes through Dexie: the ones that can wait (a room's relay state,
 * a cache) queue until Dexie is loaded (src/ui/session.tsx loads it after Synced)
 * and are read back from the queue meanwhile. Anything else, and a first visit
 * (no database yet), loads Dexie at once.
 */

export interface EarlyTables {
  workspaces: WorkspaceRecord;
  device: DeviceRecord;
  relayState: RelayStateRecord;
  deviceKeys: DeviceKeyRecord;
}
type Table = keyof EarlyTables;
type DexieTable<T> = { get(key: string): Promise<T | undefined>; bulkGet(keys: string[]): Promise<Array<T | undefined>>; put(r: T): Promise<unknown> };

export class DeviceStore {
  #db: DeviceDb | undefined;
  #loading: Promise<DeviceDb> | undefined;
  #early: Promise<IDBDatabase> | undefined;
  #loaded!: (db: DeviceDb) => void;
  /** Resolves once Dexie is loaded: queued writes wait on it, in the order they were made. */
  readonly #ready = new Promise<DeviceDb>((resolve) => (this.#loaded = resolve));
  /** Records written but not yet in Dexie, by table and key. */
  readonly #pending = new Map<string, unknown>();

  constructor(
    readonly name: string,
    private readonly load: () => Promise<DeviceDb>,
  ) {}

  /** A store over an already open Dexie (tests, code that holds one). */
  static of(db: DeviceDb): DeviceStore {
    const store = new DeviceStore(db.name, async () => db);
    void store.db();
    return store;
  }

  /** Dexie itself, loaded now; the queued writes follow. */
  db(): Promise<DeviceDb> {
    return (this.#loading ??= this.load().then((db) => {
      this.#db = db;
      this.#loaded(db);
      // Reads go to Dexie from here on. An early open that failed has nothing to close, and its reads already fell back to Dexie.
      this.#early?.then((early) => early.close(), () => {});
      return db;
    }));
  }

  async get<T extends Table>(table: T, key: string): Promise<EarlyTables[T] | undefined> {
    return (await this.getMany(table, [key]))[0];
  }

  /** Several records of one table in one read. */
  async getMany<T extends Table>(table: T, keys: string[]): Promise<Array<EarlyTables[T] | undefined>> {
    const queued = keys.map((k) => this.#pending.get(`${table}/${k}`) as EarlyTables[T] | undefined);
    if (queued.every(Boolean)) return queued;
    const stored = await (this.#db ? this.#dexie(this.#db, table).bulkGet(keys) : this.#readEarly(table, keys));
    // A write queued while the read ran is newer.
    return keys.map((k, i) => (this.#pending.get(`${table}/${k}`) as EarlyTables[T] | undefined) ?? stored[i]);
  }

  /** Stores `record` once Dexie is loaded; until then reads return it. For what can wait (caches). */
  put<T extends Table>(table: T, key: string, record: EarlyTables[T]): Promise<void> {
    const id = `${table}/${key}`;
    this.#pending.set(id, record);
    return this.#ready
      .then((db) => this.#dexie(db, table).put(record))
      .then(() => void 0)
      .finally(() => this.#pending.get(id) === record && this.#pending.delete(id));
  }

  #dexie<T extends Table>(db: DeviceDb, table: T): DexieTable<EarlyTables[T]> {
    return db[table] as unknown as DexieTable<EarlyTables[T]>;
  }

  /** Opened without a version: Dexie's own. A database Dexie has not made yet is not made here (the upgrade is aborted). */
  #openEarly(): Promise<IDBDatabase> {
    const request = indexedDB.open(this.name);
    request.onupgradeneeded = () => request.transaction?.abort();
    return idb.rtop(request).then((db: IDBDatabase) => {
      // Dexie upgrading the schema (a new version of the app, another tab) goes first.
      db.onversionchange = () => db.close();
      return db;
    });
  }

  async #readEarly<T extends Table>(table: T, keys: string[]): Promise<Array<EarlyTables[T] | undefined>> {
    try {
      const early = await (this.#early ??= this.#openEarly());
      const [store] = idb.transact(early, [table], 'readonly');
      return (await Promise.all(keys.map((k) => idb.get(store!, k)))) as unknown as Array<EarlyTables[T] | undefined>;
    } catch {
      // A first visit, or an older database without this store: Dexie makes or upgrades it.
      return this.#dexie(await this.db(), table).bulkGet(keys);
    }
  }
}

/** This device's database. */
export const device = new DeviceStore('muster-device', () => import('./device-db').then((m) => m.deviceDb));

/** This device's stable identity; a first visit creates it (in Dexie). */
export async function deviceIdentity(store: DeviceStore = device): Promise<DeviceRecord> {
  return (await store.get('device', 'self')) ?? (await import('./device-db')).deviceIdentity(await store.db());
}
