import * as v from 'valibot';
import { validateWith, type Validated } from '../../domain/validation';
import type { Fields } from '../../store/records';

/*
 * Members: the devices of the workspace and what each may do. A member is a
 * device (one person may use several), stored as record `device.<deviceId>`
 * with one field per key. The device writes its own name and public key; the
 * role is set once when it registers (owner for the device that created the
 * workspace) and afterwards changed only by an owner.
 */

export const MEMBER_ROLES = ['owner', 'manager', 'staff'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export const ROLE_LABELS: Record<MemberRole, string> = { owner: 'Owner', manager: 'Manager', staff: 'Staff' };

export interface Member {
  deviceId: string;
  /** The name the device's user signs with. */
  name: string;
  /** The person in People this device belongs to, once linked. */
  personId?: string;
  role: MemberRole;
  /** base64url raw ECDH P-256 public key of the device (src/crypto/device-keys.ts). */
  publicKey?: string;
  joinedAt: string;
  removed: boolean;
  /** The invite this device joined with, once it has applied it. */
  inviteId?: string;
  /** ISO time this device last opened the workspace (refreshed at most hourly). */
  lastSeen?: string;
  /** Who removed it (device id) and when. */
  removedBy?: string;
  removedAt?: string;
  /** The key epoch the remover knew when removing it: the removal is done once the workspace key has moved past it. */
  removedEpoch?: number;
}

export const memberRecordId = (deviceId: string) => `device.${deviceId}`;

const isRole = (v: unknown): v is MemberRole => typeof v === 'string' && (MEMBER_ROLES as readonly string[]).includes(v);

export function memberFromFields(id: string, f: Fields): Member | undefined {
  if (f['type'] !== 'device' || !id.startsWith('device.')) return undefined;
  const deviceId = id.slice('device.'.length);
  return {
    deviceId,
    name: typeof f['name'] === 'string' ? f['name'] : '',
    ...(typeof f['personId'] === 'string' && f['personId'] ? { personId: f['personId'] } : {}),
    role: isRole(f['role']) ? f['role'] : 'staff',
    ...(typeof f['publicKey'] === 'string' && f['publicKey'] ? { publicKey: f['publicKey'] } : {}),
    joinedAt: typeof f['joinedAt'] === 'string' ? f['joinedAt'] : '',
    removed: f['removed'] === true,
    ...(str(f['inviteId']) ? { inviteId: str(f['inviteId']) } : {}),
    ...(str(f['lastSeen']) ? { lastSeen: str(f['lastSeen']) } : {}),
    ...(str(f['removedBy']) ? { removedBy: str(f['removedBy']) } : {}),
    ...(str(f['removedAt']) ? { removedAt: str(f['removedAt']) } : {}),
    ...(typeof f['removedEpoch'] === 'number' ? { removedEpoch: f['removedEpoch'] } : {}),
  };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Devices that still belong to the workspace and can receive keys: not removed, public key known. */
export function keyHolders(members: readonly Member[], personIds?: ReadonlySet<string>): Member[] {
  return members.filter((m) => !m.removed && !!m.publicKey && (!personIds || (m.personId !== undefined && personIds.has(m.personId))));
}

// ---------- invites ----------

/*
 * An invite is record `invite.<id>`: whom it is for (a person in People, or a
 * typed name), the role the joining device gets, who made it and when, and
 * whether it was revoked. Each device that joins with it adds one field
 * `used.<deviceId>` = ISO time, so two phones joining at once both show.
 * The link carries the workspace secret in its fragment; the record does not.
 */

export interface Invite {
  id: string;
  /** The person in People the joining device is linked to; none when only a name was typed. */
  personId?: string;
  name: string;
  role: MemberRole;
  /** Device id and name of who made it. */
  createdBy: string;
  createdByName: string;
  createdAt: string;
  revoked: boolean;
  revokedAt?: string;
  /** Devices that joined with it, oldest first. */
  uses: Array<{ deviceId: string; at: string }>;
}

export const inviteRecordId = (id: string) => `invite.${id}`;

export function inviteFromFields(id: string, f: Fields): Invite | undefined {
  if (f['type'] !== 'invite' || !id.startsWith('invite.')) return undefined;
  const uses = Object.entries(f)
    .filter(([k, v]) => k.startsWith('used.') && typeof v === 'string')
    .map(([k, v]) => ({ deviceId: k.slice('used.'.length), at: v as string }))
    .sort((a, b) => a.at.localeCompare(b.at));
  return {
    id: id.slice('invite.'.length),
    ...(str(f['personId']) ? { personId: str(f['personId']) } : {}),
    name: str(f['name']),
    role: isRole(f['role']) ? f['role'] : 'staff',
    createdBy: str(f['createdBy']),
    createdByName: str(f['createdByName']),
    createdAt: str(f['createdAt']),
    revoked: f['revoked'] === true,
    ...(str(f['revokedAt']) ? { revokedAt: str(f['revokedAt']) } : {}),
    uses,
  };
}

export type InviteState = 'open' | 'used' | 'revoked';
export const inviteState = (i: Invite): InviteState => (i.revoked ? 'revoked' : i.uses.length ? 'used' : 'open');
export const INVITE_STATE_LABELS: Record<InviteState, string> = { open: 'Not used yet', used: 'Used', revoked: 'Revoked' };

export interface InviteInput {
  /** '' when the name is typed instead. */
  personId: string;
  name: string;
  role: string;
}

const inviteSchema = v.object({
  personId: v.string(),
  name: v.pipe(v.string(), v.trim(), v.minLength(1, 'Choose a person from People or type their name.'), v.maxLength(120, 'Keep the name under 120 characters.')),
  role: v.picklist(MEMBER_ROLES, 'Choose the role they will have: owner, manager or staff.'),
});

export function validateInvite(input: InviteInput): Validated<{ personId: string; name: string; role: MemberRole }> {
  return validateWith(inviteSchema, input);
}

// ---------- removal and the workspace key ----------

/** Record `keys`: the epoch of the workspace secret, written by the device that rotated it. */
export const KEYS_RECORD = 'keys';

export function keyEpochOf(f: Fields | undefined): number {
  return typeof f?.['epoch'] === 'number' ? f['epoch'] : 0;
}

/** Removed devices that can still sync: the workspace key has not changed since their removal. */
export function pendingRemovals(members: readonly Member[], keyEpoch: number): Member[] {
  return members.filter((m) => m.removed && (m.removedEpoch ?? 0) >= keyEpoch);
}

/** Active owners' devices. */
export const activeOwners = (members: readonly Member[]) => members.filter((m) => !m.removed && m.role === 'owner');
