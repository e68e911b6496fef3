import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { localIsoDate } from '../../src/domain/dates';
import { linkOf } from '../../src/domain/evidence-log';
import { isRecord } from '../../src/domain/is-record';
import { ROOT } from '../integration/harness';
import { seedYear } from './pack-seed';

/*
 * `verify-pack` on the 200-person year (the pack benchmark's seed), now
 * signed: every device of the seed (the owner's, and each person's phone
 * that acknowledged) gets a real Ed25519 key and a grant in a real signed
 * membership log, and every chained entry its signature. The pack is built
 * by the real builder in Node, then verified side by side in one run:
 *
 *   before  main's verifier (git archive of the branch `main`, as it is today):
 *           files and the evidence log only, synchronous
 *   after   this branch's verifier: files, log, the membership log, every
 *           signature and every entry's right (the registers' rules, when there are any)
 *
 * in-process (median of `runs`, wall and CPU) and as the command a user runs
 * (`node --import tsx scripts/verify-pack.ts pack.zip`, one run each).
 */

type VerifyFn = (zip: Uint8Array, opts?: unknown) => unknown;

export interface VerifyBenchRow {
  label: string;
  wallMs: number;
  cpuMs: number;
  samples: number[];
  headline: string;
}

export interface VerifyBench {
  entries: number;
  signatures: number;
  devices: number;
  zipBytes: number;
  unsignedZipBytes: number;
  signMs: number;
  /** buildPack in Node, one run each: the pack without and with identity. */
  buildMs: { unsigned: number; signed: number };
  rows: VerifyBenchRow[];
  scripts: Array<{ label: string; wallMs: number; code: number | null; headline: string }>;
  load: { before: number[]; after: number[]; cpus: number };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** main's verifier, as a tree next to ours (it finds our node_modules through a link). */
function mainTree(): string | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-main-verify-'));
  try {
    const tar = execFileSync('git', ['archive', 'main', 'src/domain', 'src/export/verify.ts', 'scripts/verify-pack.ts', 'package.json'], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    return dir;
  } catch (e) {
    console.error(`… no main tree (${String(e)})`);
    fs.rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

async function time(label: string, fn: () => Promise<unknown> | unknown, runs: number, headlineOf: (r: unknown) => string): Promise<VerifyBenchRow> {
  const samples: number[] = [];
  const cpu: number[] = [];
  let headline = '';
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const r = await fn();
    const c = process.cpuUsage(c0);
    samples.push(Math.round(performance.now() - t0));
    cpu.push(Math.round((c.user + c.system) / 1000));
    headline = headlineOf(r);
  }
  return { label, wallMs: median(samples), cpuMs: median(cpu), samples, headline };
}

export async function runVerifyBench(opts: { runs?: number; progress?: (line: string) => void } = {}): Promise<VerifyBench> {
  const runs = opts.runs ?? 3;
  const log = opts.progress ?? (() => {});
  const load = { before: os.loadavg().map((x) => Number(x.toFixed(2))), after: [] as number[], cpus: os.cpus().length };
  // The builder finds the registers' pack hooks by import.meta.glob: through Vite's module runner, as the pack stages bench does.
  const { createServer, createServerModuleRunner } = await import('vite');
  const server = await createServer({ root: ROOT, logLevel: 'error', server: { middlewareMode: true, hmr: false, ws: false }, appType: 'custom' });
  const runner = createServerModuleRunner(server.environments.ssr, { hmr: false });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-verify-bench-'));
  const main = mainTree();
  try {
    const { buildPack } = (await runner.import(path.join(ROOT, 'src/export/pack/build.ts'))) as typeof import('../../src/export/pack/build');
    const { inputFromRequest } = (await runner.import(path.join(ROOT, 'src/export/pack/request.ts'))) as typeof import('../../src/export/pack/request');
    const { signedWorkspace, signInput } = (await runner.import(path.join(ROOT, 'src/export/pack/signed-fixture.ts'))) as typeof import('../../src/export/pack/signed-fixture');
    const today = localIsoDate();
    log('seeding the 200-person year');
    const seed = seedYear({ today });
    const updates = Object.fromEntries(Object.entries(seed.updates).map(([k, v]) => [k, new Uint8Array(Buffer.from(v!, 'base64'))]));
    const meta = { organisation: 'Bench Ltd', generatedAt: new Date().toISOString(), generatedBy: 'Bea Bench', today, period: { from: `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`, to: today }, scope: { teams: 'all' as const } };
    const unsigned = inputFromRequest({ meta, updates, raw: {} });

    // Every chain's device, with the person whose phone it is (acknowledgements are written on the person's own phone).
    const devices = new Map<string, string | undefined>();
    let entries = 0;
    for (const raw of Object.values(unsigned.registers)) {
      for (const e of Object.values(raw?.entries ?? {})) {
        const link = linkOf(e);
        if (!link) continue;
        entries++;
        if (!devices.has(link.device) || (!devices.get(link.device) && isRecord(e) && e['kind'] === 'acknowledgement')) devices.set(link.device, isRecord(e) && e['kind'] === 'acknowledgement' ? String(e['personId']) : undefined);
      }
    }
    const list = [...devices].sort(([a], [b]) => (a === 'seed-device' ? -1 : b === 'seed-device' ? 1 : a.localeCompare(b)));
    log(`signing ${entries.toLocaleString('en-GB')} entries with ${list.length} device keys`);
    const t0 = performance.now();
    const ws = await signedWorkspace(
      'bench-ws',
      list.map(([deviceId, personId], i) => ({ deviceId, name: i === 0 ? 'Bea Bench' : `Phone ${deviceId}`, ...(personId ? { personId } : {}), role: i === 0 ? 'owner' : 'staff' })),
    );
    const signed = await signInput(unsigned, ws);
    const signMs = Math.round(performance.now() - t0);
    const signatures = Object.values(signed.registers).reduce((n, r) => n + Object.keys(r?.sigs ?? {}).length, 0);

    log('building both packs');
    await buildPack(unsigned); // warm: fonts, the hooks' modules
    let t = performance.now();
    const unsignedZip = (await buildPack(unsigned)).zip;
    const buildMs = { unsigned: Math.round(performance.now() - t), signed: 0 };
    t = performance.now();
    const signedZip = (await buildPack(signed)).zip;
    buildMs.signed = Math.round(performance.now() - t);
    fs.writeFileSync(path.join(dir, 'unsigned.zip'), unsignedZip);
    fs.writeFileSync(path.join(dir, 'signed.zip'), signedZip);
    // `--keep <file>` keeps the signed pack (to profile: node --cpu-prof --import tsx scripts/verify-pack.ts <file>).
    const keep = process.argv.indexOf('--keep');
    if (keep > 0 && process.argv[keep + 1]) fs.writeFileSync(process.argv[keep + 1]!, signedZip);

    // The verifiers, loaded as plain modules (the verifier needs no glob; the script collects the rules with fs).
    const after = (await import(pathToFileURL(path.join(ROOT, 'src/export/verify.ts')).href)) as { verifyPack: VerifyFn };
    const { collectRights } = (await import(pathToFileURL(path.join(ROOT, 'scripts/verify-pack.ts')).href)) as { collectRights: () => Promise<unknown> };
    const rights = await collectRights();
    const before = main ? ((await import(pathToFileURL(path.join(main, 'src/export/verify.ts')).href)) as { verifyPack: VerifyFn }) : undefined;
    const head = (r: unknown) => String((r as { headline?: string }).headline ?? '');

    const rows: VerifyBenchRow[] = [];
    log('verifying');
    if (before) {
      rows.push(await time('before (main): the pack as main builds it, without identity', () => before.verifyPack(unsignedZip), runs, head));
      rows.push(await time('before (main): the signed pack (main checks files and the log, not the signatures)', () => before.verifyPack(signedZip), runs, head));
    }
    rows.push(await time('after: the pack without identity', () => after.verifyPack(unsignedZip, { rights }), runs, head));
    rows.push(await time('after: the signed pack (files, log, membership, every signature and right)', () => after.verifyPack(signedZip, { rights }), runs, head));

    const script = (label: string, cwd: string, zip: string) => {
      const t = performance.now();
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/verify-pack.ts', zip], { cwd, encoding: 'utf8', timeout: 300_000 });
      return { label, wallMs: Math.round(performance.now() - t), code: r.status, headline: (r.stdout.split('\n')[1] ?? r.stderr).slice(0, 120) };
    };
    const scripts = [];
    if (main) scripts.push(script('before (main): verify-pack signed.zip', main, path.join(dir, 'signed.zip')));
    scripts.push(script('after: verify-pack signed.zip', ROOT, path.join(dir, 'signed.zip')));
    load.after = os.loadavg().map((x) => Number(x.toFixed(2)));
    return { entries, signatures, devices: list.length, zipBytes: signedZip.length, unsignedZipBytes: unsignedZip.length, signMs, buildMs, rows, scripts, load };
  } finally {
    await runner.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
    if (main) fs.rmSync(main, { recursive: true, force: true });
  }
}

export function verifyBenchTable(b: VerifyBench): string {
  return [
    `| verify-pack, 200-person year signed: ${b.entries.toLocaleString('en-GB')} chained entries, ${b.signatures.toLocaleString('en-GB')} signatures by ${b.devices} Ed25519 device keys, ZIP ${(b.zipBytes / 1024).toFixed(0)} KiB | wall (median) | CPU | runs (ms) | headline |`,
    '|---|---:|---:|---|---|',
    ...b.rows.map((r) => `| ${r.label} | ${r.wallMs} ms | ${r.cpuMs} ms | ${r.samples.join(', ')} | ${r.headline} |`),
    ...b.scripts.map((s) => `| \`node --import tsx scripts/verify-pack.ts\`, ${s.label} (one run, process start included) | ${s.wallMs} ms | | exit ${s.code} | ${s.headline} |`),
    '',
    `Building the pack in Node (one run each, after a warm-up build): ${b.buildMs.unsigned} ms without identity (${(b.unsignedZipBytes / 1024).toFixed(0)} KiB), ${b.buildMs.signed} ms with identity.json (${(b.zipBytes / 1024).toFixed(0)} KiB). Signing the fixtures (keys, membership log, ${b.signatures.toLocaleString('en-GB')} signatures): ${b.signMs} ms. Machine: ${b.load.cpus} cores, load average ${b.load.before.join(' / ')} before and ${b.load.after.join(' / ')} after (1 / 5 / 15 min).`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(verifyBenchTable(await runVerifyBench({ progress: (l) => console.error(`… ${l}`) })));
  process.exit(0);
}
