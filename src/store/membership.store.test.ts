import { createRoot } from 'solid-js';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateSigningKeyPair, signingKeyId } from '../crypto/signing';
import { createMembership, MEMBERSHIP_MAP } from './membership';

let disposers: Array<() => void> = [];
afterEach(() => {
  for (const d of disposers.splice(0)) d();
});

const WS = 'ws-membership-test-0001';

async function key(deviceId: string) {
  const pair = await generateSigningKeyPair();
  return { ...pair, keyId: signingKeyId(pair), deviceId, keys: { deviceId, signKey: pair.publicKey, alg: pair.alg } };
}

function phone(root?: string) {
  return createRoot((dispose) => {
    disposers.push(dispose);
    const doc = new Y.Doc();
    return { doc, m: createMembership(doc, { workspace: () => WS, root: () => root }) };
  });
}

const sync = (a: Y.Doc, b: Y.Doc) => {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
};

describe('the membership log binding', () => {
  it('appends signed entries on the current tips and reads them back as the log', async () => {
    const o = await key('owner-dev');
    const s = await key('staff-dev');
    const a = phone(o.keyId);
    await a.m.append({ type: 'genesis', device: o.keys, name: 'Olga' }, o);
    await a.m.append({ type: 'grant', device: s.keys, name: 'Sam', role: 'staff' }, o);
    const log = await a.m.settled();
    expect(log.refused).toEqual([]);
    expect(log.current.devices.get('staff-dev')?.role).toBe('staff');
    expect(log.tips).toHaveLength(1);
    expect(a.m.log()).toBe(log);
  });

  it('two owners on two offline documents grant and remove; merged, both read the same members', async () => {
    const o1 = await key('o1');
    const o2 = await key('o2');
    const x = await key('x');
    const y = await key('y');
    const a = phone(o1.keyId);
    await a.m.append({ type: 'genesis', device: o1.keys, name: 'One' }, o1);
    await a.m.append({ type: 'grant', device: o2.keys, name: 'Two', role: 'owner' }, o1);
    await a.m.append({ type: 'grant', device: x.keys, name: 'X', role: 'staff' }, o1);
    const b = phone(o1.keyId);
    sync(a.doc, b.doc);
    await b.m.settled();
    // Offline: A removes X, B grants Y and promotes X.
    await a.m.append({ type: 'remove', deviceId: 'x' }, o1);
    await b.m.append({ type: 'grant', device: y.keys, name: 'Y', role: 'manager' }, o2);
    await b.m.append({ type: 'role', deviceId: 'x', role: 'manager' }, o2);
    expect((await a.m.settled()).current.devices.has('y')).toBe(false);
    sync(a.doc, b.doc);
    const [la, lb] = [await a.m.settled(), await b.m.settled()];
    const view = (l: typeof la) => [...l.current.devices.values()].map((d) => `${d.deviceId}:${d.role}:${d.removed ? 'removed' : 'active'}`).sort();
    expect(view(la)).toEqual(view(lb));
    expect(view(la)).toEqual(['o1:owner:active', 'o2:owner:active', 'x:manager:removed', 'y:manager:active']);
    expect(la.tips).toEqual(lb.tips);
  });

  it('a hand-written entry (bad signature, staff promoting itself) is refused and listed, never silently dropped', async () => {
    const o = await key('o');
    const s = await key('s');
    const a = phone(o.keyId);
    await a.m.append({ type: 'genesis', device: o.keys, name: 'O' }, o);
    await a.m.append({ type: 'grant', device: s.keys, name: 'S', role: 'staff' }, o);
    await a.m.append({ type: 'role', deviceId: 's', role: 'owner' }, s);
    const forged = { v: 1, ws: WS, after: (await a.m.settled()).tips, at: new Date().toISOString(), by: o.keyId, type: 'role', deviceId: 's', role: 'owner', sig: 'AAAA' };
    a.doc.getMap(MEMBERSHIP_MAP).set('f'.repeat(64), forged);
    const log = await a.m.settled();
    expect(log.current.devices.get('s')?.role).toBe('staff');
    expect(log.refused.map((r) => r.reason)).toEqual(expect.arrayContaining(['signed by a member of staff: only an owner can change roles', 'its signature does not verify']));
  });
});
