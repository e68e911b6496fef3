import { sha256HexSync } from '../domain/sha256';

/*
 * Device admission (docs/RELAY.md "Device admission"): what a device signs to
 * prove to the relay that it holds an enrolled key. Shared by the relay
 * (server/admission.ts) and the devices (./prove.ts), so both hash the same bytes.
 * Not on Home's path: a device loads it only for an enrolled workspace.
 */

/** The signing context of a relay challenge (src/crypto/signing.ts signingInput). */
export const ADMIT_CONTEXT = 'relay-admit';

/** The digest a device signs: bound to the workspace, the device, the relay's one-time nonce and the page's origin ('' outside a browser). */
export const admitDigest = (workspace: string, deviceId: string, nonce: string, origin: string): string =>
  sha256HexSync(`${workspace}|${deviceId}|${nonce}|${origin}`);

/** One proof as it travels in a URL: `<workspace>.<deviceId>.<nonce>.<signature>` (all base64url, so '.' separates). */
export interface AdmitProof {
  workspace: string;
  device: string;
  nonce: string;
  proof: string;
}

export const encodeProof = (p: AdmitProof): string => `${p.workspace}.${p.device}.${p.nonce}.${p.proof}`;

export function decodeProof(text: string): AdmitProof | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^[A-Za-z0-9_-]{1,200}$/.test(p))) return null;
  const [workspace, device, nonce, proof] = parts as [string, string, string, string];
  return { workspace, device, nonce, proof };
}


/**
 * An HTTP request's device proof (attachments, rotation, envelope, the speak-up link's verifier): the encoded proof,
 * and the origin it was signed on (a browser sends no Origin header with a same-origin GET). Lower case: as Node reads them.
 */
export const PROOF_HEADER = 'x-muster-proof';
export const PROOF_ORIGIN_HEADER = 'x-muster-origin';

/** The headers that carry `proof` (none when there is no proof: a legacy workspace). */
export const proofHeaders = (proof: string | null): Record<string, string> =>
  proof === null ? {} : { [PROOF_HEADER]: proof, [PROOF_ORIGIN_HEADER]: typeof location === 'undefined' ? '' : location.origin };
