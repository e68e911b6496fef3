import * as Y from 'yjs';
import { personIn } from '../../domain/person-of';
import { audienceOf, type MembershipState } from '../../domain/membership';

/*
 * What this device received of the rooms with a person audience (issue 18; server/audience.ts): `all`, or
 * `own:<personId>` (a member of staff: their own records, a colleague's only as GC structs). Remembered per
 * workspace, so that a change of role or person is seen at the next verified log: a copy made as `own` has holes
 * a wider view would never fill, and a copy made as `all` holds colleagues' records a member of staff may not
 * keep. Either way the copies are deleted and synced afresh (./signed.ts).
 */

export const audienceCacheKey = (workspace: string) => `muster.audience.${workspace}`;

/**
 * The view the relay gives this device now, by the signed log (the relay reads the same: audienceOf); undefined
 * for a device not active in it (removed, or not admitted yet): the relay sends it nothing, and what it holds (its
 * unsynced edits among it) stays as it is.
 */
export function audienceView(state: MembershipState, deviceId: string): string | undefined {
  const d = state.devices.get(deviceId);
  if (!d || d.removed) return undefined;
  const a = audienceOf(state, deviceId);
  return a === null ? 'all' : `own:${a.person ?? ''}`;
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
  if (stored !== null && stored.startsWith('own:')) return true;
  const me = view.slice(4);
  return view.startsWith('own:') && rooms.some((r) => (r.audience === 'directory' ? holdsOthersPrivate(r.doc, me, r.private ?? []) : holdsOthers(r.doc, me, r.audience === 'person-only')));
}
