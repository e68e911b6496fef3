import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { cleanup, type RelayProcess, spawnRelay, tmpDir } from './harness.ts';

let relay: RelayProcess;
let staticDir: string;

beforeAll(async () => {
  const base = tmpDir();
  staticDir = path.join(base, 'dist');
  fs.mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  const files: Record<string, string> = {
    'index.html': '<!doctype html><title>Muster</title>',
    'assets/index-abc123.js': 'console.log("app")',
    'assets/index-abc123.css': 'body{}',
    'sw.js': 'self.x=1',
    'registerSW.js': 'navigator.serviceWorker',
    'manifest.webmanifest': '{"name":"Muster"}',
    'icon.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
    'pwa-192.png': 'PNG',
    'favicon.ico': 'ICO',
    'version.json': '{"v":1}',
  };
  for (const [name, body] of Object.entries(files)) fs.writeFileSync(path.join(staticDir, name), body);
  // Outside the static root: must never be served.
  fs.writeFileSync(path.join(base, 'secret.txt'), 'TOP SECRET');
  fs.symlinkSync(path.join(base, 'secret.txt'), path.join(staticDir, 'link.txt'));
  relay = await spawnRelay({ dataDir: path.join(base, 'data'), staticDir });
}, 30_000);

afterAll(cleanup);

/** Raw request: fetch() would normalise "/../" away before sending it. */
function raw(method: string, urlPath: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: relay.port, method, path: urlPath, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('serves files with their MIME type and cache policy', async () => {
  const cases: Array<[string, string, string]> = [
    ['/', 'text/html; charset=utf-8', 'no-cache'],
    ['/index.html', 'text/html; charset=utf-8', 'no-cache'],
    ['/assets/index-abc123.js', 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable'],
    ['/assets/index-abc123.css', 'text/css; charset=utf-8', 'public, max-age=31536000, immutable'],
    ['/sw.js', 'text/javascript; charset=utf-8', 'no-cache'],
    ['/registerSW.js', 'text/javascript; charset=utf-8', 'no-cache'],
    ['/manifest.webmanifest', 'application/manifest+json; charset=utf-8', 'no-cache'],
    ['/icon.svg', 'image/svg+xml', 'no-cache'],
    ['/pwa-192.png', 'image/png', 'no-cache'],
    ['/favicon.ico', 'image/x-icon', 'no-cache'],
    ['/version.json', 'application/json; charset=utf-8', 'no-cache'],
  ];
  for (const [p, type, cache] of cases) {
    const res = await fetch(relay.url + p);
    expect(res.status, p).toBe(200);
    expect(res.headers.get('content-type'), p).toBe(type);
    expect(res.headers.get('cache-control'), p).toBe(cache);
    expect(res.headers.get('x-content-type-options'), p).toBe('nosniff');
  }
  expect(await (await fetch(relay.url + '/')).text()).toContain('<title>Muster</title>');
  expect(await (await fetch(`${relay.url}/assets/index-abc123.js`)).text()).toBe('console.log("app")');
});

test('SPA fallback for app routes, 404 for missing files', async () => {
  for (const p of ['/checklists', '/people/42', '/join?w=abc#s=1']) {
    const res = await fetch(relay.url + p);
    expect(res.status, p).toBe(200);
    expect(res.headers.get('cache-control'), p).toBe('no-cache');
    expect(await res.text(), p).toContain('<title>Muster</title>');
  }
  for (const p of ['/missing.js', '/assets/gone-123.js', '/assets/nothing', '/favicon.png']) {
    expect((await fetch(relay.url + p)).status, p).toBe(404);
  }
});

test('path traversal and symlinks out of the root are refused', async () => {
  for (const p of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/%00index.html', '/%E0%A4%A']) {
    const res = await raw('GET', p);
    expect(res.status, p).toBe(400);
    expect(res.body, p).not.toContain('TOP SECRET');
  }
  const link = await raw('GET', '/link.txt');
  expect(link.status).toBe(404);
  expect(link.body).not.toContain('TOP SECRET');
});

test('HEAD, conditional GET, methods, health and sync paths', async () => {
  const head = await raw('HEAD', '/assets/index-abc123.js');
  expect(head.status).toBe(200);
  expect(head.headers['content-length']).toBe(String('console.log("app")'.length));
  expect(head.body).toBe('');
  const etag = head.headers.etag!;
  expect((await raw('GET', '/assets/index-abc123.js', { 'If-None-Match': etag })).status).toBe(304);
  expect((await raw('POST', '/')).status).toBe(405);

  const health = await fetch(`${relay.url}/healthz`);
  expect(health.status).toBe(200);
  expect(health.headers.get('content-type')).toBe('application/json');
  // Counts are for the operator's control socket only.
  expect(await health.json()).toEqual({ ok: true });
  // /sync is for websockets only, never the SPA fallback.
  expect((await fetch(`${relay.url}/sync/abc.people`)).status).toBe(426);
});
