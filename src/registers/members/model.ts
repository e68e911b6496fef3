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
  };
}

/** Devices that still belong to the workspace and can receive keys: not removed, public key known. */
export function keyHolders(members: readonly Member[], personIds?: ReadonlySet<string>): Member[] {
  return members.filter((m) => !m.removed && !!m.publicKey && (!personIds || (m.personId !== undefined && personIds.has(m.personId))));
}
