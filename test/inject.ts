import type { Page } from 'playwright-core';

// No vitest import here: the benchmarks (plain Node scripts) use it too.

/** Adds a Yjs update (base64) to a register's y-indexeddb store on this device: seeds large data sets; reload to see it. */
export async function injectUpdate(page: Page, workspaceId: string, register: string, update: string): Promise<void> {
  await page.evaluate(
    async ({ name, update }) => {
      const bytes = Uint8Array.from(atob(update), (c) => c.charCodeAt(0));
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction('updates', 'readwrite');
        tx.objectStore('updates').add(bytes);
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    { name: `muster.${workspaceId}.${register}`, update },
  );
}

/** This phone's device id (its `muster-device` IndexedDB record): the chain its own entries are on. */
export async function deviceIdOf(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('muster-device');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    try {
      const rec = await new Promise<{ deviceId: string }>((resolve, reject) => {
        const r = db.transaction('device', 'readonly').objectStore('device').get('self');
        r.onsuccess = () => resolve(r.result as { deviceId: string });
        r.onerror = () => reject(r.error);
      });
      return rec.deviceId;
    } finally {
      db.close();
    }
  });
}
