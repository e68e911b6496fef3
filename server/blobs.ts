import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Database from 'better-sqlite3';
import type { Admission } from './admission.ts';
import { type Authorizer, createAuthorizer } from './auth.ts';
import { bearer, pathnameOf } from './http.ts';
import { log as defaultLog, type Logger } from './log.ts';

/**
 * Attachment bytes (photos, PDFs), content-addressed by SHA-256, stored in the
 * relay's SQLite next to the rooms:
 *
 *   PUT /blobs/<workspaceId>/<sha256hex>   body = the bytes, Content-Type kept
 *   GET /blobs/<workspaceId>/<sha256hex>   (and HEAD)
 *
 * Both need `Authorization: Bearer <relay credential>`, the credential the
 * websocket sends as `?auth=`, checked by the workspace authorizer before
 * anything else, so a caller without credentials learns nothing about which
 * blobs exist. A signed (enrolled) workspace also wants the device proof of an
 * enrolled, not removed device (header X-Muster-Proof, server/admission.ts
 * proveRequest), like its websocket connections: the secret alone, or a
 * removed device, gets 401/403 `{"error": "<reason>"}` in the websocket's words. The relay recomputes the hash of what it receives and of what
 * it reads back: it never stores or serves bytes that do not match their name.
 * Logs carry the workspace id, the hash and sizes; never a credential or an address.
 */

export const BLOB_PATH = '/blobs/';
export const DEFAULT_MAX_BLOB_BYTES = 5 * 1024 * 1024;

const WORKSPACE_ID = /^[A-Za-z0-9_-]{16,64}$/;
const HASH = /^[0-9a-f]{64}$/;
/** How long a refused upload may go on sending (discarded) so that it can read the refusal. */
const LINGER_MS = 2000;
/** Uploads in progress at once (each on disk, at most maxBytes): more are refused with 503 until one ends. */
export const MAX_UPLOADS = 64;
/** An upload that sends nothing for this long is cut off and its part file removed. */
export const UPLOAD_IDLE_MS = 30_000;

/**
 * What the app produces: JPEG photos, PNG signatures, PDFs (and WebP for
 * completeness). Anything else is refused, so the relay never hands out, from
 * the app's own origin, a file a browser would run (HTML, SVG, scripts).
 */
export const BLOB_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'];

export interface BlobHandlerOptions {
  /** Largest blob accepted, in bytes. */
  maxBytes: number;
  /** Most bytes of attachments one workspace may store; a new blob beyond it is refused with 507. Default: no limit. */
  maxWorkspaceBytes?: number;
  /** Most bytes of attachments all workspaces together may store; beyond it a new blob is refused with 507. Default: no limit. */
  maxTotalBytes?: number;
  log?: Logger;
  /** The relay's authorizer; by default one over the same database. */
  authorizer?: Authorizer;
  /** Device admission (server/admission.ts): with it, an enrolled workspace's blobs want a device proof. */
  admission?: Pick<Admission, 'proveRequest'>;
  /**
   * Where unfinished uploads are written (emptied at start): a body is streamed
   * there and hashed as it comes, never held in memory while it arrives.
   */
  uploadDir: string;
}

/** Returns true when the request was a blob request (and has been or is being answered). */
export type BlobHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

interface BlobRow {
  type: string;
  data: Buffer;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** `type/subtype` in lower case without parameters, or null. */
function mediaType(header: string | undefined): string | null {
  if (!header) return null;
  const t = header.split(';', 1)[0]!.trim().toLowerCase();
  return BLOB_TYPES.includes(t) ? t : null;
}

export function createBlobHandler(db: Database.Database, opts: BlobHandlerOptions): BlobHandler {
  const log = opts.log ?? defaultLog;
  const authorizer = opts.authorizer ?? createAuthorizer(db);
  const maxBytes = opts.maxBytes;
  // Keyed by (workspace, hash): a workspace only ever reads its own blobs (table in server/migrations.ts).
  const insert = db.prepare<[string, string, string, number, Buffer, number]>(
    'INSERT OR IGNORE INTO blobs (workspace, hash, type, size, data, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const select = db.prepare<[string, string], BlobRow>('SELECT type, data FROM blobs WHERE workspace = ? AND hash = ?');
  const replace = db.prepare<[string, number, Buffer, string, string]>('UPDATE blobs SET type = ?, size = ?, data = ? WHERE workspace = ? AND hash = ?');
  const holds = db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM blobs WHERE workspace = ? AND hash = ?');
  const used = db.prepare<[string], { total: number }>('SELECT COALESCE(SUM(size), 0) AS total FROM blobs WHERE workspace = ?');
  const maxWorkspaceBytes = opts.maxWorkspaceBytes ?? Number.POSITIVE_INFINITY;
  const maxTotalBytes = opts.maxTotalBytes ?? Number.POSITIVE_INFINITY;
  // Kept as a running sum (blobs are never deleted): summing every row on each upload would read the whole table.
  let totalBytes = db.prepare<[], { total: number }>('SELECT COALESCE(SUM(size), 0) AS total FROM blobs').get()!.total;
  // Part files of a previous run are unfinished uploads: their clients were told nothing was stored.
  fs.rmSync(opts.uploadDir, { recursive: true, force: true });
  fs.mkdirSync(opts.uploadDir, { recursive: true, mode: 0o700 });
  let uploads = 0;

  const send = (res: ServerResponse, status: number, message: string, extra: Record<string, string> = {}) => {
    if (res.headersSent) return void res.destroy();
    const body = JSON.stringify({ error: message });
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...extra,
    });
    res.end(body);
  };

  /**
   * Answers now and stops taking in the body: nothing more is buffered or
   * hashed. Node discards what the client is still sending so that the client
   * gets to read the answer (closing at once would reset the connection and
   * lose it); a client still sending after LINGER_MS is cut off.
   */
  const refuseBody = (req: IncomingMessage, res: ServerResponse, status: number, message: string, extra: Record<string, string> = {}) => {
    req.removeAllListeners('data');
    req.removeAllListeners('end');
    let ended = req.readableEnded;
    req.once('end', () => (ended = true));
    res.once('finish', () => {
      if (ended) return;
      req.resume();
      setTimeout(() => ended || req.socket.destroy(), LINGER_MS).unref();
    });
    send(res, status, message, extra);
  };

  const put = (req: IncomingMessage, res: ServerResponse, workspace: string, hash: string) => {
    const type = mediaType(req.headers['content-type']);
    if (!type) {
      log('warn', 'blob.refused', { workspace, hash, status: 415 });
      return refuseBody(req, res, 415, `Only ${BLOB_TYPES.join(', ')} can be stored.`);
    }
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > maxBytes) {
      log('warn', 'blob.refused', { workspace, hash, status: 413, size: Number(declared), max: maxBytes });
      return refuseBody(req, res, 413, `The file is larger than this relay's limit of ${maxBytes} bytes.`);
    }
    if (uploads >= MAX_UPLOADS) {
      log('warn', 'blob.refused', { workspace, hash, status: 503, reason: 'too many uploads in progress' });
      return refuseBody(req, res, 503, 'The relay is taking too many files at once. Try again in a minute.', { 'Retry-After': '60' });
    }
    uploads++;
    const part = path.join(opts.uploadDir, `${randomBytes(12).toString('hex')}.part`);
    const file = fs.createWriteStream(part, { mode: 0o600 });
    let size = 0;
    let finished = false;
    const finish = () => {
      if (finished) return false;
      finished = true;
      uploads--;
      req.setTimeout(0);
      file.destroy();
      // A part file that cannot be removed now is removed at the next start (the upload dir is emptied then).
      fs.rm(part, { force: true }, () => {});
      return true;
    };
    file.on('error', (err) => {
      if (!finish()) return;
      log('error', 'blob.write-failed', { workspace, hash, error: String(err) });
      refuseBody(req, res, 503, 'The relay could not store the file. Try again later.');
    });
    req.setTimeout(UPLOAD_IDLE_MS, () => {
      if (!finish()) return;
      log('warn', 'blob.refused', { workspace, hash, status: 408, reason: 'upload stalled', size });
      req.socket.destroy();
    });
    req.on('data', (chunk: Buffer) => {
      if (finished) return;
      size += chunk.length;
      if (size > maxBytes) {
        finish();
        log('warn', 'blob.refused', { workspace, hash, status: 413, size, max: maxBytes });
        return refuseBody(req, res, 413, `The file is larger than this relay's limit of ${maxBytes} bytes.`);
      }
      // Backpressure: the body waits in the socket, not in memory, while the disk catches up.
      if (!file.write(chunk)) {
        req.pause();
        file.once('drain', () => req.resume());
      }
    });
    req.on('error', () => finish());
    req.on('close', () => {
      if (!req.readableEnded) finish();
    });
    req.on('end', () => {
      if (finished) return;
      file.end(() => {
        if (finished) return;
        let data: Buffer;
        try {
          data = fs.readFileSync(part);
        } catch (err) {
          if (!finish()) return;
          log('error', 'blob.write-failed', { workspace, hash, error: String(err) });
          return send(res, 503, 'The relay could not store the file. Try again later.');
        }
        finish();
        store(data);
      });
    });
    // Hashes and stores a complete upload (read back from its part file, at most maxBytes).
    const store = (data: Buffer) => {
      if (size === 0) return send(res, 400, 'The file is empty.');
      if (data.length !== size || sha256(data) !== hash) {
        log('warn', 'blob.refused', { workspace, hash, status: 400, reason: 'hash mismatch', size });
        return send(res, 400, 'The bytes do not match the SHA-256 in the address.');
      }
      let stored: boolean;
      let repaired = false;
      try {
        // A file the workspace already holds costs nothing; a new one must fit in its share of the relay.
        if (!holds.get(workspace, hash)) {
          const total = used.get(workspace)?.total ?? 0;
          if (total + size > maxWorkspaceBytes) {
            log('warn', 'blob.refused', { workspace, hash, status: 507, size, used: total, max: maxWorkspaceBytes });
            return send(res, 507, `This workspace has used its attachment storage on the relay (${maxWorkspaceBytes} bytes). Ask whoever runs the relay to raise MAX_WORKSPACE_BLOB_BYTES.`);
          }
          if (totalBytes + size > maxTotalBytes) {
            log('warn', 'blob.refused', { workspace, hash, status: 507, size, reason: 'relay attachment storage full', max: maxTotalBytes });
            return send(res, 507, `The relay has used all its attachment storage (${maxTotalBytes} bytes for all workspaces). Ask whoever runs the relay to raise MAX_TOTAL_BLOB_BYTES.`);
          }
        }
        stored = insert.run(workspace, hash, type, size, data, Date.now()).changes > 0;
        if (stored) totalBytes += size;
        if (!stored) {
          // Already there. If the stored copy has rotted, these (verified) bytes repair it.
          const existing = select.get(workspace, hash);
          if (existing && sha256(existing.data) !== hash) {
            replace.run(type, size, data, workspace, hash);
            stored = repaired = true;
          }
        }
      } catch (err) {
        log('error', 'blob.write-failed', { workspace, hash, error: String(err) });
        return send(res, 503, 'The relay could not store the file. Try again later.');
      }
      if (stored) log(repaired ? 'warn' : 'info', repaired ? 'blob.repaired' : 'blob.stored', { workspace, hash, size, type });
      send(res, stored ? 201 : 200, stored ? 'stored' : 'already stored');
    };
  };

  const get = (req: IncomingMessage, res: ServerResponse, workspace: string, hash: string) => {
    let row: BlobRow | undefined;
    try {
      row = select.get(workspace, hash);
    } catch (err) {
      log('error', 'blob.read-failed', { workspace, hash, error: String(err) });
      return send(res, 503, 'The relay could not read the file. Try again later.');
    }
    if (!row) return send(res, 404, 'No such file on this relay.');
    // The file may have rotted since it was written: never serve bytes that are not what their name says.
    if (sha256(row.data) !== hash) {
      log('error', 'blob.corrupt', { workspace, hash, size: row.data.length });
      return send(res, 500, 'The stored copy of this file is damaged.');
    }
    const etag = `"${hash}"`;
    const headers = {
      'Cache-Control': 'private, max-age=31536000, immutable',
      ETag: etag,
      'X-Content-Type-Options': 'nosniff',
      // Belt and braces: even opened directly, the bytes cannot run script in the app's origin.
      'Content-Security-Policy': "default-src 'none'; sandbox",
    };
    const match = req.headers['if-none-match'];
    if (match && match.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
      res.writeHead(304, headers);
      return void res.end();
    }
    res.writeHead(200, { ...headers, 'Content-Type': row.type, 'Content-Length': row.data.length });
    res.end(req.method === 'HEAD' ? undefined : row.data);
  };

  return (req, res) => {
    const pathname = pathnameOf(req);
    if (pathname !== '/blobs' && !pathname.startsWith(BLOB_PATH)) return false;
    const method = req.method ?? 'GET';
    const parts = pathname.slice(BLOB_PATH.length).split('/');
    const [workspace, hash] = parts;
    if (parts.length !== 2 || !workspace || !hash || !WORKSPACE_ID.test(workspace) || !HASH.test(hash)) {
      if (method === 'PUT') refuseBody(req, res, 404, 'Blob addresses are /blobs/<workspace id>/<sha-256 in lower-case hex>.');
      else send(res, 404, 'Blob addresses are /blobs/<workspace id>/<sha-256 in lower-case hex>.');
      return true;
    }
    if (method !== 'GET' && method !== 'HEAD' && method !== 'PUT') {
      refuseBody(req, res, 405, 'Use GET, HEAD or PUT.');
      return true;
    }
    // Authorised before anything about the blob is looked at: no existence oracle.
    let auth;
    try {
      auth = authorizer.authorize(workspace, bearer(req));
    } catch (err) {
      log('error', 'blob.auth-failed', { workspace, error: String(err) });
      refuseBody(req, res, 503, 'The relay could not check the credentials. Try again later.');
      return true;
    }
    if (!auth.ok && auth.unknown) {
      // Nothing is created: a workspace exists only once POST /auth/<ws>/create made it (server/creation.ts).
      log('warn', 'blob.refused', { workspace, hash, status: 404, reason: auth.reason });
      const message = 'This relay does not hold this workspace.';
      if (method === 'PUT') refuseBody(req, res, 404, message);
      else send(res, 404, message);
      return true;
    }
    if (!auth.ok) {
      log('warn', 'blob.refused', { workspace, hash, status: 401, reason: auth.reason });
      const message = `Not allowed: ${auth.reason}.`;
      if (method === 'PUT') refuseBody(req, res, 401, message, { 'WWW-Authenticate': 'Bearer' });
      else send(res, 401, message, { 'WWW-Authenticate': 'Bearer' });
      return true;
    }
    if (!opts.admission) {
      if (method === 'PUT') put(req, res, workspace, hash);
      else get(req, res, workspace, hash);
      return true;
    }
    // The body waits in the socket (nothing reads it) while the proof is checked.
    opts.admission.proveRequest(workspace, req).then(
      (proved) => {
        if (!proved.ok) {
          log('warn', 'blob.refused', { workspace, hash, status: proved.status, reason: proved.reason });
          // The websocket's wording (`device proof required`, `device removed`, …).
          if (method === 'PUT') refuseBody(req, res, proved.status, proved.reason);
          else send(res, proved.status, proved.reason);
          return;
        }
        if (method === 'PUT') put(req, res, workspace, hash);
        else get(req, res, workspace, hash);
      },
      (err: unknown) => {
        log('error', 'blob.auth-failed', { workspace, error: String(err) });
        refuseBody(req, res, 503, 'The relay could not check the device proof. Try again later.');
      },
    );
    return true;
  };
}
