import { sha256HexSync } from '../domain/sha256';

/*
 * Device admission (docs/RELAY.md "Device admission"): what a device signs to
 * prove to the relay that it holds an enrolled key. Shared by the relay
 * (server/admission.ts) and the devices, so both hash the same bytes.
 */

/** The signing context of a relay challenge (src/crypto/signing.ts signingInput). */
export const ADMIT_CONTEXT = 'relay-admit';

/** Close code of an admission refusal; 44xx: the client does not retry blindly. */
export const CLOSE_DEVICE = 4403;

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

/** Texts the device shows for the relay's 4403 reasons (server/admission.ts). */
export const ADMISSION_TEXT: Readonly<Record<string, string>> = {
  'device not enrolled': 'Waiting to be admitted: an owner’s invite has not reached the relay yet.',
  'device removed': 'This device was removed from the workspace.',
};

/** Per workspace: makes this device's proof for one connection (a fresh challenge), or null when none is needed. */
const admitters = new Map<string, () => Promise<string | null>>();

/** Registered by src/sync/workspace-sync.ts; returns the function that unregisters it. */
export function setAdmitter(workspaceId: string, admit: () => Promise<string | null>): () => void {
  admitters.set(workspaceId, admit);
  return () => {
    if (admitters.get(workspaceId) === admit) admitters.delete(workspaceId);
  };
}

/** The `admit` query parameters for a new socket (one per workspace that has an admitter), or null when none is registered. */
export function admitParams(): Promise<string[]> | null {
  if (admitters.size === 0) return null;
  return Promise.all([...admitters.values()].map((admit) => admit().catch(() => null))).then((all) => all.filter((p): p is string => p !== null));
}

/** Workspaces whose relay asked this device for a proof its local log did not foresee (a genesis not synced here yet). */
const proofWanted = new Set<string>();

/** Notes that the relay wants a proof; true the first time (reconnect and prove), false after (a real refusal). */
export function wantProof(workspaceId: string): boolean {
  if (proofWanted.has(workspaceId)) return false;
  proofWanted.add(workspaceId);
  return true;
}

export const proofExpected = (workspaceId: string, logHasGenesis: boolean) => logHasGenesis || proofWanted.has(workspaceId);
