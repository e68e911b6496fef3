import type { DeviceStore } from '../store/device';
import { contentKeyFields } from '../store/device-records';
import type { WorkspaceDocs } from '../store/open-workspace';
import { type RegisterName, roomName } from '../store/registers';
import { proofExpected, setAdmitter } from './admit';
import { relayCredential, UNKNOWN_WORKSPACE, whenUnknown } from './auth';
import { roomSealers } from './mux';
import { setRenewer } from './renew';
import { keyringOf, RoomSealer } from './seal';
import { BAD_CREDENTIALS, connectRoom, type RoomStatus, type RoomSync } from './room-sync';

export type SyncStatus = RoomStatus;

export interface WorkspaceSyncState {
  status: SyncStatus;
  unconfirmed: number;
  refusal?: string;
  /** 'waiting': "Waiting to be admitted"; 'removed': "This device was removed" (server/admission.ts). */
  admission?: 'waiting' | 'removed';
  notice?: string;
}

const PRIORITY: readonly SyncStatus[] = ['refused', 'offline', 'connecting', 'syncing', 'synced'];

/** The whole workspace is only as synced as its least-synced register. */
export function combine(states: Array<Omit<WorkspaceSyncState, 'status'> & { status: SyncStatus }>): WorkspaceSyncState {
  let status: SyncStatus = 'synced';
  let unconfirmed = 0;
  let refusal: string | undefined;
  let admission: WorkspaceSyncState['admission'];
  let notice: string | undefined;
  for (const s of states) {
    unconfirmed += s.unconfirmed;
    if (PRIORITY.indexOf(s.status) < PRIORITY.indexOf(status)) status = s.status;
    refusal ??= s.refusal;
    // Removed outranks waiting: one room may have been refused before the removal landed.
    if (s.admission === 'removed' || (s.admission && !admission)) admission = s.admission;
    notice ??= s.notice;
  }
  return { status, unconfirmed, ...(refusal ? { refusal } : {}), ...(admission ? { admission } : {}), ...(notice ? { notice } : {}) };
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
  /** The workspace's content keys, newest first: with them every room's content is sealed before the relay sees it (./seal.ts). */
  contentKeys?: readonly string[];
  docs: WorkspaceDocs;
  /**
   * Every register, in the order their rooms connect: Home's first (src/ui/registry.ts `REGISTERS`), so their
   * channels are the first asked for on the device's one socket to the relay (src/sync/mux.ts) and answer first.
   */
  order: readonly RegisterName[];
  /** Registers that are a directory (People), with the fields of a person's record only that person's devices receive (./seal.ts). */
  directories?: ReadonlyMap<RegisterName, ReadonlySet<string>>;
  /** The device database; a room's relay state is a cache, its writes wait for Dexie (src/store/device.ts). */
  db: DeviceStore;
  serverUrl: string;
  onChange: (state: WorkspaceSyncState) => void;
  /** This device: with it, a rotated secret is fetched (its envelope) when the relay refuses the old one. */
  deviceId?: string;
  /** A new workspace secret (and with it, in a sealed workspace, a new content key) was adopted (already stored in Dexie). */
  onSecret?: (secret: string, epoch: number, contentKeys?: readonly string[]) => void;
}): Promise<{ stop(): void; adopt(secret: string, epoch: number, contentKeys?: readonly string[]): Promise<void>; credential(): string; rooms: ReadonlyMap<RegisterName, RoomSync> }> {
  let secret = opts.secret;
  let credential = await relayCredential(opts.workspaceId, opts.secret);
  const rooms = new Map<RegisterName, RoomSync>();
  let everSynced = false;
  const report = () => {
    const states = [...rooms.values()].map((r) => r.state());
    everSynced ||= states.some((s) => s.status === 'synced');
    opts.onChange(combine(states));
  };

  /** Stores a rotated secret (device-local) and switches to its credential. */
  let adopting: Promise<void> = Promise.resolve();
  const adopt = (next: string, epoch: number, contentKeys?: readonly string[]) =>
    (adopting = adopting.then(async () => {
      if (next === secret) return;
      const nextCredential = await relayCredential(opts.workspaceId, next);
      // The rotation's new content key seals what the rooms send from their next connection (the relay closes them all).
      if (contentKeys?.length) await sealWith(contentKeys);
      secret = next;
      credential = nextCredential;
      await (await opts.db.db()).workspaces.update(opts.workspaceId, { secret: next, epoch, ...contentKeyFields(contentKeys) });
      opts.onSecret?.(next, epoch, contentKeys);
    }));
  // The relay refused a credential (4401): if it is the one in use, ask the relay for this device's envelope of the new secret.
  let asking: Promise<import('./renew').Renewal> | undefined;
  const unsetRenewer = setRenewer(opts.workspaceId, (refused, reason) => {
    // A workspace made offline, first sync now: its creator creates it on the relay (src/sync/auth.ts).
    if (reason === UNKNOWN_WORKSPACE) return opts.db.get('workspaces', opts.workspaceId).then((w) => whenUnknown({ workspaceId: opts.workspaceId, secret, created: !!w?.created, serverUrl: opts.serverUrl }));
    if (refused !== credential) return Promise.resolve({ credential });
    const deviceId = opts.deviceId;
    if (!deviceId) return Promise.resolve({ refusal: BAD_CREDENTIALS });
    return (asking ??= (async () => {
      const [{ envelopeProof, fetchRotatedSecret, httpBaseOf, REMOVED, RELAY_OLDER_KEY }, { deviceKeyPair }] = await Promise.all([import('./rotation'), import('../store/device-keys')]);
      const heldEpoch = (await opts.db.get('workspaces', opts.workspaceId))?.epoch ?? 0;
      // A signed workspace's relay hands the envelope to this very device only (its proof).
      const proof = envelopeProof({ serverUrl: opts.serverUrl, workspaceId: opts.workspaceId, deviceId, credential: refused, db: opts.db });
      const got = await fetchRotatedSecret({ baseUrl: httpBaseOf(opts.serverUrl), workspaceId: opts.workspaceId, deviceId, keys: await deviceKeyPair(opts.db), heldEpoch, proof });
      // This device may have switched meanwhile (its own rotation): then the refused credential is simply old.
      await adopting;
      if (refused !== credential) return { credential };
      if (got.kind === 'unreachable') return { retry: true as const };
      if (got.kind === 'older') return { refusal: RELAY_OLDER_KEY };
      if (got.kind === 'secret' && got.secret !== secret) {
        await adopt(got.secret, got.epoch, got.contentKeys);
        return { credential };
      }
      if (got.kind === 'missing' && !everSynced) return { refusal: 'This link is out of date: the workspace key has changed since it was made. Ask for a new invite.' };
      return { refusal: got.kind === 'missing' ? REMOVED : BAD_CREDENTIALS };
    })().finally(() => (asking = undefined)));
  });
  // An enrolled workspace admits proven devices only (server/admission.ts): each new socket signs a fresh nonce.
  // Asked only when this device's log has a genesis (or the relay asked): a legacy workspace pays no round trip.
  const members = (opts.docs as Partial<Record<string, import('yjs').Doc>>)['members'];
  const unsetAdmitter = opts.deviceId
    ? setAdmitter(opts.workspaceId, async () => {
        const ws = await opts.db.get('workspaces', opts.workspaceId);
        const logHasGenesis = [...(members?.getMap('membership').values() ?? [])].some((e) => (e as { type?: unknown } | null)?.type === 'genesis');
        // Invited with a link that names the signed invite: enrol with the relay before the first connection (./admit-first.ts).
        const invited = !!ws?.inviteEntry && ws.enrolled !== 'legacy';
        if (!invited && !proofExpected(opts.workspaceId, logHasGenesis)) return null;
        const { admitProof } = await import('./admit-first');
        return admitProof({ serverUrl: opts.serverUrl, workspaceId: opts.workspaceId, deviceId: opts.deviceId!, credential, db: opts.db, ws, members, logHasGenesis });
      })
    : () => {};
  // What the device knew of every room, in one IndexedDB read; then every room connects at once, Home's first.
  const order = opts.order;
  const names = order.map((register) => roomName(opts.workspaceId, register));
  const sealWith = async (keys: readonly string[]) => {
    const ring = keys.length ? await keyringOf(opts.workspaceId, keys) : null;
    order.forEach((register, i) => roomSealers.set(names[i]!, new RoomSealer(ring, names[i]!, opts.docs[register], opts.directories?.get(register))));
  };
  const [knownStates] = await Promise.all([opts.db.getMany('relayState', names), sealWith(opts.contentKeys ?? [])]);
  for (const [i, register] of order.entries()) {
    const room = names[i]!;
    const known = knownStates[i];
    everSynced ||= !!known;
    rooms.set(
      register,
      connectRoom({
        doc: opts.docs[register],
        room,
        serverUrl: opts.serverUrl,
        credential,
        ...(known ? { known: { stateVector: known.stateVector, pending: known.pending ?? [] } } : {}),
        save: (state) => opts.db.put('relayState', room, { room, ...state }),
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
      unsetRenewer();
      unsetAdmitter();
      removeEventListener('online', goOnline);
      removeEventListener('offline', goOffline);
      rooms.forEach((r) => r.destroy());
      for (const room of names) roomSealers.delete(room);
    },
    adopt,
    credential: () => credential,
    // Each register's room: src/registers/members/signed.ts opens and closes them as this device's role allows.
    rooms,
  };
}
