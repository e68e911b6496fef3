import { type Accessor, createEffect, createMemo, createSignal, on, onCleanup, untrack } from 'solid-js';
import { type Action, can, effectiveRole, type Role, signedRole, type SectionRules, teamRefusal, visiblePeople, visibleTeams, why } from '../../domain/permissions';
import type { WorkspaceRecord } from '../../store/device-records';
import type { WorkspaceSyncState } from '../../sync/workspace-sync';
import type { Person } from '../people/model';
import type { PeopleStore } from '../people/store';
import { type MemberStore, type Result, roleCacheKey } from './store';

import type { SyncHandle } from './rotate';

export type { SyncHandle } from './rotate';

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
  // Written by ./signed.ts once the log is verified: the role this device last verified.
  const cacheKey = () => roleCacheKey(deps.workspace().id);
  const role = createMemo<Role>(() => {
    // A signed workspace: the role is the log's, never a plain field's (a record any member could write).
    if (members.signed()) return signedRole({ signed: true, device: signedMe() });
    // Not verified yet (its code loads after Home): the role this device last verified, else staff.
    if (!members.log() && members.hasSignedEntries()) return signedRole({ signed: false, cached: globalThis.localStorage?.getItem(cacheKey()) });
    // Waiting outside a relay that admits enrolled devices only: it has no list at all, so it is nobody's owner
    // (its empty documents would otherwise read as a new legacy workspace, where the first device owns).
    if (deps.sync().admission === 'waiting') return 'staff';
    return plainRole();
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

  /** Changes the workspace secret now, for every device that is not removed (./rotate.ts, its own chunk). */
  const rotateNow = async (): Promise<Result> => {
    if (!can(role(), 'manage-members')) return { ok: false, error: why(role(), 'manage-members')! };
    if (rotating()) return { ok: false, error: 'The key is already being changed.' };
    setRotating(true);
    try {
      const out = await (await import('./rotate')).rotate({ deviceId: deps.deviceId, workspace: deps.workspace(), members, epoch: keyEpoch(), handle: deps.syncHandle() });
      setRotationError(out.ok ? undefined : out.error);
      return out;
    } finally {
      setRotating(false);
    }
  };

  // The owner actions on the signed list are their own chunk (./signed-actions.ts): not on Home's path.
  const actions = async () => (await import('./signed-entry')).signedActions({ members, role, actor });

  /** Owners: marks devices removed, then changes the workspace secret so they cannot sync any more. */
  const removeDevices = async (deviceIds: readonly string[]): Promise<Result & { rotated?: boolean }> => {
    if (members.signed()) {
      const s = await (await actions()).remove(deviceIds);
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
    noOwner: createMemo(() => !members.hasSignedEntries() && !members.hasOwner() && !awaitingInvite()),
    /** This device in the signed log, once the log has it. */
    signedMe,
    awaitingInvite,
    /** The invite this device joined with, once seen. */
    invite,
    actor,
    claimOwnership: () => members.claimOwnership(deps.deviceId),
    /** Signed owner actions (role, invite, revoke, sign an entry): ./signed-actions.ts, loaded on first use. */
    actions,
    removeDevices,
    rotateNow,
    rotating,
    rotationError,
  };
}

export type Access = ReturnType<typeof createAccess>;
