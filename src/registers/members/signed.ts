import { createEffect, createMemo, getOwner, on, runWithOwner, untrack } from 'solid-js';
import { showRecoveryCode } from './recovery-code-state';
import type { DeviceKeys, MembershipLog } from '../../domain/membership';
import type { DeviceKeyRecord } from '../../store/device-records';
import { logDeviceKeys } from '../../store/device-keys';
import type { MembershipBinding } from '../../store/membership';
import type * as Y from 'yjs';
import { type Fields, readFields, setFields } from '../../store/records';
import { type RegisterName, roomName } from '../../store/registers';
import { readOnlyRooms } from '../../sync/mux';
import { DESCRIPTORS } from '../../ui/descriptors';
import { roomRight } from '../../ui/room-rights';
import { audienceCacheKey } from '../../sync/room-sync';
import { audienceView, copiesToForget } from './audience-view';
import type { Session } from '../../ui/session';
import { activeOwners, type Member, memberRecordId } from './model';
import { inviteRefusal } from './signed-invites';
import { roleCacheKey } from './store';

/*
 * The signed member list on this device (issue 17): loads the log binding off
 * Home's path, writes the creator's genesis, signs an existing workspace's
 * member list (migration), and pins the root owner it first sees.
 */


/** The device that signs an existing workspace's member list: the plain owner that joined first. */
export function firstOwner(members: readonly Member[]): Member | undefined {
  return activeOwners(members).sort((a, b) => a.joinedAt.localeCompare(b.joinedAt) || a.deviceId.localeCompare(b.deviceId))[0];
}

/** A device's raw plain record in the members document. */
export const fieldsIn = (doc: Y.Doc) => (deviceId: string) => readFields(doc, memberRecordId(deviceId));

/** This device's public signing key in its own plain record (unverified: an owner vouches for it in the signed list). */
export function publishSignKey(doc: Y.Doc, deviceId: string, sign: { publicKey: string; alg: string; keyId: string }): void {
  if (readFields(doc, memberRecordId(deviceId))) setFields(doc, memberRecordId(deviceId), { signKey: sign.publicKey, signAlg: sign.alg, signKeyId: sign.keyId });
}

/** The signing key a device published in its plain record (unverified: an owner vouches for it), as log device keys. */
export function signKeyOf(m: Member, f: Fields | undefined): DeviceKeys | undefined {
  const pub = f?.['signKey'];
  const alg = f?.['signAlg'];
  if (typeof pub !== 'string' || !pub || (alg !== 'Ed25519' && alg !== 'ES256')) return undefined;
  return { deviceId: m.deviceId, signKey: pub, alg, ...(m.publicKey ? { boxKey: m.publicKey } : {}) };
}

/** Devices a migration vouches for: active, with a published signing key, other than `self` (the genesis). */
export function migrationGrants(members: readonly Member[], self: string, fieldsOf: (deviceId: string) => Fields | undefined): Array<{ m: Member; device: DeviceKeys }> {
  return members.flatMap((m) => {
    const device = !m.removed && m.deviceId !== self ? signKeyOf(m, fieldsOf(m.deviceId)) : undefined;
    return device ? [{ m, device }] : [];
  });
}

/**
 * Writes a genesis for this device, then (migration) one `vouch` grant per
 * active device of the plain list that published a signing key, with its
 * plain role and person. Used by the first owner automatically and by any
 * owner's "Sign the member list".
 */
export async function signMemberList(binding: MembershipBinding, me: { deviceId: string; name: string; personId?: string }, keys: DeviceKeyRecord, members: readonly Member[], fieldsOf: (deviceId: string) => Fields | undefined): Promise<MembershipLog> {
  const log = await binding.settled();
  if (log.current.devices.size > 0) return log;
  await binding.append({ type: 'genesis', device: logDeviceKeys(me.deviceId, keys), name: me.name, ...(me.personId ? { personId: me.personId } : {}) }, keys.sign);
  for (const { m, device } of migrationGrants(members, me.deviceId, fieldsOf)) {
    await binding.append({ type: 'grant', device, name: m.name || 'Unnamed device', ...(m.personId ? { personId: m.personId } : {}), role: m.role, vouch: true }, keys.sign);
  }
  return binding.settled();
}

/** Starts the signed list for a session (members register `start`). */
export function startSignedMembers(s: Session): void {
  const owner = getOwner();
  let pinned: string | undefined;
  void Promise.all([import('../../store/membership'), import('../../store/fresh-recovery')]).then(([{ createMembership }, { pinRoot, takeFreshRecovery }]) => {
    runWithOwner(owner, () => {
      const binding = createMembership(s.docs.members, { workspace: () => s.workspace().id, root: () => s.workspace().root ?? pinned });
      s.members.attachMembership(binding);
      // This device publishes its signing key in its plain record, for an owner to vouch for (migration, Confirm).
      createEffect(() => {
        const keys = s.deviceKeys();
        const own = s.members.byDevice().get(s.device.deviceId);
        if (keys && own && fieldsIn(s.docs.members)(s.device.deviceId)?.['signKey'] !== keys.sign.publicKey) untrack(() => publishSignKey(s.docs.members, s.device.deviceId, keys.sign));
      });
      // The role this device verified, for its next start (read before the list loads: access.ts).
      createEffect(() => {
        if (s.members.signed()) localStorage.setItem(roleCacheKey(s.workspace().id), s.access.role());
      });
      // The rooms its role reads and writes (issue 18): the relay holds it to them; a role that changes opens and
      // closes rooms at once. The sync handle comes with the sync (loaded after the first paint).
      const handle = createMemo(() => (s.sync(), s.syncHandle()));
      createEffect(() => {
        const h = handle();
        if (!h || !s.members.signed()) return;
        const role = s.access.role();
        untrack(() => {
          for (const [register, room] of h.rooms) {
            const right = roomRight(register as RegisterName, role);
            const name = roomName(s.workspace().id, register as RegisterName);
            const held = readOnlyRooms.has(name) && right === 'write';
            readOnlyRooms[right === 'read' ? 'add' : 'delete'](name);
            room.setOpen(right !== 'none');
            // Allowed to write again: what it kept while it only read goes with the next sync step 2.
            if (held && navigator.onLine) (room.disconnect(), room.connect());
          }
        });
      });
      // What the relay gives this device of the per-person rooms (issue 18): when that changed (a role, an officer,
      // the person), the copies go once the relay holds their changes, and Muster starts again with fresh ones; so do
      // the copies of rooms the role may no longer open (./audience-view.ts).
      let forgetting = false;
      createEffect(() => {
        const log = s.members.log();
        const h = handle();
        if (!log || !h || !s.members.signed() || forgetting) return;
        const view = audienceView(log.current, s.device.deviceId);
        if (view === undefined) return;
        const role = s.access.role();
        s.sync();
        untrack(() => {
          const key = audienceCacheKey(s.workspace().id);
          const stored = localStorage.getItem(key);
          const copies = DESCRIPTORS.flatMap((d) => {
            if (!d.document) return [];
            const register = d.document.name;
            const a = d.document.access;
            return [{ register, doc: s.docs[register], ...(a?.audience ? { audience: a.audience } : {}), ...(a?.private ? { private: a.private } : {}), closed: roomRight(register, role) === 'none', unconfirmed: h.rooms.get(register)?.state().unconfirmed ?? 0 }];
          });
          const { forget, wait } = copiesToForget(stored, view, copies);
          if (wait) return;
          if (forget.length === 0) {
            if (stored !== view) localStorage.setItem(key, view);
            return;
          }
          forgetting = true;
          console.info(`muster: what this device may hold changed (${stored ?? 'all'} → ${view}, ${role}): its copies of ${forget.join(', ')} are deleted`);
          void s.forget(forget as RegisterName[]).then(() => {
            localStorage.setItem(key, view);
            location.reload();
          });
        });
      });
      let busy = false;
      let redeemed = false;
      createEffect(
        on([() => s.members.log(), () => s.deviceKeys()], ([log, keys]) => {
          if (!log || !keys || busy) return;
          untrack(() => {
            const ws = s.workspace();
            const root = log.current.root;
            if (log.current.devices.size > 0) {
              // Trust on first use: the root this device saw first stays its root.
              if (!ws.root && root && pinned !== root) {
                pinned = root;
                void pinRoot(ws.id, root);
              }
              // A device that joined with an invite takes it up with its own keys (self-signed, once).
              const inv = ws.inviteId ? log.current.invites.get(ws.inviteId) : undefined;
              if (inv && !log.current.devices.has(s.device.deviceId) && !inviteRefusal(inv, s.device.deviceId) && !redeemed) {
                redeemed = true;
                busy = true;
                void binding.append({ type: 'redeem', invite: inv.id, device: logDeviceKeys(s.device.deviceId, keys), name: ws.memberName }, keys.sign).finally(() => (busy = false));
              }
              return;
            }
            const me = { deviceId: s.device.deviceId, name: ws.memberName, ...(s.signer().personId ? { personId: s.signer().personId! } : {}) };
            // The creator signs its genesis; an existing workspace's first owner signs its member list.
            const creator = ws.created && ws.root === keys.sign.keyId;
            const migrating = !ws.root && !s.members.hasSignedEntries() && firstOwner(s.members.all())?.deviceId === s.device.deviceId;
            if (!creator && !migrating) return;
            busy = true;
            const recovery = creator ? takeFreshRecovery(ws.id) : undefined;
            void signMemberList(binding, me, keys, creator ? [] : s.members.all(), fieldsIn(s.docs.members))
              .then(async () => {
                if (migrating) await vouchForHistory(s, keys);
                if (!recovery) return;
                await binding.append(recovery.payload, keys.sign);
                showRecoveryCode(recovery.code);
              })
              .finally(() => (busy = false));
          });
        }),
      );
    });
  });
}

/**
 * Migration: the owner that signs an existing workspace's member list vouches, once, for the evidence already
 * there that no member's key signed (written before signing existed, or by devices that are gone).
 */
export async function vouchForHistory(s: Session, keys: DeviceKeyRecord): Promise<void> {
  const { signAllPending } = await import('../../store/evidence-signer');
  await signAllPending({ docs: s.docs, members: s.docs.members, workspace: s.workspace().id, root: s.workspace().root ?? s.members.log()?.current.root, self: s.device.deviceId, key: async () => keys.sign, vouch: true });
}
