import path from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../chromium';
import { cleanup, ROOT, spawnRelay, tmpDir } from '../integration/harness';

/**
 * Lighthouse 12.2.3 (devDependency, pinned) on the welcome page, mobile preset
 * (its default: Moto G Power emulation, simulated slow 4G and 4× CPU), against
 * the relay serving dist/ on loopback; and how long a first visit takes to get
 * an activated service worker. Debian's Chromium, nothing beyond loopback.
 */

export interface LighthouseFigures {
  performance: number;
  accessibility: number;
  bestPractices: number;
  lcpMs: number;
  fcpMs: number;
  tbtMs: number;
  cls: number;
  /** Bytes of script transferred (as sent: compressed). */
  scriptBytes: number;
  /** First visit → service worker `activated`, ms (Playwright, no throttling). */
  swActivatedMs: number;
}

export async function runLighthouse(): Promise<LighthouseFigures> {
  const relay = await spawnRelay({ dataDir: tmpDir('muster-lh-'), staticDir: path.join(ROOT, 'dist') });
  try {
    const chrome = await chromeLauncher.launch({
      chromePath: CHROMIUM.executablePath!,
      chromeFlags: [...(CHROMIUM.args ?? []).filter((a) => a !== '--headless'), '--headless=new'],
    });
    let lhr;
    try {
      const result = await lighthouse(`${relay.url}/`, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility', 'best-practices'] });
      lhr = result!.lhr;
    } finally {
      chrome.kill();
    }
    const score = (id: string) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
    const num = (id: string) => lhr.audits[id]?.numericValue ?? NaN;
    const items = (lhr.audits['resource-summary']?.details as { items?: Array<{ resourceType: string; transferSize: number }> } | undefined)?.items ?? [];

    const browser = await chromium.launch(CHROMIUM);
    let swActivatedMs: number;
    try {
      const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
      const t0 = Date.now();
      await page.goto(`${relay.url}/`);
      await page.waitForFunction(async () => (await navigator.serviceWorker.getRegistration())?.active?.state === 'activated', undefined, { timeout: 60_000, polling: 50 });
      swActivatedMs = Date.now() - t0;
    } finally {
      await browser.close();
    }
    return {
      performance: score('performance'),
      accessibility: score('accessibility'),
      bestPractices: score('best-practices'),
      lcpMs: Math.round(num('largest-contentful-paint')),
      fcpMs: Math.round(num('first-contentful-paint')),
      tbtMs: Math.round(num('total-blocking-time')),
      cls: Math.round(num('cumulative-layout-shift') * 1000) / 1000,
      scriptBytes: items.find((i) => i.resourceType === 'script')?.transferSize ?? NaN,
      swActivatedMs,
    };
  } finally {
    await cleanup();
  }
}

export function lighthouseTable(f: LighthouseFigures): string {
  const mark = (ok: boolean) => (ok ? 'goal met' : 'goal NOT met');
  return [
    '| Lighthouse 12.2.3, mobile preset, welcome page | value | goal |',
    '|---|---:|---|',
    `| performance | ${f.performance} | ≥ 98, ${mark(f.performance >= 98)} |`,
    `| largest contentful paint | ${(f.lcpMs / 1000).toFixed(2)} s | ≤ 1.5 s, ${mark(f.lcpMs <= 1500)} |`,
    `| first contentful paint | ${(f.fcpMs / 1000).toFixed(2)} s | |`,
    `| total blocking time | ${f.tbtMs} ms | |`,
    `| cumulative layout shift | ${f.cls} | |`,
    `| script transferred (compressed) | ${(f.scriptBytes / 1024).toFixed(1)} KiB | |`,
    `| accessibility | ${f.accessibility} | 100, ${mark(f.accessibility === 100)} |`,
    `| best practices | ${f.bestPractices} | 100, ${mark(f.bestPractices === 100)} |`,
    `| first visit → service worker activated (unthrottled) | ${(f.swActivatedMs / 1000).toFixed(2)} s | ≤ 20 s, ${mark(f.swActivatedMs <= 20_000)} |`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const f = await runLighthouse();
  console.log(lighthouseTable(f));
  process.exit(0);
}
