import { signDigest } from '../crypto/signing';
import type { DeviceStore } from '../store/device';
import { deviceKeyPair } from '../store/device-keys';
import { ADMIT_CONTEXT, admitDigest, encodeProof } from './admit-proof';

/**
 * This device's proof for one connection to an enrolled workspace: a fresh
 * challenge from the relay, signed with the device's signing key; null when the
 * relay says the workspace is not enrolled (legacy) or did not answer.
 */
export async function deviceProof(opts: { serverUrl: string; workspaceId: string; deviceId: string; credential: string; db: DeviceStore }): Promise<string | null> {
  const base = opts.serverUrl.replace(/^ws/, 'http').replace(/\/sync$/, '');
  const res = await fetch(`${base}/auth/${opts.workspaceId}/challenge`, { headers: { Authorization: `Bearer ${opts.credential}` }, signal: AbortSignal.timeout(10_000) });
  const body = (await res.json()) as { nonce?: string; enrolled?: boolean };
  if (!res.ok || !body.enrolled || typeof body.nonce !== 'string') return null;
  const keys = await deviceKeyPair(opts.db);
  const proof = await signDigest(keys.sign, ADMIT_CONTEXT, admitDigest(opts.workspaceId, opts.deviceId, body.nonce, location.origin));
  return encodeProof({ workspace: opts.workspaceId, device: opts.deviceId, nonce: body.nonce, proof });
}
