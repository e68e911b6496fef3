import type { DeviceKeys } from '../domain/membership';
import { device, type DeviceStore } from '../store/device';
import { relayCredential } from './auth';
import { deviceProof } from './prove';

/*
 * Join requests (server/admission.ts): a relay that admits proven devices only
 * lets in nobody with the plain workspace link alone. Such a device asks the
 * relay to be admitted with its public keys and name; an owner's device reads
 * the requests (with a proof that it is an owner's) and confirms each on
 * Members with a signed grant, after which the relay admits the device.
 */

const httpBase = (serverUrl: string) => serverUrl.replace(/^ws/, 'http').replace(/\/sync$/, '');

export type RequestAnswer = 'waiting' | 'enrolled' | 'legacy' | 'removed' | 'unreachable';

/** Asks to be admitted; what the relay answered. */
export async function requestAdmission(opts: { serverUrl: string; workspaceId: string; credential: string; device: DeviceKeys; name: string }): Promise<RequestAnswer> {
  try {
    const res = await fetch(`${httpBase(opts.serverUrl)}/auth/${opts.workspaceId}/request`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${opts.credential}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ device: opts.device, name: opts.name.trim().slice(0, 120) || 'Unnamed device' }),
      signal: AbortSignal.timeout(10_000),
    });
    return res.status === 202 ? 'waiting' : res.status === 200 ? 'enrolled' : res.status === 409 ? 'legacy' : res.status === 403 ? 'removed' : 'unreachable';
  } catch {
    return 'unreachable';
  }
}

export interface JoinRequest {
  device: DeviceKeys;
  name: string;
  at: string;
}

/** The requests waiting on the relay, read by an owner's device; null when they could not be read (offline, not an owner, a legacy relay). */
export async function fetchJoinRequests(opts: { serverUrl: string; workspaceId: string; secret: string; deviceId: string; db?: DeviceStore }): Promise<JoinRequest[] | null> {
  try {
    const credential = await relayCredential(opts.workspaceId, opts.secret);
    const proof = await deviceProof({ serverUrl: opts.serverUrl, workspaceId: opts.workspaceId, deviceId: opts.deviceId, credential, db: opts.db ?? device });
    if (!proof) return null;
    const res = await fetch(`${httpBase(opts.serverUrl)}/auth/${opts.workspaceId}/requests`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${credential}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ proof }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) return null;
    const body = (await res.json()) as { requests?: unknown };
    return Array.isArray(body.requests) ? (body.requests as JoinRequest[]) : null;
  } catch {
    return null;
  }
}
