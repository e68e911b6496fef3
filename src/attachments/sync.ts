import { type DeviceDb, deviceDb } from '../store/device-db';
import { sha256HexAsync } from '../domain/sha256';
import { admitFor } from '../sync/admit';
import { proofHeaders } from '../sync/admit-proof';
import type { SealKey } from '../sync/seal';
import { getBlob, markUploaded, pendingUploads, saveDownloadedBlob } from './store';

/**
 * Moves attachment bytes between this device and the relay over HTTP
 * (`/blobs/<workspaceId>/<sha256>`, docs/RELAY.md):
 *
 * - the upload queue: on start, on every `online` event and whenever a file
 *   is added (uploadSoon), every blob of the workspace with `uploaded: 0` is
 *   PUT and then marked uploaded;
 * - downloads on demand: a screen that shows an attachment this device does
 *   not have calls wantBlob(hash); it is fetched when online, its hash
 *   checked, and cached in Dexie.
 *
 * Failures that may pass (offline, relay down, not uploaded yet by the other
 * device) are retried with exponential backoff, a bounded number of times,
 * then again on the next `online` event or new request. Refusals that will
 * not pass (too large, wrong type) are shown and not retried in a loop.
 * One sync runs per session: screens talk to it through the module functions.
 */

export type TransferState =
  | { kind: 'uploading' }
  | { kind: 'downloading' }
  /** `final`: retrying will not help (e.g. the relay's size limit). */
  | { kind: 'error'; message: string; final: boolean };

export interface BlobSyncOptions {
  workspaceId: string;
  /** e.g. https://muster.example/blobs (see blobBaseUrl). */
  baseUrl: string;
  /** The relay credential (src/sync/auth.ts relayCredential), asked for on each pass so a rotated one is picked up. */
  credential: () => Promise<string>;
  /**
   * This device's proof for one request, or null when the workspace needs none (legacy). By default the
   * workspace's admitter (src/sync/admit.ts admitFor: a fresh challenge, signed). A signed workspace's relay
   * refuses the credential alone (server/admission.ts).
   */
  proof?: () => Promise<string | null>;
  /** The workspace's sealing key (src/sync/seal.ts), null for a workspace without a content key: its bytes travel as they are. */
  sealKey?: () => Promise<SealKey | null>;
  db?: DeviceDb;
  fetch?: typeof fetch;
  online?: () => boolean;
  /** Backoff: first delay, cap and how many retries before waiting for an event. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  maxRetries?: number;
}

export interface BlobSync {
  /** One upload pass and one download pass now; resolves when both are done. */
  flush(): Promise<void>;
  stop(): void;
}

/** Same origin as the websocket (src/sync/workspace-sync.ts relayUrl). */
export function blobBaseUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol}//${location.host}/blobs`;
}

// ---- module state shared with the screens ----

/** Wanted attachments by hash, with the name of their sealed bytes on the relay when the record has one. */
const wanted = new Map<string, string | undefined>();
const states = new Map<string, TransferState>();
const listeners = new Set<() => void>();
let active: Runner | undefined;

const emit = () => listeners.forEach((f) => f());
function setState(hash: string, state: TransferState | undefined) {
  if (state) states.set(hash, state);
  else states.delete(hash);
  emit();
}

/** Asks for an attachment this device does not have; it downloads when online. */
export function wantBlob(hash: string, sealed?: string): void {
  if (wanted.has(hash) && wanted.get(hash) === sealed) return;
  wanted.set(hash, sealed);
  active?.kick();
}

/** A file was just added on this device: upload it now if the network allows. */
export function uploadSoon(): void {
  active?.kick();
}

export const transferState = (hash: string): TransferState | undefined => states.get(hash);

/** Called whenever a transfer starts, ends or fails. Returns the unsubscribe function. */
export function onTransferChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Whether an upload queue is running in this session (false in tests of screens, or before the session starts it). */
export const blobSyncRunning = () => active !== undefined;

// ---- the runner ----

interface Runner {
  kick(): void;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const CREDENTIALS_REFUSED = 'The relay did not accept this device’s credentials, so attachments cannot be exchanged. Open the workspace’s join link again, or ask an owner for a new one.';
/** 403: the relay refused this device's proof (server/admission.ts), e.g. it was removed or is not admitted yet. */
const DEVICE_REFUSED = 'The relay did not admit this device to the workspace, so attachments cannot be exchanged. Ask an owner to admit it on Members.';

function uploadError(status: number, size: number): TransferState {
  if (status === 413) return { kind: 'error', final: true, message: `The relay refused this file: at ${Math.round(size / 1024)} KB it is over the relay’s size limit.` };
  if (status === 507) return { kind: 'error', final: true, message: 'The relay has no room left for this workspace’s attachments. The file stays on this device; ask whoever runs the relay.' };
  if (status === 415) return { kind: 'error', final: true, message: 'The relay does not accept this kind of file.' };
  if (status === 400) return { kind: 'error', final: true, message: 'The relay found that the file does not match its checksum; it was not stored.' };
  // Not final: a rotated credential may be accepted on the next pass.
  if (status === 401) return { kind: 'error', final: false, message: CREDENTIALS_REFUSED };
  // Not final either: an owner may admit the device.
  if (status === 403) return { kind: 'error', final: false, message: DEVICE_REFUSED };
  return { kind: 'error', final: false, message: `Upload failed (relay answered ${status}); Muster will try again.` };
}

export function startBlobSync(opts: BlobSyncOptions): BlobSync {
  const db = opts.db ?? deviceDb;
  const doFetch = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const online = opts.online ?? (() => navigator.onLine);
  const base = opts.baseDelayMs ?? 1_000;
  const cap = opts.maxDelayMs ?? 60_000;
  const maxRetries = opts.maxRetries ?? 8;
  const url = (hash: string) => `${opts.baseUrl}/${encodeURIComponent(opts.workspaceId)}/${hash}`;
  const sealKey = opts.sealKey ?? (() => Promise.resolve(null));
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let retries = 0;
  /** Refused credentials: no more requests until something changes (online event, new file, new request). */
  let refused = false;
  let running: Promise<void> | undefined;
  let again = false;

  // A fresh proof per request: a nonce of the relay is good once.
  const headers = async () => ({ Authorization: `Bearer ${await opts.credential()}`, ...proofHeaders(await (opts.proof ?? (() => admitFor(opts.workspaceId)))()) });

  /** Returns true when something should be retried later. */
  async function uploadPass(): Promise<boolean> {
    let retry = false;
    for (const blob of await pendingUploads(opts.workspaceId, db)) {
      if (stopped || !online() || refused) return !refused;
      const previous = states.get(blob.hash);
      if (previous?.kind === 'error' && previous.final) continue;
      setState(blob.hash, { kind: 'uploading' });
      try {
        // Sealed, the bytes go under the name every device computes from them (the record keeps it too).
        const key = await sealKey();
        const out = key ? await (await import('../sync/seal-blob')).sealBlob(key, blob.hash, blob.bytes) : { bytes: blob.bytes, name: blob.hash };
        const res = await doFetch(url(out.name), { method: 'PUT', headers: { ...(await headers()), 'Content-Type': blob.type }, body: out.bytes as Uint8Array<ArrayBuffer> });
        if (res.ok) {
          await markUploaded(blob.hash, db);
          setState(blob.hash, undefined);
          continue;
        }
        const state = uploadError(res.status, blob.size);
        setState(blob.hash, state);
        if (res.status === 401 || res.status === 403) refused = true;
        if (state.kind === 'error' && !state.final) retry = true;
      } catch {
        // Network error: offline after all, or the relay is down.
        setState(blob.hash, { kind: 'error', final: false, message: 'Could not reach the relay; Muster will try again.' });
        retry = true;
      }
    }
    return retry;
  }

  async function downloadPass(): Promise<boolean> {
    let retry = false;
    for (const [hash, sealedName] of [...wanted]) {
      if (stopped || !online() || refused) return !refused && wanted.size > 0;
      if (await getBlob(hash, db)) {
        wanted.delete(hash);
        setState(hash, undefined);
        continue;
      }
      setState(hash, { kind: 'downloading' });
      try {
        const key = sealedName ? await sealKey() : null;
        if (sealedName && !key) throw new HttpError(500, 'This file is sealed with a workspace key this device does not have.');
        const res = await doFetch(url(sealedName ?? hash), { headers: await headers() });
        if (res.status === 200) {
          let bytes: Uint8Array = new Uint8Array(await res.arrayBuffer());
          if (key) bytes = await (await import('../sync/seal-blob')).openBlob(key, hash, bytes).catch(() => {
            throw new HttpError(500, 'The relay sent bytes that do not open as this attachment; they were discarded.');
          });
          // Never trust the network with the name: the bytes must hash to what the record says.
          if ((await sha256HexAsync(bytes)) !== hash) throw new HttpError(500, 'The relay sent bytes that do not match the attachment’s checksum; they were discarded.');
          await saveDownloadedBlob({ workspaceId: opts.workspaceId, hash, type: (res.headers.get('Content-Type') ?? '').split(';')[0]!.trim() || 'application/octet-stream', bytes }, db);
          wanted.delete(hash);
          setState(hash, undefined);
          continue;
        }
        if (res.status === 401 || res.status === 403) {
          refused = true;
          setState(hash, { kind: 'error', final: false, message: res.status === 403 ? DEVICE_REFUSED : CREDENTIALS_REFUSED });
          return false;
        }
        if (res.status === 404) {
          setState(hash, { kind: 'error', final: false, message: 'Not on the relay yet: the device that added it has not uploaded it. Muster keeps checking.' });
        } else if (res.status === 500) {
          setState(hash, { kind: 'error', final: false, message: 'The relay’s copy of this file is damaged. The device that added it can repair it by uploading it again.' });
        } else {
          setState(hash, { kind: 'error', final: false, message: `Download failed (relay answered ${res.status}); Muster will try again.` });
        }
        retry = true;
      } catch (err) {
        setState(hash, { kind: 'error', final: false, message: err instanceof HttpError ? err.message : 'Could not reach the relay; Muster will try again.' });
        retry = true;
      }
    }
    return retry;
  }

  function schedule(retry: boolean) {
    clearTimeout(timer);
    timer = undefined;
    if (stopped || !retry) {
      if (!retry) retries = 0;
      return;
    }
    if (retries >= maxRetries) return; // wait for an online event, a new file or a new request
    const delay = Math.min(cap, base * 2 ** retries) * (0.75 + Math.random() * 0.5);
    retries++;
    timer = setTimeout(() => void pass(), delay);
  }

  /** One upload pass then one download pass; overlapping calls are folded into one more pass. */
  function pass(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        if (stopped || !online()) break;
        let retry = false;
        try {
          retry = (await uploadPass()) || retry;
          retry = (await downloadPass()) || retry;
        } catch (err) {
          // Dexie or the credential failed: try again later rather than stop for the session.
          console.error('attachment sync failed', err);
          retry = true;
        }
        schedule(retry);
      } while (again && !stopped);
    })().finally(() => (running = undefined));
    return running;
  }

  const runner: Runner = {
    kick() {
      // Something new to do: try now, with a fresh retry budget (and the credentials again).
      refused = false;
      retries = 0;
      void pass();
    },
  };
  const onOnline = () => {
    refused = false;
    retries = 0;
    void pass();
  };
  addEventListener('online', onOnline);
  active = runner;
  void pass();

  return {
    flush: async () => {
      refused = false;
      await pass();
      // A pass that was already running when flush was called may have ended before new work arrived.
      if (again) await pass();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      removeEventListener('online', onOnline);
      if (active === runner) active = undefined;
    },
  };
}

/** For tests: forget what was asked for and every state. */
export function resetBlobSyncState(): void {
  wanted.clear();
  states.clear();
  emit();
}
