import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Database from 'better-sqlite3';
import type { Authorizer } from './auth.ts';
import { type CreationPolicy, normaliseCreationToken } from './config.ts';
import { bearer, pathnameOf, readJsonObject, sendJson as json } from './http.ts';
import { log as defaultLog, type Logger } from './log.ts';
import { AUTH_PATH, originAllowed } from './rotation.ts';

/**
 * Workspace creation: the only way a workspace comes to exist on the relay.
 *
 *   POST /auth/<ws>/create             Authorization: Bearer <the new workspace's credential>
 *        {"creationToken": "…"} or {"invite": "…"} (or {} when the policy is open)
 *        → 201; 401 (credential), 409 {"sameCredentials": bool} (the id exists: nothing changes),
 *          403 {"reason": "creation token required" | …} (policy), 503 (MAX_WORKSPACES), 400, 413
 *   POST /auth/<ws>/creation-invite    Authorization: Bearer <that existing workspace's credential>
 *        → 200 {"invite": "XXXXX-XXXXX-XXXXX-XXXXX", "expiresAt": ms}; 403 when the policy is not invite
 *
 * The relay stores SHA-256(credential) as the workspace's verifier, as before.
 * Policies (WORKSPACE_CREATION): `open` anyone; `token` one of the operator's
 * creation tokens (CREATION_TOKENS or `npm run relay-token`); `invite` a code an
 * existing workspace asked for, or an operator's token (so the first workspace
 * can be made). Every token and invite creates ONE workspace: its hash is
 * recorded as used, across restarts. Codes are compared by SHA-256 of their
 * normalised form; the configured list is walked whole with timingSafeEqual.
 */

export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Unused, unexpired invites one workspace may hold at once. */
export const MAX_OPEN_INVITES = 10;
/** Tokens minted over the control socket stay valid this long unless told otherwise. */
export const MINTED_TOKEN_HOURS = 7 * 24;
const MAX_BODY = 4096;

const WORKSPACE_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** 20 characters from a 32-letter alphabet (100 bits) in groups of five: typeable on a phone. */
export function newCode(): string {
  const bytes = randomBytes(20);
  const chars = [...bytes].map((b) => CODE_ALPHABET[b & 31]);
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join('')).join('-');
}

const hashOf = (code: string) => createHash('sha256').update(normaliseCreationToken(code)).digest();

export interface CreationOptions {
  db: Database.Database;
  authorizer: Authorizer;
  policy: CreationPolicy;
  tokens: readonly string[];
  maxWorkspaces: number;
  inviteSeconds: number;
  allowedOrigins?: readonly string[] | undefined;
  log?: Logger;
  now?: () => number;
  /** A `genesis` in the body enrols the new workspace (server/admission.ts). */
  genesis?: { check(workspace: string, genesis: unknown): Promise<string | null>; seed(workspace: string, genesis: unknown): Promise<void> };
}

type Refusal = { status: number; error: string; reason: string };

export function createCreation(opts: CreationOptions) {
  const log = opts.log ?? defaultLog;
  const now = opts.now ?? Date.now;
  const { db, authorizer, policy } = opts;
  // creation_codes (server/migrations.ts): hash, kind (env | minted | invite), issuer, expires_at, used_at, used_by.
  const configured = opts.tokens.map(hashOf);
  // Started, not refused: tokens can be minted while it runs (`npm run relay-token`); until then creations get a sentence.
  if (policy === 'token' && configured.length === 0) log('warn', 'workspace.no-creation-tokens', { hint: 'new workspaces are refused until npm run relay-token makes a creation token, or CREATION_TOKENS is set' });
  const lookup = db.prepare<[Buffer], { kind: string; expires_at: number | null; used_at: number | null }>('SELECT kind, expires_at, used_at FROM creation_codes WHERE hash = ?');
  const add = db.prepare<[Buffer, string, string | null, number | null]>('INSERT INTO creation_codes (hash, kind, issuer, expires_at) VALUES (?, ?, ?, ?)');
  const spendEnv = db.prepare<[Buffer, number, string]>("INSERT INTO creation_codes (hash, kind, used_at, used_by) VALUES (?, 'env', ?, ?)");
  const spend = db.prepare<[number, string, Buffer]>('UPDATE creation_codes SET used_at = ?, used_by = ? WHERE hash = ? AND used_at IS NULL');
  const openInvites = db.prepare<[string, number], { n: number }>("SELECT COUNT(*) AS n FROM creation_codes WHERE kind = 'invite' AND issuer = ? AND used_at IS NULL AND expires_at > ?");
  const unspentMinted = db.prepare<[number], { n: number }>("SELECT COUNT(*) AS n FROM creation_codes WHERE kind = 'minted' AND used_at IS NULL AND expires_at > ?");

  const isConfigured = (hash: Buffer) => {
    let hit = false;
    for (const c of configured) hit = timingSafeEqual(c, hash) || hit;
    return hit;
  };

  /** What lets this creation through under the policy, or why not. Spends nothing. */
  const check = (code: string | undefined): { spend?: Buffer; env?: boolean } | Refusal => {
    if (policy === 'open') return {};
    const required = policy === 'token' ? 'creation token required' : 'invite required';
    if (!code || !normaliseCreationToken(code)) {
      const none = policy === 'token' && configured.length === 0 && unspentMinted.get(now())!.n === 0;
      const error =
        policy === 'token'
          ? `This relay creates a workspace only with a creation token from whoever runs it${none ? ' (it has none yet: they make one with npm run relay-token)' : ''}.`
          : 'This relay creates a workspace only with an invite code from an existing workspace, or a creation token from whoever runs it.';
      return { status: 403, error, reason: required };
    }
    const hash = hashOf(code);
    const row = lookup.get(hash);
    const env = isConfigured(hash);
    const accepted = env || (row !== undefined && (row.kind === 'minted' || (row.kind === 'invite' && policy === 'invite')));
    if (!accepted) return { status: 403, error: `That ${policy === 'token' ? 'creation token' : 'code'} is not one this relay issued. Check it and type it again.`, reason: 'code not valid' };
    if (row?.used_at != null) return { status: 403, error: 'That code was used already: each one creates one workspace. Ask for a new one.', reason: 'code used' };
    if (row?.expires_at != null && row.expires_at <= now()) return { status: 403, error: 'That code has expired. Ask for a new one.', reason: 'code expired' };
    return { spend: hash, env: env && !row };
  };

  // One transaction: the code is spent exactly when the workspace is inserted.
  const commit = db.transaction((workspace: string, token: string, pass: { spend?: Buffer; env?: boolean }) => {
    const result = authorizer.create(workspace, token);
    if (!result.ok) return result;
    if (pass.spend) {
      if (pass.env) spendEnv.run(pass.spend, now(), workspace);
      else if (spend.run(now(), workspace, pass.spend).changes === 0) throw new Error('code spent meanwhile');
    }
    return result;
  });

  const refuse = (res: ServerResponse, workspace: string, r: Refusal, extra: Record<string, unknown> = {}) => {
    log('warn', 'workspace.create-refused', { workspace, status: r.status, reason: r.reason });
    json(res, r.status, { error: r.error, reason: r.reason, ...extra });
  };

  const create = (req: IncomingMessage, res: ServerResponse, workspace: string) => {
    const token = bearer(req);
    readJsonObject(req, MAX_BODY, (body) => {
      if (typeof body === 'string') return refuse(res, workspace, { status: 400, error: body, reason: 'bad body' });
      const code = body['creationToken'] ?? body['invite'];
      if (code !== undefined && typeof code !== 'string') return refuse(res, workspace, { status: 400, error: 'creationToken and invite are text.', reason: 'bad body' });
      // The id first: a retried create (its answer was lost) must not spend a second code.
      if (authorizer.known(workspace)) {
        const again = authorizer.create(workspace, token);
        if (!again.ok && again.status === 401) return refuse(res, workspace, { status: 401, error: `Not allowed: ${again.reason}.`, reason: again.reason });
        return refuse(res, workspace, { status: 409, error: 'This workspace already exists on this relay.', reason: 'workspace exists' }, { sameCredentials: !again.ok && again.status === 409 && again.sameCredentials });
      }
      const pass = check(code);
      if ('status' in pass) return refuse(res, workspace, pass);
      if (authorizer.count() >= opts.maxWorkspaces) {
        return refuse(res, workspace, { status: 503, error: `This relay holds as many workspaces as it may (MAX_WORKSPACES=${opts.maxWorkspaces}). Ask whoever runs it to raise the limit.`, reason: 'too many workspaces' });
      }
      const insert = (genesis?: unknown) => {
        // Checked again: another create of this id may have landed while the genesis was verified.
        if (authorizer.known(workspace)) return refuse(res, workspace, { status: 409, error: 'This workspace already exists on this relay.', reason: 'workspace exists' }, { sameCredentials: false });
        let result;
        try {
          result = commit(workspace, token ?? '', pass);
        } catch (err) {
          log('error', 'workspace.create-failed', { workspace, error: String(err) });
          return json(res, 503, { error: 'The relay could not create the workspace. Nothing changed; try again.' });
        }
        if (!result.ok) {
          if (result.status === 401) return refuse(res, workspace, { status: 401, error: `Not allowed: ${result.reason}.`, reason: result.reason });
          return refuse(res, workspace, { status: 409, error: 'This workspace already exists on this relay.', reason: 'workspace exists' }, { sameCredentials: result.sameCredentials });
        }
        log('info', 'workspace.created', { workspace, policy, via: pass.spend ? (pass.env ? 'token' : 'code') : 'open' });
        if (genesis === undefined) return json(res, 201, { created: true });
        opts.genesis!.seed(workspace, genesis).then(
          () => json(res, 201, { created: true, enrolled: true }),
          (err: unknown) => {
            log('error', 'workspace.genesis-failed', { workspace, error: String(err) });
            json(res, 201, { created: true });
          },
        );
      };
      const genesis = body['genesis'];
      if (genesis !== undefined && opts.genesis) {
        // Checked before anything is spent or inserted; written once the workspace exists.
        void opts.genesis.check(workspace, genesis).then((why) => (why === null ? insert(genesis) : refuse(res, workspace, { status: 400, error: `${why[0]!.toUpperCase()}${why.slice(1)}.`, reason: 'bad genesis' })));
        return;
      }
      insert();
    });
  };

  const invite = (req: IncomingMessage, res: ServerResponse, workspace: string) => {
    req.resume();
    const auth = authorizer.authorize(workspace, bearer(req));
    if (!auth.ok) {
      const status = auth.unknown ? 404 : 401;
      log('warn', 'workspace.invite-refused', { workspace, status, reason: auth.reason });
      return json(res, status, { error: auth.unknown ? 'This relay does not hold this workspace.' : `Not allowed: ${auth.reason}.` });
    }
    if (policy !== 'invite') {
      log('warn', 'workspace.invite-refused', { workspace, status: 403, reason: `policy is ${policy}` });
      return json(res, 403, { error: policy === 'open' ? 'Anyone may create a workspace on this relay: no invite is needed.' : 'This relay creates workspaces only with creation tokens from whoever runs it, not with invites.' });
    }
    if (openInvites.get(workspace, now())!.n >= MAX_OPEN_INVITES) {
      log('warn', 'workspace.invite-refused', { workspace, status: 429, reason: 'too many open invites' });
      return json(res, 429, { error: `This workspace has ${MAX_OPEN_INVITES} unused invites already. Use one, or wait until they expire.` });
    }
    const code = newCode();
    const expiresAt = now() + opts.inviteSeconds * 1000;
    add.run(hashOf(code), 'invite', workspace, expiresAt);
    log('info', 'workspace.invite-issued', { workspace, expiresAt });
    json(res, 200, { invite: code, expiresAt });
  };

  return {
    policy,
    /** A single-use creation token for the operator (control socket, `npm run relay-token`). */
    mint(hours = MINTED_TOKEN_HOURS): { token: string; expiresAt: number } {
      const token = newCode();
      const expiresAt = now() + hours * 3_600_000;
      add.run(hashOf(token), 'minted', null, expiresAt);
      log('info', 'workspace.token-minted', { expiresAt });
      return { token, expiresAt };
    },
    /** Answers POST /auth/<ws>/create and /auth/<ws>/creation-invite; false for any other request. */
    handle(req: IncomingMessage, res: ServerResponse): boolean {
      const pathname = pathnameOf(req);
      if (!pathname.startsWith(AUTH_PATH)) return false;
      const [workspace = '', what = '', ...rest] = pathname.slice(AUTH_PATH.length).split('/');
      if (rest.length > 0 || (what !== 'create' && what !== 'creation-invite') || !WORKSPACE_ID.test(workspace)) return false;
      if (req.method !== 'POST') {
        req.resume();
        json(res, 405, { error: 'Use POST.' }, { Allow: 'POST' });
        return true;
      }
      if (!originAllowed(opts.allowedOrigins, req.headers.origin, req.headers.host)) {
        req.resume();
        log('warn', 'workspace.create-refused', { workspace, status: 403, reason: 'origin not allowed' });
        json(res, 403, { error: 'This origin may not create workspaces on this relay.' }, { Connection: 'close' });
        return true;
      }
      if (what === 'create') create(req, res, workspace);
      else invite(req, res, workspace);
      return true;
    },
  };
}
