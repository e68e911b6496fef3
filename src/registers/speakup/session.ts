import { type Accessor, createEffect, createSignal, onCleanup } from 'solid-js';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { deviceDb, type DeviceKeyRecord } from '../../store/device-db';
import type { Signer } from '../../store/signoffs';
import type { RoomStatus } from '../../sync/room-sync';
import type { MemberStore } from '../members/store';
import type { PeopleStore } from '../people/store';
import { pendingIn, viaWorkspace } from './outbox';
import { createSpeakupStore } from './store';
import type { SpeakupSync } from './sync';

/**
 * The speak-up channel for an open workspace: this device's copy of the room
 * (its own IndexedDB database `muster.<ws>.speakup`, not a register), the
 * store, and — loaded after the first paint — the network side. Every member
 * device keeps the (sealed) room, so the review's counts are available
 * everywhere and a reporter's device looks like any other.
 *
 * @example (src/ui/session.tsx)
 * speakup: createSpeakupSession({ workspace, deviceId, settingsDoc: open.docs.settings, members, people, signer, deviceKeys }),
 */
export function createSpeakupSession(deps: {
  workspace: Accessor<{ id: string; secret: string; orgName: string }>;
  deviceId: string;
  settingsDoc: Y.Doc;
  members: MemberStore;
  people: PeopleStore;
  signer: Accessor<Signer>;
  deviceKeys: Accessor<DeviceKeyRecord | undefined>;
}) {
  const id = deps.workspace().id;
  const doc = new Y.Doc();
  const persistence = new IndexeddbPersistence(`muster.${id}.speakup`, doc);
  const [sync, setSync] = createSignal<SpeakupSync>();
  const [status, setStatus] = createSignal<RoomStatus>(navigator.onLine ? 'connecting' : 'offline');

  const store = createSpeakupStore({
    workspaceId: id,
    deviceId: deps.deviceId,
    doc,
    settingsDoc: deps.settingsDoc,
    members: deps.members,
    people: deps.people,
    fallbackOrgName: deps.workspace().orgName,
    signer: deps.signer,
    deviceKeys: deps.deviceKeys,
    db: deviceDb,
    flush: async () => sync()?.flush() ?? (await pendingIn(deviceDb, viaWorkspace(id))).length,
  });

  let stopped = false;
  void persistence.whenSynced
    .then(() => import('./sync'))
    .then(({ startSpeakupSync }) =>
      import('../../sync/workspace-sync').then(({ relayUrl }) =>
        startSpeakupSync({ workspace: deps.workspace, doc, db: deviceDb, serverUrl: relayUrl(location), store, onStatus: setStatus }),
      ),
    )
    .then((s) => (stopped ? s.stop() : setSync(() => s)));

  // Owners keep the link's verifier and the published directory current.
  createEffect(() => {
    const s = sync();
    if (!s) return;
    store.config();
    store.fingerprint();
    store.published();
    store.canManage();
    s.publish();
  });

  onCleanup(() => {
    stopped = true;
    sync()?.stop();
    void persistence.destroy();
    doc.destroy();
  });

  return Object.assign(store, { status, loaded: persistence.whenSynced });
}

export type SpeakupSession = ReturnType<typeof createSpeakupSession>;
