import { type Accessor, createMemo, createSignal } from 'solid-js';
import type * as Y from 'yjs';
import { can, type Role, why } from '../../domain/permissions';
import type { Validated } from '../../domain/validation';
import { randomId } from '../../store/device-records';
import type { MembershipBinding } from '../../store/membership';
import { createDocView } from '../../store/reactive';
import { createRecord, readFields, setFields } from '../../store/records';
import {
  activeOwners,
  type Invite,
  inviteFromFields,
  type InviteInput,
  inviteRecordId,
  KEYS_RECORD,
  keyEpochOf,
  keyHolders,
  type Member,
  memberFromFields,
  memberRecordId,
  type MemberRole,
  pendingRemovals,
  validateInvite,
} from './model';

export interface SelfRegistration {
  deviceId: string;
  name: string;
  publicKey: string;
  personId?: string;
  /** Role the record gets if this device has none yet. */
  roleIfNew: MemberRole;
}

/** Who is acting: this device, and the role it acts with (src/domain/permissions.ts effectiveRole). */
export interface Actor {
  deviceId: string;
  name: string;
  role: Role;
}

export type Result = { ok: true } | { ok: false; error: string };

/** localStorage key of the role this device last verified in the signed list (read before the list loads). */
export const roleCacheKey = (workspace: string) => `muster.role.${workspace}`;

/** "Last seen" is refreshed at most this often, so opening the app does not add an edit each time. */
const SEEN_EVERY_MS = 60 * 60 * 1000;

/**
 * The members register, bound to its "members" document: devices (with their
 * role, person and public key), invites, and the workspace key's epoch.
 *
 * @example
 * const members = createMemberStore(docs.members);
 * members.registerSelf({ deviceId, name, publicKey, roleIfNew: 'owner' });
 * members.keyHoldersOf(new Set([personId])); // devices to wrap a key for
 * members.createInvite({ personId, name, role: 'staff' }, actor); // → invite record; the link is built by the screen
 */
export function createMemberStore(doc: Y.Doc) {
  const view = createDocView(doc);
  const all = createMemo(() =>
    [...view.records()].map(([id, f]) => memberFromFields(id, f)).filter((m): m is Member => !!m).sort((a, b) => a.joinedAt.localeCompare(b.joinedAt)),
  );
  const byDevice = createMemo(() => new Map(all().map((m) => [m.deviceId, m])));
  const active = createMemo(() => all().filter((m) => !m.removed));
  const invites = createMemo(() =>
    [...view.records()].map(([id, f]) => inviteFromFields(id, f)).filter((i): i is Invite => !!i).sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
  );
  const inviteById = createMemo(() => new Map(invites().map((i) => [i.id, i])));
  const keyEpoch = createMemo(() => keyEpochOf(view.records().get(KEYS_RECORD)));
  const hasOwner = createMemo(() => activeOwners(all()).length > 0);

  // The signed log (src/store/membership.ts) is loaded off Home's path and attached here once made.
  const [membership, attachMembership] = createSignal<MembershipBinding>();
  const log = createMemo(() => membership()?.log());
  /** True once the signed log has a root owner: roles, people and officers come from it, not from these records. */
  const signed = createMemo(() => !!log()?.current.root && (log()?.current.devices.size ?? 0) > 0);

  const refuse = (error: string): Result => ({ ok: false, error });
  const ensureManager = (actor: Actor): Result | undefined => (can(actor.role, 'manage-members') ? undefined : refuse(why(actor.role, 'manage-members')!));

  return {
    membership: membership as Accessor<MembershipBinding | undefined>,
    attachMembership: (b: MembershipBinding) => attachMembership(() => b),
    /** The last verified signed log (undefined until loaded and read once). */
    log,
    signed,
    /** Whether the members document holds any signed entry (read before the log is verified). */
    hasSignedEntries: () => doc.getMap('membership').size > 0,
    all,
    active,
    byDevice,
    invites,
    inviteById,
    /** The epoch of the workspace secret as last recorded here (0 before any rotation). */
    keyEpoch,
    /** True when at least one device that is not removed is an owner. */
    hasOwner,
    /** Removed devices that can still sync until the workspace key changes. */
    pendingRemovals: createMemo(() => pendingRemovals(all(), keyEpoch())),
    /** Non-removed devices with a public key, optionally only those of the given people. */
    keyHoldersOf: (personIds?: ReadonlySet<string>) => keyHolders(all(), personIds),

    /**
     * Makes sure this device is listed with its current name, person and public
     * key. Never changes its role once set: only an owner does that (or the
     * invite the device joined with, see acceptInvite).
     */
    registerSelf(self: SelfRegistration): void {
      const id = memberRecordId(self.deviceId);
      const fields = {
        name: self.name,
        publicKey: self.publicKey,
        ...(self.personId ? { personId: self.personId } : {}),
      };
      if (!readFields(doc, id)) {
        const now = new Date().toISOString();
        createRecord(doc, id, { type: 'device', ...fields, role: self.roleIfNew, joinedAt: now, lastSeen: now, removed: false });
      } else {
        setFields(doc, id, fields);
      }
    },

    /** Records that this device opened the workspace, at most once an hour. */
    touch(deviceId: string, now: Date = new Date()): void {
      const f = readFields(doc, memberRecordId(deviceId));
      if (!f) return;
      const last = typeof f['lastSeen'] === 'string' ? Date.parse(f['lastSeen']) : NaN;
      if (!(now.getTime() - last < SEEN_EVERY_MS)) setFields(doc, memberRecordId(deviceId), { lastSeen: now.toISOString() });
    },

    /** Owners and managers: a new invite. Managers invite staff only. */
    createInvite(input: InviteInput, actor: Actor, now: Date = new Date()): Validated<Invite> {
      const checked = validateInvite(input);
      if (!checked.ok) return checked;
      const refusal = why(actor.role, `invite:${checked.value.role}`);
      if (refusal) return { ok: false, errors: { role: refusal } };
      const id = randomId(12);
      createRecord(doc, inviteRecordId(id), {
        type: 'invite',
        ...(checked.value.personId ? { personId: checked.value.personId } : {}),
        name: checked.value.name,
        role: checked.value.role,
        createdBy: actor.deviceId,
        createdByName: actor.name,
        createdAt: now.toISOString(),
        revoked: false,
      });
      return { ok: true, value: inviteFromFields(inviteRecordId(id), readFields(doc, inviteRecordId(id))!)! };
    },

    /** Owners revoke any invite; a manager the ones they made. A device that already joined stays (remove it to cut it off). */
    revokeInvite(inviteId: string, actor: Actor, now: Date = new Date()): Result {
      const f = readFields(doc, inviteRecordId(inviteId));
      const invite = f && inviteFromFields(inviteRecordId(inviteId), f);
      if (!invite) return refuse('This invite does not exist on this device.');
      if (!can(actor.role, 'manage-members') && !(can(actor.role, 'invite:staff') && invite.createdBy === actor.deviceId)) {
        return refuse('Only an owner, or the manager who made it, can revoke this invite.');
      }
      if (!invite.revoked) setFields(doc, inviteRecordId(inviteId), { revoked: true, revokedAt: now.toISOString() });
      return { ok: true };
    },

    /**
     * Applies the invite this device joined with to its own record: person and
     * role come from the invite, never from the joiner. Once only: later role
     * changes by an owner are not undone.
     */
    acceptInvite(deviceId: string, inviteId: string, now: Date = new Date()): 'applied' | 'already' | 'revoked' | 'not-yet' {
      const own = readFields(doc, memberRecordId(deviceId));
      const f = readFields(doc, inviteRecordId(inviteId));
      const invite = f && inviteFromFields(inviteRecordId(inviteId), f);
      if (!own || !invite) return 'not-yet';
      if (own['inviteId'] === inviteId) return 'already';
      if (invite.revoked) return 'revoked';
      doc.transact(() => {
        setFields(doc, memberRecordId(deviceId), { role: invite.role, inviteId, ...(invite.personId ? { personId: invite.personId } : {}) });
        setFields(doc, inviteRecordId(inviteId), { [`used.${deviceId}`]: now.toISOString() });
      });
      return 'applied';
    },

    /** Owners: changes a device's role. The last owner cannot stop being one. */
    setRole(deviceId: string, role: MemberRole, actor: Actor): Result {
      const denied = ensureManager(actor);
      if (denied) return denied;
      const m = byDevice().get(deviceId);
      if (!m || m.removed) return refuse('This device is not an active member.');
      if (m.role === role) return { ok: true };
      const owners = activeOwners(all());
      if (m.role === 'owner' && owners.length === 1) return refuse('This is the last owner’s device. Make another device an owner first.');
      setFields(doc, memberRecordId(deviceId), { role });
      return { ok: true };
    },

    /**
     * Owners: marks devices removed. The caller then rotates the workspace
     * secret (src/sync/rotation.ts): until then the removed devices can still sync.
     */
    removeDevices(deviceIds: readonly string[], actor: Actor, keyEpoch: number, now: Date = new Date()): Result {
      const denied = ensureManager(actor);
      if (denied) return denied;
      const targets = deviceIds.map((d) => byDevice().get(d)).filter((m): m is Member => !!m && !m.removed);
      if (targets.length === 0) return refuse('There is no active device to remove.');
      if (targets.some((m) => m.deviceId === actor.deviceId)) return refuse('A device cannot remove itself. Ask another owner to remove it.');
      const ownersLeft = activeOwners(all()).filter((m) => !targets.includes(m));
      if (ownersLeft.length === 0) return refuse('This would leave the workspace without an owner.');
      doc.transact(() => {
        for (const m of targets) setFields(doc, memberRecordId(m.deviceId), { removed: true, removedBy: actor.deviceId, removedAt: now.toISOString(), removedEpoch: keyEpoch });
      });
      return { ok: true };
    },

    /** Only while the workspace has no active owner: this device becomes one. */
    claimOwnership(deviceId: string): Result {
      if (hasOwner()) return refuse('This workspace already has an owner.');
      const m = byDevice().get(deviceId);
      if (!m || m.removed) return refuse('This device is not an active member yet; wait for it to register.');
      setFields(doc, memberRecordId(deviceId), { role: 'owner' });
      return { ok: true };
    },

    /** After a successful rotation: the epoch the workspace key is now at. */
    recordRotation(epoch: number, actor: { deviceId: string }, now: Date = new Date()): void {
      if (epoch <= keyEpoch()) return;
      const fields = { type: 'keys', epoch, rotatedAt: now.toISOString(), rotatedBy: actor.deviceId };
      if (readFields(doc, KEYS_RECORD)) setFields(doc, KEYS_RECORD, fields);
      else createRecord(doc, KEYS_RECORD, fields);
    },
  };
}

export type MemberStore = ReturnType<typeof createMemberStore>;
