import type { IncomingMessage, ServerResponse } from 'node:http';

/** What every HTTP route of the relay needs: its path, the caller's credential, a JSON body in and out. */

/** The request's path without its query. */
export const pathnameOf = (req: IncomingMessage): string => (req.url ?? '/').split('?', 1)[0]!;

/**
 * The credential of `Authorization: Bearer <token>`, or null when there is none (or the header is
 * not of that form). The authorizer refuses null as "missing credentials".
 */
export function bearer(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return m ? m[1]! : null;
}

/** Answers with a JSON body (none for 204); never cached. */
export function sendJson(res: ServerResponse, status: number, body?: unknown, extra: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text), ...extra });
  res.end(text);
}

/**
 * Reads a request body of at most `maxBytes`. `done` is called once: with the body, or with null as
 * soon as the body declares or turns out to be larger (nothing more is kept; the rest is read and
 * dropped so that the client gets to read the answer). A request that breaks off gets no call: there
 * is nobody left to answer.
 */
export function readBody(req: IncomingMessage, maxBytes: number, done: (body: Buffer | null) => void): void {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    return done(null);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  let broken = false;
  req.on('data', (chunk: Buffer) => {
    if (over) return;
    size += chunk.length;
    if (size <= maxBytes) return void chunks.push(chunk);
    over = true;
    chunks.length = 0;
    done(null);
  });
  req.on('error', () => (broken = true));
  req.on('end', () => {
    if (!over && !broken) done(Buffer.concat(chunks));
  });
}

/**
 * readBody for a JSON object: `done` gets the object ({} for an empty body), or a sentence saying what
 * is wrong with the body.
 */
export function readJsonObject(req: IncomingMessage, maxBytes: number, done: (body: Record<string, unknown> | string) => void): void {
  readBody(req, maxBytes, (bytes) => {
    if (bytes === null) return done('The request is too large.');
    const text = bytes.toString('utf8');
    if (text.trim() === '') return done({});
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return done('The body must be JSON.');
    }
    done(typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : 'The body must be a JSON object.');
  });
}
