import net from 'node:net';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { cleanup, healthz, spawnNode, tmpDir, waitFor } from './harness.ts';

/*
 * What `npm start` / `npm run serve` prints is the address to open: it follows PORT and HOST
 * (environment, as a newcomer sets them), gives the real port for PORT=0, and when the relay
 * listens on every interface it also says which address opens it on this machine.
 */

afterEach(cleanup);

/** A loopback port that was free a moment ago. */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const srv = net.createServer().once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });

/** Starts the relay CLI with only environment variables, as in `PORT=9000 npm start`; resolves with what it printed. */
async function startWithEnv(env: Record<string, string>): Promise<string[]> {
  const dir = tmpDir();
  const p = spawnNode(['--import', 'tsx', 'server/main.ts'], { env: { DATA_DIR: path.join(dir, 'data'), STATIC_DIR: path.join(dir, 'none'), ...env } });
  let exited = false;
  void p.exited.then(() => (exited = true));
  await waitFor('the listening line', () => exited || /^Muster relay listening on .+$/m.test(p.stdout()), 20_000);
  // Everything printed with the listening line has been flushed in the same write.
  if (exited) throw new Error(`relay exited before listening\n${p.stderr()}`);
  return p.stdout().trim().split('\n');
}

test('the printed URL follows PORT and HOST, and answers', async () => {
  const port = await freePort();
  const lines = await startWithEnv({ PORT: String(port), HOST: '127.0.0.1' });
  expect(lines).toEqual([`Muster relay listening on http://127.0.0.1:${port}`]);
  expect((await healthz(`http://127.0.0.1:${port}`)).status).toBe(200);
});

test('PORT=0 prints the port the system chose, not 0', async () => {
  const lines = await startWithEnv({ PORT: '0', HOST: '127.0.0.1' });
  expect(lines).toEqual([expect.stringMatching(/^Muster relay listening on http:\/\/127\.0\.0\.1:\d+$/)]);
  const url = lines[0]!.replace('Muster relay listening on ', '');
  expect(Number(new URL(url).port)).toBeGreaterThan(0);
  expect((await healthz(url)).status).toBe(200);
});

test('on every interface (HOST=0.0.0.0) it also prints the address to open on this machine', async () => {
  const lines = await startWithEnv({ PORT: '0', HOST: '0.0.0.0' });
  expect(lines).toEqual([
    expect.stringMatching(/^Muster relay listening on http:\/\/0\.0\.0\.0:\d+$/),
    expect.stringMatching(/^Open http:\/\/localhost:\d+ in a browser on this machine$/),
  ]);
  const port = new URL(lines[0]!.replace('Muster relay listening on ', '')).port;
  expect(lines[1]).toBe(`Open http://localhost:${port} in a browser on this machine`);
  expect((await healthz(`http://127.0.0.1:${port}`)).status).toBe(200);
});
