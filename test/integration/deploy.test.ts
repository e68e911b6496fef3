import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { parseConfig } from '../../server/config.ts';
import { cleanup, healthz, ROOT, spawnRelay, tmpDir } from './harness.ts';

/**
 * Issue 12, item 2: deploy/muster.service and deploy/Caddyfile say what README says, and what they
 * configure is what the relay reads. (test/e2e/phones.test.ts runs the Caddyfile in front of a relay.)
 */

afterEach(cleanup);

const UNIT = fs.readFileSync(path.join(ROOT, 'deploy', 'muster.service'), 'utf8');

/** key → values of the unit's [Service] lines (a key may repeat, e.g. Environment). */
function service(): Map<string, string[]> {
  const section = UNIT.split(/^\[Service\]$/m)[1]!.split(/^\[/m)[0]!;
  const out = new Map<string, string[]>();
  for (const line of section.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (m) out.set(m[1]!, [...(out.get(m[1]!) ?? []), m[2]!]);
  }
  return out;
}

const unitEnv = () => Object.fromEntries(service().get('Environment')!.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));

test('the systemd unit runs the relay as a non-root user on its own data directory, restarts it, and reloads TLS on systemctl reload', () => {
  const s = service();
  expect(s.get('User')).toEqual(['muster']);
  expect(s.get('User')![0]).not.toBe('root');
  expect(s.get('StateDirectory')).toEqual(['muster']);
  expect(s.get('Restart')).toEqual(['on-failure']);
  // Exit code 2 (corrupt storage, docs/RELAY.md) must not become a restart loop.
  expect(s.get('RestartPreventExitStatus')).toEqual(['2 3']);
  expect(s.get('ExecReload')).toEqual(['/bin/kill -HUP $MAINPID']);
  expect(s.get('NoNewPrivileges')).toEqual(['true']);
  expect(s.get('ProtectSystem')).toEqual(['strict']);

  // Every variable it sets is one the relay reads, and they put the data where systemd keeps the state.
  const config = parseConfig([], unitEnv());
  expect(config.dataDir).toBe('/var/lib/muster');
  expect(config.host).toBe('127.0.0.1');
  expect(config.port).toBe(8787);
  // Public behind Caddy although on loopback: creation needs a token (docs/RELAY.md "Workspace creation").
  expect(config.workspaceCreation).toBe('token');
  expect(config.staticDir).toBe(path.join(s.get('WorkingDirectory')![0]!, 'dist'));
  for (const key of Object.keys(unitEnv())) if (key !== 'NODE_ENV') expect(UNIT_KNOWN_ENV).toContain(key);

  // systemd's own check, where systemd is installed: no warning about any line.
  const analyze = spawnSync('systemd-analyze', ['verify', path.join(ROOT, 'deploy', 'muster.service')], { encoding: 'utf8' });
  if (!analyze.error) expect(analyze.stderr.split('\n').filter((l) => l.includes('muster.service'))).toEqual([]);
});

const UNIT_KNOWN_ENV = ['PORT', 'HOST', 'DATA_DIR', 'STATIC_DIR', 'ALLOWED_ORIGINS', 'TLS_CERT', 'TLS_KEY', 'WORKSPACE_CREATION'];

test('the unit\'s ExecStart, run in its WorkingDirectory with its environment, starts the relay', async () => {
  const s = service();
  const [node, ...args] = s.get('ExecStart')![0]!.split(' ');
  expect(node).toBe('/usr/bin/node');
  expect(args).toEqual(['--import', 'tsx', 'server/main.ts']);
  // The same command with this checkout as WorkingDirectory and a temporary data directory.
  const relay = await spawnRelay({ dataDir: tmpDir(), env: { ...unitEnv(), STATIC_DIR: path.join(ROOT, 'dist') } });
  expect((await healthz(relay.url)).status).toBe(200);
});

test('the Caddyfile is valid for Caddy and proxies to where the unit makes the relay listen', () => {
  const caddyfile = fs.readFileSync(path.join(ROOT, 'deploy', 'Caddyfile'), 'utf8');
  const env = unitEnv();
  expect(caddyfile).toContain(`reverse_proxy {$MUSTER_UPSTREAM:${env['HOST']}:${env['PORT']}}`);
  const home = tmpDir('muster-caddy-');
  const out = execFileSync('caddy', ['adapt', '--config', path.join(ROOT, 'deploy', 'Caddyfile'), '--adapter', 'caddyfile'], {
    env: { ...process.env, HOME: home, XDG_DATA_HOME: home, XDG_CONFIG_HOME: home, MUSTER_DOMAIN: 'muster.example.org' },
    encoding: 'utf8',
  });
  const json = JSON.parse(out) as { apps: { http: { servers: Record<string, { routes: unknown[] }> } } };
  const text = JSON.stringify(json);
  expect(text).toContain('"host":["muster.example.org"]');
  expect(text).toContain('"dial":"127.0.0.1:8787"');
  expect(text).toContain('Strict-Transport-Security');
});
