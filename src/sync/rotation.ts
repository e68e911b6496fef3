import { type Envelope, unwrapWith, wrapTo } from '../crypto/envelope';
import { sha256HexAsync } from '../domain/sha256';
import { fromBase64Url, randomId, toBase64Url } from '../store/device-records';
import { proofHeaders } from './admit-proof';
import { relayCredential } from './auth';

/*
 * Workspace secret rotation, the device side (the relay side is server/auth.ts
 * and server/rotation.ts).
 *
 * An owner removes a device: this device makes a new 256-bit secret, wraps it
 * for every remaining device's public key (ECIES, src/crypto/envelope.ts, context
 * `workspace-secret <ws> <epoch>`), and sends the relay, with the current
 * credential, the new epoch, SHA-256 of the new credential and the envelopes.
 * The relay closes every connection of the workspace with 4401. Each device
 * then fetches its own envelope, opens it with its private key, stores the new
 * secret and reconnects (renewCredential, used by room-sync.ts). A removed
 * device has no envelope: it can no longer sync, and says so.
 */

/** What a device shows when the relay refused it and no new key was left for it. */
export const REMOVED = 'Refused — you were removed from this workspace.';
/** What a device shows when the relay refuses the key it holds and has no newer one for it. */
export { BAD_CREDENTIALS } from './room-sync';

/** What a device shows when the relay offers only a key older than (or as old as) the one it holds: the relay was rolled back. */
export const RELAY_OLDER_KEY = 'The relay offered an older workspace key than this device holds (it was restored from an older copy), so this device keeps its own and does not sync. Ask whoever runs the relay.';

export const secretContext = (workspaceId: string, epoch: number) => `workspace-secret ${workspaceId} ${epoch}`;

/** http(s)://host from the websocket sync URL (ws(s)://host/sync). */
export const httpBaseOf = (serverUrl: string) => serverUrl.replace(/^ws/, 'http').replace(/\/sync\/?$/, '');

/** Hex SHA-256 of a base64url credential's bytes: what the relay stores. */
export const verifierOf = (credential: string): Promise<string> => sha256HexAsync(fromBase64Url(credential));

export type EnvelopeResult =
  | { kind: 'secret'; secret: string; epoch: number; contentKeys?: string[] }
  | { kind: 'older'; epoch: number }
  | { kind: 'missing' }
  | { kind: 'unreachable'; error: string };

/**
 * Fetches and opens this device's envelope of the current workspace secret.
 * Keys never go back: an envelope of an epoch not above `heldEpoch` (the one
 * this device holds) is not opened but reported as 'older' — a relay restored
 * from an older copy still has the envelopes of a key an owner replaced.
 */
export async function fetchRotatedSecret(opts: {
  baseUrl: string;
  workspaceId: string;
  deviceId: string;
  keys: { privateKey: CryptoKey; publicKey: string };
  heldEpoch?: number;
  /** This device's proof (null: none needed): a signed workspace's relay hands an envelope to its own device only. */
  proof?: () => Promise<string | null>;
  fetch?: typeof fetch;
}): Promise<EnvelopeResult> {
  const get = opts.fetch ?? fetch;
  let res: Response;
  try {
    const proof = (await opts.proof?.()) ?? null;
    res = await get(`${opts.baseUrl}/auth/${encodeURIComponent(opts.workspaceId)}/envelope/${encodeURIComponent(opts.deviceId)}`, { cache: 'no-store', headers: proofHeaders(proof) });
  } catch (err) {
    return { kind: 'unreachable', error: String(err) };
  }
  if (res.status === 404) return { kind: 'missing' };
  // The relay refused this device's proof: removed from the signed log (or never in it). No key for it.
  if (res.status === 403) return { kind: 'missing' };
  if (!res.ok) return { kind: 'unreachable', error: `HTTP ${res.status}` };
  const body = (await res.json()) as { epoch: number; envelope: Envelope };
  if (opts.heldEpoch !== undefined && !(body.epoch > opts.heldEpoch)) return { kind: 'older', epoch: body.epoch };
  try {
    const bytes = await unwrapWith(opts.keys.privateKey, opts.keys.publicKey, body.envelope, secretContext(opts.workspaceId, body.epoch));
    const { secret, contentKeys } = envelopePayloadOf(bytes);
    return { kind: 'secret', secret, epoch: body.epoch, ...(contentKeys.length ? { contentKeys } : {}) };
  } catch {
    // Not made for this device's key (e.g. the key pair was reset): as good as none.
    return { kind: 'missing' };
  }
}

/**
 * The envelope fetch's proof (fetchRotatedSecret `proof`): this device's, on a nonce asked for with the credential
 * the relay just refused (a stale one may still ask, server/admission.ts); null for a legacy workspace or when none
 * could be made. Here, not in workspace-sync.ts: off Home's path.
 */
export const envelopeProof = (ctx: { serverUrl: string; workspaceId: string; deviceId: string; credential: string; db: import('../store/device').DeviceStore }) => () =>
  import('./prove').then(({ deviceProof }) => deviceProof(ctx)).catch(() => null);

export type RotationOutcome = { ok: true; secret: string; epoch: number; contentKeys?: string[] } | { ok: false; status: number; error: string };

/**
 * What an envelope carries: the new secret (32 bytes), then in a sealed workspace its content keys, 32 bytes each,
 * newest first (the rotation's new one, then every one before it), so a device keeps opening what was sealed before.
 */
export function envelopePayload(secret: string, contentKeys: readonly string[]): Uint8Array {
  const out = new Uint8Array(32 * (1 + contentKeys.length));
  [secret, ...contentKeys].forEach((k, i) => out.set(fromBase64Url(k), 32 * i));
  return out;
}

export function envelopePayloadOf(bytes: Uint8Array): { secret: string; contentKeys: string[] } {
  if (bytes.length < 32 || bytes.length % 32 !== 0) throw new Error('An envelope holds 32-byte keys.');
  const keys = Array.from({ length: bytes.length / 32 }, (_, i) => toBase64Url(bytes.subarray(32 * i, 32 * i + 32)));
  return { secret: keys[0]!, contentKeys: keys.slice(1) };
}

/**
 * Makes a new secret, wraps it for `recipients` (every remaining device,
 * including this one) and asks the relay to switch to it. One retry when
 * another rotation moved the epoch on first (409).
 */
export async function rotateWorkspaceSecret(opts: {
  baseUrl: string;
  workspaceId: string;
  currentSecret: string;
  /** The epoch this device believes current (the relay corrects it if another rotation won). */
  epoch: number;
  recipients: ReadonlyArray<{ deviceId: string; publicKey: string }>;
  /** The workspace's content keys, newest first: a new one is made and goes to the recipients with the others (none: not sealed). */
  contentKeys?: readonly string[];
  /** This device's proof for one request (src/sync/admit.ts admitFor), or null: a signed workspace wants an owner's. */
  proof?: () => Promise<string | null>;
  fetch?: typeof fetch;
}): Promise<RotationOutcome> {
  const post = opts.fetch ?? fetch;
  if (opts.recipients.length === 0) return { ok: false, status: 0, error: 'No device would keep the workspace: nothing to wrap the new key for.' };
  const current = await relayCredential(opts.workspaceId, opts.currentSecret);
  const secret = randomId(32);
  // A removed device must not open what is sealed from now on: a new content key, the old ones kept for what came before.
  const contentKeys = opts.contentKeys?.length ? [randomId(32), ...opts.contentKeys] : [];
  const bytes = envelopePayload(secret, contentKeys);
  const verifier = await verifierOf(await relayCredential(opts.workspaceId, secret));
  let epoch = opts.epoch + 1;
  for (let attempt = 0; attempt < 2; attempt++) {
    const envelopes: Record<string, Envelope> = {};
    for (const r of opts.recipients) envelopes[r.deviceId] = await wrapTo(r.publicKey, bytes, secretContext(opts.workspaceId, epoch));
    let res: Response;
    try {
      // A fresh proof per attempt: a nonce is good once.
      const proof = (await opts.proof?.()) ?? null;
      res = await post(`${opts.baseUrl}/auth/${encodeURIComponent(opts.workspaceId)}/rotate`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${current}`, ...proofHeaders(proof) },
        body: JSON.stringify({ epoch, verifier, envelopes }),
      });
    } catch {
      return { ok: false, status: 0, error: 'The relay could not be reached. The key changes when you are online.' };
    }
    const body = (await res.json().catch(() => ({}))) as { epoch?: number; error?: string };
    if (res.ok) return { ok: true, secret, epoch, ...(contentKeys.length ? { contentKeys } : {}) };
    // A relay behind this device (restored from an older copy) would take the key back to an epoch devices already passed.
    if (res.status === 409 && typeof body.epoch === 'number' && body.epoch < opts.epoch) return { ok: false, status: 409, error: RELAY_OLDER_KEY };
    if (res.status === 409 && typeof body.epoch === 'number' && attempt === 0) {
      epoch = body.epoch + 1;
      continue;
    }
    if (res.status === 401 && body.error === 'device proof required') return { ok: false, status: 401, error: 'The relay wants this device’s proof and none could be made. Wait until it shows Synced, then try again.' };
    if (res.status === 401) return { ok: false, status: 401, error: 'This device does not hold the current workspace key yet. Wait until it shows Synced, then try again.' };
    if (res.status === 403 && body.error === 'not an owner’s device') return { ok: false, status: 403, error: 'The relay refused: the signed member list does not make this device an owner’s.' };
    return { ok: false, status: res.status, error: body.error ?? `The relay refused (HTTP ${res.status}).` };
  }
  return { ok: false, status: 409, error: 'Another owner changed the key at the same time. Try again.' };
}
