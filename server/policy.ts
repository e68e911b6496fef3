import * as decoding from 'lib0/decoding';
import { messageYjsSyncStep1, messageYjsSyncStep2, messageYjsUpdate } from 'y-protocols/sync';
// The client's constants: the relay speaks the protocol of the y-websocket it serves (one Yjs, see docs/RELAY.md).
import { messageSync } from 'y-websocket';
import * as Y from 'yjs';

/**
 * What a connection to a room may do, by the room's register (`<workspaceId>.<register>`): one table,
 * a row per register that differs from DEFAULT_POLICY. The relay (server/relay.ts) asks it when a
 * room opens and for every frame; it never names a register. A row says
 *
 *   open   who may open the room: `members` (the workspace credential), or `members-or-link` (also
 *          the register's public-link token, which opens that room of that workspace and nothing
 *          else), with what link sockets may send;
 *   write  what a frame may change: `any` (the library applies it), or `add-only` (only new JSON
 *          values under new keys of the named maps; nothing deleted or replaced), with its size limit.
 *
 * Per-register read and write rights (issue 18) are further kinds of `open` and `write` here, and
 * rows of this table: the relay's gate stays as it is.
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

export interface RoomPolicy {
  open: OpenRule;
  write: WriteRule;
}

/** Every register without a row: members open it, and write what the library accepts. */
export const DEFAULT_POLICY: RoomPolicy = { open: { who: 'members' }, write: { rule: 'any' } };

export interface PolicyTable {
  of(register: string): RoomPolicy;
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
 * `reason` is for the client's close frame, `detail` for the log.
 */
export function writeRefusal(policy: RoomPolicy, doc: Y.Doc, frame: Uint8Array, viaLink: boolean): { reason: string; detail: string } | null {
  const write = policy.write;
  if (write.rule === 'any') return viaLink && frame[0] !== messageSync ? { reason: 'not allowed on a public link', detail: 'only sync messages on a public link' } : null;
  const problem = addOnlyProblem(write, doc, frame, viaLink);
  if (problem === null) return null;
  return { reason: problem.startsWith(write.valueTooLarge) ? problem : `not allowed in ${write.room}`, detail: problem };
}

/**
 * The add-only rule: an update may only ADD new JSON values under new keys of the allowed root maps;
 * no deletion, no overwrite, no nested type, whoever sends it. A public-link socket may only read
 * (sync step 1) and add: no awareness.
 */
function addOnlyProblem(rule: AddOnlyRule, doc: Y.Doc, frame: Uint8Array, viaLink: boolean): string | null {
  const d = decoding.createDecoder(frame);
  if (decoding.readVarUint(d) !== messageSync) return viaLink ? 'only sync messages on a public link' : null;
  const step = decoding.readVarUint(d);
  if (step === messageYjsSyncStep1) return null;
  if (step !== messageYjsSyncStep2 && step !== messageYjsUpdate) return 'unknown sync message';
  const { structs, ds } = Y.decodeUpdate(decoding.readVarUint8Array(d));
  if (ds.clients.size > 0) return `nothing is ever deleted in ${rule.room}`;
  const allowed = viaLink ? rule.linkMaps : rule.memberMaps;
  const seen = new Set<string>();
  for (const s of structs) {
    if (!(s instanceof Y.Item)) return 'only new values can be added';
    // In a decoded update, a root type's child names its parent by the type's name.
    const parent = s.parent as unknown;
    if (typeof parent !== 'string' || !allowed.has(parent) || typeof s.parentSub !== 'string') return `only ${[...allowed].join(', ')} can be added to`;
    if (s.origin !== null || s.rightOrigin !== null || !(s.content instanceof Y.ContentAny)) return 'only new values can be added';
    if (Buffer.byteLength(JSON.stringify(s.content.arr)) > rule.maxValueBytes) return `${rule.valueTooLarge} ${rule.maxValueBytes} bytes`;
    const key = `${parent}\u0000${s.parentSub}`;
    const existing = doc.share.get(parent) as Y.Map<unknown> | undefined;
    if (seen.has(key) || existing?._map.has(s.parentSub)) return `a value in ${rule.room} is never replaced`;
    seen.add(key);
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
