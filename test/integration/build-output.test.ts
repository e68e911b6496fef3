import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { cleanup, ROOT, tmpDir } from './harness.ts';

/*
 * `npm start` begins with `vite build`: what it prints is the first thing a newcomer reads.
 * It lists the files it wrote and nothing alarming: no [PLUGIN_TIMINGS] block, no warning.
 * (A real warning would still show, and fail this test, which is the point.)
 */

afterAll(cleanup);

test('vite build prints its file list and no warning or [PLUGIN_TIMINGS] block', { timeout: 180_000 }, async () => {
  const outDir = path.join(tmpDir('muster-build-'), 'dist');
  const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', outDir, '--emptyOutDir'], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(code, out).toBe(0);
  expect(out).toMatch(/✓ built in /);
  expect(out).toMatch(/files generated/);
  expect(out).not.toContain('PLUGIN_TIMINGS');
  const alarming = out.split('\n').filter((l) => !/ kB/.test(l) && /\[[A-Z_]{4,}\]|warn|error|deprecat/i.test(l));
  expect(alarming).toEqual([]);
});
