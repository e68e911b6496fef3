/*
 * Device admission, the device's side (docs/RELAY.md "Device admission"): the
 * per-workspace admitters the mux socket asks for proofs, and the refusal texts.
 * Small on purpose: it is on Home's path; the proof itself is in ./prove.ts.
 */

/** Close code of an admission refusal (server/admission.ts); 44xx: the client does not retry blindly. */
export const CLOSE_DEVICE = 4403;

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
