import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { MemberDevice, MembershipState } from '../../domain/membership';
import { audienceView, copiesToForget, mustForget } from './audience-view';

const device = (deviceId: string, role: MemberDevice['role'], personId?: string, removed = false) => ({ deviceId, role, removed, ...(personId ? { personId } : {}) }) as unknown as MemberDevice;
const state = (devices: MemberDevice[], officers: string[] = []): MembershipState =>
  ({ devices: new Map(devices.map((d) => [d.deviceId, d])), byKey: new Map(), officers: new Map(officers.map((o) => [o, '2026-12-01'])), invites: new Map(), recoveryKeys: new Map() }) as MembershipState;

const docWith = (records: Record<string, Record<string, unknown>>, entries: Record<string, unknown> = {}) => {
  const doc = new Y.Doc();
  for (const [id, fields] of Object.entries(records)) {
    const m = new Y.Map<unknown>();
    for (const [k, v] of Object.entries(fields)) m.set(k, v);
    doc.getMap('records').set(id, m);
  }
  for (const [id, e] of Object.entries(entries)) doc.getMap('entries').set(id, e);
  return doc;
};

describe('what a device receives of the per-person rooms', () => {
  it('owners, managers and officers all; staff their own person; a removed or unknown device no view', () => {
    const s = state([device('o', 'owner'), device('m', 'manager', 'p-m'), device('sam', 'staff', 'p-sam'), device('kim', 'staff', 'p-kim'), device('lee', 'staff'), device('gone', 'owner', undefined, true)], ['p-kim']);
    // A removed or unknown device: no view (the relay sends it nothing; it keeps what it holds).
    expect(['o', 'm', 'sam', 'kim', 'lee', 'gone', 'stranger'].map((d) => audienceView(s, d))).toEqual(['all', 'all', 'own:p-sam', 'all', 'own:', undefined, undefined]);
  });

  it('copies go when a view narrows onto data of others, or widens or moves from an own view; not otherwise', () => {
    const own = docWith({ course: { title: 'Fire safety' }, a: { personId: 'p-sam' } }, { e: { personId: 'p-sam' } });
    const others = docWith({ a: { personId: 'p-sam' }, b: { personId: 'p-kim' } });
    const otherEntry = docWith({}, { e: { personId: 'p-kim' } });
    // A fresh staff phone: only its own, nothing to forget; the view is remembered.
    expect(mustForget(null, 'own:p-sam', [{ doc: own, audience: 'person' as const }])).toBe(false);
    expect(mustForget('own:p-sam', 'own:p-sam', [{ doc: own, audience: 'person' as const }])).toBe(false);
    // A device that held everything (a demoted manager, or a phone from before per-person rooms).
    expect(mustForget('all', 'own:p-sam', [{ doc: own, audience: 'person' as const }, { doc: others, audience: 'person' as const }])).toBe(true);
    expect(mustForget(null, 'own:p-sam', [{ doc: otherEntry, audience: 'person' as const }])).toBe(true);
    // Promoted: its own copy has holes.
    expect(mustForget('own:p-sam', 'all', [{ doc: own, audience: 'person' as const }])).toBe(true);
    // Linked to another person.
    expect(mustForget('own:p-sam', 'own:p-kim', [{ doc: own, audience: 'person' as const }])).toBe(true);
    // Once per change: the same view again, even over others' data (a relay that does not filter), deletes nothing.
    expect(mustForget('own:p-sam', 'own:p-sam', [{ doc: others, audience: 'person' as const }])).toBe(false);
    // In a 'person-only' room (agreements), a record of no one (a supplier's) is not a staff phone's to keep either.
    const supplier = docWith({ a: { partyPersonId: 'p-sam' }, s: { partyPersonId: '', partyName: 'Acme Couriers' } });
    expect(mustForget('all', 'own:p-sam', [{ doc: supplier, audience: 'person' }])).toBe(false);
    expect(mustForget('all', 'own:p-sam', [{ doc: supplier, audience: 'person-only' }])).toBe(true);
    // People (a directory): colleagues' names are everyone's; a colleague's email is not a staff phone's to keep.
    const directory = docWith({ 'p-sam': { name: 'Sam', email: 'sam@example.org' }, 'p-kim': { name: 'Kim', team: 'Ops', email: '' } });
    const withEmail = docWith({ 'p-sam': { name: 'Sam' }, 'p-kim': { name: 'Kim', email: 'kim@example.org' } });
    expect(mustForget('all', 'own:p-sam', [{ doc: directory, audience: 'directory', private: ['email'] }])).toBe(false);
    expect(mustForget('all', 'own:p-sam', [{ doc: withEmail, audience: 'directory', private: ['email'] }])).toBe(true);
    // The relay closed a room because what the device may receive changed: fetched afresh, whatever the view.
    expect(mustForget('stale', 'all', [{ doc: own, audience: 'person' }])).toBe(true);
    expect(mustForget('stale', 'own:p-sam', [{ doc: own, audience: 'person' }])).toBe(true);
    // Owners stay as they are.
    expect(mustForget('all', 'all', [{ doc: others, audience: 'person' as const }])).toBe(false);
    expect(mustForget(null, 'all', [{ doc: others, audience: 'person' as const }])).toBe(false);
  });

  it('a room closed to the role goes when it holds anything and waits for nothing; per-person rooms wait for their edits', () => {
    const checklists = docWith({ c: { team: 'Ops', note: 'Spare key under desk 4' } });
    const training = docWith({ a: { personId: 'p-kim' } });
    const empty = new Y.Doc();
    const copy = (register: string, doc: Y.Doc, extra: Partial<Parameters<typeof copiesToForget>[2][number]> = {}) => ({ register, doc, closed: false, unconfirmed: 0, ...extra });
    // A manager demoted to staff: checklists (closed, nothing waiting) and the per-person rooms (view narrowed) go.
    expect(copiesToForget('all', 'own:p-sam', [copy('checklists', checklists, { closed: true }), copy('training', training, { audience: 'person' }), copy('reviews', empty, { closed: true })])).toEqual({ forget: ['training', 'checklists'], wait: false });
    // A closed room with an edit it can never send stays; the per-person rooms wait for their own edits.
    expect(copiesToForget('all', 'own:p-sam', [copy('checklists', checklists, { closed: true, unconfirmed: 2 }), copy('training', training, { audience: 'person', unconfirmed: 1 })])).toEqual({ forget: [], wait: true });
    // An owner demoted to manager: only the rooms closed to managers.
    expect(copiesToForget('all', 'all', [copy('reviews', checklists, { closed: true }), copy('training', training, { audience: 'person' })])).toEqual({ forget: ['reviews'], wait: false });
    // Nothing changed, nothing closed holds anything: nothing to delete.
    expect(copiesToForget('all', 'all', [copy('reviews', empty, { closed: true }), copy('training', training, { audience: 'person' })])).toEqual({ forget: [], wait: false });
  });
});
