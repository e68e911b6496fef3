import type { DeviceDb } from '../store/device-db';
import type { WorkspaceDocs } from '../store/open-workspace';
import { type RegisterName, REGISTERS, roomName } from '../store/registers';
import { relayCredential } from './auth';
import { connectRoom, type RoomStatus, type RoomSync } from './room-sync';

export type SyncStatus = RoomStatus;

export interface WorkspaceSyncState {
  status: SyncStatus;
  unconfirmed: number;
  refusal?: string;
}

const PRIORITY: readonly SyncStatus[] = ['refused', 'offline', 'connecting', 'syncing', 'synced'];

/** The whole workspace is only as synced as its least-synced register. */
export function combine(states: Array<{ status: SyncStatus; unconfirmed: number; refusal?: string }>): WorkspaceSyncState {
  let status: SyncStatus = 'synced';
  let unconfirmed = 0;
  let refusal: string | undefined;
  for (const s of states) {
    unconfirmed += s.unconfirmed;
    if (PRIORITY.indexOf(s.status) < PRIORITY.indexOf(status)) status = s.status;
    refusal ??= s.refusal;
  }
  return { status, unconfirmed, ...(refusal ? { refusal } : {}) };
}

export function relayUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/sync`;
}

/**
 * Keeps every register of a workspace in sync with the relay, following the
 * browser's online/offline events so "offline" means what the phone says.
 */
export async function startWorkspaceSync(opts: {
  workspaceId: string;
  secret: string;
  docs: WorkspaceDocs;
  db: DeviceDb;
  serverUrl: string;
  onChange: (state: WorkspaceSyncState) => void;
}): Promise<{ stop(): void }> {
  const credential = await relayCredential(opts.workspaceId, opts.secret);
  const rooms = new Map<RegisterName, RoomSync>();
  const report = () => opts.onChange(combine([...rooms.values()].map((r) => r.state())));
  for (const register of REGISTERS) {
    const room = roomName(opts.workspaceId, register);
    const known = await opts.db.relayState.get(room);
    rooms.set(
      register,
      connectRoom({
        doc: opts.docs[register],
        room,
        serverUrl: opts.serverUrl,
        credential,
        ...(known ? { known: { stateVector: known.stateVector, pending: known.pending ?? [] } } : {}),
        save: (state) => opts.db.relayState.put({ room, ...state }),
        onChange: report,
      }),
    );
  }
  const goOnline = () => rooms.forEach((r) => r.connect());
  const goOffline = () => rooms.forEach((r) => r.disconnect());
  if (!navigator.onLine) goOffline();
  addEventListener('online', goOnline);
  addEventListener('offline', goOffline);
  report();
  return {
    stop: () => {
      removeEventListener('online', goOnline);
      removeEventListener('offline', goOffline);
      rooms.forEach((r) => r.destroy());
    },
  };
}
