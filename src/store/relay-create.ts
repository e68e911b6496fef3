import { relayCredential } from '../crypto/relay-credential';

/*
 * Asking the relay to create a workspace is the first step of creating one on
 * this device (./workspace.ts createWorkspace), before anything is stored; sync
 * asks the same when a workspace made offline first syncs (src/sync/auth.ts).
 */

export type CreateOutcome =
  | { kind: 'created' }
  /** The relay wants a creation token or an invite code (403 "creation token required" / "invite required"). */
  | { kind: 'code-required'; message: string }
  | { kind: 'refused'; message: string }
  /** The relay could not be asked (offline, or the page is not served by a relay): create locally, ask at first sync. */
  | { kind: 'unreachable' };

/**
 * POST /auth/<ws>/create (server/creation.ts): the only way a workspace comes
 * to exist on the relay. A 409 with our own credential is a create whose answer
 * was lost: the workspace is ours.
 */
export async function createOnRelay(baseUrl: string, workspaceId: string, secret: string, code?: string): Promise<CreateOutcome> {
  const credential = await relayCredential(workspaceId, secret);
  let res: Response;
  let body: { error?: string; reason?: string; sameCredentials?: boolean };
  try {
    res = await fetch(`${baseUrl}/auth/${workspaceId}/create`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${credential}` },
      body: JSON.stringify(code ? { creationToken: code } : {}),
      // A network that answers nothing must not hold the welcome screen: after 10 s the device creates offline.
      signal: AbortSignal.timeout(10_000),
    });
    body = (await res.json()) as typeof body;
  } catch {
    return { kind: 'unreachable' };
  }
  if (res.status === 201 || (res.status === 409 && body.sameCredentials)) return { kind: 'created' };
  const message = body.error ?? `The relay refused to create the workspace (${res.status}).`;
  if (res.status === 403 && (body.reason === 'creation token required' || body.reason === 'invite required')) return { kind: 'code-required', message };
  if (res.status === 403 || res.status === 409 || body.reason === 'too many workspaces') return { kind: 'refused', message };
  return { kind: 'unreachable' };
}
