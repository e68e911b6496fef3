import { createHash, timingSafeEqual } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Logger } from './log.ts';
import type { MarkerKeeper } from './marker.ts';

/**
 * Workspace authentication. Devices derive a 256-bit credential from the
 * workspace secret (HKDF, in the browser) and send it base64url-encoded as the
 * `auth` query parameter (websocket) or as `Authorization: Bearer` (HTTP); the
 * relay never sees the secret and stores only SHA-256(credential) per
 * workspace, set when the workspace is created: only `POST /auth/<ws>/create`
 * (server/creation.ts, under the operator's creation policy) inserts a
 * workspace. Every other path refuses an id the relay does not hold
 * (`unknown workspace`) and creates nothing.
 *
 * Rotation (an owner removed a device): the owner's device sends, with the
 * CURRENT credential, the verifier of the next one, the next epoch number and
 * the new secret wrapped for each remaining device (server/rotation.ts). In
 * one transaction the relay replaces the verifier, keeps the old one as
 * "retired" (so a replay is logged as `stale credentials`, not as a stranger),
 * bumps the epoch and replaces the stored envelopes; then it closes every open
 * connection that authenticated with the old credential (4401 `credentials
 * rotated`). The relay never sees either secret: envelopes are ECIES
 * ciphertext for one device's key (src/crypto/envelope.ts).
 *
 * Never backwards: each workspace's verifier and epoch are also recorded in
 * DATA_DIR/muster.marker (server/marker.ts), outside the database. A restored
 * older database (or one that lost its log) may hold a verifier an owner has
 * replaced since, which a removed device still holds; at start the marker's
 * newer one is put back, the older one retired and its envelopes dropped.
 */

export const CLOSE_BAD_CREDENTIALS = 4401;

/** `unknown`: no such workspace on this relay (HTTP answers 404, the websocket 4401 "unknown workspace"). */
export type AuthResult = { ok: true } | { ok: false; code: number; reason: string; unknown?: true };

export const UNKNOWN_WORKSPACE = 'unknown workspace';
/** A credential this workspace used before a rotation. */
export const STALE_CREDENTIALS = 'stale credentials';

export type CreateResult =
  | { ok: true }
  | { ok: false; status: 401; reason: string }
  /** The id is taken; `sameCredentials` when the caller's credential is the stored one (a retried create). */
  | { ok: false; status: 409; reason: string; sameCredentials: boolean };

/** What a rotation request carries, already checked for shape by server/rotation.ts. */
export interface RotationRequest {
  /** The epoch the new credential starts: exactly the current epoch + 1. */
  epoch: number;
  /** Hex SHA-256 of the new credential. */
  verifier: string;
  /** deviceId → envelope (JSON text), one per device that stays in the workspace. */
  envelopes: ReadonlyMap<string, string>;
}

export type RotationResult =
  | { ok: true; epoch: number; closed: number }
  | { ok: false; status: 401 | 404; reason: string }
  | { ok: false; status: 409; reason: string; epoch: number }
  | { ok: false; status: 400; reason: string };

export interface Authorizer {
  /** Inserts the workspace with the verifier of `token`; never touches an existing one. */
  create(workspaceId: string, token: string | null | undefined): CreateResult;
  /** Workspaces stored. */
  count(): number;
  /** True when the relay holds this workspace. */
  known(workspaceId: string): boolean;
  authorize(workspaceId: string, token: string | null | undefined): AuthResult;
  /**
   * Remembers an open connection that authenticated with the workspace
   * credential; `close` is called when the credential is rotated. Returns the
   * function to call when the connection closes by itself.
   */
  track(workspaceId: string, close: () => void): () => void;
  /** Replaces the credential (see the module comment). `token` is the current credential. */
  rotate(workspaceId: string, token: string | null | undefined, request: RotationRequest): RotationResult;
  /** The stored envelope of a device (JSON text) and its epoch, or undefined. */
  envelope(workspaceId: string, deviceId: string): { epoch: number; envelope: string } | undefined;
  /** The workspace's current epoch (0 before the first rotation). */
  epoch(workspaceId: string): number;
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Hex SHA-256 of the credential bytes, or null when the token is not a canonical 32-byte base64url string. */
export function verifierOf(token: string): string | null {
  if (!TOKEN.test(token)) return null;
  const bytes = Buffer.from(token, 'base64url');
  // 43 chars carry 258 bits: refuse encodings whose spare bits are set, so one key has one spelling.
  if (bytes.length !== 32 || bytes.toString('base64url') !== token) return null;
  return createHash('sha256').update(bytes).digest('hex');
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

export function createAuthorizer(db: Database.Database, marker?: Pick<MarkerKeeper, 'workspaces' | 'noteWorkspace'>, log?: Logger): Authorizer {
  // Tables: workspaces, auth_epochs, auth_retired, auth_envelopes (server/migrations.ts).
  const insert = db.prepare<[string, string, number]>('INSERT OR IGNORE INTO workspaces (id, verifier, created_at) VALUES (?, ?, ?)');
  const countAll = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM workspaces');
  const lookup = db.prepare<[string], { verifier: string }>('SELECT verifier FROM workspaces WHERE id = ?');
  const retired = db.prepare<[string, string], { epoch: number }>('SELECT epoch FROM auth_retired WHERE workspace = ? AND verifier = ?');
  const epochOf = db.prepare<[string], { epoch: number }>('SELECT epoch FROM auth_epochs WHERE workspace = ?');
  const setVerifier = db.prepare<[string, string]>('UPDATE workspaces SET verifier = ? WHERE id = ?');
  const retire = db.prepare<[string, string, number, number]>('INSERT OR IGNORE INTO auth_retired (workspace, verifier, epoch, retired_at) VALUES (?, ?, ?, ?)');
  const setEpoch = db.prepare<[string, number, number]>(
    'INSERT INTO auth_epochs (workspace, epoch, rotated_at) VALUES (?, ?, ?) ON CONFLICT(workspace) DO UPDATE SET epoch = excluded.epoch, rotated_at = excluded.rotated_at',
  );
  const dropEnvelopes = db.prepare<[string]>('DELETE FROM auth_envelopes WHERE workspace = ?');
  const addEnvelope = db.prepare<[string, string, number, string]>('INSERT INTO auth_envelopes (workspace, device, epoch, envelope) VALUES (?, ?, ?, ?)');
  const getEnvelope = db.prepare<[string, string], { epoch: number; envelope: string }>('SELECT epoch, envelope FROM auth_envelopes WHERE workspace = ? AND device = ?');

  const allWorkspaces = db.prepare<[], { id: string; verifier: string; epoch: number | null }>(
    'SELECT w.id, w.verifier, e.epoch FROM workspaces w LEFT JOIN auth_epochs e ON e.workspace = w.id',
  );
  const dropOlderEnvelopes = db.prepare<[string, number]>('DELETE FROM auth_envelopes WHERE workspace = ? AND epoch < ?');
  if (marker) {
    const restore = db.transaction(() => {
      for (const [workspace, newer] of marker.workspaces()) {
        const had = lookup.get(workspace);
        const epoch = epochOf.get(workspace)?.epoch ?? 0;
        if (had && newer.epoch <= epoch) continue;
        const now = Date.now();
        if (had) {
          setVerifier.run(newer.verifier, workspace);
          retire.run(workspace, had.verifier, epoch, now);
        } else insert.run(workspace, newer.verifier, now);
        if (newer.epoch > 0) setEpoch.run(workspace, newer.epoch, now);
        dropOlderEnvelopes.run(workspace, newer.epoch);
        log?.('warn', 'auth.restored-newer', { workspace, storeEpoch: had ? epoch : 'none', epoch: newer.epoch });
      }
    });
    restore();
    for (const w of allWorkspaces.iterate()) marker.noteWorkspace(w.id, { epoch: w.epoch ?? 0, verifier: w.verifier }, false);
  }

  /** Open connections per workspace that came in with the workspace credential. */
  const open = new Map<string, Set<() => void>>();
  const currentEpoch = (workspaceId: string) => epochOf.get(workspaceId)?.epoch ?? 0;

  const authorize: Authorizer['authorize'] = (workspaceId, token) => {
    if (token === null || token === undefined || token === '') {
      return { ok: false, code: CLOSE_BAD_CREDENTIALS, reason: 'missing credentials' };
    }
    const verifier = verifierOf(token);
    if (verifier === null) return { ok: false, code: CLOSE_BAD_CREDENTIALS, reason: 'malformed credentials' };
    const stored = lookup.get(workspaceId);
    if (!stored) return { ok: false, code: CLOSE_BAD_CREDENTIALS, reason: UNKNOWN_WORKSPACE, unknown: true };
    if (!sameHex(stored.verifier, verifier)) {
      // A credential this workspace used before a rotation: a removed device, or one that has not picked up the new secret yet.
      if (retired.get(workspaceId, verifier)) return { ok: false, code: CLOSE_BAD_CREDENTIALS, reason: STALE_CREDENTIALS };
      return { ok: false, code: CLOSE_BAD_CREDENTIALS, reason: 'bad credentials' };
    }
    return { ok: true };
  };

  const replace = db.transaction((workspaceId: string, oldVerifier: string, request: RotationRequest, now: number) => {
    setVerifier.run(request.verifier, workspaceId);
    retire.run(workspaceId, oldVerifier, request.epoch - 1, now);
    setEpoch.run(workspaceId, request.epoch, now);
    dropEnvelopes.run(workspaceId);
    for (const [device, envelope] of request.envelopes) addEnvelope.run(workspaceId, device, request.epoch, envelope);
  });

  return {
    create(workspaceId, token) {
      const verifier = token ? verifierOf(token) : null;
      if (verifier === null) return { ok: false, status: 401, reason: token ? 'malformed credentials' : 'missing credentials' };
      // better-sqlite3 is synchronous: insert-or-not cannot interleave with another request.
      if (insert.run(workspaceId, verifier, Date.now()).changes > 0) {
        marker?.noteWorkspace(workspaceId, { epoch: 0, verifier }, false);
        return { ok: true };
      }
      const stored = lookup.get(workspaceId);
      return { ok: false, status: 409, reason: 'workspace exists', sameCredentials: !!stored && sameHex(stored.verifier, verifier) };
    },
    count: () => countAll.get()!.n,
    known: (workspaceId) => lookup.get(workspaceId) !== undefined,
    authorize,
    track(workspaceId, close) {
      let set = open.get(workspaceId);
      if (!set) open.set(workspaceId, (set = new Set()));
      set.add(close);
      return () => {
        set.delete(close);
        if (set.size === 0 && open.get(workspaceId) === set) open.delete(workspaceId);
      };
    },
    rotate(workspaceId, token, request) {
      const auth = authorize(workspaceId, token);
      if (!auth.ok) return { ok: false, status: auth.unknown ? 404 : 401, reason: auth.reason };
      const oldVerifier = verifierOf(token!)!;
      const epoch = currentEpoch(workspaceId);
      if (request.epoch !== epoch + 1) return { ok: false, status: 409, reason: 'epoch mismatch', epoch };
      if (sameHex(request.verifier, oldVerifier) || retired.get(workspaceId, request.verifier)) {
        return { ok: false, status: 400, reason: 'new credentials were used before' };
      }
      replace(workspaceId, oldVerifier, request, Date.now());
      // Recorded outside the database before the owner hears "done": a restore cannot bring the old key back.
      marker?.noteWorkspace(workspaceId, { epoch: request.epoch, verifier: request.verifier }, true);
      // After the commit: every connection of the old credential goes, and cannot come back with it.
      const closers = [...(open.get(workspaceId) ?? [])];
      open.delete(workspaceId);
      for (const close of closers) close();
      return { ok: true, epoch: request.epoch, closed: closers.length };
    },
    envelope(workspaceId, deviceId) {
      return getEnvelope.get(workspaceId, deviceId);
    },
    epoch: currentEpoch,
  };
}
