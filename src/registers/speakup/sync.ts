import type * as Y from 'yjs';
import type { DeviceDb } from '../../store/device-db';
import { relayCredential } from '../../sync/auth';
import { connectRoom, type RoomStatus } from '../../sync/room-sync';
import { tokenVerifier } from './crypto';
import { directoryUpdate } from './doc';
import { enqueue, flushOutbox, pendingIn } from './outbox';
import type { SpeakupStore } from './store';

/*
 * The network side of the speak-up channel on a member's device (a lazy chunk):
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
  const room = `${id}.speakup`;
  const httpBase = opts.serverUrl.replace(/^ws/, 'http').replace(/\/sync$/, '');
  const credential = () => relayCredential(ws().id, ws().secret);
  let synced = false;
  let stopped = false;

  const sync = connectRoom({
    doc: opts.doc,
    room,
    serverUrl: opts.serverUrl,
    credential: await credential(),
    onChange: (s) => {
      if (s.status === 'synced' && !synced) {
        synced = true;
        publish();
      }
      opts.onStatus(s.status);
    },
  });

  const mine = (r: { workspaceId: string; via: string }) => r.workspaceId === id && r.via === 'workspace';
  const flush = async (): Promise<number> => {
    if (stopped) return (await pendingIn(opts.db, mine)).length;
    if (!navigator.onLine) return (await pendingIn(opts.db, mine)).length;
    const cred = await credential();
    return (await flushOutbox(opts.db, mine, async () => ({ serverUrl: opts.serverUrl, room, credential: cred }))).left;
  };

  // ---- owners: the link's verifier and the directory ----
  let registered: string | undefined; // token whose verifier this session put on the relay, or 'off'
  let publishing = false;
  let again = false;
  const publishNow = async () => {
    const s = opts.store;
    if (!s.canManage() || !synced || !navigator.onLine) return;
    const c = s.config();
    const want = c.publicLink && c.token ? c.token : 'off';
    if (registered !== want && (want !== 'off' || c.token)) {
      const auth = { Authorization: `Bearer ${await credential()}` };
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
    await flush();
  };
  function publish() {
    if (publishing) {
      again = true;
      return;
    }
    publishing = true;
    void publishNow()
      .catch(() => {})
      .finally(() => {
        publishing = false;
        if (again) {
          again = false;
          publish();
        }
      });
  }

  const goOnline = () => {
    sync.connect();
    void flush();
    publish();
  };
  const goOffline = () => sync.disconnect();
  if (!navigator.onLine) goOffline();
  addEventListener('online', goOnline);
  addEventListener('offline', goOffline);
  // Retry now and then: a relay that was down comes back without an `online` event.
  const timer = setInterval(() => {
    void flush();
    publish();
  }, 15_000);
  void flush();

  return {
    flush,
    publish,
    stop: () => {
      stopped = true;
      clearInterval(timer);
      removeEventListener('online', goOnline);
      removeEventListener('offline', goOffline);
      sync.destroy();
    },
  };
}
