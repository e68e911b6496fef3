import { SECTION_RULES } from '../../app/sections';
import { createRoot, createSignal } from 'solid-js';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateDeviceKeyPair } from '../../crypto/device-keys';
import { generateSigningKeyPair, signingKeyId } from '../../crypto/signing';
import type { DeviceKeyRecord, WorkspaceRecord } from '../../store/device-records';
import { createMembership } from '../../store/membership';
import { memberRecordId } from './model';
import { setFields } from '../../store/records';
import type { WorkspaceSyncState } from '../../sync/workspace-sync';
import { createPeopleStore } from '../people/store';
import { createAccess } from './access';
import { firstOwner, signMemberList } from './signed';
import { createMemberStore } from './store';

let disposers: Array<() => void> = [];
afterEach(() => {
  for (const d of disposers.splice(0)) d();
  localStorage.clear();
});

const WS = 'ws-signed-members-0001';

async function keysOf(): Promise<DeviceKeyRecord> {
  const box = await generateDeviceKeyPair();
  const sign = await generateSigningKeyPair();
  return { key: 'self', ...box, createdAt: new Date().toISOString(), sign: { ...sign, keyId: signingKeyId(sign) } };
}

/** One phone: members and people documents, the log binding, access for `deviceId`. */
function phone(deviceId: string, name: string) {
  return createRoot((dispose) => {
    disposers.push(dispose);
    const membersDoc = new Y.Doc();
    const members = createMemberStore(membersDoc);
    const people = createPeopleStore(new Y.Doc());
    const binding = createMembership(membersDoc, { workspace: () => WS, root: () => undefined });
    members.attachMembership(binding);
    const [workspace] = createSignal<WorkspaceRecord>({ id: WS, secret: 's', orgName: 'Org', memberName: name, joinedAt: '2026-01-01T00:00:00Z' });
    const [state] = createSignal<WorkspaceSyncState>({ status: 'offline', unconfirmed: 0 });
    const access = createAccess({ deviceId, workspace, members, people, sync: state, syncHandle: () => undefined, sections: SECTION_RULES });
    return { membersDoc, members, binding, access, deviceId, name };
  });
}
type Phone = ReturnType<typeof phone>;
const sync = (a: Phone, b: Phone) => {
  Y.applyUpdate(b.membersDoc, Y.encodeStateAsUpdate(a.membersDoc, Y.encodeStateVector(b.membersDoc)));
  Y.applyUpdate(a.membersDoc, Y.encodeStateAsUpdate(b.membersDoc, Y.encodeStateVector(a.membersDoc)));
};
const register = (p: Phone, keys: DeviceKeyRecord, roleIfNew: 'owner' | 'staff') =>
  p.members.registerSelf({ deviceId: p.deviceId, name: p.name, publicKey: keys.publicKey, sign: keys.sign, roleIfNew });

describe('roles from the signed member list', () => {
  it('migration: the first owner signs the plain list; roles then come from the log, and a forged plain role changes nothing', async () => {
    const [ko, ks, kn] = [await keysOf(), await keysOf(), await keysOf()];
    const o = phone('owner-dev', 'Olga');
    const s = phone('staff-dev', 'Sam');
    register(o, ko, 'owner');
    register(s, ks, 'staff');
    sync(o, s);
    expect(firstOwner(o.members.all())?.deviceId).toBe('owner-dev');
    // A device that never published a signing key is not vouched for.
    const n = phone('nokey-dev', 'Nia');
    n.members.registerSelf({ deviceId: 'nokey-dev', name: 'Nia', publicKey: kn.publicKey, roleIfNew: 'owner' });
    sync(n, o);
    const log = await signMemberList(o.binding, { deviceId: 'owner-dev', name: 'Olga' }, ko, o.members.all());
    expect([...log.current.devices.values()].map((d) => `${d.deviceId}:${d.role}:${d.via}`).sort()).toEqual(['owner-dev:owner:genesis', 'staff-dev:staff:vouch']);
    sync(o, s);
    sync(o, n);
    await s.binding.settled();
    await n.binding.settled();
    expect(s.members.signed()).toBe(true);
    expect(s.access.role()).toBe('staff');
    expect(o.access.role()).toBe('owner');
    // Not vouched for: acts as staff, though its plain record says owner.
    expect(n.access.role()).toBe('staff');
    // The modified client: its plain record now says owner; it stays staff everywhere.
    setFields(s.membersDoc, memberRecordId('staff-dev'), { role: 'owner' });
    sync(o, s);
    expect(s.members.byDevice().get('staff-dev')?.role).toBe('owner');
    expect(s.access.role()).toBe('staff');
    expect(s.access.can('open:people')).toBe(false);
    expect(s.access.noOwner()).toBe(false);
  });

  it('an owner’s signed role change is what counts; before the log is verified a device acts with the role it last verified', async () => {
    const [ko, ks] = [await keysOf(), await keysOf()];
    const o = phone('owner-dev', 'Olga');
    const s = phone('staff-dev', 'Sam');
    register(o, ko, 'owner');
    register(s, ks, 'staff');
    sync(o, s);
    await signMemberList(o.binding, { deviceId: 'owner-dev', name: 'Olga' }, ko, o.members.all());
    await o.binding.append({ type: 'role', deviceId: 'staff-dev', role: 'manager' }, ko.sign);
    sync(o, s);
    await s.binding.settled();
    expect(s.access.role()).toBe('manager');
    // The plain record still says staff: the log wins.
    expect(s.members.byDevice().get('staff-dev')?.role).toBe('staff');
    expect(localStorage.getItem(`muster.role.${WS}`)).toBe('manager');
  });
});
