import { createEffect, getOwner, on, runWithOwner } from 'solid-js';
import { defineRegister } from '../../ui/register';
import { type Access, createAccess } from './access';
import { createMemberStore, type MemberStore } from './store';

declare module '../../store/registers' { interface RegisterDocuments { members: true; } }
declare module '../../ui/session' {
  interface RegisterStores {
    members: MemberStore;
    /** Role, the people this device may see, removal and rotation (./access.ts). */
    access: Access;
  }
}

export const register = defineRegister({
  name: 'members',
  label: 'Members and devices',
  // Every device enrols and lists itself here; what counts is the signed log, judged entry by entry.
  document: { name: 'members', home: true, access: { write: { owner: 'any', manager: 'any', staff: 'any' } } },
  stores: [
    { key: 'members', when: 'home', create: (s) => createMemberStore(s.docs.members) },
    { key: 'access', when: 'home', create: (s) => createAccess({ deviceId: s.device.deviceId, workspace: s.workspace, members: s.members, people: s.people, sync: s.sync, syncHandle: s.syncHandle, sections: s.sectionRules }) },
  ],
  sections: [
    { section: 'members', label: 'Members', icon: 'M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM2 21c0-4 3-6 7-6s7 2 7 6M19 8v6M16 11h6', blurb: 'Devices, roles and invites; remove a device', screen: () => import('./MembersScreen'), roles: ['owner', 'manager'], order: 150 },
  ],
  start(s) {
    // List this device (name, person, public key) in the members register; keys are wrapped to it.
    createEffect(() => {
      const keys = s.deviceKeys();
      if (!keys) return;
      const me = s.signer();
      const ws = s.workspace();
      s.members.registerSelf({ deviceId: s.device.deviceId, name: me.name, publicKey: keys.publicKey, ...(me.personId ? { personId: me.personId } : {}), roleIfNew: ws.created || ws.joinedWith === 'link' ? 'owner' : 'staff' });
    });
    // The signed member list (verification, genesis, migration, redeem) loads once Home is synced:
    // until then the role is the one this device last verified (access.ts).
    const owner = getOwner();
    let started = false;
    createEffect(
      on(s.laterReady, (ready) => {
        if (!ready || started) return;
        started = true;
        void import('./signed-entry').then((m) => runWithOwner(owner, () => m.startSignedMembers(s)));
      }),
    );
  },
});
