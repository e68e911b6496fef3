import { sha256HexAsync } from '../domain/sha256';
import { contentKeysOf, type WorkspaceRecord } from '../store/device-records';
import { openSealed, type SealKey, sealDeterministic, sealKeyOf } from './seal';

/*
 * Attachments for the blind relay (docs/SECURITY.md, Attachments): their own module, loaded with the attachment
 * screens and queue, off Home's path.
 */

/**
 * An attachment's bytes as the relay stores them: sealed, deterministically (the same file seals the same on
 * every device, so its name is known once it is attached), bound to the file's own hash. `name` is the hex
 * SHA-256 of the sealed bytes: the relay checks what it stores against it, as for any blob.
 */
export async function sealBlob(key: SealKey, hash: string, bytes: Uint8Array): Promise<{ bytes: Uint8Array; name: string }> {
  const sealed = await sealDeterministic(key.blob, key.mac, `blob\u0000${hash}`, `blob ${hash}`, bytes);
  return { bytes: sealed, name: await sha256HexAsync(sealed) };
}

/** The attachment's bytes, or a rejection when they are not the file `hash` names sealed with this key. */
export const openBlob = (key: SealKey, hash: string, sealed: Uint8Array): Promise<Uint8Array> => openSealed(key.blob, `blob ${hash}`, sealed);

/**
 * The key a workspace's attachments are sealed with, null when it has no content key: the oldest content key's,
 * so that a file seals the same before and after a rotation and the name its record keeps still finds it.
 */
export function attachmentKeyOf(ws: Pick<WorkspaceRecord, 'id' | 'contentKey' | 'pastContentKeys'>): Promise<SealKey | null> {
  const oldest = contentKeysOf(ws).at(-1);
  return oldest ? sealKeyOf(ws.id, oldest) : Promise.resolve(null);
}
