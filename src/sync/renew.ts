/*
 * Renewal after a 4401, shared by every connection of a workspace on this
 * device (room-sync.ts asks; workspace-sync.ts answers, see rotation.ts).
 * Kept free of imports so that the connection code stays small.
 */

export type Renewal = { credential: string } | { refusal: string } | { retry: true };
/** `reason`: the close reason, e.g. "unknown workspace" (the relay does not hold it yet). */
type Renewer = (refusedCredential: string, reason?: string) => Promise<Renewal>;

const renewers = new Map<string, Renewer>();

/** Installed by workspace-sync for the open workspace; returns the function that removes it. */
export function setRenewer(workspaceId: string, renewer: Renewer): () => void {
  renewers.set(workspaceId, renewer);
  return () => {
    if (renewers.get(workspaceId) === renewer) renewers.delete(workspaceId);
  };
}

/**
 * Called by a room's connection when the relay refused its credential (4401):
 * a newer credential when this device has (or can fetch) one; a refusal to
 * show; or "retry" when the relay could not be asked. Undefined when no
 * workspace on this device renews (e.g. a public speak-up link).
 */
export function renewCredential(workspaceId: string, refusedCredential: string, reason?: string): Promise<Renewal> | undefined {
  return renewers.get(workspaceId)?.(refusedCredential, reason);
}
