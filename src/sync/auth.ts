import { relayCredential } from '../crypto/relay-credential';

// Derived below sync (creating a workspace needs it before any sync); what syncs reads it here.
export { relayCredential };

/** The relay's close reason for a workspace it does not hold (server/auth.ts UNKNOWN_WORKSPACE). */
export const UNKNOWN_WORKSPACE = 'unknown workspace';

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
      // Loaded only here (a workspace made offline, its first sync): not on a returning member's path.
      const { createOnRelay } = await import('../store/relay-create');
      const got = await createOnRelay(opts.serverUrl.replace(/^ws/, 'http').replace(/\/sync$/, ''), opts.workspaceId, opts.secret);
      if (got.kind === 'created') return { credential: await relayCredential(opts.workspaceId, opts.secret) };
      if (got.kind === 'unreachable') return { retry: true as const };
      return { refusal: `The relay does not keep this workspace yet. ${got.message}` };
    })().finally(() => asking.delete(key));
    asking.set(key, p);
  }
  return p;
}
