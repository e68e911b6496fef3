import { device, type DeviceStore } from './device';
import { contentKeyFields, contentKeysOf, randomId, type WorkspaceRecord } from './device-records';

/** Workspace ids are 128-bit, secrets 256-bit, both base64url. */
const WORKSPACE_ID = /^[A-Za-z0-9_-]{16,64}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

export function validateNames(orgName: string, memberName: string): Partial<Record<'orgName' | 'memberName', string>> {
  const errors: Partial<Record<'orgName' | 'memberName', string>> = {};
  if (!orgName.trim()) errors.orgName = 'Enter your organisation’s name.';
  else if (orgName.trim().length > 120) errors.orgName = 'Keep the name under 120 characters.';
  if (!memberName.trim()) errors.memberName = 'Enter your name: it goes on your sign-offs.';
  else if (memberName.trim().length > 120) errors.memberName = 'Keep your name under 120 characters.';
  return errors;
}

/** The relay refused to create the workspace; `needsCode`: it asks for a creation token or invite code. */
export class CreationRefused extends Error {
  constructor(message: string, readonly needsCode: boolean) {
    super(message);
  }
}

/**
 * With `relay`, the workspace is first created on the relay (POST /auth/<ws>/create):
 * a refusal throws CreationRefused and nothing is stored; an unreachable relay
 * (offline) does not stop it: the first sync creates it (src/sync/auth.ts whenUnknown).
 */
export async function createWorkspace(orgName: string, memberName: string, store: DeviceStore = device, relay?: { baseUrl: string; code?: string }): Promise<WorkspaceRecord> {
  const loading = store.db();
  const id = randomId(16);
  const secret = randomId(32);
  const contentKey = randomId(32);
  if (relay) {
    // Only a new workspace asks the relay this: not on a returning member's path.
    const { createOnRelay } = await import('./relay-create');
    const got = await createOnRelay(relay.baseUrl, id, secret, relay.code?.trim() || undefined);
    if (got.kind === 'code-required' || got.kind === 'refused') throw new CreationRefused(got.message, got.kind === 'code-required' || !!relay.code);
  }
  // The creating device is the root owner: its signing key id is the workspace's root of trust (issue 17).
  const root = await (await import('./fresh-recovery')).makeFreshRecovery(id, store);
  const ws: WorkspaceRecord = {
    id,
    secret,
    contentKey,
    orgName: orgName.trim(),
    memberName: memberName.trim(),
    joinedAt: new Date().toISOString(),
    created: true,
    root,
    rootFrom: 'created',
  };
  await (await loading).workspaces.add(ws);
  return ws;
}

export interface JoinInvite {
  workspaceId: string;
  secret: string;
  /** The content keys (`c=`, newest first, dot-separated): a workspace's link from before sealing has none. */
  contentKeys?: string[];
  orgName: string;
  /** An invite link's invite id (members register `invite.<id>`): role and person come from it. */
  inviteId?: string;
  /** The signed invite entry's id (`e=`): the device enrols with the relay before it connects. */
  inviteEntry?: string;
  /** The invited person's name, to prefill the join form. */
  memberName?: string;
  /** Key id of the workspace's root owner device (`r=`): this device trusts only the genesis it signed. */
  root?: string;
}

/** A signing key id: 32 hex digits (src/crypto/signing.ts signingKeyId). */
const ROOT = /^[0-9a-f]{32}$/;
const INVITE_ID = /^[A-Za-z0-9_-]{8,64}$/;
/** A membership entry id: 64 hex digits (src/domain/membership.ts membershipId). */
const ENTRY_ID = /^[0-9a-f]{64}$/;

/**
 * The join link carries id and secret in the URL fragment, which browsers never
 * send to a server. Without an invite it is the plain workspace link (a device
 * that joins with it is an owner's own device); with one it also carries the
 * invite id and the invited name (`&i=…&n=…`).
 */
export function joinLink(origin: string, ws: Pick<WorkspaceRecord, 'id' | 'secret' | 'orgName' | 'root' | 'contentKey' | 'pastContentKeys'>, invite?: { id: string; name: string; entry?: string }, root: string | undefined = ws.root): string {
  const params = new URLSearchParams({ w: ws.id, k: ws.secret, org: ws.orgName });
  if (ws.contentKey) params.set('c', contentKeysOf(ws).join('.'));
  if (root) params.set('r', root);
  if (invite) {
    params.set('i', invite.id);
    params.set('n', invite.name);
    if (invite.entry) params.set('e', invite.entry);
  }
  return `${origin}/#join?${params.toString()}`;
}

export function parseJoinFragment(hash: string): JoinInvite | { error: string } | undefined {
  if (!hash.startsWith('#join')) return undefined;
  const params = new URLSearchParams(hash.slice(hash.indexOf('?') + 1));
  const workspaceId = params.get('w') ?? '';
  const secret = params.get('k') ?? '';
  if (!WORKSPACE_ID.test(workspaceId) || !SECRET.test(secret)) {
    return { error: 'This join link is incomplete or damaged. Ask for a new link and open it whole.' };
  }
  const inviteId = params.get('i') ?? '';
  if (inviteId && !INVITE_ID.test(inviteId)) return { error: 'This invite link is incomplete or damaged. Ask for a new link and open it whole.' };
  const inviteEntry = params.get('e') ?? '';
  if (inviteEntry && (!inviteId || !ENTRY_ID.test(inviteEntry))) return { error: 'This invite link is incomplete or damaged. Ask for a new link and open it whole.' };
  const memberName = (params.get('n') ?? '').trim().slice(0, 120);
  const root = params.get('r') ?? '';
  if (root && !ROOT.test(root)) return { error: 'This join link is incomplete or damaged. Ask for a new link and open it whole.' };
  const contentKeys = (params.get('c') ?? '').split('.').filter((k) => k !== '');
  if (params.has('c') && (contentKeys.length === 0 || contentKeys.length > 64 || !contentKeys.every((k) => SECRET.test(k)))) return { error: 'This join link is incomplete or damaged. Ask for a new link and open it whole.' };
  return { workspaceId, secret, ...(contentKeys.length ? { contentKeys } : {}), orgName: (params.get('org') ?? '').slice(0, 120), ...(inviteId ? { inviteId } : {}), ...(inviteEntry ? { inviteEntry } : {}), ...(memberName ? { memberName } : {}), ...(root ? { root } : {}) };
}

export async function joinWorkspace(invite: JoinInvite, memberName: string, store: DeviceStore = device): Promise<WorkspaceRecord> {
  const db = await store.db();
  const existing = await db.workspaces.get(invite.workspaceId);
  // A device that joined with a link from before sealing learns the content key from a newer one.
  if (existing && !existing.contentKey && invite.contentKeys) {
    const keys = contentKeyFields(invite.contentKeys);
    await db.workspaces.update(existing.id, keys);
    return { ...existing, ...keys };
  }
  if (existing) return existing;
  const ws: WorkspaceRecord = {
    id: invite.workspaceId,
    secret: invite.secret,
    ...contentKeyFields(invite.contentKeys),
    orgName: invite.orgName || 'Workspace',
    memberName: memberName.trim(),
    joinedAt: new Date().toISOString(),
    ...(invite.inviteId ? { joinedWith: 'invite' as const, inviteId: invite.inviteId, ...(invite.inviteEntry ? { inviteEntry: invite.inviteEntry } : {}) } : { joinedWith: 'link' as const }),
    ...(invite.root ? { root: invite.root, rootFrom: 'link' as const } : {}),
  };
  await db.workspaces.add(ws);
  return ws;
}

const CURRENT_KEY = 'muster.currentWorkspace';

/** The workspace this device opens: the last one used, else the first one joined. */
export async function currentWorkspace(store: DeviceStore = device): Promise<WorkspaceRecord | undefined> {
  const id = globalThis.localStorage?.getItem(CURRENT_KEY);
  const ws = id ? await store.get('workspaces', id) : undefined;
  // Without a remembered one (a first visit, cleared site storage): Dexie, in key order.
  return ws ?? (await (await store.db()).workspaces.orderBy('id').first());
}

export function rememberCurrent(id: string): void {
  globalThis.localStorage?.setItem(CURRENT_KEY, id);
}
