import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Admission } from './admission.ts';
import type { Authorizer, RotationRequest } from './auth.ts';
import { bearer, pathnameOf, readBody, sendJson as json } from './http.ts';
import { log as defaultLog, type Logger } from './log.ts';

/**
 * Credential rotation over HTTP (the storage and the checks are in auth.ts):
 *
 *   POST /auth/<workspaceId>/rotate
 *        Authorization: Bearer <current credential>
 *        {"epoch": n, "verifier": "<64 hex>", "envelopes": {"<deviceId>": {"v":1,"epk":"…","ct":"…"}}}
 *        → 200 {"epoch": n}; 401 (credentials), 404 (unknown workspace), 409 {"epoch": current} (another rotation won),
 *          400 (body), 403 (Origin not allowed), 413 (body too large)
 *   GET  /auth/<workspaceId>/envelope/<deviceId>
 *        → 200 {"epoch": n, "envelope": {…}}, or 404
 *
 * In a legacy workspace the envelope GET needs no credential: the device
 * asking is the one whose credential just went stale. An envelope is
 * ciphertext that only the device's private key opens (docs/SECURITY.md,
 * "Access and rotation").
 *
 * A signed (enrolled) workspace, under device admission (server/admission.ts
 * proveRequest, header X-Muster-Proof): the rotation also wants the proof of
 * an owner's enrolled, not removed device; the envelope GET wants the proof of
 * the very device it names (its nonce from GET /auth/<ws>/challenge, which
 * answers the stale credential such a device holds). Refusals: 401 `device
 * proof required`, 403 with the reason (`device removed`, `not an owner’s
 * device`, `device proof of another device`, …).
 */

export const AUTH_PATH = '/auth/';
const WORKSPACE_ID = /^[A-Za-z0-9_-]{16,64}$/;
const DEVICE_ID = /^[A-Za-z0-9_-]{8,64}$/;
const HEX64 = /^[0-9a-f]{64}$/;
const B64URL = /^[A-Za-z0-9_-]+$/;
/** Enough for ~4,000 devices' envelopes (about 250 bytes each). */
export const MAX_ROTATION_BYTES = 1024 * 1024;
const MAX_DEVICES = 4000;

/** Origins are compared as `scheme://host[:port]`, lower-case, without a trailing slash. */
export function normaliseOrigin(origin: string): string {
  return origin.trim().replace(/\/+$/, '').toLowerCase();
}

/** `host[:port]` of an origin, or null when it is not one. */
function hostOf(origin: string): string | null {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.host : null;
  } catch {
    return null;
  }
}

/**
 * True when a browser request may proceed: no Origin header (not a browser: a
 * script can send any Origin it likes anyway); the relay's own origin (the
 * Origin's host is the request's Host, which a proxy such as Caddy passes
 * through); or an origin on ALLOWED_ORIGINS (`*` = any).
 */
export function originAllowed(allowed: readonly string[] | undefined, origin: string | string[] | undefined, host?: string): boolean {
  if (origin === undefined) return true;
  const value = Array.isArray(origin) ? origin[0] : origin;
  if (value === undefined) return true;
  if (allowed?.includes('*')) return true;
  if (host !== undefined && hostOf(value) === host.toLowerCase()) return true;
  return allowed !== undefined && allowed.includes(normaliseOrigin(value));
}

/** Checks the body's shape; returns the request, or a sentence saying what is wrong. */
export function parseRotation(body: unknown): RotationRequest | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'body must be a JSON object';
  const b = body as Record<string, unknown>;
  if (typeof b['epoch'] !== 'number' || !Number.isSafeInteger(b['epoch']) || b['epoch'] < 1) return 'epoch must be a whole number from 1';
  if (typeof b['verifier'] !== 'string' || !HEX64.test(b['verifier'])) return 'verifier must be 64 lower-case hex digits';
  const env = b['envelopes'];
  if (typeof env !== 'object' || env === null || Array.isArray(env)) return 'envelopes must be an object of device id → envelope';
  const envelopes = new Map<string, string>();
  const entries = Object.entries(env as Record<string, unknown>);
  if (entries.length === 0) return 'envelopes must name at least one device';
  if (entries.length > MAX_DEVICES) return `at most ${MAX_DEVICES} envelopes`;
  for (const [device, e] of entries) {
    if (!DEVICE_ID.test(device)) return 'a device id is malformed';
    const x = e as Record<string, unknown> | null;
    if (
      typeof x !== 'object' || x === null || x['v'] !== 1 ||
      typeof x['epk'] !== 'string' || x['epk'].length > 200 || !B64URL.test(x['epk']) ||
      typeof x['ct'] !== 'string' || x['ct'].length > 3000 || !B64URL.test(x['ct'])
    ) {
      return `the envelope for device ${device} is malformed`;
    }
    envelopes.set(device, JSON.stringify({ v: 1, epk: x['epk'], ct: x['ct'] }));
  }
  return { epoch: b['epoch'], verifier: b['verifier'], envelopes };
}

export function createRotationHandler(opts: { authorizer: Authorizer; log?: Logger; allowedOrigins?: readonly string[] | undefined; admission?: Pick<Admission, 'proveRequest'> }) {
  const log = opts.log ?? defaultLog;
  const { authorizer } = opts;

  /** Runs `then` when the request's device proof satisfies `need` (always, without admission); else answers 401/403. */
  const proven = (req: IncomingMessage, res: ServerResponse, workspace: string, what: string, need: Parameters<Admission['proveRequest']>[2], then: () => void) => {
    if (!opts.admission) return then();
    opts.admission.proveRequest(workspace, req, need).then(
      (proved) => {
        if (proved.ok) return then();
        log('warn', `auth.${what}-refused`, { workspace, status: proved.status, reason: proved.reason });
        req.resume();
        json(res, proved.status, { error: proved.reason });
      },
      (err: unknown) => {
        log('error', `auth.${what}-failed`, { workspace, error: String(err) });
        req.resume();
        if (!res.headersSent) json(res, 503, { error: 'The relay could not check the device proof. Try again later.' });
      },
    );
  };

  const rotate = (req: IncomingMessage, res: ServerResponse, workspace: string) => {
    readBody(req, MAX_ROTATION_BYTES, (bytes) => {
      if (bytes === null) {
        log('warn', 'auth.rotate-refused', { workspace, status: 413, reason: 'body too large' });
        return json(res, 413, { error: 'The rotation request is too large.' }, { Connection: 'close' });
      }
      let body: unknown;
      try {
        body = JSON.parse(bytes.toString('utf8'));
      } catch {
        log('warn', 'auth.rotate-refused', { workspace, status: 400, reason: 'not JSON' });
        return json(res, 400, { error: 'The body must be JSON.' });
      }
      const request = parseRotation(body);
      if (typeof request === 'string') {
        log('warn', 'auth.rotate-refused', { workspace, status: 400, reason: request });
        return json(res, 400, { error: `Bad rotation request: ${request}.` });
      }
      // The body's answers (400, 413) and the credential's (401, 404) come as they always did; with a good
      // credential, an owner's device proof is checked before anything changes.
      if (!authorizer.authorize(workspace, bearer(req)).ok) return apply(req, res, workspace, request);
      proven(req, res, workspace, 'rotate', { owner: true }, () => apply(req, res, workspace, request));
    });
  };

  const apply = (req: IncomingMessage, res: ServerResponse, workspace: string, request: RotationRequest) => {
    let result;
    try {
      result = authorizer.rotate(workspace, bearer(req), request);
    } catch (err) {
      log('error', 'auth.rotate-failed', { workspace, error: String(err) });
      return json(res, 503, { error: 'The relay could not store the new credentials. Nothing changed; try again.' });
    }
    if (!result.ok) {
      log('warn', 'auth.rotate-refused', { workspace, status: result.status, reason: result.reason });
      if (result.status === 404) return json(res, 404, { error: 'This relay does not hold this workspace.' });
      if (result.status === 401) return json(res, 401, { error: `Not allowed: ${result.reason}.` }, { 'WWW-Authenticate': 'Bearer' });
      if (result.status === 409) return json(res, 409, { error: 'Another rotation happened first.', epoch: result.epoch });
      return json(res, 400, { error: `Bad rotation request: ${result.reason}.` });
    }
    log('info', 'auth.rotated', { workspace, epoch: result.epoch, devices: request.envelopes.size, closed: result.closed });
    json(res, 200, { epoch: result.epoch });
  };

  const envelope = (res: ServerResponse, workspace: string, device: string) => {
    if (!authorizer.known(workspace)) {
      log('warn', 'auth.envelope', { workspace, device, status: 404, reason: 'unknown workspace' });
      return json(res, 404, { error: 'This relay does not hold this workspace.' });
    }
    const row = authorizer.envelope(workspace, device);
    if (!row) {
      log('info', 'auth.envelope', { workspace, device, status: 404 });
      return json(res, 404, { error: 'No envelope for this device: it was removed from the workspace, or the key never changed.' });
    }
    log('info', 'auth.envelope', { workspace, device, status: 200, epoch: row.epoch });
    json(res, 200, { epoch: row.epoch, envelope: JSON.parse(row.envelope) as unknown });
  };

  /** Answers /auth/… requests; false when the request is not one. */
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const pathname = pathnameOf(req);
    if (!pathname.startsWith(AUTH_PATH)) return false;
    const parts = pathname.slice(AUTH_PATH.length).split('/');
    const method = req.method ?? 'GET';
    const [workspace = '', what = '', device = ''] = parts;
    if (!WORKSPACE_ID.test(workspace)) {
      json(res, 404, { error: 'Not found.' });
      req.resume();
      return true;
    }
    if (parts.length === 2 && what === 'rotate') {
      if (method !== 'POST') {
        json(res, 405, { error: 'Use POST.' }, { Allow: 'POST' });
        req.resume();
        return true;
      }
      if (!originAllowed(opts.allowedOrigins, req.headers.origin, req.headers.host)) {
        log('warn', 'auth.rotate-refused', { workspace, status: 403, reason: 'origin not allowed' });
        json(res, 403, { error: 'This origin may not change credentials on this relay.' }, { Connection: 'close' });
        req.resume();
        return true;
      }
      rotate(req, res, workspace);
      return true;
    }
    if (parts.length === 3 && what === 'envelope' && DEVICE_ID.test(device)) {
      if (method !== 'GET') {
        json(res, 405, { error: 'Use GET.' }, { Allow: 'GET' });
        req.resume();
        return true;
      }
      if (!authorizer.known(workspace)) {
        envelope(res, workspace, device);
        return true;
      }
      // Only the device the envelope was made for, proven (a stale credential's nonce will do: it is that device's).
      proven(req, res, workspace, 'envelope', { device, stale: true }, () => envelope(res, workspace, device));
      return true;
    }
    json(res, 404, { error: 'Not found.' });
    req.resume();
    return true;
  };
}
