import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import Negotiator from 'negotiator';
import { COMPRESSIBLE } from '../scripts/precompress.ts';

/**
 * Serves the built PWA: real files, else index.html for app routes (SPA fallback).
 * Text files go out as the `.br` or `.gz` copy the build made next to them
 * (scripts/precompress.ts) when the request's Accept-Encoding takes it, with
 * `Vary: Accept-Encoding` either way.
 */

const ENCODINGS = [
  { name: 'br', ext: '.br' },
  { name: 'gzip', ext: '.gz' },
] as const;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.pdf': 'application/pdf',
};

/**
 * Vite puts content-hashed files under /assets/: cache them for good. Everything
 * else (index.html, sw.js, registerSW.js, manifest.webmanifest, icons) keeps its
 * name across releases, so it is revalidated on every load (cheap, via ETag) or
 * clients would keep an old app shell or service worker.
 */
const cacheControl = (urlPath: string) => (urlPath.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');

export type StaticHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(body);
}

/** Decoded URL path, or null when it is malformed or tries to leave the static root. */
function safePath(url: string): string | null {
  const raw = url.split(/[?#]/, 1)[0] ?? '';
  if (!raw.startsWith('/')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  // Checked after decoding so %2e%2e and %5c are caught too; never normalised away into a "valid" path.
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').some((seg) => seg === '..')) return null;
  return path.posix.normalize(decoded);
}

async function statFile(file: string): Promise<fs.Stats | null> {
  try {
    const stat = await fs.promises.stat(file);
    return stat.isFile() ? stat : null;
  } catch {
    return null;
  }
}

export function createStaticHandler(staticDir: string): StaticHandler {
  const root = path.resolve(staticDir);

  /** The precompressed copy to send instead of `file`, if the client takes one and it is not older than the file. */
  const encoded = async (req: IncomingMessage, file: string, stat: fs.Stats) => {
    // The client's q-values decide; between equals, Brotli (smaller) before gzip.
    const names = [...ENCODINGS.map((e) => e.name), 'identity'];
    // negotiator 1.x takes `preferred`; @types/negotiator predates it.
    const accepted = (new Negotiator(req) as unknown as { encodings(available: string[], opts: { preferred: string[] }): string[] }).encodings(names, { preferred: names });
    for (const name of accepted) {
      const enc = ENCODINGS.find((e) => e.name === name);
      if (!enc) return null;
      const encStat = await statFile(file + enc.ext);
      if (encStat && encStat.mtimeMs >= stat.mtimeMs) return { ...enc, file: file + enc.ext, stat: encStat };
    }
    return null;
  };

  const serveFile = async (req: IncomingMessage, res: ServerResponse, file: string, stat: fs.Stats, urlPath: string) => {
    // A symlink inside the build must not expose files outside it.
    const [real, realRoot] = await Promise.all([fs.promises.realpath(file), fs.promises.realpath(root)]);
    if (!real.startsWith(realRoot + path.sep)) return send(res, 404, 'Not found');
    const compressible = COMPRESSIBLE.test(file);
    const enc = compressible ? await encoded(req, file, stat) : null;
    const sent = enc ?? { file, stat };
    const etag = `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}${enc ? `-${enc.name}` : ''}"`;
    const headers: Record<string, string | number> = {
      'Content-Type': MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Cache-Control': cacheControl(urlPath),
      ETag: etag,
      'Last-Modified': stat.mtime.toUTCString(),
      'X-Content-Type-Options': 'nosniff',
      ...(compressible ? { Vary: 'Accept-Encoding' } : {}),
      ...(enc ? { 'Content-Encoding': enc.name } : {}),
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      return void res.end();
    }
    headers['Content-Length'] = sent.stat.size;
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return void res.end();
    const stream = fs.createReadStream(sent.file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  };

  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return send(res, 405, 'Method not allowed');
    }
    const urlPath = safePath(req.url ?? '/');
    if (urlPath === null) return send(res, 400, 'Bad path');
    const wanted = urlPath.endsWith('/') ? `${urlPath}index.html` : urlPath;
    const file = path.join(root, wanted);
    const stat = await statFile(file);
    if (stat) return serveFile(req, res, file, stat, wanted);
    // Only extension-less paths are app routes; a missing /assets/x.js must stay a 404,
    // or the browser would run index.html as a script.
    if (path.posix.extname(urlPath) !== '' || urlPath.startsWith('/assets/')) return send(res, 404, 'Not found');
    const index = path.join(root, 'index.html');
    const indexStat = await statFile(index);
    if (!indexStat) return send(res, 404, `No app build in ${root} (run npm run build)`);
    return serveFile(req, res, index, indexStat, '/index.html');
  };
}
