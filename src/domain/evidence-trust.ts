import { linkOf } from './evidence-chain';
import type { EvidenceSig } from './evidence-sigs';
import type { MemberDevice, MembershipLog, MembershipState } from './membership';
import type { Role } from './permissions';

/*
 * Whether an evidence entry counts (issue 17 item 3). Pure: the signature is
 * checked before (src/store/evidence-signer.ts, the pack verifier) and handed
 * in as `sigOk`. An entry counts when it is signed by the key of the device
 * whose chain it is on (or vouched for by an owner when that device is no
 * longer a member), that device was a member and not removed in the state
 * the signature names (`sig.m`: "the right at the time"), and the register's
 * rule for the entry's kind allows its signer. Anything else is flagged with
 * a sentence saying who signed and what was needed; never dropped.
 */

export interface SignerInfo {
  device: MemberDevice;
  /** The membership state at the time: log.at(sig.m). */
  state: MembershipState;
  officer: boolean;
  /** The signer's person: the log's link, else the person of the name it signs with. */
  personId?: string;
}

export interface TrustLookup {
  person(id: string): { id: string; name: string; team: string; managerId?: string } | undefined;
  /**
   * The person a device signs as when the log links it to nobody: the active person of that name, as the app
   * links a device that joined with the plain workspace link (src/app/session.tsx `signer`).
   */
  personNamed?(name: string): { id: string; name: string; team: string; managerId?: string } | undefined;
  /** A record of the same register. */
  record(id: string): Record<string, unknown> | undefined;
  /** Another entry of the same register (the one a correction corrects), when it is at hand. */
  entry?(id: string): Record<string, unknown> | undefined;
  /** The people who report to this person (their `managerId`): a manager also manages their reports' teams. */
  reportsOf?(personId: string): ReadonlyArray<{ team: string }>;
}

/** undefined = allowed, else the sentence saying what was needed. */
export type RightRule = (entry: Record<string, unknown>, who: SignerInfo, look: TrustLookup) => string | undefined;

export type Verdict =
  | { ok: true; kind: 'signed' | 'vouched' | 'pending'; signer?: MemberDevice; role?: Role; since?: string }
  | { ok: false; reason: string; signer?: MemberDevice };

/** The key into a register's rules: the entry's `kind`, else `type`, else '*'. */
export function kindOf(entry: Record<string, unknown>): string {
  const k = entry['kind'] ?? entry['type'];
  return typeof k === 'string' && k ? k : '*';
}

/** "Sam Lee’s device (staff)": how a sentence names a signer. */
export function signerLabel(d: MemberDevice): string {
  return `${d.name}’s device (${d.role})`;
}

/** "Signed by Sam Lee’s device (staff)." */
export const signedBy = (d: MemberDevice) => `Signed by ${signerLabel(d)}.`;

export function judgeEntry(input: {
  register: string;
  entry: Record<string, unknown>;
  sig: EvidenceSig | undefined;
  sigOk: boolean;
  log: MembershipLog;
  rules: Readonly<Record<string, RightRule>>;
  look: TrustLookup;
  /** This device's id: its own entries not yet signed are 'pending'. */
  self?: string;
}): Verdict {
  const { entry, sig, log } = input;
  // A workspace with no genesis yet (legacy): trusted as before signing existed.
  if (!log.current.root) return { ok: true, kind: 'pending' };
  const device = linkOf(entry)?.device;
  if (!sig) {
    if (device && device === input.self) return { ok: true, kind: 'pending' };
    return { ok: false, reason: 'It is not signed by the device that wrote it.' };
  }
  const state = log.at(sig.m);
  const signer = state.byKey.get(sig.by) ?? log.current.byKey.get(sig.by);
  // A key the log has never declared cannot verify anything: say that it is not a member's, not that it was changed.
  if (!signer) return { ok: false, reason: 'It is signed by a key that was not a member of the workspace at the time.' };
  if (!input.sigOk) return { ok: false, reason: 'Its signature does not verify: it was changed after signing, or signed with another key.', signer };
  if (!state.byKey.has(sig.by)) return { ok: false, reason: 'It is signed by a key that was not a member of the workspace at the time.', signer };
  if (signer.removed) return { ok: false, reason: `${signedBy(signer)} That device had been removed from the workspace by then.`, signer };

  let who: MemberDevice = signer;
  if (sig.vouch) {
    if (signer.role !== 'owner') return { ok: false, reason: `${signedBy(signer)} Only an owner can vouch for another device’s entry.`, signer };
    const own = device ? state.devices.get(device) : undefined;
    if (own && !own.removed) return { ok: false, reason: `${signedBy(signer)} Its own device is a member and must sign it itself.`, signer };
    // The rule is judged against the device that wrote it when the log knows it (a removed member), else the vouching owner.
    if (own) who = own;
  } else if (signer.deviceId !== device) {
    return { ok: false, reason: `${signedBy(signer)} It was written on another device’s chain, so only that device can sign it.`, signer };
  }

  const rule = input.rules[kindOf(entry)] ?? input.rules['*'];
  const personId = who.personId ?? (who.name ? input.look.personNamed?.(who.name)?.id : undefined);
  const info: SignerInfo = { device: who, state, officer: !!personId && state.officers.has(personId), ...(personId ? { personId } : {}) };
  const refused = rule?.(entry, info, input.look);
  if (refused) return { ok: false, reason: `Signed by ${signerLabel(who)}. ${refused}`, signer };
  return { ok: true, kind: sig.vouch ? 'vouched' : 'signed', signer, role: signer.role, since: signer.roleSince };
}

// ---------------------------------------------------------------- rule helpers (registers' rights.ts)

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The person the signing device belongs to, as People knows them. */
export const personOf = (who: SignerInfo, look: TrustLookup) => (who.personId ? look.person(who.personId) : undefined);

/**
 * Whether the signer is a manager of `team` at the time: their person is in that team, or someone who reports to
 * them is (the teams a manager's screens offer, src/domain/permissions.ts visibleTeams).
 */
export function managesTeam(who: SignerInfo, look: TrustLookup, team: string): boolean {
  if (who.device.role !== 'manager' || !team) return false;
  if (personOf(who, look)?.team === team) return true;
  return !!who.personId && (look.reportsOf?.(who.personId) ?? []).some((p) => p.team === team);
}

/** Whether the signer is a manager of the person: their team's manager, or the one they report to. */
export function managesPerson(who: SignerInfo, look: TrustLookup, personId: string): boolean {
  if (who.device.role !== 'manager' || !who.personId) return false;
  const p = look.person(personId);
  return !!p && (p.managerId === who.personId || managesTeam(who, look, p.team));
}

/** A rule for entries about a team's record (`recordId`): a manager of that team or an owner. */
export function teamRecordRule(what: string): RightRule {
  return (entry, who, look) => {
    const team = str(look.record(str(entry['recordId']))?.['team']);
    if (who.device.role === 'owner' || managesTeam(who, look, team)) return undefined;
    return `${what} for ${team || 'a team'} needs a manager of ${team || 'that team'} or an owner.`;
  };
}

/** A rule that allows only the given roles, e.g. a policy publication: owners and managers. */
export function rolesRule(what: string, roles: readonly Role[]): RightRule {
  return (_entry, who) => (roles.includes(who.device.role) ? undefined : `${what} needs ${roles.length === 1 ? `an ${roles[0]}` : `a ${roles.slice(0, -1).join(', ')} or ${roles.at(-1)}`}.`.replace('a owner', 'an owner'));
}

/** A rule for an entry about a person (`personId`): from their own device, their manager, or an owner. */
export function personRule(what: string): RightRule {
  return (entry, who, look) => {
    const id = str(entry['personId']);
    if (who.device.role === 'owner' || (id && who.personId === id) || managesPerson(who, look, id)) return undefined;
    const name = look.person(id)?.name ?? 'that person';
    return `${what} for ${name} needs ${name}’s own device, their manager or an owner.`;
  };
}
