import type * as Y from 'yjs';
import { signMembershipEntry } from '../crypto/membership';
import { membershipDraft, membershipId } from '../domain/membership';
import type { DeviceStore } from '../store/device';
import { deviceKeyPair, logDeviceKeys } from '../store/device-keys';

/*
 * An invited device enrols before its first connection (issue 17, docs/RELAY.md
 * "Device admission"): the invite link names the signed invite entry (`e=`), so
 * the device signs its redeem on top of it without having the log, and POSTs it
 * to the relay's /auth/<ws>/enrol. The relay checks it against its own copy of
 * the log and its own clock, appends it, and from then admits this device's
 * proofs: a relay that admits proven devices only lets an invited phone in
 * without anyone else's help. Loaded only by a device that joined with such a link.
 */

const httpBase = (serverUrl: string) => serverUrl.replace(/^ws/, 'http').replace(/\/sync$/, '');

export type EnrolResult =
  | { kind: 'enrolled' }
  /** The relay holds no signed log for the workspace (a legacy workspace): the device syncs as before. */
  | { kind: 'legacy' }
  /** No answer (offline, relay down): asked again on the next connection. */
  | { kind: 'unreachable' }
  /** The relay's log refused the redeem: the sentence says why (expired, revoked, taken by another device). */
  | { kind: 'refused'; reason: string };

export async function enrolWithInvite(opts: {
  serverUrl: string;
  workspaceId: string;
  deviceId: string;
  credential: string;
  db: DeviceStore;
  /** The members document: the redeem goes into its `membership` map too, so this device's log has it at once. */
  members?: Y.Doc;
  invite: { id: string; entry: string };
  name: string;
  now?: Date;
}): Promise<EnrolResult> {
  const keys = await deviceKeyPair(opts.db);
  const draft = membershipDraft(
    { type: 'redeem', invite: opts.invite.id, device: logDeviceKeys(opts.deviceId, keys), name: opts.name },
    { workspace: opts.workspaceId, tips: [opts.invite.entry], by: keys.sign.keyId, at: (opts.now ?? new Date()).toISOString() },
  );
  const entry = await signMembershipEntry(draft, keys.sign);
  const got = await sendEnrol(opts, entry);
  if (got.kind !== 'enrolled') return got;
  // The relay stored it in the members room; this device's copy gets the very same entry (same id: no duplicate).
  const map = opts.members?.getMap<unknown>('membership');
  const id = membershipId(entry);
  if (map && !map.has(id)) map.set(id, entry);
  return { kind: 'enrolled' };
}

/**
 * POSTs a signed joining entry (a redeem, or a recover: src/registers/members/recover.ts) to the relay's
 * /auth/<ws>/enrol, and says what the relay answered.
 */
export async function sendEnrol(opts: { serverUrl: string; workspaceId: string; credential: string }, entry: unknown): Promise<EnrolResult> {
  const base = httpBase(opts.serverUrl);
  let res: Response;
  try {
    res = await fetch(`${base}/auth/${opts.workspaceId}/enrol`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${opts.credential}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ entry }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    return { kind: 'unreachable' };
  }
  if (res.status === 409) return { kind: 'legacy' };
  const body = (await res.json().catch(() => ({}))) as { error?: unknown };
  if (res.status === 403 || res.status === 400) return { kind: 'refused', reason: typeof body.error === 'string' ? body.error : `the relay answered ${res.status}` };
  if (!res.ok) return { kind: 'unreachable' };
  return { kind: 'enrolled' };
}

/**
 * The unspent recovery entries the relay's log holds (GET /auth/<ws>/recovery), for a device that is not admitted;
 * null when the relay could not be asked (offline) or holds no signed log.
 */
export async function fetchRecoveryEntries(opts: { serverUrl: string; workspaceId: string; credential: string }): Promise<{ entries: unknown[]; spent: number } | null> {
  const base = httpBase(opts.serverUrl);
  try {
    const res = await fetch(`${base}/auth/${opts.workspaceId}/recovery`, { headers: { Authorization: `Bearer ${opts.credential}` }, signal: AbortSignal.timeout(10_000) });
    if (!res.ok) return null;
    const body = (await res.json()) as { entries?: unknown; spent?: unknown };
    return Array.isArray(body.entries) ? { entries: body.entries, spent: typeof body.spent === 'number' ? body.spent : 0 } : null;
  } catch {
    return null;
  }
}
