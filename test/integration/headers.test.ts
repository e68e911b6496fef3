import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { precompress } from '../../scripts/precompress.ts';
import { cleanup, createdWorkspace, newWorkspace, type RelayProcess, spawnRelay, tmpDir } from './harness.ts';

/** Issue 12, items 3 and 4: strict headers on every answer; precompressed assets chosen by Accept-Encoding. */

let relay: RelayProcess;
let staticDir: string;
/** Big enough to be compressed by the build step. */
const APP_JS = `export const app = ${JSON.stringify('Muster '.repeat(2000))};\n`;

beforeAll(async () => {
  const base = tmpDir();
  staticDir = path.join(base, 'dist');
  fs.mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(staticDir, 'index.html'), `<!doctype html><title>Muster</title>${'<p>hello</p>'.repeat(200)}`);
  fs.writeFileSync(path.join(staticDir, 'assets', 'index-abc.js'), APP_JS);
  fs.writeFileSync(path.join(staticDir, 'assets', 'small-abc.js'), 'export {}');
  fs.writeFileSync(path.join(staticDir, 'pwa-192.png'), Buffer.alloc(4096, 7));
  precompress(staticDir);
  relay = await spawnRelay({ dataDir: path.join(base, 'data'), staticDir });
}, 30_000);

afterAll(cleanup);

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

const request = (method: string, urlPath: string, headers: Record<string, string> = {}, body?: string) => requestBytes(method, urlPath, headers, body);

function requestBytes(method: string, urlPath: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // http.request sends no Accept-Encoding unless asked, so the body arrives exactly as the relay sent it.
    const req = http.request({ host: '127.0.0.1', port: relay.port, method, path: urlPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** An upgrade the relay refuses before the websocket exists: the raw answer it writes to the socket. */
function refusedUpgrade(urlPath: string, origin?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(relay.port, '127.0.0.1', () => {
      socket.write(
        `GET ${urlPath} HTTP/1.1\r\nHost: 127.0.0.1:${relay.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${origin ? `Origin: ${origin}\r\n` : ''}\r\n`,
      );
    });
    let text = '';
    socket.setEncoding('utf8').on('data', (d: string) => (text += d));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

/** Directive name → its sources. */
const csp = (value: string | undefined) => Object.fromEntries((value ?? '').split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...sources]) => [name!, sources]));

function expectStrict(headers: http.IncomingHttpHeaders | Record<string, string>, what: string, opts: { ownCsp?: boolean } = {}) {
  const h = headers as Record<string, string | undefined>;
  expect(h['x-content-type-options'], what).toBe('nosniff');
  expect(h['referrer-policy'], what).toBe('no-referrer');
  expect(h['cross-origin-opener-policy'], what).toBe('same-origin');
  expect(h['permissions-policy'], what).toMatch(/(^|, )camera=\(self\)(,|$)/);
  expect(h['permissions-policy'], what).toMatch(/microphone=\(\)/);
  const policy = csp(h['content-security-policy']);
  if (opts.ownCsp) {
    // Blobs keep their stricter policy: nothing in them may run.
    expect(policy['default-src'], what).toEqual(["'none'"]);
    return;
  }
  expect(policy['frame-ancestors'], what).toEqual(["'none'"]);
  expect(policy['script-src'], what).toEqual(["'self'"]);
  expect(policy['object-src'], what).toEqual(["'none'"]);
  expect(policy['connect-src'], what).toEqual(["'self'", `wss://127.0.0.1:${relay.port}`]);
  // Without TLS there is no HSTS (test/integration/tls.test.ts checks it under TLS).
  expect(h['strict-transport-security'], what).toBeUndefined();
}

test('every kind of answer carries the strict headers', async () => {
  const ws = await createdWorkspace(relay);
  const answers: Array<[string, Answer]> = [
    ['the app', await request('GET', '/')],
    ['an app route', await request('GET', '/people')],
    ['a script', await request('GET', '/assets/index-abc.js', { 'Accept-Encoding': 'br' })],
    ['an image', await request('GET', '/pwa-192.png')],
    ['a missing file', await request('GET', '/assets/nope.js')],
    ['a bad path', await request('GET', '/%2e%2e/secret')],
    ['a wrong method', await request('POST', '/')],
    ['healthz', await request('GET', '/healthz')],
    ['sync without upgrade', await request('GET', '/sync/x')],
    ['a malformed rotation', await request('POST', `/auth/${ws.id}/rotate`, { 'Content-Type': 'application/json' }, '{}')],
    ['an envelope that is not there', await request('GET', `/auth/${ws.id}/envelope/someDevice01`)],
    ['speak-up verifier without credentials', await request('PUT', `/speakup/${ws.id}/verifier`, { 'Content-Type': 'application/json' }, '{}')],
  ];
  for (const [what, a] of answers) expectStrict(a.headers, `${what} (${a.status})`);
  expect(answers.map(([, a]) => a.status)).toEqual([200, 200, 200, 200, 404, 400, 405, 200, 426, 400, 404, 401]);

  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
  const hash = createHash('sha256').update(png).digest('hex');
  const auth = { Authorization: `Bearer ${ws.token}` };
  expect((await requestBytes('PUT', `/blobs/${ws.id}/${hash}`, { ...auth, 'Content-Type': 'image/png' }, png)).status).toBe(201);
  const blob = await request('GET', `/blobs/${ws.id}/${hash}`, auth);
  expect(blob.status).toBe(200);
  expectStrict(blob.headers, 'a blob', { ownCsp: true });
  const noBlob = await request('GET', `/blobs/${ws.id}/${'a'.repeat(64)}`);
  expect(noBlob.status).toBe(401);
  expectStrict(noBlob.headers, 'a refused blob');

  for (const [what, raw] of [
    ['an upgrade to no room', await refusedUpgrade('/elsewhere')],
    ['an upgrade from another origin', await refusedUpgrade(`/sync/${ws.id}.people?auth=${ws.token}`, 'https://evil.example')],
  ] as const) {
    const [status, ...lines] = raw.split('\r\n');
    expect(status, what).toMatch(/^HTTP\/1\.1 40[34] /);
    const headers = Object.fromEntries(lines.filter((l) => l.includes(': ')).map((l) => [l.slice(0, l.indexOf(': ')).toLowerCase(), l.slice(l.indexOf(': ') + 2)]));
    expectStrict(headers, what);
  }
});

test('a Host header that is not a host name is not echoed into the policy', async () => {
  const a = await request('GET', '/', { Host: "evil.example; script-src 'unsafe-inline'" });
  expect(csp(a.headers['content-security-policy'] as string)['connect-src']).toEqual(["'self'"]);
  expect(csp(a.headers['content-security-policy'] as string)['script-src']).toEqual(["'self'"]);
});

test('scripts and pages go out as the build\'s Brotli or gzip copy, chosen by Accept-Encoding, with Vary', async () => {
  const file = '/assets/index-abc.js';
  const br = await request('GET', file, { 'Accept-Encoding': 'gzip, deflate, br, zstd' });
  expect(br.headers['content-encoding']).toBe('br');
  expect(br.headers['vary']).toBe('Accept-Encoding');
  expect(br.headers['content-type']).toBe('text/javascript; charset=utf-8');
  expect(Number(br.headers['content-length'])).toBe(br.body.length);
  expect(br.body.length).toBeLessThan(APP_JS.length / 10);
  expect(zlib.brotliDecompressSync(br.body).toString()).toBe(APP_JS);

  const gz = await request('GET', file, { 'Accept-Encoding': 'gzip' });
  expect(gz.headers['content-encoding']).toBe('gzip');
  expect(zlib.gunzipSync(gz.body).toString()).toBe(APP_JS);
  // br refused by q=0: gzip.
  expect((await request('GET', file, { 'Accept-Encoding': 'br;q=0, gzip' })).headers['content-encoding']).toBe('gzip');
  // The client's preference wins.
  expect((await request('GET', file, { 'Accept-Encoding': 'gzip;q=1, br;q=0.5' })).headers['content-encoding']).toBe('gzip');

  for (const accept of [undefined, 'identity', 'deflate']) {
    const plain = await request('GET', file, accept ? { 'Accept-Encoding': accept } : {});
    expect(plain.headers['content-encoding'], String(accept)).toBeUndefined();
    expect(plain.headers['vary'], String(accept)).toBe('Accept-Encoding');
    expect(plain.body.toString(), String(accept)).toBe(APP_JS);
  }

  // The SPA fallback is compressed too; HEAD gives the same headers without a body.
  const page = await request('GET', '/people', { 'Accept-Encoding': 'br' });
  expect(page.headers['content-encoding']).toBe('br');
  expect(zlib.brotliDecompressSync(page.body).toString()).toBe(fs.readFileSync(path.join(staticDir, 'index.html'), 'utf8'));
  const head = await request('HEAD', file, { 'Accept-Encoding': 'br' });
  expect(head.headers['content-encoding']).toBe('br');
  expect(head.headers['content-length']).toBe(br.headers['content-length']);
  expect(head.body.length).toBe(0);

  // Each encoding has its own ETag, so a cache never answers 304 with the wrong bytes.
  expect(br.headers['etag']).not.toBe(gz.headers['etag']);
  expect((await request('GET', file, { 'Accept-Encoding': 'br', 'If-None-Match': br.headers['etag']! })).status).toBe(304);
  expect((await request('GET', file, { 'Accept-Encoding': 'gzip', 'If-None-Match': br.headers['etag']! })).status).toBe(200);

  // Files not worth compressing (small ones, images) are sent as they are.
  const small = await request('GET', '/assets/small-abc.js', { 'Accept-Encoding': 'br' });
  expect(small.headers['content-encoding']).toBeUndefined();
  expect(small.body.toString()).toBe('export {}');
  const png = await request('GET', '/pwa-192.png', { 'Accept-Encoding': 'br' });
  expect(png.headers['content-encoding']).toBeUndefined();
  expect(png.headers['vary']).toBeUndefined();
});

test('a compressed copy older than its file (a half-done deploy) is not served', async () => {
  const name = path.join(staticDir, 'assets', 'late-abc.js');
  fs.writeFileSync(name, APP_JS);
  precompress(staticDir);
  expect((await request('GET', '/assets/late-abc.js', { 'Accept-Encoding': 'br' })).headers['content-encoding']).toBe('br');
  const newer = APP_JS.replace('Muster', 'Muster2');
  fs.writeFileSync(name, newer);
  const future = new Date(Date.now() + 60_000);
  fs.utimesSync(name, future, future);
  const a = await request('GET', '/assets/late-abc.js', { 'Accept-Encoding': 'br, gzip' });
  expect(a.headers['content-encoding']).toBeUndefined();
  expect(a.body.toString()).toBe(newer);
});
