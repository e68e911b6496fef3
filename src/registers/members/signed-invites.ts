import type { InviteState, MembershipLog } from '../../domain/membership';
import { ROLE_NAMES } from '../../domain/permissions';

/** Why an invite of the signed list cannot be taken up by `deviceId` now, else undefined (also undefined while it has not arrived). */
export function inviteRefusal(inv: InviteState | undefined, deviceId: string, now: Date = new Date()): string | undefined {
  if (!inv) return undefined;
  if (inv.revoked) return 'The invite you joined with was revoked. Ask an owner for a new one.';
  if (inv.redeemedBy && inv.redeemedBy !== deviceId) return 'The invite you joined with was already used by another device: an invite works once. Ask an owner for a new one.';
  if (!inv.redeemedBy && now.toISOString() > inv.expires) return 'The invite you joined with has expired. Ask an owner for a new one.';
  return undefined;
}

export type InviteStatus = { kind: 'waiting' | 'joined' | 'refused'; text: string };

/** This device's invite in the signed list: joined (with its role), the sentence why it did not work, or waiting to be admitted. */
export function inviteStatus(log: MembershipLog | undefined, inviteId: string | undefined, deviceId: string): InviteStatus | undefined {
  if (!inviteId || !log) return undefined;
  const d = log.current.devices.get(deviceId);
  if (d && !d.removed) return { kind: 'joined', text: `Joined as ${ROLE_NAMES[d.role]}.` };
  const why = inviteRefusal(log.current.invites.get(inviteId), deviceId);
  return why ? { kind: 'refused', text: why } : { kind: 'waiting', text: 'Waiting to be admitted: the invite is being taken up on this device.' };
}
