import { type BlobRecord, type DeviceDb, deviceDb } from '../store/device-db';
import { sha256HexAsync } from '../domain/sha256';

/**
 * Attachment bytes on this device (Dexie `blobs`, keyed by SHA-256). Every
 * write re-checks the hash, so the table never holds bytes under a wrong name.
 * `uploaded` is 0 while the relay does not have them yet (the upload queue,
 * src/attachments/sync.ts) and 1 once it has (or when they came from it).
 */

export interface BlobInput {
  workspaceId: string;
  hash: string;
  type: string;
  bytes: Uint8Array;
}

async function checked(input: BlobInput): Promise<void> {
  const actual = await sha256HexAsync(input.bytes);
  if (actual !== input.hash) throw new Error(`The bytes do not match their SHA-256 (${input.hash.slice(0, 12)}…): not stored.`);
}

/** Stores a file this device added, queued for upload. Storing the same bytes again keeps the existing row. */
export async function saveLocalBlob(input: BlobInput, db: DeviceDb = deviceDb): Promise<BlobRecord> {
  await checked(input);
  return db.transaction('rw', db.blobs, async () => {
    const existing = await db.blobs.get(input.hash);
    if (existing) return existing;
    const record: BlobRecord = { hash: input.hash, workspaceId: input.workspaceId, type: input.type, size: input.bytes.length, bytes: input.bytes, createdAt: new Date().toISOString(), uploaded: 0 };
    await db.blobs.put(record);
    return record;
  });
}

/** Stores bytes downloaded from the relay (already there, so not queued). */
export async function saveDownloadedBlob(input: BlobInput, db: DeviceDb = deviceDb): Promise<BlobRecord> {
  await checked(input);
  return db.transaction('rw', db.blobs, async () => {
    const existing = await db.blobs.get(input.hash);
    if (existing) {
      if (!existing.uploaded) await db.blobs.update(input.hash, { uploaded: 1 });
      return { ...existing, uploaded: 1 };
    }
    const record: BlobRecord = { hash: input.hash, workspaceId: input.workspaceId, type: input.type, size: input.bytes.length, bytes: input.bytes, createdAt: new Date().toISOString(), uploaded: 1 };
    await db.blobs.put(record);
    return record;
  });
}

export const getBlob = (hash: string, db: DeviceDb = deviceDb): Promise<BlobRecord | undefined> => db.blobs.get(hash);

/** This workspace's blobs the relay does not have yet, oldest first. */
export async function pendingUploads(workspaceId: string, db: DeviceDb = deviceDb): Promise<BlobRecord[]> {
  const rows = await db.blobs.where('uploaded').equals(0).toArray();
  return rows.filter((r) => r.workspaceId === workspaceId).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export async function markUploaded(hash: string, db: DeviceDb = deviceDb): Promise<void> {
  await db.blobs.update(hash, { uploaded: 1 });
}

/** What the UI needs to know per hash, without the bytes: is it here, and does the relay have it. */
export interface BlobPresence {
  hash: string;
  type: string;
  size: number;
  uploaded: 0 | 1;
}
