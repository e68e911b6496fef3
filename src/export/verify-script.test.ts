import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256HexSync } from '../domain/sha256';
import { buildSamplePack, replaceIn } from '../../test/fixtures/evidence-pack';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { fingerprintWords, signingKeyId } from '../crypto/signing';
import { buildPack } from './pack/build';
import { acmeWorkspace, signInput, withForgedSignOff } from './pack/signed-fixture';
import { fixtureInput } from './pack/test-fixture';

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

  it('checks a signed pack signature by signature: the root key first, flagged entries, signers; a removed signature exits 1', async () => {
    const ws = await acmeWorkspace();
    const { zip } = await buildPack(await withForgedSignOff(await signInput(fixtureInput(), ws), ws, { victim: 'device-a', forger: 'device-c', recordId: 'cl-ops-oct', at: '2026-10-21T15:00:00.000Z' }));
    const good = run(write('signed.zip', zip));
    expect(good.err).toBe('');
    expect(good.code).toBe(0);
    const lines = good.out.split('\n');
    expect(lines[2]).toBe(`Root owner key: ${fingerprintWords(signingKeyId(ws.keys.get('device-a')!))} (Zoë Ångström’s device (key ${fingerprintWords(signingKeyId(ws.keys.get('device-a')!)).split(' ').slice(0, 4).join(' ')}))`);
    expect(good.out).toContain('FLAGGED (1 entry, not counted in any figure):');
    expect(good.out).toMatch(/ {2}! The sign-off so-forged in Checklists “Ops 2026-10” \(21 Oct 2026\) is signed by 李小龍’s device/);
    expect(good.out).toContain('Signatures: 11 entries signed and allowed, 0 vouched for at migration, 1 flagged, 0 unsigned;');

    // The same pack with one signature taken out of identity.json (and its checksum fixed): not intact.
    const files = unzipSync(zip);
    const identity = JSON.parse(strFromU8(files['identity.json']!)) as { sigs: Record<string, Record<string, unknown>> };
    delete identity.sigs['training']!['tc-1'];
    const bytes = strToU8(JSON.stringify(identity));
    const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as { files: Record<string, unknown> };
    manifest.files['identity.json'] = { sha256: sha256HexSync(bytes), bytes: bytes.length };
    const bad = run(write('signed-edited.zip', zipSync({ ...files, 'identity.json': bytes, 'manifest.json': strToU8(JSON.stringify(manifest)) })));
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('Training: the signatures in identity.json do not match the manifest (3 recorded, 2 in the pack): 1 signature removed after the pack was made.');
  }, 60_000);
});
