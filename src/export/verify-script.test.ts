import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSamplePack, replaceIn } from '../../test/fixtures/evidence-pack';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-verify-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the script as a user would: `node --import tsx scripts/verify-pack.ts <args>` from the repo. */
function run(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/verify-pack.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function write(name: string, bytes: Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

describe('scripts/verify-pack.ts', () => {
  it('exits 0 and says "Intact" for a good pack', () => {
    const r = run(write('good.zip', buildSamplePack()));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Intact: 3 files, 8 entries checked');
    expect(r.out).toMatch(/Evidence-log fingerprint: [0-9a-f]{64}/);
    expect(r.out).toMatch(/ok {2}training\.csv/);
  }, 60_000);

  it('exits 1 and names the file and the entry in a tampered pack', () => {
    const bad = buildSamplePack({
      tamper: (f) => {
        replaceIn(f, 'training.csv', 'p3', 'p9');
        replaceIn(f, 'evidence.json', '"personId": "p4"', '"personId": "p5"');
      },
    });
    const r = run(write('tampered.zip', bad));
    expect(r.code).toBe(1);
    expect(r.out).toContain('Not intact: 3 problems found.');
    expect(r.out).toContain('BAD training.csv — training.csv was changed after the pack was made');
    expect(r.out).toContain('BAD evidence.json');
    expect(r.out).toContain('Training entry TrainingEntry4 was altered after it was written: its content no longer matches its hash.');
  }, 60_000);

  it('exits 2 for a missing argument, a missing file, and a file that is not a pack', () => {
    const usage = run();
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('Usage: node --import tsx scripts/verify-pack.ts <evidence-pack.zip>');
    const missing = run(path.join(dir, 'nope.zip'));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('nope.zip: no such file.');
    const notZip = run(write('notes.txt', new TextEncoder().encode('just text')));
    expect(notZip.code).toBe(2);
    expect(notZip.out).toContain('This file is not a ZIP archive');
  }, 60_000);
});
