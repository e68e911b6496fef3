import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../chromium';
import { cleanup, spawnRelay, tmpDir, ROOT } from '../integration/harness';
import path from 'node:path';

export interface FirstLoad {
  /** JS the page fetched before the first screen was usable, gzipped (-9), in bytes. */
  jsGzip: number;
  jsRaw: number;
  files: number;
  cssGzip: number;
  /** Navigation start → first screen visible, ms (one sample, loopback). */
  visibleMs: number;
}

/**
 * Measures what a phone downloads on a first visit: every script the page
 * itself requests until the welcome form is on screen (not the service
 * worker's background precache), gzipped as a server would send it.
 */
export async function measureFirstLoad(): Promise<FirstLoad> {
  const relay = await spawnRelay({ dataDir: tmpDir('muster-bench-'), staticDir: path.join(ROOT, 'dist') });
  const browser = await chromium.launch(CHROMIUM);
  try {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const bodies: Array<Promise<{ url: string; body: Buffer }>> = [];
    page.on('response', (res) => {
      if (res.request().serviceWorker()) return;
      const url = res.url();
      if (/\.(js|css)(\?|$)/.test(url) && !url.endsWith('/sw.js')) bodies.push(res.body().then((body) => ({ url, body })));
    });
    const t0 = Date.now();
    await page.goto(relay.url);
    await page.getByRole('button', { name: 'Create workspace' }).waitFor();
    const visibleMs = Date.now() - t0;
    const loaded = await Promise.all(bodies);
    const js = loaded.filter((f) => /\.js(\?|$)/.test(f.url));
    const css = loaded.filter((f) => /\.css(\?|$)/.test(f.url));
    const gz = (b: Buffer) => gzipSync(b, { level: 9 }).length;
    return {
      jsGzip: js.reduce((n, f) => n + gz(f.body), 0),
      jsRaw: js.reduce((n, f) => n + f.body.length, 0),
      files: js.length,
      cssGzip: css.reduce((n, f) => n + gz(f.body), 0),
      visibleMs,
    };
  } finally {
    await browser.close();
    await cleanup();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await measureFirstLoad());
}
