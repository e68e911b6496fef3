import * as Y from 'yjs';
import { personIn } from '../../domain/person-of';
import { audienceName, audienceOf, type MembershipState } from '../../domain/membership';
import { STALE_VIEW } from '../../sync/room-sync';

/*
 * What this device received of the rooms with a person audience (issue 18; server/audience.ts): `all`, or
 * `own:<personId>` (a member of staff: their own records, a colleague's only as GC structs). Remembered per
 * workspace, so that a change of role or person is seen at the next verified log: a copy made as `own` has holes
 * a wider view would never fill, and a copy made as `all` holds colleagues' records a member of staff may not
 * keep. Either way the copies are deleted and synced afresh (./signed.ts). So is the copy of a room the role may
 * no longer open at all (a demoted manager's checklists): deleted, once nothing of it waits for the relay.
 */


/**
 * The view the relay gives this device now, by the signed log (the relay reads the same: audienceOf); undefined
 * for a device not active in it (removed, or not admitted yet): the relay sends it nothing, and what it holds (its
 * unsynced edits among it) stays as it is.
 */
export function audienceView(state: MembershipState, deviceId: string): string | undefined {
  const d = state.devices.get(deviceId);
  if (!d || d.removed) return undefined;
  return audienceName(audienceOf(state, deviceId));
}

/** Whether a document holds a record or entry of someone other than `me` (or, with `strict`, of no one). */
function holdsOthers(doc: Y.Doc, me: string, strict: boolean): boolean {
  const other = (p: string) => p !== me && (p !== '' || strict);
  for (const r of doc.getMap('records').values()) if (r instanceof Y.Map && other(personIn((f) => r.get(f)))) return true;
  for (const e of doc.getMap('entries').values()) if (typeof e === 'object' && e !== null && other(personIn((f) => (e as Record<string, unknown>)[f]))) return true;
  return false;
}

/** Whether a directory holds, of a record other than `me`'s, one of its private fields. */
function holdsOthersPrivate(doc: Y.Doc, me: string, fields: readonly string[]): boolean {
  for (const [id, r] of doc.getMap('records').entries()) if (id !== me && r instanceof Y.Map && fields.some((f) => r.has(f) && r.get(f) !== '')) return true;
  return false;
}

/**
 * Whether the copies `docs` (the person-audience rooms) must be deleted and synced again for `view`, after `stored`.
 * Once per change: a view already remembered never deletes again (a relay that does not filter, such as one that
 * admits by the secret alone, would otherwise have the device delete and fetch everything at each start).
 */
export function mustForget(stored: string | null, view: string, rooms: ReadonlyArray<{ doc: Y.Doc; audience: 'person' | 'person-only' | 'directory'; private?: readonly string[] }>): boolean {
  if (stored === view) return false;
  // Closed by the relay (CLOSE_VIEW: its view changed, perhaps before this device's log says so), or filled as `own`.
  if (stored === STALE_VIEW || (stored !== null && stored.startsWith('own:'))) return true;
  const me = view.slice(4);
  return view.startsWith('own:') && rooms.some((r) => (r.audience === 'directory' ? holdsOthersPrivate(r.doc, me, r.private ?? []) : holdsOthers(r.doc, me, r.audience === 'person-only')));
}

/** One of this device's copies, as copiesToForget weighs it. */
export interface HeldCopy {
  register: string;
  doc: Y.Doc;
  /** The room's audience (RoomAccess), if it has one. */
  audience?: 'person' | 'person-only' | 'directory';
  private?: readonly string[];
  /** The device's verified role may not open the room. */
  closed: boolean;
  /** Its edits the relay has not confirmed. */
  unconfirmed: number;
}

/**
 * The copies to delete now, for `view` after `stored`: every per-person room when the view changed (mustForget), once
 * none of them waits for the relay (`wait`: not yet); and each room closed to the role that holds anything and
 * waits for nothing (edits it could never send stay with it).
 */
export function copiesToForget(stored: string | null, view: string, copies: readonly HeldCopy[]): { forget: string[]; wait: boolean } {
  const perPerson = copies.filter((c) => c.audience !== undefined);
  const changed = mustForget(stored, view, perPerson.map((c) => ({ doc: c.doc, audience: c.audience!, ...(c.private ? { private: c.private } : {}) })));
  const wait = changed && perPerson.some((c) => c.unconfirmed > 0);
  const forget = new Set(changed && !wait ? perPerson.map((c) => c.register) : []);
  for (const c of copies) if (c.closed && c.unconfirmed === 0 && c.doc.store.clients.size > 0) forget.add(c.register);
  return { forget: [...forget], wait };
}
