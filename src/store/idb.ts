/*
 * A small IndexedDB wrapper with the part of Dexie's table API Muster uses
 * (get, bulkGet, add, put, bulkPut, update, delete, toArray, count, first,
 * where(index).equals(v).toArray(), transaction; liveQuery is in
 * live-query.ts). Dexie is 30 KB gzipped on every load; the device database
 * is six key-value tables.
 *
 * It opens the database Dexie made (`muster-device`, native version 10 × the
 * Dexie version) in place: nothing stored is moved or lost, and a database at
 * an older version gets the missing stores and indexes.
 */

/** Object store name → `'keyPath, index, index'`, as Dexie's `stores()` wrote it. */
export type Schema = Record<string, string>;

type Mode = IDBTransactionMode;

const done = <T>(r: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });

const settled = (tx: IDBTransaction): Promise<void> =>
  new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new DOMException('Transaction aborted', 'AbortError'));
  });

/** One IndexedDB database: opened on first use, reopened after another tab upgrades it. */
export class Idb {
  #open: Promise<IDBDatabase> | undefined;
  readonly #channel: BroadcastChannel | undefined;
  readonly #listeners = new Set<(table: string) => void>();

  constructor(
    readonly name: string,
    readonly version: number,
    readonly schema: Schema,
  ) {
    // Other tabs' writes reach this tab's live queries.
    this.#channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(`idb:${name}`) : undefined;
    if (this.#channel) this.#channel.onmessage = (e: MessageEvent<string>) => this.#emit(e.data);
    // In Node (the store tests) an open channel would keep the process alive; browsers have no unref.
    (this.#channel as { unref?: () => void } | undefined)?.unref?.();
  }

  db(): Promise<IDBDatabase> {
    return (this.#open ??= this.#connect().catch((e: unknown) => {
      this.#open = undefined;
      throw e;
    }));
  }

  async #connect(): Promise<IDBDatabase> {
    // Open the version on disk; upgrade only when a store or an index is missing (or it is older than ours).
    let db = await this.#request(indexedDB.open(this.name));
    if (db.version < this.version || this.#missing(db)) {
      const to = Math.max(this.version, db.version + 1);
      db.close();
      db = await this.#request(indexedDB.open(this.name, to));
    }
    // Another tab upgrading: let it, and reconnect on the next call.
    db.onversionchange = () => {
      db.close();
      this.#open = undefined;
    };
    return db;
  }

  #missing(db: IDBDatabase): boolean {
    const names = db.objectStoreNames;
    if (Object.keys(this.schema).some((s) => !names.contains(s))) return true;
    const tx = db.transaction(Object.keys(this.schema), 'readonly');
    return Object.entries(this.schema).some(([s, spec]) => indexesOf(spec).some((i) => !tx.objectStore(s).indexNames.contains(i)));
  }

  #request(r: IDBOpenDBRequest): Promise<IDBDatabase> {
    r.onupgradeneeded = () => {
      const db = r.result;
      const tx = r.transaction!;
      for (const [s, spec] of Object.entries(this.schema)) {
        const store = db.objectStoreNames.contains(s) ? tx.objectStore(s) : db.createObjectStore(s, { keyPath: keyPathOf(spec) });
        for (const i of indexesOf(spec)) if (!store.indexNames.contains(i)) store.createIndex(i, i);
      }
    };
    return done(r);
  }

  /** Runs `work` in one transaction over `store` and resolves with its result once the transaction commits. */
  async run<T>(store: string, mode: Mode, work: (s: IDBObjectStore) => Promise<T> | T): Promise<T> {
    const tx = (await this.db()).transaction(store, mode);
    const ok = settled(tx);
    let result: T;
    try {
      result = await work(tx.objectStore(store));
    } catch (e) {
      try {
        tx.abort();
      } catch {
        // Already finished.
      }
      await ok.catch(() => {});
      throw e;
    }
    await ok;
    if (mode === 'readwrite') {
      this.#emit(store);
      this.#channel?.postMessage(store);
    }
    return result;
  }

  onChange(f: (table: string) => void): () => void {
    this.#listeners.add(f);
    return () => this.#listeners.delete(f);
  }

  #emit(table: string) {
    for (const f of [...this.#listeners]) f(table);
  }

  close(): void {
    const open = this.#open;
    this.#open = undefined;
    void open?.then((db) => db.close(), () => {});
  }
}

const parts = (spec: string) => spec.split(',').map((p) => p.trim()).filter(Boolean);
const keyPathOf = (spec: string) => parts(spec)[0]!;
const indexesOf = (spec: string) => parts(spec).slice(1);

/** The tables read while `captureReads` runs its function (src/store/live-query.ts). */
let reading: Set<Table<never, never>> | undefined;

/** Calls `fn` and returns what it returned with the tables it read before its first await. */
export function captureReads<R>(fn: () => R): { result: R; tables: ReadonlySet<Table<never, never>> } {
  const tables = new Set<Table<never, never>>();
  reading = tables;
  try {
    return { result: fn(), tables };
  } finally {
    reading = undefined;
  }
}

/** One object store, with Dexie's method names and results. */
export class Table<T, K extends keyof T & string> {
  constructor(
    readonly idb: Idb,
    readonly name: string,
  ) {}

  #read<R>(work: (s: IDBObjectStore) => Promise<R>): Promise<R> {
    reading?.add(this as unknown as Table<never, never>);
    return this.idb.run(this.name, 'readonly', work);
  }

  #write<R>(work: (s: IDBObjectStore) => Promise<R>): Promise<R> {
    return this.idb.run(this.name, 'readwrite', work);
  }

  get(key: T[K]): Promise<T | undefined> {
    return this.#read((s) => done(s.get(key as IDBValidKey)));
  }

  /** Rows in the order of `keys`; undefined where there is none. */
  bulkGet(keys: ReadonlyArray<T[K]>): Promise<Array<T | undefined>> {
    return this.#read((s) => Promise.all(keys.map((k) => done(s.get(k as IDBValidKey)) as Promise<T | undefined>)));
  }

  toArray(): Promise<T[]> {
    return this.#read((s) => done(s.getAll()) as Promise<T[]>);
  }

  count(): Promise<number> {
    return this.#read((s) => done(s.count()));
  }

  /** The row with the lowest key. */
  async first(): Promise<T | undefined> {
    return this.#read(async (s) => (await done(s.getAll(null, 1)))[0] as T | undefined);
  }

  where(index: keyof T & string): { equals(value: IDBValidKey): { toArray(): Promise<T[]> } } {
    return { equals: (value) => ({ toArray: () => this.#read((s) => done(s.index(index).getAll(value)) as Promise<T[]>) }) };
  }

  /** Adds a row; fails (ConstraintError) when its key is taken. */
  add(row: T): Promise<T[K]> {
    return this.#write((s) => done(s.add(row)) as Promise<T[K]>);
  }

  put(row: T): Promise<T[K]> {
    return this.#write((s) => done(s.put(row)) as Promise<T[K]>);
  }

  async bulkPut(rows: readonly T[]): Promise<void> {
    await this.#write((s) => Promise.all(rows.map((r) => done(s.put(r)))));
  }

  /** Changes fields of an existing row, in one transaction. 1 if it was there, 0 if not (nothing is created). */
  update(key: T[K], changes: Partial<T>): Promise<number> {
    return this.#write(async (s) => {
      const row = (await done(s.get(key as IDBValidKey))) as T | undefined;
      if (!row) return 0;
      await done(s.put({ ...row, ...changes }));
      return 1;
    });
  }

  async delete(key: T[K]): Promise<void> {
    await this.#write((s) => done(s.delete(key as IDBValidKey)));
  }
}

const inProcess = new Map<string, Promise<unknown>>();

/**
 * Runs `fn` alone on `table`: no other `exclusive` section on that table runs
 * meanwhile, in this tab (a queue) or another (Web Locks). For read-then-write
 * steps such as "create this device's identity once", where the one write is
 * its own transaction (a native transaction cannot span other awaits).
 */
export function exclusive<R>(table: { idb: Idb; name: string }, fn: () => Promise<R>): Promise<R> {
  const name = `${table.idb.name}/${table.name}`;
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (locks) return locks.request(name, fn) as Promise<R>;
  const run = (inProcess.get(name) ?? Promise.resolve()).then(fn, fn);
  inProcess.set(name, run.catch(() => {}));
  return run;
}
