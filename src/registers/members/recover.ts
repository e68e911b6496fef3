import type { MembershipLog } from '../../domain/membership';
import type { DeviceKeyRecord } from '../../store/device-records';
import type { MembershipBinding } from '../../store/membership';

/**
 * "Recover ownership with the recovery code": opens an unspent recovery key of
 * the log with the typed code and signs, with that key, a `recover` entry that
 * makes this device an owner (visible in the log). Resolves to the sentence to
 * show when it does not work.
 */
export async function recoverOwnership(binding: MembershipBinding, workspace: string, code: string, me: { deviceId: string; name: string; personId?: string }, keys: DeviceKeyRecord): Promise<string | undefined> {
  const log: MembershipLog = await binding.settled();
  const mine = log.current.devices.get(me.deviceId);
  if (mine && !mine.removed) return mine.role === 'owner' ? 'This device is already an owner.' : 'The recovery code enrols a device that is not on the signed member list yet; this one already is. An owner can change its role.';
  if (mine?.removed) return 'This device was removed from the workspace: recover on a device that was never removed (clear this site’s data, join again with the link, then recover).';
  const unspent = [...log.current.recoveryKeys.values()].filter((k) => !k.spent);
  if (!unspent.length) return log.current.recoveryKeys.size ? 'Every recovery code of this workspace has been used. An owner can make a new one.' : 'This workspace has no recovery code yet.';
  const { normaliseRecoveryCode, openRecovery } = await import('../../crypto/recovery');
  if (!normaliseRecoveryCode(code)) return 'A recovery code is 28 letters and digits in 7 groups of 4: check it against the printed or saved code.';
  let last = 'That recovery code does not open this workspace’s recovery key.';
  for (const rk of unspent) {
    try {
      const key = await openRecovery(code, rk, workspace);
      const entry = await binding.append({ type: 'recover', device: { deviceId: me.deviceId, signKey: keys.sign.publicKey, alg: keys.sign.alg, boxKey: keys.publicKey }, name: me.name, ...(me.personId ? { personId: me.personId } : {}) }, key);
      const refused = binding.refusalOf(entry);
      return refused ? `The member list refused this: ${refused}.` : undefined;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
  }
  return last;
}
