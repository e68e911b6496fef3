import { contentKeysOf, type WorkspaceRecord } from '../../store/device-records';
import { admitFor } from '../../sync/admit';
import type { MemberStore, Result } from './store';

/** What access needs of the running sync (src/sync/workspace-sync.ts). */
export interface SyncHandle {
  adopt(secret: string, epoch: number, contentKeys?: readonly string[]): Promise<void>;
}

/**
 * Changes the workspace secret (and, sealed, the content key) for every device that is not removed, and switches
 * this device to it: the network half of removing a device (./access.ts), loaded when it happens, off Home's path.
 */
export async function rotate(deps: { deviceId: string; workspace: WorkspaceRecord; members: MemberStore; epoch: number; handle: SyncHandle | undefined }): Promise<Result> {
  const { handle, members, workspace: ws } = deps;
  if (!handle) return { ok: false, error: 'Sync has not started yet. Try again in a moment.' };
  if (!navigator.onLine) return { ok: false, error: 'You are offline. The workspace key changes when you are back online; until then removed devices can still sync.' };
  const recipients = members.keyHoldersOf().map((m) => ({ deviceId: m.deviceId, publicKey: m.publicKey! }));
  if (!recipients.some((r) => r.deviceId === deps.deviceId)) return { ok: false, error: 'This device has no key listed yet. Wait a moment and try again.' };
  const { rotateWorkspaceSecret } = await import('../../sync/rotation');
  // A signed workspace's relay wants an owner's device proof with the rotation (server/rotation.ts).
  const out = await rotateWorkspaceSecret({ baseUrl: location.origin, workspaceId: ws.id, currentSecret: ws.secret, epoch: deps.epoch, recipients, contentKeys: contentKeysOf(ws), proof: () => admitFor(ws.id) });
  if (!out.ok) return { ok: false, error: out.error };
  await handle.adopt(out.secret, out.epoch, out.contentKeys);
  members.recordRotation(out.epoch, { deviceId: deps.deviceId });
  return { ok: true };
}
