import * as decoding from 'lib0/decoding';
import { messageYjsSyncStep1, messageYjsSyncStep2, messageYjsUpdate } from 'y-protocols/sync';
// The client's constants: the relay speaks the protocol of the y-websocket it serves (one Yjs, see docs/RELAY.md).
import { messageSync } from 'y-websocket';
import * as Y from 'yjs';
import type { Role } from '../src/domain/permissions.ts';
import type { Audience, RoomAudience } from './audience.ts';

/**
 * What a connection to a room may do, by the room's register (`<workspaceId>.<register>`): one table,
 * a row per register that differs from DEFAULT_POLICY. The relay (server/relay.ts) asks it when a
 * room opens and for every frame; it never names a register. A row says
 *
 *   open   who may open the room: `members` (the workspace credential), or `members-or-link` (also
 *          the register's public-link token, which opens that room of that workspace and nothing
 *          else), with what link sockets may send;
 *   write  what a frame may change: `any` (the library applies it), or `add-only` (only new JSON
 *          values under new keys of the named maps; nothing deleted or replaced), with its size limit;
 *   access who may read and write, by the device's role in the signed member list (issue 18):
 *          rows made from server/room-access.json (server/room-access.ts). A role outside `read` may
 *          not open the room (roomRefusal); per role, `write` is `any`, `own-entries` (only new
 *          evidence entries on the device's own chain and their signatures) or missing (read-only).
 *          It applies to proven devices only (an enrolled workspace on a relay that enforces
 *          admission); a legacy or secret-only connection has no role and keeps `write` alone.
 */

/** What sockets opened with a public link may send to the room, on top of the workspace's budgets (a tenth of them, server/budgets.ts). */
export interface LinkLimits {
  /** Largest message. */
  maxMessageBytes: number;
  /** Takes what a frame adds from the room's link budget; false (nothing taken) when over it. */
  take(room: string, frame: Uint8Array): boolean;
  /** Close reason when `take` says no (a "later" code: the sender tries again). */
  overBudget: string;
}

export type OpenRule =
  | { who: 'members' }
  | { who: 'members-or-link'; isLinkToken(workspaceId: string, token: string | null): boolean; link: LinkLimits };

export interface AddOnlyRule {
  rule: 'add-only';
  /** How refusals name the room: `not allowed in ${room}`. */
  room: string;
  /** Root maps members may add to, and the (fewer) ones a public-link socket may. */
  memberMaps: ReadonlySet<string>;
  linkMaps: ReadonlySet<string>;
  /** Largest value (as JSON) anyone may add; over it the client is told `${valueTooLarge} ${maxValueBytes} bytes`. */
  maxValueBytes: number;
  valueTooLarge: string;
}

export type WriteRule = { rule: 'any' } | AddOnlyRule;

/** What a role may write to a room: the library's any, only its own new evidence entries, or (missing) nothing. */
export type RoleWrite = 'any' | 'own-entries';

export interface RoleAccess {
  /** How refusals name the room: `only your own new entries in ${register}`. */
  register: string;
  read: ReadonlySet<Role>;
  write: ReadonlyMap<Role, RoleWrite>;
  /** What a filtered device (staff) receives of the room (server/audience.ts): its own person's records, and per audience no one's, or a directory's. */
  audience?: RoomAudience;
}

export interface RoomPolicy {
  open: OpenRule;
  write: WriteRule;
  /** Rights by role; none: every member reads and writes as `write` says. */
  access?: RoleAccess;
}

/** The proven device behind a connection, for the role rules: its role (null: none in the log now) and whose key a key id is. */
export interface Writer {
  device: string;
  role: Role | null;
  deviceOfKey(keyId: string): string | null;
}

/** Close reasons of the role rules (the client matches on the codes: CLOSE_ROOM, 4400). */
export const NOT_OPEN_TO_ROLE = 'not open to your role';
export const READ_ONLY_FOR_ROLE = 'read-only for your role';
export const ownEntriesOnly = (register: string) => `only your own new entries in ${register}`;

/** Why a device of `role` may not open a room of this policy, or null. */
export function roomRefusal(policy: RoomPolicy, role: Role): string | null {
  return policy.access && !policy.access.read.has(role) ? NOT_OPEN_TO_ROLE : null;
}

/** Every register without a row: members open it, and write what the library accepts. */
export const DEFAULT_POLICY: RoomPolicy = { open: { who: 'members' }, write: { rule: 'any' } };

export interface PolicyTable {
  of(register: string): RoomPolicy;
}

/** Rows of the role table (server/room-access.ts): members open them, the role decides the rest. */
/** One register's row of server/room-access.json (server/room-access.ts reads and checks it). */
export interface AccessRow {
  read: readonly Role[];
  write: Partial<Record<Role, RoleWrite>>;
  audience?: Audience;
  private?: readonly string[];
}

export function accessRows(table: Readonly<Record<string, AccessRow>>): Record<string, RoomPolicy> {
  return Object.fromEntries(
    Object.entries(table).map(([register, r]) => [
      register,
      { ...DEFAULT_POLICY, access: { register, read: new Set(r.read), write: new Map(Object.entries(r.write) as Array<[Role, RoleWrite]>), ...(r.audience ? { audience: { audience: r.audience, ...(r.private ? { privateFields: new Set(r.private) } : {}) } } : {}) } },
    ]),
  );
}

export function createPolicyTable(rows: Record<string, RoomPolicy>): PolicyTable {
  const table = new Map(Object.entries(rows));
  return { of: (register) => table.get(register) ?? DEFAULT_POLICY };
}

/**
 * The link limits that apply when `token` opened the room as a public link, or null when it is not
 * the room's link token (the workspace credential then decides).
 */
export function linkOpening(policy: RoomPolicy, workspaceId: string, token: string | null): LinkLimits | null {
  return policy.open.who === 'members-or-link' && policy.open.isLinkToken(workspaceId, token) ? policy.open.link : null;
}

/**
 * Why the room's policy refuses a frame (which has passed frameProblem: it parses), or null.
 * `reason` is for the client's close frame, `detail` for the log. `writer`: the proven device behind the
 * connection (null: legacy or secret only, where the role rules do not apply).
 */
export function writeRefusal(policy: RoomPolicy, doc: Y.Doc, frame: Uint8Array, viaLink: boolean, writer: Writer | null = null): { reason: string; detail: string } | null {
  if (writer !== null && policy.access) {
    const refused = roleRefusal(policy.access, writer, doc, frame);
    if (refused !== null) return refused;
  }
  const write = policy.write;
  if (write.rule === 'any') return viaLink && frame[0] !== messageSync ? { reason: 'not allowed on a public link', detail: 'only sync messages on a public link' } : null;
  const problem = addOnlyProblem(write, doc, frame, viaLink);
  if (problem === null) return null;
  return { reason: problem.startsWith(write.valueTooLarge) ? problem : `not allowed in ${write.room}`, detail: problem };
}

/** The update a sync frame carries (step 2 or update), `null` for one that changes nothing (step 1, awareness, …), or why it is not a sync message we know. */
function updateOf(frame: Uint8Array): Uint8Array | null | { unknown: string } {
  const d = decoding.createDecoder(frame);
  if (decoding.readVarUint(d) !== messageSync) return null;
  const step = decoding.readVarUint(d);
  if (step === messageYjsSyncStep1) return null;
  if (step !== messageYjsSyncStep2 && step !== messageYjsUpdate) return { unknown: 'unknown sync message' };
  return decoding.readVarUint8Array(d);
}

/**
 * What an update would change in the room: its structs the room does not have yet (beyond the room's state for
 * their client), and whether it deletes anything the room holds undeleted or does not hold. An honest client's
 * step 2 repeats the whole delete set, and the structs it sends are only those the room lacks: what the room
 * already has (deleted items deleted again) changes nothing and is not counted.
 */
function changeOf(doc: Y.Doc, update: Uint8Array): { structs: Array<Y.Item | Y.GC | Y.Skip>; deletes: boolean } {
  const { structs, ds } = Y.decodeUpdate(update);
  const store = doc.store;
  const fresh = structs.filter((s) => s.id.clock + s.length > Y.getState(store, s.id.client));
  let deletes = false;
  for (const [client, ranges] of ds.clients) {
    const held = store.clients.get(client);
    const state = Y.getState(store, client);
    for (const { clock, len } of ranges) {
      if (len <= 0) continue;
      if (!held || clock + len > state) {
        deletes = true;
        break;
      }
      for (let i = Y.findIndexSS(held, clock); i < held.length && held[i]!.id.clock < clock + len; i++) {
        if (!held[i]!.deleted) {
          deletes = true;
          break;
        }
      }
      if (deletes) break;
    }
    if (deletes) break;
  }
  return { structs: fresh as Array<Y.Item | Y.GC | Y.Skip>, deletes };
}

/** One JSON value a struct adds under a new key of a root map. */
interface Addition {
  map: string;
  key: string;
  values: unknown[];
}

/**
 * The structs as new JSON values under new keys of the `allowed` root maps, or why they are something else
 * (a nested type, an overwrite, a value in another map, a key the room or the frame already has). The one
 * reading of "adds only", for the add-only rule and for `own-entries`.
 */
function additionsOf(doc: Y.Doc, structs: ReadonlyArray<Y.Item | Y.GC | Y.Skip>, allowed: ReadonlySet<string>, room: string): Addition[] | string {
  const seen = new Set<string>();
  const out: Addition[] = [];
  for (const s of structs) {
    if (!(s instanceof Y.Item)) return 'only new values can be added';
    // In a decoded update, a root type's child names its parent by the type's name.
    const parent = s.parent as unknown;
    if (typeof parent !== 'string' || !allowed.has(parent) || typeof s.parentSub !== 'string') return `only ${[...allowed].join(', ')} can be added to`;
    if (s.origin !== null || s.rightOrigin !== null || !(s.content instanceof Y.ContentAny)) return 'only new values can be added';
    const key = `${parent}\u0000${s.parentSub}`;
    const existing = doc.share.get(parent);
    if (seen.has(key) || existing?._map.has(s.parentSub)) return `a value in ${room} is never replaced`;
    seen.add(key);
    out.push({ map: parent, key: s.parentSub, values: s.content.arr });
  }
  return out;
}

/**
 * The add-only rule: an update may only ADD new JSON values under new keys of the allowed root maps;
 * no deletion, no overwrite, no nested type, whoever sends it. A public-link socket may only read
 * (sync step 1) and add: no awareness.
 */
function addOnlyProblem(rule: AddOnlyRule, doc: Y.Doc, frame: Uint8Array, viaLink: boolean): string | null {
  if (frame[0] !== messageSync) return viaLink ? 'only sync messages on a public link' : null;
  const update = updateOf(frame);
  if (update === null) return null;
  if (!(update instanceof Uint8Array)) return update.unknown;
  const { structs, deletes } = changeOf(doc, update);
  if (deletes) return `nothing is ever deleted in ${rule.room}`;
  const added = additionsOf(doc, structs, viaLink ? rule.linkMaps : rule.memberMaps, rule.room);
  if (typeof added === 'string') return added;
  for (const a of added) if (Buffer.byteLength(JSON.stringify(a.values)) > rule.maxValueBytes) return `${rule.valueTooLarge} ${rule.maxValueBytes} bytes`;
  return null;
}

/** The evidence maps a role with `own-entries` may add to (src/store/records.ts, src/store/evidence-signer.ts). */
const EVIDENCE_MAPS: ReadonlySet<string> = new Set(['entries', 'sigs']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** The device of an evidence entry's chain link (src/domain/evidence-chain.ts). */
const chainDevice = (entry: unknown): unknown => (isObject(entry) && isObject(entry['chain']) ? entry['chain']['device'] : undefined);

/** The value of a root map's key in the room (undefined: none, or deleted). */
function valueIn(doc: Y.Doc, map: string, key: string): unknown {
  const item = doc.share.get(map)?._map.get(key);
  if (!item || item.deleted) return undefined;
  const content = item.content.getContent();
  return content[content.length - 1];
}

/** The role rules (issue 18): read-only and own-entries. `any` leaves the frame to the room's write rule. */
function roleRefusal(access: RoleAccess, writer: Writer, doc: Y.Doc, frame: Uint8Array): { reason: string; detail: string } | null {
  const write = writer.role === null ? undefined : access.write.get(writer.role);
  if (write === 'any') return null;
  // Sync step 1 and awareness (bounded elsewhere) pass; only what would change the room is judged.
  const update = updateOf(frame);
  if (update === null) return null;
  const reason = write === undefined ? READ_ONLY_FOR_ROLE : ownEntriesOnly(access.register);
  if (!(update instanceof Uint8Array)) return { reason, detail: update.unknown };
  const { structs, deletes } = changeOf(doc, update);
  if (write === undefined) {
    if (structs.length > 0) return { reason, detail: `read-only (${writer.role ?? 'no role'}): the update adds ${structs.length} struct(s)` };
    if (deletes) return { reason, detail: `read-only (${writer.role ?? 'no role'}): the update deletes what the room holds` };
    return null;
  }
  if (deletes) return { reason, detail: `nothing is deleted in ${access.register}` };
  const added = additionsOf(doc, structs, EVIDENCE_MAPS, access.register);
  if (typeof added === 'string') return { reason, detail: added };
  const newEntries = new Map<string, unknown>();
  for (const a of added) if (a.map === 'entries') for (const v of a.values) newEntries.set(a.key, v);
  for (const a of added) {
    for (const v of a.values) {
      if (a.map === 'entries') {
        if (chainDevice(v) !== writer.device) return { reason, detail: `entry ${a.key} is not on the device's own chain` };
        continue;
      }
      // sigs: the device's own key, no vouch (an owner's act), for an entry on the device's own chain.
      if (!isObject(v) || typeof v['by'] !== 'string') return { reason, detail: `signature ${a.key} names no signer` };
      if (writer.deviceOfKey(v['by']) !== writer.device) return { reason, detail: `signature ${a.key} is by another device's key` };
      if ('vouch' in v) return { reason, detail: `signature ${a.key} vouches` };
      const entry = newEntries.has(a.key) ? newEntries.get(a.key) : valueIn(doc, 'entries', a.key);
      if (chainDevice(entry) !== writer.device) return { reason, detail: `signature ${a.key} is not of an entry on the device's own chain` };
    }
  }
  return null;
}

/** Values a sync frame adds (structs of its update); 0 for anything else. Call after writeRefusal accepted it. */
export function addedValues(frame: Uint8Array): number {
  const d = decoding.createDecoder(frame);
  if (decoding.readVarUint(d) !== messageSync) return 0;
  const step = decoding.readVarUint(d);
  if (step !== messageYjsSyncStep2 && step !== messageYjsUpdate) return 0;
  return Y.decodeUpdate(decoding.readVarUint8Array(d)).structs.length;
}
