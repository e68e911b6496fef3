import { SECTION_RULES } from '../../app/sections';
import { createRoot, createSignal } from 'solid-js';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { WorkspaceRecord } from '../../store/device-db';
import { readFields } from '../../store/records';
import type { WorkspaceSyncState } from '../../sync/workspace-sync';
import { createPeopleStore } from '../people/store';
import { createAccess } from './access';
import { createMemberStore } from './store';

const owner = { deviceId: 'owner-dev', name: 'Olga Owner', role: 'owner' as const };
const manager = { deviceId: 'mgr-dev', name: 'Mia Manager', role: 'manager' as const };
const staff = { deviceId: 'sam-dev', name: 'Sam Staff', role: 'staff' as const };

let disposers: Array<() => void> = [];
afterEach(() => {
  for (const d of disposers.splice(0)) d();
});

/** One device: its members and people documents and stores. */
function device() {
  return createRoot((dispose) => {
    disposers.push(dispose);
    const membersDoc = new Y.Doc();
    const peopleDoc = new Y.Doc();
    return { membersDoc, peopleDoc, members: createMemberStore(membersDoc), people: createPeopleStore(peopleDoc) };
  });
}
type Device = ReturnType<typeof device>;

/** Exchanges both documents' updates, as the relay would. */
function sync(a: Device, b: Device) {
  for (const [x, y] of [[a.membersDoc, b.membersDoc], [a.peopleDoc, b.peopleDoc]] as const) {
    Y.applyUpdate(y, Y.encodeStateAsUpdate(x, Y.encodeStateVector(y)));
    Y.applyUpdate(x, Y.encodeStateAsUpdate(y, Y.encodeStateVector(x)));
  }
}

const register = (d: Device, who: { deviceId: string; name: string }, roleIfNew: 'owner' | 'staff', personId?: string) =>
  d.members.registerSelf({ deviceId: who.deviceId, name: who.name, publicKey: `pk-${who.deviceId}`, roleIfNew, ...(personId ? { personId } : {}) });

const ok = <T,>(r: { ok: true; value: T } | { ok: false; errors: Partial<Record<string, string>> }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
};

describe('invites', () => {
  it('validate: a name or a person, and a role; nothing is written on bad input', () => {
    const a = device();
    register(a, owner, 'owner');
    expect(a.members.createInvite({ personId: '', name: '  ', role: 'staff' }, owner)).toEqual({ ok: false, errors: { name: 'Choose a person from People or type their name.' } });
    expect(a.members.createInvite({ personId: '', name: 'Sam', role: 'boss' }, owner)).toEqual({ ok: false, errors: { role: 'Choose the role they will have: owner, manager or staff.' } });
    expect(a.members.invites()).toEqual([]);
  });

  it('managers invite staff only, staff nobody, with the sentence saying why', () => {
    const a = device();
    const mgr = a.members.createInvite({ personId: '', name: 'New Owner', role: 'owner' }, manager);
    expect(mgr).toEqual({ ok: false, errors: { role: expect.stringMatching(/^Only an owner can invite someone as an owner\./) } });
    expect(a.members.createInvite({ personId: '', name: 'Sam', role: 'staff' }, staff)).toEqual({ ok: false, errors: { role: 'Only owners and managers can invite people. This device has a member of staff’s access.' } });
    expect(ok(a.members.createInvite({ personId: '', name: 'Sam', role: 'staff' }, manager)).role).toBe('staff');
  });

  it('link the joining device to the person with the invite’s role once the members document has synced; the use shows on the owner’s device', () => {
    const a = device();
    const b = device();
    register(a, owner, 'owner');
    const sam = ok(a.people.add({ name: 'Sam Staff', email: '', team: 'Ops', jobTitle: '', startDate: '', managerId: '' }));
    const invite = ok(a.members.createInvite({ personId: sam.id, name: 'Sam Staff', role: 'manager' }, owner, new Date('2026-11-20T10:00:00Z')));
    expect(invite).toMatchObject({ personId: sam.id, name: 'Sam Staff', role: 'manager', createdBy: 'owner-dev', createdByName: 'Olga Owner', revoked: false, uses: [] });
    // The record holds no secret: the link is built from the device's workspace when shown.
    expect(JSON.stringify(readFields(a.membersDoc, `invite.${invite.id}`))).not.toMatch(/secret|"k"/);

    // Offline join: B has registered itself as staff, and has not seen the invite.
    register(b, staff, 'staff');
    expect(b.members.acceptInvite(staff.deviceId, invite.id)).toBe('not-yet');
    expect(b.members.byDevice().get(staff.deviceId)).toMatchObject({ role: 'staff' });
    expect(b.members.byDevice().get(staff.deviceId)?.personId).toBeUndefined();

    sync(a, b);
    expect(b.members.acceptInvite(staff.deviceId, invite.id, new Date('2026-11-21T09:00:00Z'))).toBe('applied');
    expect(b.members.byDevice().get(staff.deviceId)).toMatchObject({ role: 'manager', personId: sam.id, inviteId: invite.id });
    sync(a, b);
    expect(a.members.inviteById().get(invite.id)?.uses).toEqual([{ deviceId: staff.deviceId, at: '2026-11-21T09:00:00.000Z' }]);

    // Once only: an owner's later change is not undone by the invite.
    expect(a.members.setRole(staff.deviceId, 'staff', owner)).toEqual({ ok: true });
    sync(a, b);
    expect(b.members.acceptInvite(staff.deviceId, invite.id)).toBe('already');
    expect(b.members.byDevice().get(staff.deviceId)?.role).toBe('staff');
  });

  it('a revoked invite links nobody; only an owner or the manager who made it revokes', () => {
    const a = device();
    const b = device();
    register(a, owner, 'owner');
    const byOwner = ok(a.members.createInvite({ personId: '', name: 'Lee', role: 'owner' }, owner));
    const byManager = ok(a.members.createInvite({ personId: '', name: 'Kim', role: 'staff' }, manager));
    expect(a.members.revokeInvite(byOwner.id, manager)).toEqual({ ok: false, error: 'Only an owner, or the manager who made it, can revoke this invite.' });
    expect(a.members.revokeInvite(byManager.id, manager)).toEqual({ ok: true });
    expect(a.members.revokeInvite(byOwner.id, owner)).toEqual({ ok: true });
    expect(a.members.inviteById().get(byOwner.id)).toMatchObject({ revoked: true, revokedAt: expect.any(String) });

    register(b, staff, 'staff');
    sync(a, b);
    expect(b.members.acceptInvite(staff.deviceId, byOwner.id)).toBe('revoked');
    expect(b.members.byDevice().get(staff.deviceId)?.role).toBe('staff');
  });
});

describe('roles and removal', () => {
  it('only owners change roles; the last owner stays one', () => {
    const a = device();
    register(a, owner, 'owner');
    register(a, staff, 'staff');
    expect(a.members.setRole(staff.deviceId, 'manager', staff)).toEqual({ ok: false, error: 'Only an owner can change roles or remove devices. This device has a member of staff’s access.' });
    expect(a.members.setRole(owner.deviceId, 'staff', owner)).toEqual({ ok: false, error: 'This is the last owner’s device. Make another device an owner first.' });
    expect(a.members.setRole(staff.deviceId, 'owner', owner)).toEqual({ ok: true });
    expect(a.members.setRole(owner.deviceId, 'staff', owner)).toEqual({ ok: true });
    expect(a.members.byDevice().get(owner.deviceId)?.role).toBe('staff');
  });

  it('removal marks devices (never deletes them), refuses self and the last owner, and stays pending until the key changes', () => {
    const a = device();
    register(a, owner, 'owner');
    register(a, staff, 'staff');
    register(a, manager, 'staff');
    expect(a.members.removeDevices([owner.deviceId], owner, 0)).toEqual({ ok: false, error: 'A device cannot remove itself. Ask another owner to remove it.' });
    expect(a.members.removeDevices([staff.deviceId], manager, 0)).toMatchObject({ ok: false });
    expect(a.members.removeDevices([staff.deviceId], owner, 0, new Date('2026-11-22T08:00:00Z'))).toEqual({ ok: true });
    expect(a.members.byDevice().get(staff.deviceId)).toMatchObject({ removed: true, removedBy: owner.deviceId, removedAt: '2026-11-22T08:00:00.000Z', removedEpoch: 0 });
    expect(a.members.active().map((m) => m.deviceId)).toEqual([owner.deviceId, manager.deviceId]);
    expect(a.members.keyHoldersOf().map((m) => m.deviceId)).toEqual([owner.deviceId, manager.deviceId]);
    expect(a.members.pendingRemovals().map((m) => m.deviceId)).toEqual([staff.deviceId]);
    expect(a.members.removeDevices([staff.deviceId], owner, 0)).toEqual({ ok: false, error: 'There is no active device to remove.' });

    a.members.recordRotation(1, owner);
    expect(a.members.keyEpoch()).toBe(1);
    expect(a.members.pendingRemovals()).toEqual([]);
    // A later removal, at epoch 1, is pending again until epoch 2.
    expect(a.members.removeDevices([manager.deviceId], owner, 1)).toEqual({ ok: true });
    expect(a.members.pendingRemovals().map((m) => m.deviceId)).toEqual([manager.deviceId]);
    a.members.recordRotation(2, owner);
    expect(a.members.pendingRemovals()).toEqual([]);
  });

  it('a workspace with no owner lets a device claim ownership, once', () => {
    const a = device();
    register(a, staff, 'staff');
    register(a, manager, 'staff');
    expect(a.members.hasOwner()).toBe(false);
    expect(a.members.claimOwnership(manager.deviceId)).toEqual({ ok: true });
    expect(a.members.claimOwnership(staff.deviceId)).toEqual({ ok: false, error: 'This workspace already has an owner.' });
    expect(a.members.byDevice().get(manager.deviceId)?.role).toBe('owner');
  });

  it('last seen is refreshed at most hourly', () => {
    const a = device();
    register(a, owner, 'owner');
    a.members.touch(owner.deviceId, new Date('2030-01-01T10:00:00Z'));
    expect(a.members.byDevice().get(owner.deviceId)?.lastSeen).toBe('2030-01-01T10:00:00.000Z');
    a.members.touch(owner.deviceId, new Date('2030-01-01T10:30:00Z'));
    expect(a.members.byDevice().get(owner.deviceId)?.lastSeen).toBe('2030-01-01T10:00:00.000Z');
    a.members.touch(owner.deviceId, new Date('2030-01-01T11:00:01Z'));
    expect(a.members.byDevice().get(owner.deviceId)?.lastSeen).toBe('2030-01-01T11:00:01.000Z');
  });
});

describe('access on a device', () => {
  const ws = (extra: Partial<WorkspaceRecord>): WorkspaceRecord => ({ id: 'ws', secret: 's'.repeat(43), orgName: 'Acme', memberName: 'Sam Staff', joinedAt: '2026-11-01', ...extra });

  it('an invited device is staff until its invite arrives, then has the invite’s role and sees what that role sees', () => {
    const a = device();
    const b = device();
    register(a, owner, 'owner');
    const add = (name: string, team: string) => ok(a.people.add({ name, email: '', team, jobTitle: '', startDate: '', managerId: '' }));
    const sam = add('Sam Staff', 'Ops');
    add('Ola Other', 'Ops');
    add('Lee Sales', 'Sales');
    const invite = ok(a.members.createInvite({ personId: sam.id, name: 'Sam Staff', role: 'manager' }, owner));

    const access = createRoot((dispose) => {
      disposers.push(dispose);
      const [workspace] = createSignal(ws({ joinedWith: 'invite', inviteId: invite.id, memberName: 'Sammy' }));
      const [state] = createSignal<WorkspaceSyncState>({ status: 'offline', unconfirmed: 0 });
      return createAccess({ deviceId: staff.deviceId, workspace, members: b.members, people: b.people, sync: state, syncHandle: () => undefined, sections: SECTION_RULES });
    });
    register(b, staff, 'staff');
    // Offline, with no owner on this device yet: still staff, and it says why.
    expect(access.awaitingInvite()).toBe(true);
    expect(access.role()).toBe('staff');
    expect(access.noOwner()).toBe(false);
    expect(access.can('open:people')).toBe(false);
    expect(access.visiblePeople()).toEqual([]);

    sync(a, b);
    // The effect applied the invite: manager, linked to Sam, who sees the Ops team.
    expect(b.members.byDevice().get(staff.deviceId)).toMatchObject({ role: 'manager', personId: sam.id });
    expect(access.awaitingInvite()).toBe(false);
    expect(access.role()).toBe('manager');
    expect(access.person()?.id).toBe(sam.id);
    expect(access.visiblePeople().map((p) => p.name).sort()).toEqual(['Ola Other', 'Sam Staff']);
    expect(access.can('open:people')).toBe(true);
    expect(access.can('manage-members')).toBe(false);

    // The owner makes Sam staff: only Sam's own records.
    sync(a, b);
    expect(a.members.setRole(staff.deviceId, 'staff', owner)).toEqual({ ok: true });
    sync(a, b);
    expect(access.role()).toBe('staff');
    expect(access.visiblePeople().map((p) => p.name)).toEqual(['Sam Staff']);
  });
});
