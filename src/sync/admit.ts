/*
 * Device admission, the device's side (docs/RELAY.md "Device admission"): the
 * per-workspace admitters the mux socket asks for proofs, and the refusal texts.
 * Small on purpose: it is on Home's path; the proof itself is in ./prove.ts.
 */

/** Close code of an admission refusal (server/admission.ts); 44xx: the client does not retry blindly. */
export const CLOSE_DEVICE = 4403;

/** Texts the device shows for the relay's 4403 reasons (server/admission.ts). */
export const ADMISSION_TEXT: Readonly<Record<string, string>> = {
  'device not enrolled': 'Waiting to be admitted: this relay lets in only devices on the signed member list. An owner confirms this device on Members (it has asked), or send an invite link for it.',
  'device removed': 'Refused — you were removed from this workspace.',
};

/** Per workspace: why the relay refused this device's invite when it tried to enrol with it (./enrol.ts). */
const enrolRefusals = new Map<string, string>();
export const setEnrolRefusal = (workspaceId: string, reason: string | undefined) => (reason ? enrolRefusals.set(workspaceId, reason) : enrolRefusals.delete(workspaceId));

/** The sentence for a 4403 reason: a refused invite says why, not "waiting". */
export function admissionText(workspaceId: string, reason: string): string {
  const refused = reason === 'device not enrolled' ? enrolRefusals.get(workspaceId) : undefined;
  if (refused) return `The relay did not accept this device’s invite: ${refused}. Ask whoever invited you for a new invite.`;
  return ADMISSION_TEXT[reason] ?? `The relay did not admit this device (${reason}).`;
}

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
