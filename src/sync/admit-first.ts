import type * as Y from 'yjs';
import type { DeviceStore } from '../store/device';
import { deviceKeyPair, logDeviceKeys } from '../store/device-keys';
import type { WorkspaceRecord } from '../store/device-records';
import { proofExpected } from './admit';
import { setEnrolRefusal } from './admit-text';
import { enrolWithInvite } from './enrol';
import { requestAdmission } from './join-requests';
import { deviceProof } from './prove';

/*
 * What a device does before it proves itself to a relay that admits proven
 * devices only (docs/RELAY.md "Device admission"), off Home's path: an invited
 * device enrols with its signed invite first (./enrol.ts); a device that opened
 * the plain workspace link and that no entry of its log names asks to be
 * admitted (./join-requests.ts), for an owner to confirm on Members.
 */

interface Ctx {
  serverUrl: string;
  workspaceId: string;
  deviceId: string;
  credential: string;
  db: DeviceStore;
  ws: WorkspaceRecord | undefined;
  members: Y.Doc | undefined;
  logHasGenesis: boolean;
}

/** This connection's proof, or null when the relay needs none. */
export async function admitProof(ctx: Ctx): Promise<string | null> {
  const enrolled = await enrolFirst(ctx);
  if (!enrolled && !proofExpected(ctx.workspaceId, ctx.logHasGenesis)) return null;
  if (!enrolled) await askToJoin(ctx);
  return deviceProof(ctx);
}

/** True once the relay has enrolled this device with its invite; asked on each connection until the relay answers. */
async function enrolFirst({ ws, ...ctx }: Ctx): Promise<boolean> {
  if (!ws?.inviteId || !ws.inviteEntry) return false;
  if (ws.enrolled) return ws.enrolled === 'relay';
  const got = await enrolWithInvite({ ...ctx, ...(ctx.members ? { members: ctx.members } : {}), invite: { id: ws.inviteId, entry: ws.inviteEntry }, name: ws.memberName });
  setEnrolRefusal(ctx.workspaceId, got.kind === 'refused' ? got.reason : undefined);
  if (got.kind === 'enrolled' || got.kind === 'legacy') await (await ctx.db.db()).workspaces.update(ctx.workspaceId, { enrolled: got.kind === 'enrolled' ? 'relay' : 'legacy' });
  return got.kind === 'enrolled';
}

/** When this device last asked each workspace's relay to be admitted: at most once a minute. */
const askedAt = new Map<string, number>();

async function askToJoin(ctx: Ctx): Promise<void> {
  const named = [...(ctx.members?.getMap('membership').values() ?? [])].some((e) => (e as { device?: { deviceId?: unknown } } | null)?.device?.deviceId === ctx.deviceId);
  if (named || Date.now() - (askedAt.get(ctx.workspaceId) ?? 0) < 60_000) return;
  askedAt.set(ctx.workspaceId, Date.now());
  await requestAdmission({ ...ctx, device: logDeviceKeys(ctx.deviceId, await deviceKeyPair(ctx.db)), name: ctx.ws?.memberName ?? '' });
}
