import { type Accessor, createEffect, createSignal, getOwner, onCleanup, runWithOwner } from 'solid-js';
import { startAttachmentSync } from '../attachments/start';
import { localDayOf } from '../domain/dates';
import { createLiveSource } from '../store/live-source';
import { deviceKeyPair } from '../store/device-keys';
import { device as deviceStore } from '../store/device';
import { contentKeyFields, contentKeysOf, type DeviceKeyRecord, type DeviceRecord, type WorkspaceRecord } from '../store/device-records';
import type { OpenWorkspace } from '../store/open-workspace';
import type { Signer } from '../store/signoffs';
import type { WorkspaceSyncState } from '../sync/workspace-sync';
import type { StoreEntry } from '../ui/register';
import type { RegisterStores, Session, SessionCore } from '../ui/session';
import { settleHome } from './home-settled';
import { DESCRIPTORS, REGISTERS } from '../ui/registry';
import { SECTION_RULES } from './sections';

const STORES: readonly StoreEntry[] = DESCRIPTORS.flatMap((d) => d.stores ?? []);
/** People: the fields a staff device receives of its own record only (src/sync/seal.ts, server/audience.ts). */
const DIRECTORIES = new Map(DESCRIPTORS.flatMap((d) => (d.document?.access?.audience === 'directory' ? [[d.document.name, new Set(d.document.access.private)] as const] : [])));

/**
 * The composition root of an open workspace: the sync, the signer, and every
 * register's stores from its descriptor (src/registers/<name>/register.ts).
 * Stores Home reads are made at once; the others (`when: 'later'`) once Home
 * is synced (a second later, at once when offline or refused, 5 s at the
 * latest) or as soon as a screen that reads them opens (Shell, `later`).
 */
export function createSession(ws: WorkspaceRecord, device: DeviceRecord, open: OpenWorkspace): Session {
  const [workspace, setWorkspace] = createSignal(ws);
  const [sync, setSync] = createSignal<WorkspaceSyncState>({ status: navigator.onLine ? 'connecting' : 'offline', unconfirmed: 0 });
  let stopped = false;
  let stop = () => {};
  let syncHandle: SessionCore['syncHandle'] extends () => infer H ? H : never;
  // The network code loads after the first paint: the screen comes from IndexedDB, not the relay.
  void import('../sync/workspace-sync')
    .then(({ relayUrl, startWorkspaceSync }) =>
      startWorkspaceSync({
        workspaceId: ws.id, secret: ws.secret, contentKeys: contentKeysOf(ws), docs: open.docs, order: REGISTERS, directories: DIRECTORIES, db: deviceStore, serverUrl: relayUrl(location), onChange: setSync,
        // A rotated workspace secret (an owner removed a device) is fetched, stored and used from here on (src/sync/rotation.ts).
        deviceId: device.deviceId,
        onSecret: (secret, epoch, keys) => setWorkspace({ ...workspace(), secret, epoch, ...contentKeyFields(keys) }),
      }),
    )
    .then((s) => (stopped ? s.stop() : ((stop = s.stop), (syncHandle = s))))
    // Without its code there is no sync: the indicator says why instead of "Connecting" for ever; a reload retries.
    .catch((e: unknown) => setSync({ status: 'refused', unconfirmed: 0, refusal: `Syncing could not start (${e instanceof Error ? e.message : String(e)}). Your changes are kept on this device; reload Muster to try again.` }));
  onCleanup(() => {
    stopped = true;
    stop();
  });

  const [deviceKeys, setDeviceKeys] = createSignal<DeviceKeyRecord>();
  void deviceKeyPair(deviceStore).then(setDeviceKeys);
  const stores: Partial<RegisterStores> = {};
  const making = new Set<string>();
  const owner = getOwner();
  // A home store is made when first read, so a store may read another (access reads members and people) in any order.
  const got = <K extends keyof RegisterStores>(key: K): RegisterStores[K] => {
    const entry = STORES.find((e) => e.key === key);
    if (!stores[key] && entry?.when === 'home') {
      if (making.has(key)) throw new Error(`The ${key} store reads itself while it is made.`);
      making.add(key);
      runWithOwner(owner, () => put(entry, entry.create(session)));
      making.delete(key);
    }
    const store = stores[key];
    if (!store) throw new Error(`A screen read the ${key} store before it was loaded (a section that reads it needs \`later\`).`);
    return store;
  };
  const signer: Accessor<Signer> = () => {
    // The person an invite (or an owner) linked this device to, else the person whose name it signs with.
    const m = got('members');
    const linked = m.signed() ? m.log()?.current.devices.get(device.deviceId)?.personId : m.byDevice().get(device.deviceId)?.personId;
    const people = got('people');
    const me = (linked ? people.byId().get(linked) : undefined) ?? people.active().find((p) => p.name === workspace().memberName);
    return { name: workspace().memberName, deviceId: device.deviceId, ...(me ? { personId: me.id } : {}) };
  };
  const [later, setLater] = createSignal(false);
  const [laterError, setLaterError] = createSignal<unknown>();
  const core: SessionCore = {
    workspace,
    device,
    sync,
    signer,
    deviceKeys,
    docs: open.docs,
    forget: open.forget,
    source: createLiveSource(open.docs, localDayOf),
    sectionRules: SECTION_RULES,
    syncHandle: () => syncHandle,
    laterReady: later,
    laterError,
    loadLater: () => loadLater(),
    async setMemberName(name: string): Promise<string | undefined> {
      const n = name.trim();
      if (!n) return 'Enter your name: it goes on your sign-offs.';
      if (n.length > 120) return 'Keep your name under 120 characters.';
      await (await deviceStore.db()).workspaces.update(ws.id, { memberName: n });
      setWorkspace({ ...workspace(), memberName: n });
      return undefined;
    },
  };
  // Every store is a property of the session, read through `got` so that a missing one says which.
  const session = core as Session;
  for (const entry of STORES) Object.defineProperty(session, entry.key, { get: () => got(entry.key), enumerable: true });
  const put = (entry: StoreEntry, store: unknown) => ((stores as Record<string, unknown>)[entry.key] = store);
  for (const entry of STORES) if (entry.when === 'home') got(entry.key);
  for (const d of DESCRIPTORS) if (d.start && !d.stores?.some((e) => e.when === 'later')) d.start(session);

  // What Home does not need starts once Home is synced: the later stores, the attachment queue and Dexie.
  let loadingLater: Promise<void> | undefined;
  const loadLater = (): Promise<void> => {
    // Dexie too: the relay states sync saved meanwhile were queued for it (src/store/device.ts).
    void deviceStore.db().catch((e: unknown) => console.warn('The device database did not open; sync keeps its states in memory.', e));
    settleHome(true);
    const entries = STORES.filter((e) => e.when === 'later');
    setLaterError(undefined);
    return (loadingLater ??= Promise.all(entries.map((e) => e.load())).then((factories) => {
      if (stopped) return;
      runWithOwner(owner, () => {
        factories.forEach((make, i) => put(entries[i]!, (make as (s: Session) => unknown)(session)));
        for (const d of DESCRIPTORS) if (d.start && d.stores?.some((e) => e.when === 'later')) d.start(session);
        // Attachment bytes: upload queue and downloads over HTTP (src/attachments/sync.ts).
        onCleanup(startAttachmentSync(workspace));
        // Evidence signatures and trust (issue 17): sign this device's entries, flag those whose signer lacked the right.
        let stopTrust = () => {};
        onCleanup(() => stopTrust());
        const withDocs = DESCRIPTORS.filter((d) => d.document && d.document.name !== 'members');
        void Promise.all([import('../store/evidence-signer'), ...withDocs.map((d) => d.rights?.().then((m) => m.rights))]).then(([{ startEvidenceTrust }, ...rules]) => {
          if (stopped) return;
          stopTrust = startEvidenceTrust({
            registers: withDocs.map((d, i) => ({ register: d.name, doc: open.docs[d.document!.name], rules: rules[i] ?? {} })),
            members: open.docs.members, workspace: ws.id, self: device.deviceId,
            // The root this device trusts: from its link or its creation, else the one the member list pinned on first use.
            root: () => workspace().root ?? got('members').log()?.current.root,
            key: () => deviceKeyPair(deviceStore).then((k) => k.sign!),
            person: (id) => got('people').byId().get(id),
            people: () => got('people').active(),
          });
        });
        setLater(true);
      });
    }, (error: unknown) => {
      // Their chunk did not load (offline before the precache, or replaced by an update): say so, and let a retry ask again.
      loadingLater = undefined;
      setLaterError(error);
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
  return session;
}
