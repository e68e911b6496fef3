import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import tls from 'node:tls';
import { afterEach, expect, test } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { CA_CERT, CERT, KEY, makeCert } from '../../scripts/make-cert.ts';
import { cleanup, connect, newWorkspace, records, type RelayProcess, runRelayToExit, spawnRelay, tmpDir, waitFor, waitSynced } from './harness.ts';

/** Issue 12, item 1: HTTPS and wss from the relay itself, with a certificate from scripts/make-cert.ts (openssl). */

afterEach(cleanup);

/** A certificate authority and a relay certificate for 127.0.0.1, made the way README tells an operator to. */
function certs() {
  const dir = tmpDir('muster-tls-');
  makeCert([], dir);
  return { dir, ca: fs.readFileSync(path.join(dir, CA_CERT)), cert: path.join(dir, CERT), key: path.join(dir, KEY) };
}

const fingerprint = (file: string) => new X509Certificate(fs.readFileSync(file)).fingerprint256;

/** GET over HTTPS, verifying the relay's certificate against our authority (no "ignore errors"). */
function get(url: string, ca: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

/** The SHA-256 fingerprint of the certificate a new TLS connection is given, verified against `ca`. */
function servedFingerprint(port: number, ca: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => {
      const fp = socket.getPeerCertificate().fingerprint256;
      socket.end();
      resolve(fp);
    });
    socket.on('error', reject);
  });
}

function tlsRelay(c: ReturnType<typeof certs>): Promise<RelayProcess> {
  return spawnRelay({ dataDir: tmpDir(), env: { TLS_CERT: c.cert, TLS_KEY: c.key } });
}

const logged = (relay: RelayProcess, pattern: RegExp) => waitFor(`log ${pattern}`, () => pattern.test(relay.stderr()), 10_000);

test('TLS_CERT / TLS_KEY: one port serves HTTPS and wss (plain HTTP is redirected), every answer carries Strict-Transport-Security', async () => {
  const c = certs();
  const relay = await tlsRelay(c);
  expect(relay.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  expect(relay.syncUrl).toMatch(/^wss:/);

  const health = await get(`${relay.url}/healthz`, c.ca);
  expect(health.status).toBe(200);
  expect(JSON.parse(health.body)).toMatchObject({ ok: true });
  expect(health.headers['strict-transport-security']).toBe('max-age=31536000');
  const missing = await get(`${relay.url}/no-such-file.js`, c.ca);
  expect(missing.status).toBe(404);
  expect(missing.headers['strict-transport-security']).toBe('max-age=31536000');

  // Someone typing the address without https:// is sent to it, on the same port.
  const plain = await new Promise<{ status: number; location: string | undefined }>((resolve, reject) =>
    http.get(`http://127.0.0.1:${relay.port}/people?x=1`, (res) => {
      res.resume();
      resolve({ status: res.statusCode!, location: res.headers.location });
    }).on('error', reject),
  );
  expect(plain).toEqual({ status: 308, location: `https://127.0.0.1:${relay.port}/people?x=1` });

  // Two devices sync through wss, verifying the certificate.
  const ws = newWorkspace();
  const a = new Y.Doc();
  const b = new Y.Doc();
  const pa = connect(relay.syncUrl, `${ws.id}.people`, a, ws.token, { ca: c.ca });
  const pb = connect(relay.syncUrl, `${ws.id}.people`, b, ws.token, { ca: c.ca });
  await Promise.all([waitSynced(pa, 10_000), waitSynced(pb, 10_000)]);
  const rec = new Y.Map<unknown>();
  records(a).set('p1', rec);
  rec.set('name', 'Ada over TLS');
  await waitFor('record on b', () => records(b).get('p1')?.get('name') === 'Ada over TLS');

  // A clean stop under TLS, with websockets open: exit code 0, promptly.
  relay.child.kill('SIGTERM');
  expect(await relay.exited).toEqual({ code: 0, signal: null });
  expect(relay.stderr()).toMatch(/relay\.closed/);
});

test('SIGHUP: new connections get the new certificate, an open websocket stays open; a bad file keeps the old one', async () => {
  const c = certs();
  const relay = await tlsRelay(c);
  const first = fingerprint(c.cert);
  expect(await servedFingerprint(relay.port, c.ca)).toBe(first);

  const ws = newWorkspace();
  const a = new Y.Doc();
  const pa = connect(relay.syncUrl, `${ws.id}.people`, a, ws.token, { ca: c.ca });
  await waitSynced(pa, 10_000);
  const socket = (pa as unknown as { ws: WebSocket }).ws;
  let closes = 0;
  socket.on('close', () => closes++);

  // The operator renews (the same command again: same authority, new certificate) and sends SIGHUP.
  makeCert([], c.dir);
  const second = fingerprint(c.cert);
  expect(second).not.toBe(first);
  relay.child.kill('SIGHUP');
  await logged(relay, /tls\.reloaded /);
  expect(await servedFingerprint(relay.port, c.ca)).toBe(second);

  // The websocket opened before the reload is the same socket, still open, and still syncs.
  expect((pa as unknown as { ws: WebSocket }).ws).toBe(socket);
  expect(socket.readyState).toBe(WebSocket.OPEN);
  const b = new Y.Doc();
  const pb = connect(relay.syncUrl, `${ws.id}.people`, b, ws.token, { ca: c.ca });
  await waitSynced(pb, 10_000);
  const rec = new Y.Map<unknown>();
  records(a).set('p1', rec);
  rec.set('name', 'sent on the old socket');
  await waitFor('record on b', () => records(b).get('p1')?.get('name') === 'sent on the old socket');
  expect(closes).toBe(0);

  // A broken renewal: the relay says so and keeps serving the certificate it has.
  fs.writeFileSync(c.cert, 'not a certificate\n');
  relay.child.kill('SIGHUP');
  await logged(relay, /tls\.reload-failed .*not a PEM certificate/);
  expect(await servedFingerprint(relay.port, c.ca)).toBe(second);
  expect(socket.readyState).toBe(WebSocket.OPEN);
  expect(relay.child.exitCode).toBeNull();
});

test('a missing, unreadable or mismatched certificate or key stops the start with exit code 1 and names the file', async () => {
  const c = certs();
  const other = certs();
  const data = tmpDir();
  const run = (args: string[]) => runRelayToExit(['--port', '0', '--host', '127.0.0.1', '--data-dir', data, ...args]);

  const missing = path.join(c.dir, 'nope.pem');
  const r1 = await run(['--tls-cert', missing, '--tls-key', c.key]);
  expect(r1.code).toBe(1);
  expect(r1.stderr).toContain(`cannot start: TLS certificate ${missing}: no such file`);

  const r2 = await run(['--tls-cert', c.cert]);
  expect(r2.code).toBe(1);
  expect(r2.stderr).toContain('TLS_CERT / --tls-cert is set without TLS_KEY / --tls-key');

  const garbage = path.join(c.dir, 'garbage.pem');
  fs.writeFileSync(garbage, 'hello\n');
  const r3 = await run(['--tls-cert', garbage, '--tls-key', c.key]);
  expect(r3.code).toBe(1);
  expect(r3.stderr).toContain(`TLS certificate ${garbage}: not a PEM certificate`);

  const r4 = await run(['--tls-cert', c.cert, '--tls-key', other.key]);
  expect(r4.code).toBe(1);
  expect(r4.stderr).toContain(`TLS key ${other.key} does not match the certificate ${c.cert}`);

  const r5 = await run(['--tls-cert', c.cert, '--tls-key', garbage]);
  expect(r5.code).toBe(1);
  expect(r5.stderr).toContain(`TLS key ${garbage}: not a usable PEM private key`);

  // Nothing was started: no database was created by any of these attempts.
  expect(fs.existsSync(path.join(data, 'muster.sqlite'))).toBe(false);
});

test('make-cert: a name-constrained authority, a certificate for the given addresses, and refusal of public ones', async () => {
  const dir = tmpDir('muster-mc-');
  const made = makeCert(['192.168.1.20', 'muster.local'], dir);
  expect(made.newAuthority).toBe(true);
  const ca = new X509Certificate(fs.readFileSync(path.join(dir, CA_CERT)));
  const leaf = new X509Certificate(fs.readFileSync(path.join(dir, CERT)));
  expect(ca.ca).toBe(true);
  expect(leaf.checkIssued(ca)).toBe(true);
  expect(leaf.verify(ca.publicKey)).toBe(true);
  expect(leaf.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:192.168.1.20, DNS:muster.local');
  expect((fs.statSync(path.join(dir, KEY)).mode & 0o077) === 0).toBe(true);
  // Run again: the same authority (phones trust it once), a new certificate.
  const again = makeCert(['192.168.1.21'], dir);
  expect(again.newAuthority).toBe(false);
  expect(new X509Certificate(fs.readFileSync(path.join(dir, CA_CERT))).fingerprint256).toBe(ca.fingerprint256);
  expect(new X509Certificate(fs.readFileSync(path.join(dir, CERT))).checkIssued(ca)).toBe(true);
  expect(() => makeCert(['8.8.8.8'], dir)).toThrow(/not a private address/);
  expect(() => makeCert(['muster.example.org'], dir)).toThrow(/not a local name/);
});
