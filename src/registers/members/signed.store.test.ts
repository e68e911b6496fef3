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
import { fieldsIn, firstOwner, publishSignKey, signMemberList } from './signed';
import { inviteStatus } from './signed-invites';
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
function phone(deviceId: string, name: string, inviteId?: string) {
  return createRoot((dispose) => {
    disposers.push(dispose);
    const membersDoc = new Y.Doc();
    const members = createMemberStore(membersDoc);
    const people = createPeopleStore(new Y.Doc());
    const binding = createMembership(membersDoc, { workspace: () => WS, root: () => undefined });
    members.attachMembership(binding);
    const [workspace] = createSignal<WorkspaceRecord>({ id: WS, secret: 's', orgName: 'Org', memberName: name, joinedAt: '2026-01-01T00:00:00Z', ...(inviteId ? { joinedWith: 'invite' as const, inviteId } : {}) });
    const [state] = createSignal<WorkspaceSyncState>({ status: 'offline', unconfirmed: 0 });
    const access = createAccess({ deviceId, workspace, members, people, sync: state, syncHandle: () => undefined, sections: SECTION_RULES });
    return { membersDoc, members, binding, access, deviceId, name, inviteId };
  });
}
type Phone = ReturnType<typeof phone>;
const status = (p: Phone) => inviteStatus(p.members.log(), p.inviteId, p.deviceId);
const sync = (a: Phone, b: Phone) => {
  Y.applyUpdate(b.membersDoc, Y.encodeStateAsUpdate(a.membersDoc, Y.encodeStateVector(b.membersDoc)));
  Y.applyUpdate(a.membersDoc, Y.encodeStateAsUpdate(b.membersDoc, Y.encodeStateVector(a.membersDoc)));
};
const register = (p: Phone, keys: DeviceKeyRecord, roleIfNew: 'owner' | 'staff') => {
  p.members.registerSelf({ deviceId: p.deviceId, name: p.name, publicKey: keys.publicKey, roleIfNew });
  publishSignKey(p.membersDoc, p.deviceId, keys.sign);
};

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
    const log = await signMemberList(o.binding, { deviceId: 'owner-dev', name: 'Olga' }, ko, o.members.all(), fieldsIn(o.membersDoc));
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
    await signMemberList(o.binding, { deviceId: 'owner-dev', name: 'Olga' }, ko, o.members.all(), fieldsIn(o.membersDoc));
    await o.binding.append({ type: 'role', deviceId: 'staff-dev', role: 'manager' }, ko.sign);
    sync(o, s);
    await s.binding.settled();
    expect(s.access.role()).toBe('manager');
    // The plain record still says staff: the log wins.
    expect(s.members.byDevice().get('staff-dev')?.role).toBe('staff');
  });
});

describe('signed invites', () => {
  it('one-time and expiring: the joiner’s redeem makes it staff; a second device with the same invite is refused; expiry and revocation say so', async () => {
    const [ko, kj, k2] = [await keysOf(), await keysOf(), await keysOf()];
    const o = phone('owner-dev', 'Olga');
    register(o, ko, 'owner');
    await signMemberList(o.binding, { deviceId: 'owner-dev', name: 'Olga' }, ko, o.members.all(), fieldsIn(o.membersDoc));
    // deviceKeyPair() is the owner's in access.sign: give it this test's key through the device store.
    const { device } = await import('../../store/device');
    await (await device.db()).deviceKeys.put(ko);
    const inv = await (await o.access.actions()).createInvite({ personId: '', name: 'Jo', role: 'staff' }, 7);
    if (!inv.ok) throw new Error(JSON.stringify(inv.errors));
    const entry = o.members.log()!.current.invites.get(inv.value.id)!;
    expect(Date.parse(entry.expires) - Date.parse(entry.at)).toBe(7 * 86_400_000);
    expect((await (await o.access.actions()).createInvite({ personId: '', name: 'Jo', role: 'staff' }, 3)).ok).toBe(false);

    const j = phone('joiner-dev', 'Jo', inv.value.id);
    sync(o, j);
    await j.binding.settled();
    expect(status(j)).toMatchObject({ kind: 'waiting' });
    expect(j.access.role()).toBe('staff');
    await j.binding.append({ type: 'redeem', invite: inv.value.id, device: { deviceId: 'joiner-dev', signKey: kj.sign.publicKey, alg: kj.sign.alg }, name: 'Jo' }, kj.sign);
    expect(status(j)).toEqual({ kind: 'joined', text: 'Joined as member of staff.' });

    // A second phone with the same link: refused, and it says why.
    const t = phone('second-dev', 'Jo', inv.value.id);
    sync(j, t);
    await t.binding.append({ type: 'redeem', invite: inv.value.id, device: { deviceId: 'second-dev', signKey: k2.sign.publicKey, alg: k2.sign.alg }, name: 'Jo' }, k2.sign);
    expect(t.members.log()!.current.devices.has('second-dev')).toBe(false);
    expect(status(t)?.text).toMatch(/already used by another device/);
    expect(t.members.log()!.refused.map((r) => r.reason)).toContain('the invite was already used: an invite works once');

    // Revoked: a joiner that has not taken it up is told.
    const inv2 = await (await o.access.actions()).createInvite({ personId: '', name: 'Kim', role: 'staff' }, 1);
    if (!inv2.ok) throw new Error('no invite');
    expect((await (await o.access.actions()).revokeInvite(inv2.value.id)).ok).toBe(true);
    const k = phone('kim-dev', 'Kim', inv2.value.id);
    sync(o, k);
    await k.binding.settled();
    expect(status(k)?.text).toMatch(/was revoked/);
  });
});
