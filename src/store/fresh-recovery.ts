import { createRecovery } from '../crypto/recovery';
import { device, type DeviceStore } from './device';
import { deviceKeyPair } from './device-keys';

/*
 * The recovery code made with a workspace this page created (issue 17): in
 * memory only, never stored. The session writes its sealed key after the
 * genesis and shows the code once (src/registers/members/signed.ts). With
 * it, pinning the root owner key: both off Home's path.
 */

type Recovery = Awaited<ReturnType<typeof createRecovery>>;
let fresh: ({ workspace: string } & Recovery) | undefined;

/** Makes the recovery code of a workspace being created; resolves to the root key id (this device's signing key). */
export async function makeFreshRecovery(workspace: string, store: DeviceStore = device): Promise<string> {
  const keys = await deviceKeyPair(store);
  fresh = { workspace, ...(await createRecovery(workspace)) };
  return keys.sign.keyId;
}

/** The fresh recovery of `workspace`, once. */
export function takeFreshRecovery(workspace: string): Recovery | undefined {
  if (fresh?.workspace !== workspace) return undefined;
  const { code, payload } = fresh;
  fresh = undefined;
  return { code, payload };
}

/** Pins the root owner key this device first saw (trust on first use); a root already known is kept. */
export async function pinRoot(workspaceId: string, root: string, store: DeviceStore = device): Promise<void> {
  const db = await store.db();
  await db.transaction('rw', db.workspaces, async () => {
    const ws = await db.workspaces.get(workspaceId);
    if (ws && !ws.root) await db.workspaces.update(workspaceId, { root, rootFrom: 'first-seen' });
  });
}

