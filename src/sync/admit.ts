/*
 * Device admission, the device's side (docs/RELAY.md "Device admission"): the
 * per-workspace admitters the mux socket asks for proofs (the refusal texts: ./admit-text.ts).
 * Small on purpose: it is on Home's path; the proof itself is in ./prove.ts.
 */

/** Close code of an admission refusal (server/admission.ts); 44xx: the client does not retry blindly. */
export const CLOSE_DEVICE = 4403;
/** Close code of a room this device's role may not read (server/room-access.ts): not retried until the role changes. */
export const CLOSE_ROOM = 4404;
/**
 * What this device may receive in a room with an audience changed (server/audience.ts; a role, an officer designation,
 * the person it is linked to): its copy was filled for the other view. The device fetches its per-person rooms
 * afresh (src/registers/members/audience-view.ts).
 */
export const CLOSE_VIEW = 4409;

/** Per workspace: makes this device's proof for one connection (a fresh challenge), or null when none is needed. */
const admitters = new Map<string, () => Promise<string | null>>();

/** Registered by src/sync/workspace-sync.ts; returns the function that unregisters it. */
export function setAdmitter(workspaceId: string, admit: () => Promise<string | null>): () => void {
  admitters.set(workspaceId, admit);
  return () => {
    if (admitters.get(workspaceId) === admit) admitters.delete(workspaceId);
  };
}

/** This device's proof for one short connection to a workspace's room (src/sync/short-room.ts), or null. */
export const admitFor = (workspaceId: string): Promise<string | null> => admitters.get(workspaceId)?.().catch(() => null) ?? Promise.resolve(null);

/** The `admit` query parameters for a new socket (one per workspace that has an admitter), or null when none is registered. */
export function admitParams(): Promise<string[]> | null {
  if (admitters.size === 0) return null;
  return Promise.all([...admitters.values()].map((admit) => admit().catch(() => null))).then((all) => all.filter((p): p is string => p !== null));
}

/** Workspaces whose relay asked this device for a proof its local log did not foresee (a genesis not synced here yet), and when. */
const proofWanted = new Map<string, number>();

/**
 * Notes that the relay wants a proof. True the first time, and for every room of the workspace that the relay
 * closed in the same moment (they all reconnect, this time with a proof); false after that (a real refusal).
 */
export function wantProof(workspaceId: string, now = Date.now()): boolean {
  const first = proofWanted.get(workspaceId);
  if (first === undefined) proofWanted.set(workspaceId, now);
  return first === undefined || now - first < 5000;
}

export const proofExpected = (workspaceId: string, logHasGenesis: boolean) => logHasGenesis || proofWanted.has(workspaceId);
