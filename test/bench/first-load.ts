import { gzipSync } from 'node:zlib';
import { chromium, type Page, type Response } from 'playwright-core';
import { CHROMIUM } from '../chromium';
import { cleanup, spawnRelay, tmpDir, ROOT } from '../integration/harness';
import path from 'node:path';

export interface LoadFigures {
  /** JS the page fetched before the first screen was usable, gzipped (-9), in bytes. */
  jsGzip: number;
  jsRaw: number;
  files: number;
  /** Each script fetched, largest first: file name and gzip -9 bytes. */
  scripts: Array<{ file: string; gzip: number }>;
  cssGzip: number;
  /** Navigation start → first screen visible, ms (one sample, loopback). */
  visibleMs: number;
  /** Where the time goes: websockets (rooms) the page opened, ms after navigation start. */
  rooms: { count: number; firstOpenMs: number; lastOpenMs: number; lastAnswerMs: number };
}

export interface FirstLoad extends LoadFigures {
  /** A member opening the app again: the home screen (dashboard) and the sync code. */
  returning: LoadFigures;
}

async function measure(page: Page, go: () => Promise<unknown>, ready: () => Promise<unknown>): Promise<LoadFigures> {
  const bodies: Array<Promise<{ url: string; body: Buffer }>> = [];
  const onResponse = (res: Response) => {
    if (res.request().serviceWorker()) return;
    const url = res.url();
    if (/\.(js|css)(\?|$)/.test(url) && !url.endsWith('/sw.js')) bodies.push(res.body().then((body) => ({ url, body })));
  };
  page.on('response', onResponse);
  const sockets: Array<{ openMs: number; answerMs?: number }> = [];
  const onSocket = (ws: import('playwright-core').WebSocket) => {
    const s: { openMs: number; answerMs?: number } = { openMs: Date.now() - t0 };
    sockets.push(s);
    ws.once('framereceived', () => (s.answerMs = Date.now() - t0));
  };
  page.on('websocket', onSocket);
  const t0 = Date.now();
  await go();
  await ready();
  const visibleMs = Date.now() - t0;
  const loaded = await Promise.all(bodies);
  page.off('response', onResponse);
  page.off('websocket', onSocket);
  const opens = sockets.map((x) => x.openMs);
  const answers = sockets.map((x) => x.answerMs ?? NaN);
  const js = loaded.filter((f) => /\.js(\?|$)/.test(f.url));
  const css = loaded.filter((f) => /\.css(\?|$)/.test(f.url));
  const gz = (b: Buffer) => gzipSync(b, { level: 9 }).length;
  const scripts = js.map((f) => ({ file: new URL(f.url).pathname.replace(/^\/assets\//, ''), gzip: gz(f.body) })).sort((a, b) => b.gzip - a.gzip);
  return {
    jsGzip: scripts.reduce((n, f) => n + f.gzip, 0),
    jsRaw: js.reduce((n, f) => n + f.body.length, 0),
    files: js.length,
    scripts,
    cssGzip: css.reduce((n, f) => n + gz(f.body), 0),
    visibleMs,
    rooms: { count: sockets.length, firstOpenMs: Math.min(...opens), lastOpenMs: Math.max(...opens), lastAnswerMs: Math.max(...answers) },
  };
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
    const first = await measure(page, () => page.goto(relay.url), () => page.getByRole('button', { name: 'Create workspace' }).waitFor());
    await page.getByLabel('Organisation name').fill('Bench Ltd');
    await page.getByLabel('Your name').fill('Bea Bench');
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await page.getByTestId('sync-indicator').and(page.locator('[data-status=synced]')).waitFor();
    const again = await context.newPage();
    await page.close();
    const returning = await measure(again, () => again.goto(`${relay.url}/#/home`), () => again.getByTestId('sync-indicator').and(again.locator('[data-status=synced]')).waitFor());
    return { ...first, returning };
  } finally {
    await browser.close();
    await cleanup();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.dir(await measureFirstLoad(), { depth: 4 });
}
