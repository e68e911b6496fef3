import type * as Y from 'yjs';
import { type MembershipEntry, type MembershipLog, membershipDraft, membershipId, parseMembershipEntry } from '../../domain/membership';
import type { DeviceKeyRecord } from '../../store/device-records';
import type { MembershipBinding } from '../../store/membership';

/**
 * "Recover ownership with the recovery code": opens an unspent recovery key of
 * the log with the typed code and signs, with that key, a `recover` entry that
 * makes this device an owner (visible in the log). Resolves to the sentence to
 * show when it does not work.
 */
export async function recoverOwnership(binding: MembershipBinding, workspace: string, code: string, me: { deviceId: string; name: string; personId?: string }, keys: DeviceKeyRecord, relay?: RecoverRelay): Promise<string | undefined> {
  const log: MembershipLog = await binding.settled();
  // A device the relay does not admit has no member list at all: it asks the relay for the recovery entries.
  if (log.current.devices.size === 0 && relay) return recoverThroughRelay(relay, workspace, code, me, keys);
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

/** What a device outside the list needs of the relay to recover (src/sync/enrol.ts), and its members document. */
export interface RecoverRelay {
  fetchEntries(): Promise<{ entries: unknown[]; spent: number } | null>;
  enrol(entry: MembershipEntry): Promise<{ kind: 'enrolled' | 'legacy' | 'unreachable' } | { kind: 'refused'; reason: string }>;
  members: Y.Doc;
}

/**
 * Recovery on a relay that admits enrolled devices only (docs/RELAY.md): the relay gives out the log's unspent
 * recovery entries (each a recovery key sealed under its code); the code opens one, its key signs a `recover`
 * entry built on it, and the relay enrols this device with it. Both entries go into this device's members
 * document; it is then admitted on its next try and receives the whole list.
 */
async function recoverThroughRelay(relay: RecoverRelay, workspace: string, code: string, me: { deviceId: string; name: string; personId?: string }, keys: DeviceKeyRecord): Promise<string | undefined> {
  const { normaliseRecoveryCode, openRecovery } = await import('../../crypto/recovery');
  if (!normaliseRecoveryCode(code)) return 'A recovery code is 28 letters and digits in 7 groups of 4: check it against the printed or saved code.';
  const got = await relay.fetchEntries();
  if (!got) return 'The relay could not be reached: recovering ownership needs a connection. Try again once this phone is online.';
  const recoveries = got.entries.flatMap((raw) => {
    const e = parseMembershipEntry(raw);
    return typeof e !== 'string' && e.type === 'recovery' && e.ws === workspace ? [e] : [];
  });
  if (!recoveries.length) return got.spent ? 'Every recovery code of this workspace has been used. An owner can make a new one.' : 'This workspace has no recovery code yet.';
  const { signMembershipEntry } = await import('../../crypto/membership');
  let last = 'That recovery code does not open this workspace’s recovery key.';
  for (const r of recoveries) {
    if (r.type !== 'recovery') continue;
    let key: Awaited<ReturnType<typeof openRecovery>>;
    try {
      key = await openRecovery(code, r, workspace);
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
      continue;
    }
    const payload = { type: 'recover' as const, device: { deviceId: me.deviceId, signKey: keys.sign.publicKey, alg: keys.sign.alg, boxKey: keys.publicKey }, name: me.name, ...(me.personId ? { personId: me.personId } : {}) };
    const entry = await signMembershipEntry(membershipDraft(payload, { workspace, tips: [membershipId(r)], by: key.keyId }), key);
    const answer = await relay.enrol(entry);
    if (answer.kind === 'refused') return `The relay refused this: ${answer.reason}.`;
    if (answer.kind !== 'enrolled') return 'The relay could not be reached: recovering ownership needs a connection. Try again once this phone is online.';
    const map = relay.members.getMap<unknown>('membership');
    relay.members.transact(() => {
      for (const e of [r, entry]) if (!map.has(membershipId(e))) map.set(membershipId(e), e);
    });
    return undefined;
  }
  return last;
}
