import { type Accessor, createEffect, createMemo, createSignal, on, onCleanup, untrack } from 'solid-js';
import { type Action, can, effectiveRole, type Role, ROLE_NAMES, signedRole, type SectionRules, teamRefusal, visiblePeople, visibleTeams, why } from '../../domain/permissions';
import type { MembershipPayload } from '../../domain/membership';
import type { WorkspaceRecord } from '../../store/device-records';
import type { WorkspaceSyncState } from '../../sync/workspace-sync';
import type { Person } from '../people/model';
import type { PeopleStore } from '../people/store';
import type { Validated } from '../../domain/validation';
import type { Invite, InviteInput } from './model';
import { inviteRefusal } from './signed-invites';
import type { MemberStore, Result } from './store';

/** What access needs of the running sync (src/sync/workspace-sync.ts). */
export interface SyncHandle {
  adopt(secret: string, epoch: number): Promise<void>;
}

/**
 * What this device may do, as the screens ask it: its role, the people whose
 * records it sees, and the owner actions that need the network (removal →
 * rotation of the workspace secret).
 *
 * @example
 * const s = useSession();
 * s.access.can('open:people');          // false for staff
 * s.access.why('open:people');          // the sentence to show instead
 * s.access.visiblePeople();             // filter lists with it
 */
export function createAccess(deps: {
  deviceId: string;
  workspace: Accessor<WorkspaceRecord>;
  members: MemberStore;
  people: PeopleStore;
  sync: Accessor<WorkspaceSyncState>;
  syncHandle: () => SyncHandle | undefined;
  /** Who may open which section (src/app/sections.ts `SECTION_RULES`). */
  sections: SectionRules;
}) {
  const { members, people } = deps;
  const me = createMemo(() => members.byDevice().get(deps.deviceId));
  const invite = createMemo(() => {
    const id = deps.workspace().inviteId;
    return id ? members.inviteById().get(id) : undefined;
  });
  /** Joined with an invite that has not reached this device yet (or not been applied). */
  const awaitingInvite = createMemo(() => !!deps.workspace().inviteId && me()?.inviteId !== deps.workspace().inviteId && !invite()?.revoked);
  /** This device as the signed log makes it (undefined: not in it, or no log yet). */
  const signedMe = createMemo(() => members.log()?.current.devices.get(deps.deviceId));
  const plainRole = () => (me()?.removed ? 'staff' : effectiveRole({ ownRole: me()?.role, hasOwner: members.hasOwner(), awaitingInvite: awaitingInvite() }));
  const cacheKey = () => `muster.role.${deps.workspace().id}`;
  const role = createMemo<Role>(() => {
    // A signed workspace: the role is the log's, never a plain field's (a record any member could write).
    if (members.signed()) return signedRole({ signed: true, device: signedMe() });
    // Not verified yet (its code loads after Home): the role this device last verified, else staff.
    if (!members.log() && members.hasSignedEntries()) return signedRole({ signed: false, cached: globalThis.localStorage?.getItem(cacheKey()) });
    return plainRole();
  });
  createEffect(() => {
    if (members.signed()) globalThis.localStorage?.setItem(cacheKey(), role());
  });
  /** The person this device belongs to: linked by its invite (or an owner), else by the name it signs with. */
  const person = createMemo<Person | undefined>(() => {
    const linked = members.signed() ? signedMe()?.personId : me()?.personId;
    const byId = linked ? people.byId().get(linked) : undefined;
    return byId ?? people.active().find((p) => p.name === deps.workspace().memberName);
  });
  const visible = createMemo(() => visiblePeople(role(), person(), people.all()));
  const visibleIds = createMemo(() => new Set(visible().map((p) => p.id)));
  const teams = createMemo(() => visibleTeams(role(), person(), people.all()));
  const teamVisible = (team: string) => {
    const t = teams();
    return !t || t.has(team);
  };
  /** The one list of teams this device offers and accepts: Home, pickers, filters. */
  const teamOptions = createMemo(() => people.teams().filter(teamVisible));

  // Apply the invite this device joined with, once the members document has it.
  createEffect(() => {
    const id = deps.workspace().inviteId;
    if (!id || !me() || !invite() || me()?.inviteId === id) return;
    untrack(() => members.acceptInvite(deps.deviceId, id));
  });
  // "Last seen" (at most hourly), once this device is listed.
  createEffect(on(() => !!me(), (listed) => listed && untrack(() => members.touch(deps.deviceId))));

  const actor = () => ({ deviceId: deps.deviceId, name: deps.workspace().memberName, role: role() });
  const keyEpoch = () => Math.max(deps.workspace().epoch ?? 0, members.keyEpoch());

  // ---- removal → rotation ----
  const [rotating, setRotating] = createSignal(false);
  const [rotationError, setRotationError] = createSignal<string>();
  let lastAutoTry = 0;

  /** Changes the workspace secret now, for every device that is not removed. */
  const rotateNow = async (): Promise<Result> => {
    if (!can(role(), 'manage-members')) return { ok: false, error: why(role(), 'manage-members')! };
    if (rotating()) return { ok: false, error: 'The key is already being changed.' };
    const handle = deps.syncHandle();
    if (!handle) return { ok: false, error: 'Sync has not started yet. Try again in a moment.' };
    if (!navigator.onLine) {
      setRotationError('You are offline. The workspace key changes when you are back online; until then removed devices can still sync.');
      return { ok: false, error: rotationError()! };
    }
    const recipients = members.keyHoldersOf().map((m) => ({ deviceId: m.deviceId, publicKey: m.publicKey! }));
    if (!recipients.some((r) => r.deviceId === deps.deviceId)) return { ok: false, error: 'This device has no key listed yet. Wait a moment and try again.' };
    setRotating(true);
    try {
      const { rotateWorkspaceSecret } = await import('../../sync/rotation');
      const ws = deps.workspace();
      const out = await rotateWorkspaceSecret({ baseUrl: location.origin, workspaceId: ws.id, currentSecret: ws.secret, epoch: keyEpoch(), recipients });
      if (!out.ok) {
        setRotationError(out.error);
        return { ok: false, error: out.error };
      }
      await handle.adopt(out.secret, out.epoch);
      members.recordRotation(out.epoch, { deviceId: deps.deviceId });
      setRotationError(undefined);
      return { ok: true };
    } finally {
      setRotating(false);
    }
  };

  /**
   * In a signed workspace: signs `payloads` with this device's key into the
   * log, and says why when the log refuses one (its signer lacked the right).
   */
  const signed = async (payloads: readonly MembershipPayload[], at?: Date): Promise<Result> => {
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

  /** Owners: a device's role; a signed entry once the list is signed (the plain field follows, for older screens). */
  const setRole = async (deviceId: string, newRole: Role): Promise<Result> => {
    if (!members.signed()) return members.setRole(deviceId, newRole, actor());
    if (!can(role(), 'manage-members')) return { ok: false, error: why(role(), 'manage-members')! };
    const d = members.log()?.current.devices.get(deviceId);
    if (!d || d.removed) return { ok: false, error: 'This device is not an active member of the signed list.' };
    if (d.role === newRole) return { ok: true };
    return signed([{ type: 'role', deviceId, role: newRole }]);
  };

  /**
   * Owners and managers: an invite (plain record, for the list) and, in a signed
   * workspace, its signed `invite` entry: one-time, expiring after `days`.
   */
  const createInvite = async (input: InviteInput, days: number, now: Date = new Date()): Promise<Validated<Invite>> => {
    if (![1, 7, 30].includes(days)) return { ok: false, errors: { expires: 'Choose when the invite expires: 1 day, 7 days or 30 days.' } };
    const r = members.createInvite(input, actor(), now);
    if (!r.ok || !members.signed()) return r;
    const i = r.value;
    const expires = new Date(now.getTime() + days * 86_400_000).toISOString();
    const w = await signed([{ type: 'invite', invite: i.id, name: i.name, ...(i.personId ? { personId: i.personId } : {}), role: i.role, expires }], now);
    if (!w.ok) {
      members.revokeInvite(i.id, actor(), now);
      return { ok: false, errors: { role: w.error } };
    }
    return r;
  };

  /** Revokes an invite: the plain record and, when the signed list holds it, a signed `revoke`. */
  const revokeInvite = async (inviteId: string): Promise<Result> => {
    const r = members.revokeInvite(inviteId, actor());
    if (!r.ok) return r;
    const inv = members.log()?.current.invites.get(inviteId);
    return members.signed() && inv && !inv.revoked ? signed([{ type: 'revoke', invite: inviteId }]) : r;
  };

  /**
   * This device's invite in the signed list: 'waiting' (not admitted yet),
   * 'joined', or the sentence saying why it did not work.
   */
  const inviteStatus = createMemo<{ kind: 'waiting' | 'joined' | 'refused'; text: string } | undefined>(() => {
    const id = deps.workspace().inviteId;
    const log = members.log();
    if (!id || !members.signed() || !log) return undefined;
    const d = signedMe();
    if (d && !d.removed) return { kind: 'joined', text: `Joined as ${ROLE_NAMES[d.role]}.` };
    const why = inviteRefusal(log.current.invites.get(id), deps.deviceId);
    return why ? { kind: 'refused', text: why } : { kind: 'waiting', text: 'Waiting to be admitted: an owner’s invite is being taken up on this device.' };
  });

  /** Owners: marks devices removed, then changes the workspace secret so they cannot sync any more. */
  const removeDevices = async (deviceIds: readonly string[]): Promise<Result & { rotated?: boolean }> => {
    if (members.signed()) {
      if (!can(role(), 'manage-members')) return { ok: false, error: why(role(), 'manage-members')! };
      const inLog = deviceIds.filter((d) => members.log()?.current.devices.get(d) && !members.log()?.current.devices.get(d)?.removed);
      const s = await signed(inLog.map((deviceId) => ({ type: 'remove' as const, deviceId })));
      if (!s.ok) return s;
    }
    const r = members.removeDevices(deviceIds, actor(), keyEpoch());
    if (!r.ok) return r;
    const rotated = await rotateNow();
    return { ok: true, rotated: rotated.ok };
  };

  // A removal this device made that is not yet followed by a new key: retry when back online or synced.
  const mine = createMemo(() => members.pendingRemovals().filter((m) => m.removedBy === deps.deviceId));
  const retry = () => {
    if (!mine().length || rotating() || !navigator.onLine || Date.now() - lastAutoTry < 30_000) return;
    lastAutoTry = Date.now();
    void rotateNow();
  };
  addEventListener('online', retry);
  onCleanup(() => removeEventListener('online', retry));
  createEffect(on(() => deps.sync().status, (status) => status === 'synced' && untrack(retry)));

  return {
    /** This device's member record (undefined until it has registered). */
    me,
    role,
    /** The person this device belongs to, if any. */
    person,
    can: (action: Action) => can(role(), action, deps.sections),
    why: (action: Action) => why(role(), action, deps.sections),
    /** People whose records this device may see (src/domain/permissions.ts visiblePeople). */
    visiblePeople: visible,
    visibleIds,
    /** Whether this device sees a team's checklists and briefings (managers: their teams; owners: all). */
    teamVisible,
    /** The teams to offer in team pickers and filters (src/registers/members/TeamPicker.tsx uses it). */
    teamOptions,
    /** Why this device may not choose `team` (not offered: another team's, or none such), else undefined. */
    teamRefusal: (team: string) => teamRefusal(role(), team, teamOptions(), people.teams()),
    /** True when nobody is an owner: everyone acts as one until someone claims it. */
    noOwner: createMemo(() => !members.signed() && !members.hasSignedEntries() && !members.hasOwner() && !awaitingInvite()),
    /** This device in the signed log, once the log has it. */
    signedMe,
    awaitingInvite,
    /** The invite this device joined with, once seen. */
    invite,
    actor,
    claimOwnership: () => members.claimOwnership(deps.deviceId),
    setRole,
    createInvite,
    revokeInvite,
    inviteStatus,
    /** Owners: writes a signed entry (src/domain/membership.ts payload) and says why if the list refuses it. */
    sign: signed,
    removeDevices,
    rotateNow,
    rotating,
    rotationError,
  };
}

export type Access = ReturnType<typeof createAccess>;
