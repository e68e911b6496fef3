import { fromBase64Url, toBase64Url } from '../store/device-records';

/**
 * The relay never sees the workspace secret. Each device derives from it a
 * relay credential (HKDF-SHA-256, bound to the workspace id); the relay keeps
 * only a hash of that credential. Rotation and member roles build on this seam.
 */
export async function relayCredential(workspaceId: string, secret: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', fromBase64Url(secret), 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: new TextEncoder().encode('muster/relay'),
      info: new TextEncoder().encode(`muster relay auth v1 ${workspaceId}`),
    },
    key,
    256,
  );
  return toBase64Url(new Uint8Array(bits));
}

/** The relay's close reason for a workspace it does not hold (server/auth.ts UNKNOWN_WORKSPACE). */
export const UNKNOWN_WORKSPACE = 'unknown workspace';

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

const asking = new Map<string, Promise<{ credential: string } | { refusal: string } | { retry: true }>>();

/**
 * The relay answered 4401 "unknown workspace" (a workspace made offline, first
 * sync now). Its creator creates it and the rooms reconnect; anyone else, or a
 * relay that wants a code, gets a sentence on screen instead of a silent loop.
 * One request per workspace however many rooms ask.
 */
export function whenUnknown(opts: { workspaceId: string; secret: string; created: boolean; serverUrl: string }) {
  const key = opts.workspaceId;
  let p = asking.get(key);
  if (!p) {
    p = (async () => {
      if (!opts.created) return { refusal: 'The relay does not hold this workspace yet: the device that created it has not synced. Ask its creator to open Muster while online, then reload this page.' };
      const got = await createOnRelay(opts.serverUrl.replace(/^ws/, 'http').replace(/\/sync$/, ''), opts.workspaceId, opts.secret);
      if (got.kind === 'created') return { credential: await relayCredential(opts.workspaceId, opts.secret) };
      if (got.kind === 'unreachable') return { retry: true as const };
      return { refusal: `The relay does not keep this workspace yet. ${got.message}` };
    })().finally(() => asking.delete(key));
    asking.set(key, p);
  }
  return p;
}
