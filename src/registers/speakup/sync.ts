import type * as Y from 'yjs';
import type { DeviceDb } from '../../store/device-db';
import { admitFor } from '../../sync/admit';
import { proofHeaders } from '../../sync/admit-proof';
import { relayCredential } from '../../sync/auth';
import { type OutboxRoom, startOutboxRoom } from '../../sync/outbox-room';
import type { RoomStatus } from '../../sync/room-sync';
import { tokenVerifier } from './crypto';
import { directoryUpdate } from './doc';
import { enqueue, outbox, viaWorkspace } from './outbox';
import type { SpeakupStore } from './store';

/*
 * The network side of the speak-up channel on a member's device (a lazy chunk),
 * on sync/outbox-room.ts:
 *   - keeps this device's copy of `<ws>.speakup` in sync (read-only: nothing is
 *     ever written to it locally, so its connection carries no edits);
 *   - sends the outbox over separate short-lived connections, when online;
 *   - on an owner's device, keeps the public link's verifier on the relay and
 *     the published directory (recipients' names and keys, the process) current.
 */

export interface SpeakupSync {
  /** Sends what is queued; resolves with how many items are left. */
  flush(): Promise<number>;
  /** Owners: register the link's verifier and republish the directory when they changed. */
  publish(): void;
  stop(): void;
}

export async function startSpeakupSync(opts: {
  workspace: () => { id: string; secret: string };
  doc: Y.Doc;
  db: DeviceDb;
  serverUrl: string;
  store: SpeakupStore;
  onStatus: (s: RoomStatus) => void;
}): Promise<SpeakupSync> {
  const ws = () => opts.workspace();
  const id = ws().id;
  const httpBase = opts.serverUrl.replace(/^ws/, 'http').replace(/\/sync$/, '');
  const credential = () => relayCredential(ws().id, ws().secret);

  // ---- owners: the link's verifier and the directory ----
  let registered: string | undefined; // token whose verifier this session put on the relay, or 'off'
  let publishing = false;
  let again = false;
  let room: OutboxRoom | undefined;

  const publishNow = async () => {
    const s = opts.store;
    if (!s.canManage() || !room?.synced() || !navigator.onLine) return;
    const c = s.config();
    const want = c.publicLink && c.token ? c.token : 'off';
    if (registered !== want && (want !== 'off' || c.token)) {
      // A signed workspace's relay wants an owner's device proof too (server/speakup.ts).
      const auth = { Authorization: `Bearer ${await credential()}`, ...proofHeaders(await admitFor(id)) };
      const res =
        want === 'off'
          ? await fetch(`${httpBase}/speakup/${id}/verifier`, { method: 'DELETE', headers: auth })
          : await fetch(`${httpBase}/speakup/${id}/verifier`, { method: 'PUT', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ verifier: await tokenVerifier(want) }) });
      if (!res.ok) return;
      registered = want;
    }
    if (want === 'off') return;
    const fp = s.fingerprint();
    if (!fp) return;
    const latest = s.published();
    const body = s.directory().body;
    if (latest && latest.fp === fp && JSON.stringify(latest.body) === JSON.stringify(body)) return;
    await enqueue(opts.db, { workspaceId: id, via: 'workspace', update: directoryUpdate({ v: 1, version: (latest?.version ?? 0) + 1, fp, body }) });
    await room?.flush();
  };
  function publish() {
    if (publishing) {
      again = true;
      return;
    }
    publishing = true;
    void publishNow()
      // The directory stays queued in the outbox when the relay is out of reach: the next flush sends it.
      .catch((e: unknown) => console.warn('Speak-up: the directory is queued, not yet published.', e))
      .finally(() => {
        publishing = false;
        if (again) {
          again = false;
          publish();
        }
      });
  }

  // Publishing needs the room synced (room.synced()): it starts from onWake, once it is.
  room = await startOutboxRoom({
    doc: opts.doc,
    room: `${id}.speakup`,
    serverUrl: opts.serverUrl,
    credential,
    outbox,
    db: opts.db,
    mine: viaWorkspace(id),
    // The workspace's own room: a device proof like any member connection (never on the public link's sends).
    admit: () => admitFor(id),
    onStatus: opts.onStatus,
    onWake: () => publish(),
  });

  return { flush: room.flush, publish, stop: room.stop };
}
