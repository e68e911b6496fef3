import type { InviteState } from '../../domain/membership';

/** Why an invite of the signed list cannot be taken up by `deviceId` now, else undefined (also undefined while it has not arrived). */
export function inviteRefusal(inv: InviteState | undefined, deviceId: string, now: Date = new Date()): string | undefined {
  if (!inv) return undefined;
  if (inv.revoked) return 'The invite you joined with was revoked. Ask an owner for a new one.';
  if (inv.redeemedBy && inv.redeemedBy !== deviceId) return 'The invite you joined with was already used by another device: an invite works once. Ask an owner for a new one.';
  if (!inv.redeemedBy && now.toISOString() > inv.expires) return 'The invite you joined with has expired. Ask an owner for a new one.';
  return undefined;
}
