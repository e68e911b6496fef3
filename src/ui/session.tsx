import { type Accessor, createContext, createEffect, createSignal, getOwner, onCleanup, runWithOwner, useContext } from 'solid-js';
import { createBriefingStore } from '../registers/briefings/store';
import { createChecklistStore } from '../registers/checklists/store';
import { createAcknowledgementStore } from '../registers/acknowledgements/store';
import { createAgreementStore } from '../registers/agreements/store';
import { createCompetencyStore } from '../registers/competency/store';
import { createPeopleStore } from '../registers/people/store';
import { createPolicyStore } from '../registers/policies/store';
import { createReviewStore } from '../registers/reviews/store';
import { createRoleStore } from '../registers/roles/store';
import { createTrainingStore } from '../registers/training/store';
import { createSettingsStore } from '../registers/settings/store';
import { createMemberStore } from '../registers/members/store';
import { createAccess, type SyncHandle } from '../registers/members/access';
import { deviceKeyPair } from '../crypto/device-keys';
import { device as deviceStore } from '../store/device';
import type { DeviceRecord, WorkspaceRecord } from '../store/device-records';
import type { OpenWorkspace } from '../store/open-workspace';
import type { Signer } from '../store/signoffs';
import type { WorkspaceSyncState } from '../sync/workspace-sync';
import { startAttachmentSync } from '../attachments/start';
import { settleHome } from './home-settled';
import type { LaterStores } from './session-later';

/** Everything a screen needs about the open workspace. */
export function createSession(ws: WorkspaceRecord, device: DeviceRecord, open: OpenWorkspace) {
  const [workspace, setWorkspace] = createSignal(ws);
  const [sync, setSync] = createSignal<WorkspaceSyncState>({ status: navigator.onLine ? 'connecting' : 'offline', unconfirmed: 0 });
  let stopped = false;
  let stop = () => {};
  let syncHandle: SyncHandle | undefined;
  // The network code loads after the first paint: the screen comes from IndexedDB, not the relay.
  void import('../sync/workspace-sync')
    .then(({ relayUrl, startWorkspaceSync }) =>
      startWorkspaceSync({
        workspaceId: ws.id, secret: ws.secret, docs: open.docs, db: deviceStore, serverUrl: relayUrl(location), onChange: setSync,
        // A rotated workspace secret (an owner removed a device) is fetched, stored and used from here on (src/sync/rotation.ts).
        deviceId: device.deviceId, onSecret: (secret, epoch) => setWorkspace({ ...workspace(), secret, epoch }),
      }),
    )
    .then((s) => (stopped ? s.stop() : ((stop = s.stop), (syncHandle = s))));
  onCleanup(() => {
    stopped = true;
    stop();
  });

  const people = createPeopleStore(open.docs.people);
  const members = createMemberStore(open.docs.members);
  const signer: Accessor<Signer> = () => {
    // The person an invite (or an owner) linked this device to, else the person whose name it signs with.
    const linked = members.byDevice().get(device.deviceId)?.personId;
    const me = (linked ? people.byId().get(linked) : undefined) ?? people.active().find((p) => p.name === workspace().memberName);
    return { name: workspace().memberName, deviceId: device.deviceId, ...(me ? { personId: me.id } : {}) };
  };
  // List this device (name, person, public key) in the members register; keys are wrapped to it.
  const [deviceKeys, setDeviceKeys] = createSignal<Awaited<ReturnType<typeof deviceKeyPair>>>();
  void deviceKeyPair(deviceStore).then(setDeviceKeys);
  createEffect(() => {
    const keys = deviceKeys();
    if (!keys) return;
    const s = signer();
    members.registerSelf({ deviceId: device.deviceId, name: s.name, publicKey: keys.publicKey, ...(s.personId ? { personId: s.personId } : {}), roleIfNew: ws.created || ws.joinedWith === 'link' ? 'owner' : 'staff' });
  });
  // Role, the people this device may see, removal and rotation (src/registers/members/access.ts).
  const access = createAccess({ deviceId: device.deviceId, workspace, members, people, sync, syncHandle: () => syncHandle });

  // What Home does not need starts once Home is synced: the registers it does not read (src/ui/session-later.ts), the
  // attachment queue and Dexie. A second later (Home's first frames and the sync's writes go first), at once when offline or
  // refused, after 5 s at the latest; a screen that reads those registers loads them at once (Shell, Section.later).
  const owner = getOwner();
  const [later, setLater] = createSignal<LaterStores>();
  let loadingLater: Promise<void> | undefined;
  const loadLater = () => {
    // Dexie too: the relay states sync saved meanwhile were queued for it (src/store/device.ts).
    void deviceStore.db().catch(() => {});
    settleHome(true);
    return (loadingLater ??= import('./session-later').then(({ createLaterStores }) => {
      if (stopped) return;
      runWithOwner(owner, () => {
        setLater(createLaterStores(open.docs, { workspace, deviceId: device.deviceId, deviceKeys, members, people, signer }));
        // Attachment bytes: upload queue and downloads over HTTP (src/attachments/sync.ts).
        onCleanup(startAttachmentSync(workspace));
      });
    }));
  };
  let soon: ReturnType<typeof setTimeout> | undefined;
  createEffect(() => {
    const status = sync().status;
    if (status === 'synced') soon ??= setTimeout(() => void loadLater(), 1000);
    else if (status === 'refused' || !navigator.onLine) void loadLater();
  });
  const latest = setTimeout(() => void loadLater(), 5000);
  onCleanup(() => (clearTimeout(soon), clearTimeout(latest)));
  const loaded = (): LaterStores => {
    const l = later();
    if (!l) throw new Error('A screen read a later register before the Shell loaded it (Section.later).');
    return l;
  };
  return {
    workspace,
    device,
    sync,
    signer,
    deviceKeys,
    docs: open.docs,
    people,
    members,
    access,
    settings: createSettingsStore(open.docs.settings, ws.orgName),
    checklists: createChecklistStore(open.docs.checklists),
    briefings: createBriefingStore(open.docs.briefings),
    policies: createPolicyStore(open.docs.policies),
    acknowledgements: createAcknowledgementStore(open.docs.acknowledgements),
    training: createTrainingStore(open.docs.training),
    competency: createCompetencyStore(open.docs.competency),
    roles: createRoleStore(open.docs.roles),
    agreements: createAgreementStore(open.docs.agreements),
    reviews: createReviewStore(open.docs.reviews),
    /** Whether the later registers are here, and a way to ask for them now (src/ui/session-later.ts). */
    laterReady: () => !!later(),
    loadLater,
    get resources() {
      return loaded().resources;
    },
    get disciplinary() {
      return loaded().disciplinary;
    },
    get speakup() {
      return loaded().speakup;
    },
    async setMemberName(name: string): Promise<string | undefined> {
      const n = name.trim();
      if (!n) return 'Enter your name: it goes on your sign-offs.';
      if (n.length > 120) return 'Keep your name under 120 characters.';
      await (await deviceStore.db()).workspaces.update(ws.id, { memberName: n });
      setWorkspace({ ...workspace(), memberName: n });
      return undefined;
    },
  };
}

export type Session = ReturnType<typeof createSession>;

const SessionContext = createContext<Session>();
export const SessionProvider = SessionContext.Provider;

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a workspace');
  return s;
}
