import type { Accessor } from 'solid-js';
import type { MembershipPayload } from '../../domain/membership';
import { can, type Role, why } from '../../domain/permissions';
import type { Validated } from '../../domain/validation';
import type { Invite, InviteInput } from './model';
import type { Actor, MemberStore, Result } from './store';

/** Invites expire after one of these many days (7 by default on the form). */
export const INVITE_DAYS = [1, 7, 30] as const;

/**
 * The owner actions of a signed workspace (issue 17): each is a signed entry
 * in the member list, and a refusal by the list is said in words. Loaded with
 * the first such action, not on Home's path (access.ts).
 */
export function signedActions(ctx: { members: MemberStore; role: Accessor<Role>; actor: () => Actor }) {
  const { members, role, actor } = ctx;
  const denied = (): Result | undefined => (can(role(), 'manage-members') ? undefined : { ok: false, error: why(role(), 'manage-members')! });

  /** Signs `payloads` with this device's key into the log, in order; stops at the first the log refuses. */
  const sign = async (payloads: readonly MembershipPayload[], at?: Date): Promise<Result> => {
    const binding = members.membership();
    if (!binding) return { ok: false, error: 'The member list is still loading. Try again in a moment.' };
    const { deviceKeyPair } = await import('../../store/device-keys');
    const key = (await deviceKeyPair()).sign;
    for (const p of payloads) {
      const refusal = binding.refusalOf(await binding.append(p, key, at));
      if (refusal) return { ok: false, error: `The member list refused this: ${refusal}.` };
    }
    return { ok: true };
  };

  return {
    sign,
    /** Owners: a device's role, as a signed entry (the plain record's field before the list is signed). */
    async setRole(deviceId: string, newRole: Role): Promise<Result> {
      if (!members.signed()) return members.setRole(deviceId, newRole, actor());
      const no = denied();
      if (no) return no;
      const d = members.log()?.current.devices.get(deviceId);
      if (!d || d.removed) return { ok: false, error: 'This device is not an active member of the signed list.' };
      if (d.role === newRole) return { ok: true };
      return sign([{ type: 'role', deviceId, role: newRole }]);
    },
    /** Owners: signed removals of the devices the list holds (the caller then marks the plain records and rotates). */
    async remove(deviceIds: readonly string[]): Promise<Result> {
      const no = denied();
      if (no) return no;
      const current = members.log()?.current.devices;
      return sign(deviceIds.filter((d) => current?.get(d) && !current.get(d)?.removed).map((deviceId) => ({ type: 'remove' as const, deviceId })));
    },
    /**
     * Owners and managers: an invite (plain record, for the list) and, in a
     * signed workspace, its signed `invite` entry: one-time, expiring after `days`.
     */
    async createInvite(input: InviteInput, days: number, now: Date = new Date()): Promise<Validated<Invite>> {
      if (!(INVITE_DAYS as readonly number[]).includes(days)) return { ok: false, errors: { expires: 'Choose when the invite expires: 1 day, 7 days or 30 days.' } };
      const r = members.createInvite(input, actor(), now);
      if (!r.ok || !members.signed()) return r;
      const i = r.value;
      const expires = new Date(now.getTime() + days * 86_400_000).toISOString();
      const w = await sign([{ type: 'invite', invite: i.id, name: i.name, ...(i.personId ? { personId: i.personId } : {}), role: i.role, expires }], now);
      if (!w.ok) {
        members.revokeInvite(i.id, actor(), now);
        return { ok: false, errors: { role: w.error } };
      }
      return r;
    },
    /** Revokes an invite: the plain record and, when the signed list holds it, a signed `revoke`. */
    async revokeInvite(inviteId: string): Promise<Result> {
      const r = members.revokeInvite(inviteId, actor());
      if (!r.ok) return r;
      const inv = members.log()?.current.invites.get(inviteId);
      return members.signed() && inv && !inv.revoked ? sign([{ type: 'revoke', invite: inviteId }]) : r;
    },
  };
}
