import path from 'node:path';
import { injectUpdate } from '../inject.ts';
import { chromium, type Page } from 'playwright-core';
import { localIsoDate } from '../../src/domain/dates';
import { CHROMIUM } from '../chromium';
import { cleanup, ROOT, spawnRelay, tmpDir } from '../integration/harness';
import { type Seed, seedYear } from './pack-seed';

/*
 * The A 5.4 evidence pack for 200 people and a year of data (12 checklists ×
 * 10 teams, 50 briefings, 10,000 training records, 4,000 acknowledgements),
 * built in Chromium at 390×844 from the Evidence pack screen: the data is
 * seeded as Yjs updates into the device's IndexedDB, then "Export pack" is
 * clicked and the ZIP download awaited. Goal: ≤ 3 s from click to download.
 */

export interface PackBench {
  seed: Seed['counts'];
  runs: number;
  /** Click → ZIP download, ms, median and every run. */
  clickToDownload: number;
  samples: number[];
  /** The build inside the worker (decode, registers, CSV, PDF, JSON, hashes, ZIP), median ms. */
  worker: number;
  /** The UI thread's share: encoding every register document as a Yjs update, median ms. */
  uiThread: number;
  zipBytes: number;
  pages: number;
  files: number;
}

const GOAL_MS = 3_000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;


export async function runPackBench(opts: { runs?: number; progress?: (line: string) => void } = {}): Promise<PackBench> {
  const runs = opts.runs ?? 3;
  const log = opts.progress ?? (() => {});
  const relay = await spawnRelay({ dataDir: tmpDir('muster-bench-pack-'), staticDir: path.join(ROOT, 'dist') });
  const browser = await chromium.launch(CHROMIUM);
  try {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB', timezoneId: 'Europe/London', acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(relay.url);
    await page.getByLabel('Organisation name').fill('Bench Ltd');
    await page.getByLabel('Your name').fill('Bea Bench');
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await page.getByTestId('org-name').waitFor();
    const workspaceId = await page.evaluate(() => localStorage.getItem('muster.currentWorkspace'));
    if (!workspaceId) throw new Error('no workspace');
    log('seeding 200 people and a year of data');
    const seed = seedYear({ today: localIsoDate() });
    for (const [register, update] of Object.entries(seed.updates)) await injectUpdate(page, workspaceId, register, update!);
    await page.evaluate(() => (location.hash = '#/export'));
    // Reload: the app reads the seeded updates from IndexedDB.
    await page.reload();
    await page.getByRole('button', { name: 'Export pack' }).waitFor();
    // Wait until the registers are read: every team is offered.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=scope-team]').length === 10, undefined, { timeout: 60_000 });

    const samples: number[] = [];
    const worker: number[] = [];
    const uiThread: number[] = [];
    let zipBytes = 0;
    let pages = 0;
    let files = 0;
    for (let i = 0; i < runs; i++) {
      const t0 = Date.now();
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByRole('button', { name: 'Export pack' }).click()]);
      samples.push(Date.now() - t0);
      const done = page.getByTestId('pack-done');
      await done.waitFor();
      worker.push(Number(await done.getAttribute('data-build-ms')));
      uiThread.push(Number(await done.getAttribute('data-request-ms')));
      pages = Number(await done.getAttribute('data-pages'));
      files = await page.getByTestId('pack-files').locator('tbody tr').count();
      const stream = await download.createReadStream();
      zipBytes = 0;
      for await (const chunk of stream) zipBytes += (chunk as Buffer).length;
      log(`run ${i + 1}: ${samples.at(-1)} ms`);
    }
    return { seed: seed.counts, runs, clickToDownload: median(samples), samples, worker: median(worker), uiThread: median(uiThread), zipBytes, pages, files };
  } finally {
    await browser.close();
    await cleanup();
  }
}

export function packBenchTable(b: PackBench): string {
  const c = b.seed;
  return [
    `| evidence pack (Chromium, 390×844): ${c.people} people in ${c.teams} teams, ${c.checklists} checklists, ${c.briefings} briefings, ${c.completions.toLocaleString('en-GB')} training records, ${c.acknowledgements.toLocaleString('en-GB')} acknowledgements | value |`,
    '|---|---:|',
    `| click "Export pack" → ZIP downloaded, median of ${b.runs} (${b.samples.join(', ')} ms) | **${b.clickToDownload} ms** (goal ≤ ${GOAL_MS.toLocaleString('en-GB')} ms: ${b.clickToDownload <= GOAL_MS ? 'within' : 'OVER'}) |`,
    `| of which the build in the Web Worker (median) | ${b.worker} ms |`,
    `| of which the UI thread (encode the register documents, median) | ${b.uiThread} ms |`,
    `| ZIP | ${(b.zipBytes / 1024).toFixed(0)} KiB, ${b.files} files, report.pdf ${b.pages} pages |`,
  ].join('\n');
}

/**
 * The worker's build of the same seed in Node (no browser), per stage of its
 * progress: wall and CPU time, so a run on a loaded machine can still be
 * compared with another (CPU time moves less with the load than wall time).
 * `--stages` runs it (`--out report.pdf` keeps the PDF to look at); `node --cpu-prof --import tsx
 * test/bench/pack-bench.ts --stages` profiles it.
 */
export async function runPackStages(opts: { runs?: number } = {}): Promise<{ runs: Array<{ wallMs: number; cpuMs: number; pages: number; stages: Array<{ step: string; wallMs: number; cpuMs: number }> }> }> {
  // Through Vite's module runner: the pack's register hooks are found with import.meta.glob.
  const { createServer, createServerModuleRunner } = await import('vite');
  const server = await createServer({ root: ROOT, logLevel: 'error', server: { middlewareMode: true, hmr: false, ws: false }, appType: 'custom' });
  const runner = createServerModuleRunner(server.environments.ssr, { hmr: false });
  const { buildPack } = (await runner.import(path.join(ROOT, 'src/export/pack/build.ts'))) as typeof import('../../src/export/pack/build');
  const { inputFromRequest } = (await runner.import(path.join(ROOT, 'src/export/pack/request.ts'))) as typeof import('../../src/export/pack/request');
  const seed = seedYear({ today: localIsoDate() });
  const updates = Object.fromEntries(Object.entries(seed.updates).map(([k, v]) => [k, new Uint8Array(Buffer.from(v!, 'base64'))]));
  const today = localIsoDate();
  const from = `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`;
  const meta = { organisation: 'Bench Ltd', generatedAt: new Date().toISOString(), generatedBy: 'Bea Bench', today, period: { from, to: today }, scope: { teams: 'all' as const } };
  const runs = [];
  for (let r = 0; r < (opts.runs ?? 3); r++) {
    const stages: Array<{ step: string; wallMs: number; cpuMs: number }> = [];
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    let step = 'Decoding the request';
    let ts = t0;
    let cs = c0;
    const mark = (next: string) => {
      const t = performance.now();
      const c = process.cpuUsage();
      const prev = stages.find((s) => s.step === step);
      const wallMs = t - ts;
      const cpuMs = (c.user - cs.user + c.system - cs.system) / 1000;
      if (prev) {
        prev.wallMs += wallMs;
        prev.cpuMs += cpuMs;
      } else stages.push({ step, wallMs, cpuMs });
      step = next;
      ts = t;
      cs = c;
    };
    const input = inputFromRequest({ meta, updates, raw: {} });
    const result = await buildPack(input, { onProgress: (p) => mark(p.step) });
    mark('');
    const c1 = process.cpuUsage(c0);
    const out = process.argv.indexOf('--out');
    if (out > 0 && process.argv[out + 1]) (await import('node:fs')).writeFileSync(process.argv[out + 1]!, (await import('fflate')).unzipSync(result.zip)['report.pdf']!);
    runs.push({ wallMs: performance.now() - t0, cpuMs: (c1.user + c1.system) / 1000, pages: result.pages, stages: stages.filter((s) => s.step !== 'Done' && s.step !== '') });
  }
  await runner.close();
  await server.close();
  return { runs };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--stages')) {
    const { runs } = await runPackStages();
    for (const [i, r] of runs.entries()) {
      console.log(`run ${i + 1}: ${r.wallMs.toFixed(0)} ms wall, ${r.cpuMs.toFixed(0)} ms CPU, ${r.pages} pages`);
      for (const s of r.stages) console.log(`  ${s.step.padEnd(40)} ${s.wallMs.toFixed(0).padStart(6)} ms wall ${s.cpuMs.toFixed(0).padStart(6)} ms CPU`);
    }
  } else console.log(packBenchTable(await runPackBench({ progress: (l) => console.error(`… ${l}`) })));
}
