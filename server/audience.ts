import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { messageYjsSyncStep2, messageYjsUpdate } from 'y-protocols/sync';
import { messageSync } from 'y-websocket';
import * as Y from 'yjs';
import { personIn } from '../src/domain/person-of.ts';
import { type DeleteSet, encodeUpdate, type Struct } from '../src/sync/update-codec.ts';

/*
 * A ROOM'S AUDIENCE (issue 18, docs/SECURITY.md "A staff phone holds its own records"). In a register whose room
 * access says `"audience": "person"` (training, acknowledgements, agreements, competency), each record and entry
 * is of one person or of no one (a course, a competence). A device the relay filters (a member of staff who is
 * not an officer) receives the items of its own person's records and of no one's; every other item goes to it as
 * a GC struct of the same length: the clocks it holds and the relay's are the same, so sync stays whole, and its
 * storage holds nothing of a colleague's, not even ciphertext.
 *
 * Whose an item is comes from the root item it hangs under, as the relay's copy of the room holds it:
 *   records  the sealed id's tag `@<personId>/` (`@/`: no one's), written by the device's sealer
 *            (src/sync/seal.ts); a plain record (a workspace without a content key) by its `personId` field;
 *            a sealed id without a tag is no one's to see (hidden);
 *   entries  the `for` beside a sealed entry, or a plain entry's `personId`; a sealed entry without it: hidden;
 *   sigs     the entry the signature is of (same key in `entries`).
 * Any other root type is no one's. A directory (People) is the other way round: each record is a person (its id,
 * tagged `@<id>/` by the sealer, or the plain id) and every reader receives it, except, of another person's record,
 * its private fields (tagged `!` by the sealer; in a plain room the names `private` lists) and all under them.
 * A tag is what the writer said: an owner or manager writes records, staff only
 * their own new entries (server/policy.ts), so a false tag can only show someone a record they were meant not to
 * hold by the hand of someone who holds it anyway.
 */

/**
 * A room's audience (server/room-access.json): 'person' shows staff their own and no one's records, 'person-only'
 * their own alone, 'directory' (People) every record but, of another person's, not its private fields.
 */
export type Audience = 'person' | 'person-only' | 'directory';

/** A room's rule: its audience and, for a directory, the fields of a person's record only that person receives. */
export interface RoomAudience {
  audience: Audience;
  privateFields?: ReadonlySet<string>;
}

const PERSON: RoomAudience = { audience: 'person' };

/** Who a filtered device is: the person whose records it receives (null: a device linked to no person receives only no one's). */
export interface AudienceViewer {
  person: string | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
const isSealed = (v: unknown): boolean => isObject(v) && typeof v['~'] === 'string';

/** The newest value under `key` of the root map `name`, deleted or not (undefined: none, or its content is gone). */
function valueUnder(doc: Y.Doc, name: string, key: string): unknown {
  const item = doc.share.get(name)?._map.get(key);
  if (!item || !(item.content instanceof Y.ContentAny)) return undefined;
  return item.content.arr[item.content.arr.length - 1];
}

/** Whose the root item `key` of the root map `name` is: a person id, '' for no one's, null for hidden. */
function ownerOf(doc: Y.Doc, name: string, key: string): string | null {
  if (name === 'records') {
    if (key.startsWith('@')) {
      const slash = key.indexOf('/');
      return slash > 0 ? key.slice(1, slash) : null;
    }
    if (key.startsWith('~')) return null;
    const record = doc.share.get(name)?._map.get(key);
    if (!record || !(record.content instanceof Y.ContentType)) return '';
    const fields = record.content.type._map;
    return personIn((f) => {
      const item = fields.get(f);
      return item && !item.deleted && item.content instanceof Y.ContentAny ? item.content.arr[item.content.arr.length - 1] : undefined;
    });
  }
  if (name === 'entries' || name === 'sigs') {
    const entry = valueUnder(doc, 'entries', key);
    if (entry === undefined) return name === 'sigs' ? null : '';
    if (!isObject(entry)) return '';
    if (!isSealed(entry)) return personIn((f) => entry[f]);
    return typeof entry['for'] === 'string' ? entry['for'] : null;
  }
  return '';
}

/** The struct of the room's store that holds the first clock of `id`, or undefined when the room does not hold it. */
function heldStruct(store: Y.Doc['store'], id: Y.ID): Y.Item | Y.GC | undefined {
  if (id.clock >= Y.getState(store, id.client)) return undefined;
  const structs = store.clients.get(id.client)!;
  return structs[Y.findIndexSS(structs, id.clock)] as Y.Item | Y.GC;
}

/** Whose a struct the room holds is: `true` everyone's (not under a root map's key), '' no one's, a person id, or null (hidden: unknown, or a GC struct). */
type Owner = true | string | null;

/** A directory record's person: its id's tag, or its plain id (null: sealed without a tag). */
const directoryPerson = (key: string): string | null => (key.startsWith('@') ? (key.indexOf('/') > 1 ? key.slice(1, key.indexOf('/')) : null) : key.startsWith('~') ? null : key);

function ownersIn(doc: Y.Doc, rule: RoomAudience): (held: Y.Item | Y.GC | undefined) => Owner {
  const roots = new Map<unknown, string>();
  for (const [name, type] of doc.share) roots.set(type, name);
  const owners = new Map<string, string | null>();
  return (held) => {
    if (!(held instanceof Y.Item)) return null;
    let top: Y.Item = held;
    // The item right under the root item (a record's field), for a directory's private fields.
    let field: Y.Item | null = null;
    while (top.parent instanceof Y.AbstractType && top.parent._item) {
      field = top;
      top = top.parent._item;
    }
    const name = roots.get(top.parent);
    if (name === undefined || top.parentSub === null) return true;
    if (rule.audience === 'directory') {
      if (name !== 'records' || field === null || field.parentSub === null) return true;
      const hidden = field.parentSub.startsWith('!') || (!field.parentSub.startsWith('~') && (rule.privateFields?.has(field.parentSub) ?? false));
      return hidden ? directoryPerson(top.parentSub) : true;
    }
    const at = `${name}\u0000${top.parentSub}`;
    if (!owners.has(at)) owners.set(at, ownerOf(doc, name, top.parentSub));
    return owners.get(at)!;
  };
}

const visibleTo = (owner: Owner, viewer: AudienceViewer, rule: RoomAudience): boolean =>
  owner === true || (owner === '' ? rule.audience === 'person' : owner !== null && owner === viewer.person);

interface Analysed {
  structs: Struct[];
  ds: DeleteSet;
  /** Per struct, whose it is (undefined: not an item, sent as it is). */
  owners: Array<Owner | undefined>;
}

function analyse(doc: Y.Doc, update: Uint8Array, rule: RoomAudience): Analysed {
  const { structs, ds } = Y.decodeUpdate(update);
  const ownerOfHeld = ownersIn(doc, rule);
  return { structs: structs as Struct[], ds, owners: (structs as Struct[]).map((s) => (s instanceof Y.Item ? ownerOfHeld(heldStruct(doc.store, s.id)) : undefined)) };
}

function forViewer(a: Analysed, update: Uint8Array, viewer: AudienceViewer, rule: RoomAudience): Uint8Array {
  let changed = false;
  const out = a.structs.map((s, i): Struct => {
    const owner = a.owners[i];
    if (owner === undefined || visibleTo(owner, viewer, rule)) return s;
    changed = true;
    return new Y.GC(s.id, s.length);
  });
  return changed ? encodeUpdate(out, a.ds) : update;
}

/**
 * The update as `viewer` may receive it: each item not of its person nor of no one's becomes a GC struct of the same
 * clocks; the delete set goes as it is (deleting what it holds as GC changes nothing). Call with the room's doc
 * holding the update (the relay's step 2 is made from it; a broadcast update is what the doc just integrated).
 */
export const updateForViewer = (doc: Y.Doc, update: Uint8Array, viewer: AudienceViewer, rule: RoomAudience = PERSON): Uint8Array =>
  forViewer(analyse(doc, update, rule), update, viewer, rule);

/**
 * An update from `viewer`'s device without the deletions of what it holds as GC: Yjs counts a GC struct as deleted,
 * so the delete set of a filtered device's step 2 names every colleague's item it was never sent. Those ranges are
 * not its to delete and are dropped before any rule or the library sees them; every other deletion stays, to be
 * judged as before (server/policy.ts).
 */
export function updateFromViewer(doc: Y.Doc, update: Uint8Array, viewer: AudienceViewer, rule: RoomAudience = PERSON): Uint8Array {
  const { structs, ds } = Y.decodeUpdate(update);
  const ownerOfHeld = ownersIn(doc, rule);
  const store = doc.store;
  let changed = false;
  for (const [client, ranges] of ds.clients) {
    const held = store.clients.get(client);
    const state = Y.getState(store, client);
    const kept: Array<{ clock: number; len: number }> = [];
    let dropped = false;
    for (const r of ranges) {
      const end = r.clock + r.len;
      // Beyond what the room holds: left for the rules (a deletion of what it does not hold is refused there).
      if (!held || r.clock >= state) {
        kept.push(r);
        continue;
      }
      for (let i = Y.findIndexSS(held, r.clock); i < held.length && held[i]!.id.clock < end; i++) {
        const s = held[i]!;
        const from = Math.max(r.clock, s.id.clock);
        const to = Math.min(end, s.id.clock + s.length);
        if (s instanceof Y.Item && !visibleTo(ownerOfHeld(s), viewer, rule)) dropped = true;
        else kept.push({ clock: from, len: to - from });
      }
      if (end > state) kept.push({ clock: state, len: end - state });
    }
    // encodeUpdate reads a range's clock and len only.
    if (dropped) {
      changed = true;
      ds.clients.set(client, kept as unknown as typeof ranges);
    }
  }
  return changed ? encodeUpdate(structs as Struct[], ds) : update;
}

/** A sync frame with its update (step 2 or update) rewritten by `change`; any other frame as it is. */
function rewriteSync(frame: Uint8Array, change: (update: Uint8Array) => Uint8Array): Uint8Array {
  const d = decoding.createDecoder(frame);
  if (decoding.readVarUint(d) !== messageSync) return frame;
  const step = decoding.readVarUint(d);
  if (step !== messageYjsSyncStep2 && step !== messageYjsUpdate) return frame;
  const update = decoding.readVarUint8Array(d);
  const changed = change(update);
  if (changed === update) return frame;
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, messageSync);
  encoding.writeVarUint(e, step);
  encoding.writeVarUint8Array(e, changed);
  return encoding.toUint8Array(e);
}

/** A broadcast frame, read once for all the sockets it goes to (the library sends one message object to each). */
const analysedFrames = new WeakMap<Uint8Array, Analysed>();

/** A frame the relay sends, as `viewer` may receive it (updateForViewer). */
export const frameForViewer = (doc: Y.Doc, frame: Uint8Array, viewer: AudienceViewer, rule: RoomAudience = PERSON): Uint8Array =>
  rewriteSync(frame, (u) => {
    let a = analysedFrames.get(frame);
    if (!a) analysedFrames.set(frame, (a = analyse(doc, u, rule)));
    return forViewer(a, u, viewer, rule);
  });

/** A frame from `viewer`'s device, without deletions of what it holds as GC (updateFromViewer). */
export const frameFromViewer = (doc: Y.Doc, frame: Uint8Array, viewer: AudienceViewer, rule: RoomAudience = PERSON): Uint8Array =>
  rewriteSync(frame, (u) => updateFromViewer(doc, u, viewer, rule));
