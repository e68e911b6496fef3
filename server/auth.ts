import { createHash, timingSafeEqual } from 'node:crypto';
import type Database from 'better-sqlite3';

/**
 * Workspace authentication. Devices derive a 256-bit credential from the
 * workspace secret (HKDF, in the browser) and send it base64url-encoded as the
 * `auth` query parameter; the relay never sees the secret and stores only
 * SHA-256(credential) per workspace, set by the first connection of that
 * workspace (trust on first use). Credential rotation will extend this module.
 */

export const CLOSE_BAD_CREDENTIALS = 4401;

export type AuthResult = { ok: true } | { ok: false; code: number; reason: string };

export interface Authorizer {
  authorize(workspaceId: string, token: string | null | undefined): AuthResult;
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

export function createAuthorizer(db: Database.Database): Authorizer {
  const claim = db.prepare<[string, string, number]>('INSERT OR IGNORE INTO workspaces (id, verifier, created_at) VALUES (?, ?, ?)');
  const lookup = db.prepare<[string], { verifier: string }>('SELECT verifier FROM workspaces WHERE id = ?');
  return {
    authorize(workspaceId, token) {
      if (token === null || token === undefined || token === '') {
        return { ok: false, code: CLOSE_BAD_CREDENTIALS, reason: 'missing credentials' };
      }
      const verifier = verifierOf(token);
      if (verifier === null) return { ok: false, code: CLOSE_BAD_CREDENTIALS, reason: 'malformed credentials' };
      // better-sqlite3 is synchronous, so claim-then-read cannot interleave with another connection.
      claim.run(workspaceId, verifier, Date.now());
      const stored = lookup.get(workspaceId);
      if (!stored || !sameHex(stored.verifier, verifier)) {
        return { ok: false, code: CLOSE_BAD_CREDENTIALS, reason: 'bad credentials' };
      }
      return { ok: true };
    },
  };
}
