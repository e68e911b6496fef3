/*
 * Member roles: who may open which section and do what. Pure: no Yjs, no DOM.
 *
 *   owner    everything: members, roles, removal, every register
 *   manager  their team(s): checklists, briefings, people, training, policies'
 *            acknowledgements; may invite staff
 *   staff    their own: Home (own gaps), My policies, Training (own), Speak up,
 *            Settings
 *
 * These rules are enforced by the app on every device. They are not a
 * cryptographic boundary: every member device holds the workspace secret and
 * the full documents (docs/SECURITY.md, "Access and rotation"). The confidential
 * registers (disciplinary, speak-up) are sealed separately.
 */

export const ROLES = ['owner', 'manager', 'staff'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, string> = { owner: 'owner', manager: 'manager', staff: 'member of staff' };

/**
 * Who may open each section, and how it is named in sentences. Derived from the
 * register descriptors by the app (src/app/sections.ts, `SECTION_RULES`): each
 * section says its roles where it is declared. A section not listed is for
 * owners only.
 */
export interface SectionRules {
  roles: Readonly<Record<string, readonly Role[]>>;
  labels: Readonly<Record<string, string>>;
}

const NO_SECTIONS: SectionRules = { roles: {}, labels: {} };

export type Action =
  | `open:${string}`
  /** Create an invite link for someone with that role. */
  | 'invite:staff'
  | 'invite:manager'
  | 'invite:owner'
  /** Change a device's role, remove devices, revoke anyone's invite. */
  | 'manage-members'
  /** Hand out the plain workspace link (it makes the joining device an owner). */
  | 'add-device'
  /** See every person's records, not only one's own or one's team's. */
  | 'see-everyone';

const ACTION_ROLES: Readonly<Record<Exclude<Action, `open:${string}`>, readonly Role[]>> = {
  'invite:staff': ['owner', 'manager'],
  'invite:manager': ['owner'],
  'invite:owner': ['owner'],
  'manage-members': ['owner'],
  'add-device': ['owner'],
  'see-everyone': ['owner'],
};

const rolesFor = (action: Action, sections: SectionRules): readonly Role[] =>
  action.startsWith('open:') ? (sections.roles[action.slice(5)] ?? ['owner']) : ACTION_ROLES[action as keyof typeof ACTION_ROLES];

export function can(role: Role, action: Action, sections: SectionRules = NO_SECTIONS): boolean {
  return rolesFor(action, sections).includes(role);
}

const who = (roles: readonly Role[]) => (roles.length === 1 ? 'an owner' : 'owners and managers');

/**
 * The sentence the app shows when `role` may not do `action`, saying who may
 * and what to do; undefined when it may.
 */
export function why(role: Role, action: Action, sections: SectionRules = NO_SECTIONS): string | undefined {
  if (can(role, action, sections)) return undefined;
  const roles = rolesFor(action, sections);
  const you = `This device has ${role === 'owner' ? 'an' : 'a'} ${ROLE_NAMES[role]}’s access.`;
  if (action.startsWith('open:')) {
    const section = action.slice(5);
    const label = sections.labels[section] ?? section;
    if (section === 'people') return `Only owners and managers can open People. ${you} Your own record shows in Home, My policies and Training.`;
    return `Only ${who(roles)} can open ${label}. ${you} Ask an owner if you need it.`;
  }
  switch (action) {
    case 'invite:staff':
      return `Only owners and managers can invite people. ${you}`;
    case 'invite:manager':
    case 'invite:owner':
      return `Only an owner can invite someone as ${action === 'invite:owner' ? 'an owner' : 'a manager'}. ${you} Invite them as staff, and an owner can change the role later.`;
    case 'manage-members':
      return `Only an owner can change roles or remove devices. ${you}`;
    case 'add-device':
      return `Only an owner can hand out the workspace link: a device that joins with it is an owner. ${you} Ask an owner to invite the person instead.`;
    case 'see-everyone':
      return role === 'manager'
        ? 'As a manager you see the people in your team and those who report to you. Owners see everyone.'
        : 'As a member of staff you see only your own records. Managers see their team’s; owners see everyone’s.';
  }
  return `Only ${who(roles)} can do this. ${you}`;
}

/** What the people-filtered lists need of a person. */
export interface Visible {
  id: string;
  team: string;
  managerId?: string;
}

/**
 * The people whose records `role` may see: owners everyone; managers the
 * people in their own team, and those whose manager they are; staff only
 * themselves. `me` is the person this device belongs to (none: nobody, except
 * for owners).
 */
export function visiblePeople<P extends Visible>(role: Role, me: Visible | undefined, people: readonly P[]): P[] {
  if (role === 'owner') return [...people];
  if (!me) return [];
  if (role === 'staff') return people.filter((p) => p.id === me.id);
  return people.filter((p) => p.id === me.id || (me.team !== '' && p.team === me.team) || p.managerId === me.id);
}

/**
 * Teams whose checklists and briefings a role sees: undefined for "every team"
 * (owners), else the teams of the people it may see (a manager's own team and
 * their direct reports' teams; nothing for staff, who do not open those screens).
 */
export function visibleTeams(role: Role, me: Visible | undefined, people: readonly Visible[]): ReadonlySet<string> | undefined {
  if (role === 'owner') return undefined;
  return new Set(visiblePeople(role, me, people).map((p) => p.team).filter((t) => t !== ''));
}

/**
 * The sentence to show at a team field when this device may not choose `team`
 * (a hand-edited link, or a form left open while the role or the team changed);
 * undefined when it may. `offered` are the teams this device offers (active
 * teams it sees, src/registers/members/access.ts `teamOptions`): every screen
 * offers and accepts exactly those.
 */
export function teamRefusal(role: Role, team: string, offered: readonly string[], allTeams: readonly string[]): string | undefined {
  if (team === '' || offered.includes(team)) return undefined;
  if (role !== 'owner' && allTeams.includes(team)) {
    if (offered.length === 0) return `${NO_TEAM} You cannot choose ${team}.`;
    const yours = offered.length === 1 ? `You manage ${offered[0]}` : `Your teams are ${offered.slice(0, -1).join(', ')} and ${offered.at(-1)}`;
    return `${yours}, not ${team}: choose one of your teams. Only a manager of ${team} or an owner can choose it.`;
  }
  return `There is no team called ${team} in People. Choose a team from the list.`;
}

/** A manager whose device sees no team: what to do. */
export const NO_TEAM =
  'You do not manage a team yet. An owner must add you as a team’s manager: in People, with your team, or as the manager of the people in it.';

/**
 * The role a device acts with:
 *  - joined with an invite it has not seen yet (the members document has not
 *    synced): staff, whatever the workspace looks like;
 *  - no active owner in the workspace (created before roles existed): owner,
 *    so that someone can claim ownership;
 *  - otherwise its own record's role (staff while it has none).
 */
export function effectiveRole(input: { ownRole?: Role | undefined; hasOwner: boolean; awaitingInvite: boolean }): Role {
  if (input.awaitingInvite) return 'staff';
  if (!input.hasOwner) return 'owner';
  return input.ownRole ?? 'staff';
}

/** Roles a device with `role` may give in an invite. */
export const invitableRoles = (role: Role): Role[] => ROLES.filter((r) => can(role, `invite:${r}`));

/**
 * The role a device acts with in a workspace whose member list is signed
 * (src/domain/membership.ts): its device's role in the log; staff when it is
 * not there (not vouched for yet, waiting to be admitted) or removed. Before
 * the log is verified on this device: the role it last verified (`cached`),
 * else staff.
 */
export function signedRole(input: { signed: true; device: { role: Role; removed?: unknown } | undefined } | { signed: false; cached: string | null | undefined }): Role {
  if (input.signed) return input.device && !input.device.removed ? input.device.role : 'staff';
  return (ROLES as readonly string[]).includes(input.cached ?? '') ? (input.cached as Role) : 'staff';
}
