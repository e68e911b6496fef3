import { isRecord } from './is-record';
import { ROLES, type Role } from './permissions';
import { sha256HexSync } from './sha256';
import { canonicalJson } from './signoff';

/*
 * The signed membership log (issue 17). Pure: no Yjs, no DOM, no WebCrypto.
 * Signatures are checked before the fold (src/crypto/membership.ts) and
 * handed in as `sigOk`; this file decides what the valid entries mean.
 *
 * Every entry is signed by one key and names the log's tips its writer had
 * seen (`after`), so the log is a graph of what each device knew when it
 * wrote. An entry's id is the hex SHA-256 of its canonical JSON without `sig`.
 *
 *   genesis   the root owner device (the workspace's creator, or the owner who
 *             signed an existing workspace's member list): self-signed
 *   grant     this device key belongs to this person with this role
 *             (owner: any role; manager: staff). `vouch` marks a grant made
 *             when an existing workspace was migrated.
 *   role      a device's role changes (owner)
 *   remove    a device key leaves for good (owner); it never comes back
 *   officer   a person is designated or undesignated disciplinary officer (owner)
 *   invite    one-time, expiring, bound to a person (or a name) and a role,
 *             signed by the inviter (owner: any role; manager: staff)
 *   revoke    an invite stops working (owner, or the key that made it)
 *   redeem    the joiner's new key takes up an invite: self-signed
 *   recovery  an owner sets up a recovery key (its private half sealed under
 *             the recovery code, src/crypto/recovery.ts)
 *   recover   the recovery key enrols a new owner device; the key is then spent
 *
 * An entry is valid when its signature verifies, every entry it names has
 * arrived, and its signer held the right to make it in the state of its own
 * past (the entries it names, transitively): "the right at that point".
 * Concurrent entries (neither in the other's past) merge deterministically:
 *   - a removal wins over anything concurrent: a removed key stays removed;
 *   - two concurrent role changes of one device: the lesser role wins;
 *   - two concurrent officer entries of one person: undesignated wins;
 *   - two devices redeeming one invite: the first in log order (depth, then
 *     id) joins, the other does not.
 */

export const MEMBERSHIP_CONTEXT = 'membership';

export interface DeviceKeys {
  deviceId: string;
  /** base64url raw public signing key (src/crypto/signing.ts). */
  signKey: string;
  alg: 'Ed25519' | 'ES256';
  /** base64url raw ECDH P-256 public key, for envelopes (src/crypto/envelope.ts). */
  boxKey?: string;
}

interface Base {
  v: 1;
  /** Workspace id: an entry signed for one workspace means nothing in another. */
  ws: string;
  /** Ids of the tips of the log its writer had seen (sorted). Empty for a genesis. */
  after: string[];
  /** ISO time on the writer's clock. */
  at: string;
  /** Key id (signingKeyId) of the signer. */
  by: string;
  /** base64url signature of signingInput('membership', id). */
  sig: string;
}

export type MembershipPayload =
  | { type: 'genesis'; device: DeviceKeys; name: string; personId?: string }
  | { type: 'grant'; device: DeviceKeys; name: string; personId?: string; role: Role; vouch?: true }
  | { type: 'role'; deviceId: string; role: Role }
  | { type: 'remove'; deviceId: string; reason?: string }
  | { type: 'officer'; personId: string; designated: boolean }
  | { type: 'invite'; invite: string; name: string; personId?: string; role: Role; expires: string }
  | { type: 'revoke'; invite: string }
  | { type: 'redeem'; invite: string; device: DeviceKeys; name: string }
  | { type: 'recovery'; recoveryKey: string; alg: 'Ed25519' | 'ES256'; sealed: string; salt: string }
  | { type: 'recover'; device: DeviceKeys; name: string; personId?: string };

export type MembershipType = MembershipPayload['type'];
export type MembershipEntry = Base & MembershipPayload;
/** An entry before it is signed. */
export type MembershipDraft = Omit<Base, 'sig'> & MembershipPayload;

/** A device as the log makes it: who it belongs to, its role, and since when. */
export interface MemberDevice {
  deviceId: string;
  /** signingKeyId of signKey. */
  keyId: string;
  signKey: string;
  alg: 'Ed25519' | 'ES256';
  boxKey?: string;
  name: string;
  personId?: string;
  role: Role;
  /** ISO time (signer's clock) of the entry that gave it its current role. */
  roleSince: string;
  /** How it joined. */
  via: 'genesis' | 'grant' | 'vouch' | 'invite' | 'recovery';
  /** Key id that vouched for it (itself for a genesis, the recovery key for a recovery). */
  grantedBy: string;
  grantedAt: string;
  /** Id of the entry that made it a member. */
  entry: string;
  removed?: { by: string; at: string; entry: string };
}

export interface InviteState {
  id: string;
  entry: string;
  by: string;
  name: string;
  personId?: string;
  role: Role;
  expires: string;
  at: string;
  revoked?: { by: string; at: string };
  /** The device that took it up (the winner when two redeemed it at once). */
  redeemedBy?: string;
}

export interface RecoveryKey {
  keyId: string;
  publicKey: string;
  alg: 'Ed25519' | 'ES256';
  sealed: string;
  salt: string;
  entry: string;
  setBy: string;
  at: string;
  /** Set once used: a recovery key enrols one device. */
  spent?: string;
}

export interface Refusal {
  id: string;
  type: string;
  by: string;
  at: string;
  /** A sentence for the Members screen and the verifier. */
  reason: string;
}

export interface MembershipState {
  /** Key id of the root owner device (undefined: no genesis yet). */
  root?: string;
  devices: ReadonlyMap<string, MemberDevice>;
  /** keyId → device (removed ones included, so old signatures still name their device). */
  byKey: ReadonlyMap<string, MemberDevice>;
  /** Designated officers: person id → since (ISO). */
  officers: ReadonlyMap<string, string>;
  invites: ReadonlyMap<string, InviteState>;
  recoveryKeys: ReadonlyMap<string, RecoveryKey>;
}

export interface MembershipLog {
  /** The state with every valid entry. */
  current: MembershipState;
  /** Ids of entries nothing valid builds on: what a new entry names in `after`. */
  tips: string[];
  /** Every entry by id, parsed. */
  entries: ReadonlyMap<string, MembershipEntry>;
  valid: ReadonlySet<string>;
  /** Entries refused and why, in log order: shown, never silently dropped. */
  refused: Refusal[];
  /** Entries whose past has not arrived yet. */
  waiting: string[];
  /** The state as of the given tips (their past, inclusive): what a signer held "at the time". Unknown ids are skipped. */
  at(tips: readonly string[]): MembershipState;
}

// ---------------------------------------------------------------- ids and shapes

/** The id of an entry: hex SHA-256 of its canonical JSON without `sig`. */
export function membershipId(entry: MembershipDraft | MembershipEntry): string {
  const { sig: _sig, ...rest } = entry as MembershipEntry;
  return sha256HexSync(canonicalJson(rest));
}

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 4096;
const optStr = (v: unknown) => v === undefined || str(v);
const isRole = (v: unknown): v is Role => typeof v === 'string' && (ROLES as readonly string[]).includes(v);
const isAlg = (v: unknown): v is 'Ed25519' | 'ES256' => v === 'Ed25519' || v === 'ES256';
const isIso = (v: unknown): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v));

function isDeviceKeys(v: unknown): v is DeviceKeys {
  return isRecord(v) && str(v['deviceId']) && str(v['signKey']) && isAlg(v['alg']) && optStr(v['boxKey']);
}

/** The entry when `raw` has the shape of one, else why not. */
export function parseMembershipEntry(raw: unknown): MembershipEntry | string {
  if (!isRecord(raw)) return 'it is not an entry';
  if (raw['v'] !== 1) return 'it has an unknown version';
  if (!str(raw['ws'])) return 'it names no workspace';
  if (!Array.isArray(raw['after']) || !raw['after'].every((a) => typeof a === 'string' && /^[0-9a-f]{64}$/.test(a))) return 'its list of earlier entries is malformed';
  if (!isIso(raw['at'])) return 'it has no valid time';
  if (!str(raw['by'])) return 'it names no signer';
  if (!str(raw['sig'])) return 'it is not signed';
  const ok = (() => {
    switch (raw['type']) {
      case 'genesis':
        return isDeviceKeys(raw['device']) && str(raw['name']) && optStr(raw['personId']);
      case 'grant':
        return isDeviceKeys(raw['device']) && str(raw['name']) && optStr(raw['personId']) && isRole(raw['role']) && (raw['vouch'] === undefined || raw['vouch'] === true);
      case 'role':
        return str(raw['deviceId']) && isRole(raw['role']);
      case 'remove':
        return str(raw['deviceId']) && optStr(raw['reason']);
      case 'officer':
        return str(raw['personId']) && typeof raw['designated'] === 'boolean';
      case 'invite':
        return str(raw['invite']) && str(raw['name']) && optStr(raw['personId']) && isRole(raw['role']) && isIso(raw['expires']);
      case 'revoke':
        return str(raw['invite']);
      case 'redeem':
        return str(raw['invite']) && isDeviceKeys(raw['device']) && str(raw['name']);
      case 'recovery':
        return str(raw['recoveryKey']) && isAlg(raw['alg']) && str(raw['sealed']) && str(raw['salt']);
      case 'recover':
        return isDeviceKeys(raw['device']) && str(raw['name']) && optStr(raw['personId']);
      default:
        return false;
    }
  })();
  return ok ? (raw as unknown as MembershipEntry) : `it is not a well-formed ${typeof raw['type'] === 'string' ? raw['type'] : 'membership'} entry`;
}

/**
 * The public key that must have signed `entry`, found among `entries`:
 * the entry's own device key for a genesis and a redeem, a recovery key for
 * a recover, else the key `by` names in any grant-like entry. The fold still
 * checks that the signer held the right; this only says which key to try.
 */
export function signerKeyOf(entry: MembershipEntry, keys: ReadonlyMap<string, { publicKey: string; alg: 'Ed25519' | 'ES256' }>): { publicKey: string; alg: 'Ed25519' | 'ES256' } | undefined {
  if (entry.type === 'genesis' || entry.type === 'redeem') return { publicKey: entry.device.signKey, alg: entry.device.alg };
  return keys.get(entry.by);
}

/** Every public key the entries declare, by key id (device keys and recovery keys), for signature checks. */
export function declaredKeys(entries: Iterable<MembershipEntry>, keyIdOf: (k: { publicKey: string; alg: 'Ed25519' | 'ES256' }) => string) {
  const keys = new Map<string, { publicKey: string; alg: 'Ed25519' | 'ES256' }>();
  for (const e of entries) {
    if (e.type === 'genesis' || e.type === 'grant' || e.type === 'redeem' || e.type === 'recover') {
      const k = { publicKey: e.device.signKey, alg: e.device.alg };
      keys.set(keyIdOf(k), k);
    } else if (e.type === 'recovery') {
      const k = { publicKey: e.recoveryKey, alg: e.alg };
      keys.set(keyIdOf(k), k);
    }
  }
  return keys;
}

// ---------------------------------------------------------------- the fold

const RANK: Record<Role, number> = { staff: 0, manager: 1, owner: 2 };

export interface ReadOptions {
  /** The workspace the log belongs to; entries for another are refused. */
  workspace: string;
  /** Key id of the root owner device this device trusts (from the join link, or pinned). Undefined: the first genesis. */
  root?: string;
  /** Whether the entry with this id carries a valid signature by the key it must have (see signerKeyOf). */
  sigOk: (id: string) => boolean;
  /** Whether the key that must have signed it is not in the log yet (its grant has not arrived): it waits, it is not forged. */
  sigPending?: (id: string) => boolean;
  /** signingKeyId (src/crypto/signing.ts), passed in so this file stays free of WebCrypto. */
  keyIdOf: (key: { publicKey: string; alg: 'Ed25519' | 'ES256' }) => string;
}

interface Node {
  id: string;
  e: MembershipEntry;
  depth: number;
  /** Ids of every entry in its past (transitively), itself excluded. */
  past: Set<string>;
}

/**
 * Reads the log: checks every entry in log order against the state of its
 * own past, and folds the valid ones.
 *
 * @example
 * const log = readMembership(rawEntries, { workspace, root, sigOk, keyIdOf: signingKeyId });
 * log.current.devices.get(deviceId)?.role; // 'owner' | 'manager' | 'staff', undefined when not a member
 * log.refused; // [{ id, type, reason: 'signed by a member of staff: only an owner can change roles' }]
 */
export function readMembership(raw: Iterable<unknown>, opts: ReadOptions): MembershipLog {
  const entries = new Map<string, MembershipEntry>();
  /** Entries whose signer's key has not arrived: they wait, as an entry whose past has not arrived does. */
  const unkeyed = new Set<string>();
  const refused: Refusal[] = [];
  const refuse = (id: string, e: { type?: unknown; by?: unknown; at?: unknown }, reason: string) =>
    refused.push({ id, type: String(e.type ?? ''), by: String(e.by ?? ''), at: String(e.at ?? ''), reason });

  for (const r of raw) {
    const parsed = parseMembershipEntry(r);
    if (typeof parsed === 'string') {
      const o = isRecord(r) ? r : {};
      refuse(isRecord(r) ? membershipId(r as unknown as MembershipEntry) : '', o, parsed);
      continue;
    }
    const id = membershipId(parsed);
    if (entries.has(id)) continue;
    if (parsed.ws !== opts.workspace) {
      refuse(id, parsed, 'it was signed for another workspace');
      continue;
    }
    if (!opts.sigOk(id)) {
      if (opts.sigPending?.(id)) {
        unkeyed.add(id);
        refuse(id, parsed, 'it builds on entries that have not arrived yet');
      } else refuse(id, parsed, 'its signature does not verify');
      continue;
    }
    entries.set(id, parsed);
  }

  // Depth and past; entries whose past has not all arrived wait.
  const nodes = new Map<string, Node>();
  const waiting = new Set<string>();
  const visiting = new Set<string>();
  const visit = (id: string): Node | undefined => {
    const done = nodes.get(id);
    if (done) return done;
    const e = entries.get(id);
    if (!e || waiting.has(id) || visiting.has(id)) {
      if (e) waiting.add(id);
      return undefined;
    }
    visiting.add(id);
    const past = new Set<string>();
    let depth = 0;
    let complete = true;
    for (const p of e.after) {
      const n = visit(p);
      if (!n) {
        complete = false;
        continue;
      }
      past.add(p);
      for (const q of n.past) past.add(q);
      depth = Math.max(depth, n.depth + 1);
    }
    visiting.delete(id);
    if (!complete) {
      waiting.add(id);
      return undefined;
    }
    const node = { id, e, depth, past };
    nodes.set(id, node);
    return node;
  };
  for (const id of entries.keys()) visit(id);
  const order = [...nodes.values()].sort((a, b) => a.depth - b.depth || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  // The root: the one this device trusts, or else the first genesis in log order.
  const firstGenesis = order.find((n) => n.e.type === 'genesis');
  const root = opts.root ?? (firstGenesis ? opts.keyIdOf({ publicKey: (firstGenesis.e as { device: DeviceKeys }).device.signKey, alg: (firstGenesis.e as { device: DeviceKeys }).device.alg }) : undefined);

  const valid = new Set<string>();
  for (const n of order) {
    const state = reduce(order, valid, n.past, root, opts.keyIdOf);
    const reason = check(n.e, state, root, opts.keyIdOf);
    if (reason) refuse(n.id, n.e, reason);
    else valid.add(n.id);
  }
  for (const id of waiting) {
    const e = entries.get(id)!;
    refuse(id, e, 'it builds on entries that have not arrived yet');
  }
  for (const id of unkeyed) waiting.add(id);

  const all = new Set(order.map((n) => n.id));
  const current = reduce(order, valid, all, root, opts.keyIdOf);
  // Redeems that lost a race for their invite are shown as refused too.
  for (const n of order) {
    if (!valid.has(n.id) || n.e.type !== 'redeem') continue;
    const inv = current.invites.get(n.e.invite);
    if (inv?.redeemedBy !== n.e.device.deviceId) refuse(n.id, n.e, 'another device took up this invite first');
  }
  const builtOn = new Set<string>();
  for (const n of order) if (valid.has(n.id)) for (const p of n.e.after) builtOn.add(p);
  const tips = order.filter((n) => valid.has(n.id) && !builtOn.has(n.id)).map((n) => n.id).sort();
  const position = new Map(order.map((n, i) => [n.id, i]));
  refused.sort((a, b) => (position.get(a.id) ?? -1) - (position.get(b.id) ?? -1));

  return {
    current,
    tips,
    entries,
    valid,
    refused,
    waiting: [...waiting].sort(),
    at(at: readonly string[]): MembershipState {
      const past = new Set<string>();
      for (const t of at) {
        const n = nodes.get(t);
        if (!n) continue;
        past.add(t);
        for (const q of n.past) past.add(q);
      }
      return reduce(order, valid, past, root, opts.keyIdOf);
    },
  };
}

interface Draft extends MembershipState {
  devices: Map<string, MemberDevice>;
  byKey: Map<string, MemberDevice>;
  officers: Map<string, string>;
  invites: Map<string, InviteState>;
  recoveryKeys: Map<string, RecoveryKey>;
}

/** The state made by the valid entries of `scope`, in log order. */
function reduce(order: readonly Node[], valid: ReadonlySet<string>, scope: ReadonlySet<string>, root: string | undefined, keyIdOf: ReadOptions['keyIdOf']): MembershipState {
  const s: Draft = { root, devices: new Map(), byKey: new Map(), officers: new Map(), invites: new Map(), recoveryKeys: new Map() };
  const inScope = order.filter((n) => scope.has(n.id) && valid.has(n.id));
  // Role- and officer-setting entries per target, to resolve concurrency after the pass.
  const roleSetters = new Map<string, Array<{ n: Node; role: Role }>>();
  const officerSetters = new Map<string, Array<{ n: Node; designated: boolean }>>();
  const addRole = (deviceId: string, n: Node, role: Role) => roleSetters.set(deviceId, [...(roleSetters.get(deviceId) ?? []), { n, role }]);
  const join = (n: Node, keys: DeviceKeys, name: string, personId: string | undefined, role: Role, via: MemberDevice['via'], grantedBy: string) => {
    if (s.devices.has(keys.deviceId)) return;
    const keyId = keyIdOf({ publicKey: keys.signKey, alg: keys.alg });
    if (s.byKey.has(keyId)) return;
    const d: MemberDevice = {
      deviceId: keys.deviceId,
      keyId,
      signKey: keys.signKey,
      alg: keys.alg,
      ...(keys.boxKey ? { boxKey: keys.boxKey } : {}),
      name,
      ...(personId ? { personId } : {}),
      role,
      roleSince: n.e.at,
      via,
      grantedBy,
      grantedAt: n.e.at,
      entry: n.id,
    };
    s.devices.set(d.deviceId, d);
    s.byKey.set(keyId, d);
    addRole(d.deviceId, n, role);
  };
  const removals: Node[] = [];
  for (const n of inScope) {
    const e = n.e;
    switch (e.type) {
      case 'genesis':
        join(n, e.device, e.name, e.personId, 'owner', 'genesis', e.by);
        break;
      case 'grant':
        join(n, e.device, e.name, e.personId, e.role, e.vouch ? 'vouch' : 'grant', e.by);
        break;
      case 'role':
        addRole(e.deviceId, n, e.role);
        break;
      case 'remove':
        removals.push(n);
        break;
      case 'officer':
        officerSetters.set(e.personId, [...(officerSetters.get(e.personId) ?? []), { n, designated: e.designated }]);
        break;
      case 'invite':
        if (!s.invites.has(e.invite)) s.invites.set(e.invite, { id: e.invite, entry: n.id, by: e.by, name: e.name, ...(e.personId ? { personId: e.personId } : {}), role: e.role, expires: e.expires, at: e.at });
        break;
      case 'revoke': {
        const inv = s.invites.get(e.invite);
        if (inv && !inv.revoked) inv.revoked = { by: e.by, at: e.at };
        break;
      }
      case 'redeem': {
        const inv = s.invites.get(e.invite);
        if (!inv || inv.redeemedBy) break; // first in log order wins
        inv.redeemedBy = e.device.deviceId;
        join(n, e.device, e.name, inv.personId, inv.role, 'invite', inv.by);
        break;
      }
      case 'recovery': {
        const keyId = keyIdOf({ publicKey: e.recoveryKey, alg: e.alg });
        if (!s.recoveryKeys.has(keyId)) s.recoveryKeys.set(keyId, { keyId, publicKey: e.recoveryKey, alg: e.alg, sealed: e.sealed, salt: e.salt, entry: n.id, setBy: e.by, at: e.at });
        break;
      }
      case 'recover': {
        const rk = s.recoveryKeys.get(e.by);
        if (!rk || rk.spent) break;
        rk.spent = e.device.deviceId;
        join(n, e.device, e.name, e.personId, 'owner', 'recovery', e.by);
        break;
      }
    }
  }
  // Roles: the newest setters (none in another's past); concurrent ones → the lesser role.
  for (const [deviceId, setters] of roleSetters) {
    const d = s.devices.get(deviceId);
    if (!d) continue;
    const newest = setters.filter((a) => !setters.some((b) => b !== a && b.n.past.has(a.n.id)));
    const pick = newest.reduce((a, b) => (RANK[b.role] < RANK[a.role] || (RANK[b.role] === RANK[a.role] && b.n.e.at < a.n.e.at) ? b : a));
    d.role = pick.role;
    d.roleSince = pick.n.e.at;
  }
  for (const [personId, setters] of officerSetters) {
    const newest = setters.filter((a) => !setters.some((b) => b !== a && b.n.past.has(a.n.id)));
    if (newest.every((x) => x.designated)) s.officers.set(personId, newest.map((x) => x.n.e.at).sort()[0]!);
  }
  // Removal wins: whatever else is in scope, a removed device stays removed.
  for (const n of removals) {
    const e = n.e as { deviceId: string };
    const d = s.devices.get(e.deviceId);
    if (d && !d.removed) d.removed = { by: n.e.by, at: n.e.at, entry: n.id };
  }
  return s;
}

const activeOwnerCount = (s: MembershipState) => [...s.devices.values()].filter((d) => !d.removed && d.role === 'owner').length;

/** Why `e` is refused in the state of its past, or undefined when its signer held the right. */
function check(e: MembershipEntry, s: MembershipState, root: string | undefined, keyIdOf: ReadOptions['keyIdOf']): string | undefined {
  const ownKey = (k: DeviceKeys) => keyIdOf({ publicKey: k.signKey, alg: k.alg });
  const isNew = (k: DeviceKeys): string | undefined => {
    const old = s.devices.get(k.deviceId);
    if (old?.removed) return 'that device was removed: a removed device never comes back (it joins again with a new key)';
    if (old) return 'that device is already a member';
    const holder = s.byKey.get(ownKey(k));
    if (holder?.removed) return 'that key was removed: a removed key never comes back (the device joins again with a new key)';
    if (holder) return 'that key already belongs to a member';
    return undefined;
  };
  if (e.type === 'genesis') {
    if (e.by !== ownKey(e.device)) return 'a workspace’s first owner signs its own entry';
    if (s.root && s.devices.size > 0) return 'the workspace already has a root owner';
    if (ownKey(e.device) !== root) return 'it is not the root owner this device trusts (another device created this workspace)';
    return e.after.length ? 'a first entry builds on nothing' : undefined;
  }
  if (s.devices.size === 0) return 'it comes before the workspace’s first owner';
  if (e.type === 'redeem') {
    if (e.by !== ownKey(e.device)) return 'the joining device signs its own redemption';
    const inv = s.invites.get(e.invite);
    if (!inv) return 'it takes up an invite this log does not hold';
    if (inv.revoked) return 'the invite was revoked';
    if (inv.redeemedBy) return 'the invite was already used: an invite works once';
    if (e.at > inv.expires) return 'the invite had expired';
    return isNew(e.device);
  }
  if (e.type === 'recover') {
    const rk = s.recoveryKeys.get(e.by);
    if (!rk) return 'it is not signed by a recovery key of this workspace';
    if (rk.spent) return 'that recovery code was already used';
    return isNew(e.device);
  }
  const signer = s.byKey.get(e.by);
  if (!signer) return 'its signer is not a member';
  if (signer.removed) return 'its signer had been removed';
  const role = signer.role;
  const ownerOnly = (what: string) => (role === 'owner' ? undefined : `signed by ${role === 'manager' ? 'a manager' : 'a member of staff'}: only an owner can ${what}`);
  switch (e.type) {
    case 'grant':
      if (role === 'staff' || (role === 'manager' && e.role !== 'staff')) return `signed by ${role === 'manager' ? 'a manager' : 'a member of staff'}: ${role === 'manager' ? 'a manager adds staff only' : 'staff cannot add members'}`;
      return isNew(e.device);
    case 'role': {
      const denied = ownerOnly('change roles');
      if (denied) return denied;
      const d = s.devices.get(e.deviceId);
      if (!d || d.removed) return 'that device is not an active member';
      if (d.role === 'owner' && e.role !== 'owner' && activeOwnerCount(s) === 1) return 'it would leave the workspace without an owner';
      return undefined;
    }
    case 'remove': {
      const denied = ownerOnly('remove devices');
      if (denied) return denied;
      const d = s.devices.get(e.deviceId);
      if (!d) return 'that device is not a member';
      if (d.removed) return 'that device was already removed';
      if (d.deviceId === signer.deviceId) return 'a device cannot remove itself';
      if (d.role === 'owner' && activeOwnerCount(s) === 1) return 'it would leave the workspace without an owner';
      return undefined;
    }
    case 'officer':
      return ownerOnly('designate officers');
    case 'invite':
      if (role === 'staff' || (role === 'manager' && e.role !== 'staff')) return `signed by ${role === 'manager' ? 'a manager' : 'a member of staff'}: ${role === 'manager' ? 'a manager invites staff only' : 'staff cannot invite'}`;
      if (s.invites.has(e.invite)) return 'an invite with that id already exists';
      if (!(e.expires > e.at)) return 'it expires before it was made';
      return undefined;
    case 'revoke': {
      const inv = s.invites.get(e.invite);
      if (!inv) return 'it revokes an invite this log does not hold';
      return role === 'owner' || inv.by === e.by ? undefined : 'only an owner, or whoever made the invite, can revoke it';
    }
    case 'recovery':
      return ownerOnly('set up a recovery code');
  }
  return 'it is of an unknown kind';
}

/** A draft entry for the next change, building on `tips`. The signer fills in `sig` (src/crypto/membership.ts). */
export function membershipDraft(payload: MembershipPayload, ctx: { workspace: string; tips: readonly string[]; by: string; at?: string }): MembershipDraft {
  return { v: 1, ws: ctx.workspace, after: [...ctx.tips].sort(), at: ctx.at ?? new Date().toISOString(), by: ctx.by, ...payload } as MembershipDraft;
}
