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

/**
 * Whose records a device receives in a room with a person audience (server/audience.ts, src/ui/register.ts
 * RoomAccess): null for all (owners, managers, officers), else `{ person }` (a member of staff: its own person's;
 * null for a device the log links to no person, or one not active in it).
 */
export function audienceOf(state: MembershipState, deviceId: string): { person: string | null } | null {
  const d = state.devices.get(deviceId);
  if (!d || d.removed) return { person: null };
  if (d.role !== 'staff' || (d.personId !== undefined && state.officers.has(d.personId))) return null;
  return { person: d.personId ?? null };
}

/** audienceOf as one string, to remember and compare: 'all', or 'own:<personId>' ('own:' linked to no person). */
export const audienceName = (a: { person: string | null } | null): string => (a === null ? 'all' : `own:${a.person ?? ''}`);

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

/** A set of places in log order, as bits: a node's past costs n/8 bytes and a union n/32 steps. */
class Past {
  readonly bits: Uint32Array;
  constructor(size: number) {
    this.bits = new Uint32Array((size + 31) >>> 5);
  }
  has(i: number): boolean {
    return (this.bits[i >>> 5]! & (1 << (i & 31))) !== 0;
  }
  add(i: number): void {
    this.bits[i >>> 5]! |= 1 << (i & 31);
  }
  /** Adds `n` and its past. */
  addNode(n: Node): void {
    const b = n.past.bits;
    for (let w = 0; w < b.length; w++) this.bits[w]! |= b[w]!;
    this.add(n.i);
  }
}

interface Node {
  id: string;
  e: MembershipEntry;
  depth: number;
  /** Its place in log order. */
  i: number;
  /** Every entry in its past (transitively), itself excluded, by place in log order. */
  past: Past;
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
export function readMembership(raw: Iterable<unknown>, options: ReadOptions): MembershipLog {
  // A key id is a hash: the fold asks for the same ones again and again, so they are worked out once per read.
  // By algorithm, then by the key's own string (whose hash the engine keeps), so a look-up builds no new string.
  const ids = { Ed25519: new Map<string, string>(), ES256: new Map<string, string>() };
  const keyIdOf: ReadOptions['keyIdOf'] = (k) => {
    const byAlg = ids[k.alg] ?? new Map<string, string>();
    let id = byAlg.get(k.publicKey);
    if (id === undefined) byAlg.set(k.publicKey, (id = options.keyIdOf(k)));
    return id;
  };
  const opts = { ...options, keyIdOf };
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

  // Depth first; entries whose past has not all arrived wait.
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
    let depth = 0;
    let complete = true;
    for (const p of e.after) {
      const n = visit(p);
      if (!n) {
        complete = false;
        continue;
      }
      depth = Math.max(depth, n.depth + 1);
    }
    visiting.delete(id);
    if (!complete) {
      waiting.add(id);
      return undefined;
    }
    const node: Node = { id, e, depth, i: -1, past: undefined as unknown as Past };
    nodes.set(id, node);
    return node;
  };
  for (const id of entries.keys()) visit(id);
  const order = [...nodes.values()].sort((a, b) => a.depth - b.depth || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // Then the past, in log order: an entry's parents come before it.
  order.forEach((n, i) => (n.i = i));
  for (const n of order) {
    n.past = new Past(order.length);
    for (const p of n.e.after) n.past.addNode(nodes.get(p)!);
  }

  // The root: the one this device trusts, or else the first genesis in log order.
  const firstGenesis = order.find((n) => n.e.type === 'genesis');
  const root = opts.root ?? (firstGenesis ? opts.keyIdOf({ publicKey: (firstGenesis.e as { device: DeviceKeys }).device.signKey, alg: (firstGenesis.e as { device: DeviceKeys }).device.alg }) : undefined);

  // One pass in log order checks each entry against the state of its own past. An entry signed by a device
  // that a valid removal removed, made without having seen that removal, is then taken out and the pass made
  // again (a removal wins over what the removed device did meanwhile: a stolen phone kept offline cannot go on
  // granting on old tips). One removal at a time, in log order, so two owners removing each other at once
  // resolve the same way everywhere: the first removal stands and the other falls with its signer.
  const banned = new Set<string>();
  let pass = foldPass(order, banned, root, opts.keyIdOf);
  for (let guard = 0; guard <= order.length; guard++) {
    const more = unseenRemoval(order, pass.valid, pass.current);
    if (!more.length) break;
    for (const id of more) banned.add(id);
    pass = foldPass(order, banned, root, opts.keyIdOf);
  }
  const { valid, current } = pass;
  for (const [n, reason] of pass.reasons) refuse(n.id, n.e, reason);
  for (const id of waiting) {
    const e = entries.get(id)!;
    refuse(id, e, 'it builds on entries that have not arrived yet');
  }
  for (const id of unkeyed) waiting.add(id);

  // Redeems that lost a race for their invite, and recoveries that lost a race for their recovery key, are shown as refused too.
  for (const n of order) {
    if (!valid.has(n.id)) continue;
    if (n.e.type === 'redeem' && current.invites.get(n.e.invite)?.redeemedBy !== n.e.device.deviceId) refuse(n.id, n.e, 'another device took up this invite first');
    if (n.e.type === 'recover' && current.recoveryKeys.get(n.e.by)?.spent !== n.e.device.deviceId) refuse(n.id, n.e, 'another device used this recovery code first');
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
      const past = new Past(order.length);
      for (const t of at) {
        const n = nodes.get(t);
        if (n) past.addNode(n);
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

/** The entries of one pass: each checked against the state of its own past; `banned` ones are refused. */
function foldPass(order: readonly Node[], banned: ReadonlySet<string>, root: string | undefined, keyIdOf: ReadOptions['keyIdOf']) {
  const valid = new Set<string>();
  const reasons: Array<[Node, string]> = [];
  // The state of an entry's past: for an entry with one parent, its parent's state with the parent added
  // (kept until the parent's last such child is read); for a merge or a first entry, a pass over its past.
  const inclusive = new Map<string, Draft>();
  const singleChildren = new Map<string, number>();
  for (const n of order) if (n.e.after.length === 1) singleChildren.set(n.e.after[0]!, (singleChildren.get(n.e.after[0]!) ?? 0) + 1);
  for (const n of order) {
    let state: Draft;
    /** Whether nothing else will read `state`, so it can become this entry's own without a copy (a chain's usual case). */
    let own = false;
    const parent = n.e.after.length === 1 ? n.e.after[0]! : undefined;
    if (parent !== undefined && inclusive.has(parent)) {
      state = inclusive.get(parent)!;
      const left = singleChildren.get(parent)! - 1;
      singleChildren.set(parent, left);
      if (left === 0) {
        inclusive.delete(parent);
        own = true;
      }
    } else {
      state = reduce(order, valid, n.past, root, keyIdOf, n.i); // its past is all before it
      own = true;
    }
    const reason = banned.has(n.id) ? 'its signer was removed by an entry it had not seen: a removal wins over what the removed device did meanwhile' : check(n.e, state, root, keyIdOf);
    if (reason) reasons.push([n, reason]);
    else valid.add(n.id);
    if (singleChildren.has(n.id)) {
      const mine = own ? state : copyState(state);
      inclusive.set(n.id, reason ? mine : applyLast(mine, n, keyIdOf));
    }
  }
  return { valid, reasons, current: reduce(order, valid, { has: () => true }, root, keyIdOf) as MembershipState };
}

/** The valid entries signed by the device of the first removal (in log order) that they had not seen and that had not seen them. */
function unseenRemoval(order: readonly Node[], valid: ReadonlySet<string>, current: MembershipState): string[] {
  for (const r of order) {
    if (r.e.type !== 'remove' || !valid.has(r.id)) continue;
    const d = current.devices.get(r.e.deviceId);
    if (!d) continue;
    const hit = order.filter((n) => valid.has(n.id) && n.e.by === d.keyId && n.e.type !== 'genesis' && n.e.type !== 'redeem' && !r.past.has(n.i) && !n.past.has(r.i)).map((n) => n.id);
    if (hit.length) return hit;
  }
  return [];
}

const emptyState = (root: string | undefined): Draft => ({ root, devices: new Map(), byKey: new Map(), officers: new Map(), invites: new Map(), recoveryKeys: new Map() });

/** A copy whose maps can change without touching `s`. The values are shared: they are replaced, never changed in place. */
const copyState = (s: MembershipState): Draft => ({
  root: s.root,
  devices: new Map(s.devices),
  byKey: new Map(s.byKey),
  officers: new Map(s.officers),
  invites: new Map(s.invites),
  recoveryKeys: new Map(s.recoveryKeys),
});

const setDevice = (s: Draft, d: MemberDevice) => {
  s.devices.set(d.deviceId, d);
  s.byKey.set(d.keyId, d);
};

/**
 * The effect of an entry that does not depend on what is concurrent with it:
 * joins (genesis, grant, redeem, recover), invites, revocations, recovery
 * keys. Returns the device it made a member, if any; role, remove and officer
 * entries are left to the caller, which resolves concurrency.
 */
/** `keys` becomes a member by entry `n`, unless its device or its key already is one (the first in log order stays). */
function join(s: Draft, n: Node, keyIdOf: ReadOptions['keyIdOf'], keys: DeviceKeys, name: string, personId: string | undefined, role: Role, via: MemberDevice['via'], grantedBy: string): MemberDevice | undefined {
  if (s.devices.has(keys.deviceId)) return undefined;
  const keyId = keyIdOf({ publicKey: keys.signKey, alg: keys.alg });
  if (s.byKey.has(keyId)) return undefined;
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
  setDevice(s, d);
  return d;
}

function applyPlain(s: Draft, n: Node, keyIdOf: ReadOptions['keyIdOf']): MemberDevice | undefined {
  const e = n.e;
  switch (e.type) {
    case 'genesis':
      return join(s, n, keyIdOf, e.device, e.name, e.personId, 'owner', 'genesis', e.by);
    case 'grant':
      return join(s, n, keyIdOf, e.device, e.name, e.personId, e.role, e.vouch ? 'vouch' : 'grant', e.by);
    case 'invite':
      if (!s.invites.has(e.invite)) s.invites.set(e.invite, { id: e.invite, entry: n.id, by: e.by, name: e.name, ...(e.personId ? { personId: e.personId } : {}), role: e.role, expires: e.expires, at: e.at });
      return undefined;
    case 'revoke': {
      const inv = s.invites.get(e.invite);
      if (inv && !inv.revoked) s.invites.set(e.invite, { ...inv, revoked: { by: e.by, at: e.at } });
      return undefined;
    }
    case 'redeem': {
      const inv = s.invites.get(e.invite);
      if (!inv || inv.redeemedBy) return undefined; // first in log order wins
      s.invites.set(e.invite, { ...inv, redeemedBy: e.device.deviceId });
      return join(s, n, keyIdOf, e.device, e.name, inv.personId, inv.role, 'invite', inv.by);
    }
    case 'recovery': {
      const keyId = keyIdOf({ publicKey: e.recoveryKey, alg: e.alg });
      if (!s.recoveryKeys.has(keyId)) s.recoveryKeys.set(keyId, { keyId, publicKey: e.recoveryKey, alg: e.alg, sealed: e.sealed, salt: e.salt, entry: n.id, setBy: e.by, at: e.at });
      return undefined;
    }
    case 'recover': {
      const rk = s.recoveryKeys.get(e.by);
      if (!rk || rk.spent) return undefined;
      s.recoveryKeys.set(e.by, { ...rk, spent: e.device.deviceId });
      return join(s, n, keyIdOf, e.device, e.name, e.personId, 'owner', 'recovery', e.by);
    }
  }
  return undefined;
}

/**
 * `s` (the state of n's past) with n added, when n has every entry of `s` in
 * its past: nothing is concurrent with it, so it is the newest word on its
 * device or person. Gives what `reduce` gives over the same entries, in O(1)
 * map operations instead of a pass over the log.
 */
function applyLast(s: Draft, n: Node, keyIdOf: ReadOptions['keyIdOf']): Draft {
  const e = n.e;
  if (e.type === 'role') {
    const d = s.devices.get(e.deviceId);
    if (d) setDevice(s, { ...d, role: e.role, roleSince: e.at });
  } else if (e.type === 'remove') {
    const d = s.devices.get(e.deviceId);
    if (d && !d.removed) setDevice(s, { ...d, removed: { by: e.by, at: e.at, entry: n.id } });
  } else if (e.type === 'officer') {
    if (e.designated) s.officers.set(e.personId, e.at);
    else s.officers.delete(e.personId);
  } else applyPlain(s, n, keyIdOf);
  return s;
}

/** The state made by the valid entries of `scope`, in log order. */
function reduce(order: readonly Node[], valid: ReadonlySet<string>, scope: { has(i: number): boolean }, root: string | undefined, keyIdOf: ReadOptions['keyIdOf'], end = order.length): Draft {
  const s = emptyState(root);
  // Role- and officer-setting entries per target, to resolve concurrency after the pass.
  const roleSetters = new Map<string, Array<{ n: Node; role: Role }>>();
  const officerSetters = new Map<string, Array<{ n: Node; designated: boolean }>>();
  const push = <T>(m: Map<string, T[]>, k: string, v: T) => {
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
  };
  const removals: Node[] = [];
  for (let i = 0; i < end; i++) {
    const n = order[i]!;
    if (!scope.has(i) || !valid.has(n.id)) continue;
    const e = n.e;
    if (e.type === 'role') push(roleSetters, e.deviceId, { n, role: e.role });
    else if (e.type === 'remove') removals.push(n);
    else if (e.type === 'officer') push(officerSetters, e.personId, { n, designated: e.designated });
    else {
      const joined = applyPlain(s, n, keyIdOf);
      if (joined) push(roleSetters, joined.deviceId, { n, role: joined.role });
    }
  }
  // Roles: the newest setters (none in another's past); concurrent ones → the lesser role.
  for (const [deviceId, setters] of roleSetters) {
    const d = s.devices.get(deviceId);
    if (!d) continue;
    const newest = setters.filter((a) => !setters.some((b) => b !== a && b.n.past.has(a.n.i)));
    const pick = newest.reduce((a, b) => (RANK[b.role] < RANK[a.role] || (RANK[b.role] === RANK[a.role] && b.n.e.at < a.n.e.at) ? b : a));
    if (pick.role !== d.role || pick.n.e.at !== d.roleSince) setDevice(s, { ...d, role: pick.role, roleSince: pick.n.e.at });
  }
  for (const [personId, setters] of officerSetters) {
    const newest = setters.filter((a) => !setters.some((b) => b !== a && b.n.past.has(a.n.i)));
    if (newest.every((x) => x.designated)) s.officers.set(personId, newest.map((x) => x.n.e.at).sort()[0]!);
  }
  // Removal wins: whatever else is in scope, a removed device stays removed.
  for (const n of removals) {
    const e = n.e as { deviceId: string };
    const d = s.devices.get(e.deviceId);
    if (d && !d.removed) setDevice(s, { ...d, removed: { by: n.e.by, at: n.e.at, entry: n.id } });
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
