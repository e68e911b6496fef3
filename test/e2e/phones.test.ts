import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterEach, expect, test } from 'vitest';
import { CA_CERT, CERT, KEY, makeCert } from '../../scripts/make-cert.ts';
import { CHROMIUM } from '../chromium.ts';
import { cleanup, ROOT, type RelayProcess, spawnRelay, tmpDir, waitFor } from '../integration/harness.ts';
import {
  addPerson,
  closeAll,
  createWorkspace,
  DIST,
  dismissOfflineReady,
  goTab,
  joinLinkOf,
  confirmDevices,
  joinWorkspace,
  launchBrowser,
  newPhone,
  personNames,
  poll,
  screenshot,
  startRelay,
  takeCspViolations,
  waitForServiceWorker,
  waitSyncStatus,
} from './browser.ts';

/*
 * Issue 12: the routes to phones in README ("Use it from phones"), each as a
 * phone would take it, plus the relay's Content-Security-Policy seen from
 * Chromium. The phones reach the relay by a name (muster.local, muster.test)
 * that Chromium maps to 127.0.0.1: by a name, plain HTTP is not a secure
 * context, exactly as http://192.168.x.y is not on a real phone.
 */

const open: Array<{ close(): Promise<void> } | undefined> = [];
const caddies: ChildProcess[] = [];

afterEach(async () => {
  await closeAll(...open.splice(0));
  for (const c of caddies.splice(0)) {
    if (c.exitCode === null && c.signalCode === null) {
      const gone = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      await gone;
    }
  }
  await cleanup();
});

const HOSTS = '--host-resolver-rules=MAP muster.local 127.0.0.1, MAP other.local 127.0.0.1, MAP muster.test 127.0.0.1';

/** Chromium with a profile whose NSS store trusts `caFile`: what installing the authority on a phone does. */
async function browserTrusting(caFile: string): Promise<Browser> {
  const home = tmpDir('muster-home-');
  const nss = path.join(home, '.pki', 'nssdb');
  fs.mkdirSync(nss, { recursive: true });
  execFileSync('certutil', ['-d', `sql:${nss}`, '-N', '--empty-password']);
  execFileSync('certutil', ['-d', `sql:${nss}`, '-A', '-t', 'C,,', '-n', 'Muster local CA', '-i', caFile]);
  const browser = await chromium.launch({ ...CHROMIUM, args: [...(CHROMIUM.args ?? []), HOSTS], env: { ...process.env, HOME: home } });
  open.push(browser);
  return browser;
}

/** Base64 SHA-256 of a certificate's public key, for --ignore-certificate-errors-spki-list. */
const spkiHash = (pemFile: string) => createHash('sha256').update(new X509Certificate(fs.readFileSync(pemFile)).publicKey.export({ type: 'spki', format: 'der' })).digest('base64');

async function phone(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const p = await newPhone(browser);
  open.unshift(p.context);
  return p;
}

const secureContext = (page: Page) =>
  page.evaluate(() => ({ secure: isSecureContext, serviceWorker: 'serviceWorker' in navigator, webCrypto: typeof crypto.subtle?.generateKey === 'function' }));

/** First visit on a phone: the workspace is made, the service worker is activated and the app then works offline. */
async function firstVisitWorksOffline(page: Page, context: BrowserContext, url: string, org: string, screen: string): Promise<void> {
  await createWorkspace(page, url, org, 'Olive Owner');
  expect(await secureContext(page)).toEqual({ secure: true, serviceWorker: true, webCrypto: true });
  await waitForServiceWorker(page);
  await dismissOfflineReady(page);
  await addPerson(page, { name: 'Ada Lovelace', team: 'Ops' });
  await waitSyncStatus(page, 'synced');
  await page.reload();
  await poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
  await context.setOffline(true);
  await page.reload();
  await poll(() => page.getByTestId('org-name').textContent()).toBe(org);
  await goTab(page, 'People');
  await poll(() => personNames(page)).toEqual(['Ada Lovelace']);
  await screenshot(page, screen);
  await context.setOffline(false);
}

test('the relay\'s Content-Security-Policy holds in Chromium: an injected inline script is refused and reported', async () => {
  const relay = await startRelay();
  const browser = await launchBrowser();
  open.push(browser);
  const { page } = await phone(browser);
  const response = await page.goto(relay.url);
  const policy = response!.headers()['content-security-policy'] ?? '';
  expect(policy).toContain("script-src 'self';");
  expect(policy).toContain("frame-ancestors 'none'");
  await poll(() => page.getByRole('heading', { name: 'Create a workspace' }).count()).toBe(1);
  // The app itself caused no violation so far; the one below is ours, taken off the file's list.
  expect(takeCspViolations(page)).toEqual([]);
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true';
    document.head.append(s);
  });
  // Both channels report it: Chromium's console line and the page's securitypolicyviolation event.
  const seen: string[] = [];
  await poll(() => {
    seen.push(...takeCspViolations(page));
    return [seen.some((v) => /inline script violates the following Content Security Policy directive 'script-src 'self''/.test(v)), seen.some((v) => /^CSP violation: script-src-elem blocked inline/.test(v))];
  }).toEqual([true, true]);
  expect(await page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan)).toBeUndefined();
});

test('office network: HTTPS from the relay with the make-cert authority gives a phone the service worker, WebCrypto and offline use; plain HTTP gives neither', async () => {
  // README: npm run make-cert -- <this machine's address>, then TLS_CERT / TLS_KEY.
  const certs = tmpDir('muster-certs-');
  makeCert(['muster.local'], certs);
  const relay = await spawnRelay({ dataDir: tmpDir('muster-e2e-'), staticDir: DIST, env: { TLS_CERT: path.join(certs, CERT), TLS_KEY: path.join(certs, KEY) } });
  const plain = await startRelay();
  const browser = await browserTrusting(path.join(certs, CA_CERT));

  // What the issue starts from: the same app over plain HTTP by address or name has no secure context.
  const { page: before } = await phone(browser);
  await before.goto(`http://muster.local:${plain.port}/`);
  expect(await secureContext(before)).toEqual({ secure: false, serviceWorker: false, webCrypto: false });

  const { context, page } = await phone(browser);
  const url = `https://muster.local:${relay.port}/`;
  const response = await page.goto(url);
  // Chromium verified the certificate against the installed authority (no error page, no bypass).
  expect(response!.status()).toBe(200);
  expect(response!.headers()['strict-transport-security']).toBe('max-age=31536000');
  expect(response!.headers()['content-security-policy']).toContain(`connect-src 'self' wss://muster.local:${relay.port}`);
  await firstVisitWorksOffline(page, context, url, 'Acme Office', 'phones-office-https-offline');
  // A name the certificate does not cover is refused: the trust is real, not "ignore errors".
  const { page: wrong } = await phone(browser);
  await expect(wrong.goto(`https://other.local:${relay.port}/`)).rejects.toThrow(/ERR_CERT_COMMON_NAME_INVALID/);
});

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** deploy/Caddyfile as README tells a server to run it, behind a global block for the test: internal CA, loopback, no admin API. */
async function startCaddy(relay: RelayProcess): Promise<{ url: string; root: string; intermediate: string }> {
  const dir = tmpDir('muster-caddy-');
  const port = await freePort();
  const config = path.join(dir, 'Caddyfile');
  fs.writeFileSync(
    config,
    [
      '{',
      '\tadmin off',
      '\tlocal_certs', // = `tls internal` for every site
      '\tskip_install_trust',
      '\tauto_https disable_redirects',
      '\tdefault_bind 127.0.0.1',
      `\tstorage file_system ${path.join(dir, 'data')}`,
      '}',
      `import ${path.join(ROOT, 'deploy', 'Caddyfile')}`,
      '',
    ].join('\n'),
  );
  let log = '';
  const caddy = spawn('caddy', ['run', '--config', config, '--adapter', 'caddyfile'], {
    env: { ...process.env, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir, MUSTER_DOMAIN: `muster.test:${port}`, MUSTER_UPSTREAM: `127.0.0.1:${relay.port}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  caddies.push(caddy);
  caddy.on('error', (err) => (log += `\n${String(err)} (CI installs caddy from Debian: .ci/run)`));
  caddy.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  caddy.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const pki = path.join(dir, 'data', 'pki', 'authorities', 'local');
  await waitFor(`caddy serving (log: ${log.slice(-2000)})`, () => /serving initial configuration/.test(log) && fs.existsSync(path.join(pki, 'intermediate.crt')), 30_000).catch((err: Error) => {
    throw new Error(`${err.message}\n${log.slice(-3000)}`);
  });
  return { url: `https://muster.test:${port}/`, root: path.join(pki, 'root.crt'), intermediate: path.join(pki, 'intermediate.crt') };
}

test('a server: Caddy (deploy/Caddyfile, tls internal) in front of the relay; the service worker activates, the app reloads offline and two phones sync', async () => {
  const relay = await startRelay();
  const caddy = await startCaddy(relay);
  // Chromium trusts Caddy's internal authority by its keys' hashes (root and the intermediate it signs with).
  const browser = await chromium.launch({
    ...CHROMIUM,
    args: [...(CHROMIUM.args ?? []), HOSTS, `--ignore-certificate-errors-spki-list=${[spkiHash(caddy.root), spkiHash(caddy.intermediate)].join(',')}`],
  });
  open.push(browser);
  const a = await phone(browser);
  const response = await a.page.goto(caddy.url);
  expect(response!.headers()['strict-transport-security']).toBe('max-age=31536000');
  expect(response!.headers()['content-security-policy']).toContain(`wss://${new URL(caddy.url).host}`);
  await firstVisitWorksOffline(a.page, a.context, caddy.url, 'Acme Server', 'phones-caddy-offline');
  await waitSyncStatus(a.page, 'synced');

  // The second phone joins by the link the first one shows, through Caddy, and they sync both ways.
  const link = await joinLinkOf(a.page);
  expect(link.startsWith(caddy.url)).toBe(true);
  const b = await phone(browser);
  await joinWorkspace(b.page, link, 'Acme Server', 'Bo Second');
  // A phone that joins with the plain workspace link is not on the signed member list until an owner vouches for it.
  await confirmDevices(a.page);
  await goTab(b.page, 'People');
  await poll(() => personNames(b.page), 30_000).toEqual(['Ada Lovelace']);
  await addPerson(b.page, { name: 'Grace Hopper', team: 'Ops' });
  await goTab(a.page, 'People');
  await poll(() => personNames(a.page), 30_000).toEqual(['Ada Lovelace', 'Grace Hopper']);
  await screenshot(b.page, 'phones-caddy-second-phone');
  // The relay saw the app's websockets as its own origin through the proxy: nothing was refused.
  expect(relay.stderr()).not.toMatch(/origin not allowed/);
});
