import { fileURLToPath } from 'node:url';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium, type Page, type Response } from 'playwright-core';
import { CHROMIUM } from '../chromium';
import { cleanup, spawnRelay, tmpDir, ROOT } from '../integration/harness';
import path from 'node:path';

/**
 * The registers Home reads first (`document: { …, home: true }` in each src/registers/<name>/register.ts). Read from
 * the descriptors' source: the bench runs under plain Node (tsx), where src/ui/registry.ts's import.meta.glob is not.
 */
const REGISTERS_DIR = fileURLToPath(new URL('../../src/registers/', import.meta.url));
const HOME_REGISTERS: readonly string[] = readdirSync(REGISTERS_DIR).flatMap((name) => {
  const file = path.join(REGISTERS_DIR, name, 'register.ts');
  return existsSync(file) && /document:\s*\{\s*name:\s*'[\w-]+',\s*home:\s*true/.test(readFileSync(file, 'utf8')) ? [name] : [];
});

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
  /** The rooms the page opened (channels of /mux, or one websocket each on /sync/), ms after navigation start. */
  rooms: { count: number; firstOpenMs: number; lastOpenMs: number; lastAnswerMs: number };
  /** The physical websockets: when each was created, opened and first answered. */
  websockets: Array<{ path: string; createdMs: number; openMs: number | null; firstAnswerMs: number | null }>;
  /** Each room: when the page asked for it and when the relay first answered in it. */
  channels: Array<{ room: string; askedMs: number; answerMs: number | null }>;
  /** Where the time to the screen goes, ms after navigation start (the page's own clock). */
  timeline: Timeline;
}

export interface Timeline {
  /** The last script (.js) fetched. */
  scriptsMs: number;
  domContentLoadedMs: number;
  /** The first IndexedDB open, and the last IndexedDB transaction finished before the first websocket. */
  idbFirstOpenMs: number | null;
  idbBeforeSocketMs: number | null;
  firstSocketMs: number | null;
  firstAnswerMs: number | null;
  /** Every room Home reads has had its first answer. */
  homeAnsweredMs: number | null;
  lastAnswerMs: number | null;
  /** The sync indicator says Synced (or the ready condition held, for the welcome screen). */
  readyMs: number | null;
}

/**
 * In the page, before its scripts: times websockets (per /mux channel, by
 * reading the frames' channel and kind), IndexedDB opens and transactions, and
 * the sync indicator reaching Synced, on the page's clock (0 = navigation).
 */
// Plain JS in a string: tsx would wrap named functions in a helper the page does not have.
export const PROBE = `(() => {
  const now = () => Math.round(performance.now());
  const probe = (window.__probe = { sockets: [], channels: [], idbFirstOpen: null, idbLastTxn: null, idbBeforeSocket: null, synced: null });
  const uint = (b, at) => {
    let n = 0, m = 1;
    for (;;) {
      const x = b[at.i++];
      n += (x & 127) * m;
      m *= 128;
      if (x < 128) return n;
    }
  };
  window.WebSocket = new Proxy(window.WebSocket, {
    construct(target, args) {
      const ws = new target(...args);
      const s = { url: String(args[0]), created: now(), open: null, answer: null };
      probe.sockets.push(s);
      probe.idbBeforeSocket ??= probe.idbLastTxn;
      const path = new URL(s.url).pathname;
      const mux = path.endsWith('/mux');
      const byId = new Map();
      const own = mux ? null : { room: decodeURIComponent(path.split('/').pop()), asked: s.created, answer: null };
      if (own) probe.channels.push(own);
      ws.addEventListener('open', () => (s.open = now()));
      const send = ws.send.bind(ws);
      ws.send = (data) => {
        if (mux && data instanceof Uint8Array) {
          const at = { i: 0 };
          const id = uint(data, at);
          if (uint(data, at) === 1) {
            const len = uint(data, at);
            const c = { room: new TextDecoder().decode(data.subarray(at.i, at.i + len)), asked: now(), answer: null };
            byId.set(id, c);
            probe.channels.push(c);
          }
        }
        send(data);
      };
      ws.addEventListener('message', (e) => {
        const t = now();
        s.answer ??= t;
        if (own) return void (own.answer ??= t);
        const b = new Uint8Array(e.data);
        const at = { i: 0 };
        const c = byId.get(uint(b, at));
        if (c && uint(b, at) === 0) c.answer ??= t;
      });
      return ws;
    },
  });
  const open = IDBFactory.prototype.open;
  IDBFactory.prototype.open = function (...a) {
    probe.idbFirstOpen ??= now();
    return open.apply(this, a);
  };
  const transaction = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (...a) {
    const tx = transaction.apply(this, a);
    tx.addEventListener('complete', () => (probe.idbLastTxn = now()));
    return tx;
  };
  new MutationObserver(() => {
    if (probe.synced === null && document.querySelector('[data-testid=sync-indicator][data-status=synced]')) probe.synced = now();
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
})();`;

type Probe = {
  sockets: Array<{ url: string; created: number; open: number | null; answer: number | null }>;
  channels: Array<{ room: string; asked: number; answer: number | null }>;
  idbFirstOpen: number | null;
  idbBeforeSocket: number | null;
  synced: number | null;
};

export interface FirstLoad extends LoadFigures {
  /** A member opening the app again: the home screen (dashboard) and the sync code. */
  returning: LoadFigures;
}

export async function measure(page: Page, go: () => Promise<unknown>, ready: () => Promise<unknown>): Promise<LoadFigures> {
  const bodies: Array<Promise<{ url: string; body: Buffer }>> = [];
  const onResponse = (res: Response) => {
    if (res.request().serviceWorker()) return;
    const url = res.url();
    if (/\.(js|css)(\?|$)/.test(url) && !url.endsWith('/sw.js')) bodies.push(res.body().then((body) => ({ url, body })));
  };
  page.on('response', onResponse);
  const t0 = Date.now();
  await go();
  await ready();
  const visibleMs = Date.now() - t0;
  const loaded = await Promise.all(bodies);
  page.off('response', onResponse);
  const { probe, scriptsMs, domContentLoadedMs } = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    const js = performance.getEntriesByType('resource').filter((e) => /\.js(\?|$)/.test(e.name) && !e.name.endsWith('/sw.js'));
    return {
      probe: (window as unknown as { __probe: Probe }).__probe,
      scriptsMs: Math.round(Math.max(0, ...js.map((e) => (e as PerformanceResourceTiming).responseEnd))),
      domContentLoadedMs: Math.round(nav?.domContentLoadedEventEnd ?? 0),
    };
  });
  const channels = probe.channels.map((c) => ({ room: c.room.split('.').pop()!, askedMs: c.asked, answerMs: c.answer }));
  const answered = (list: Array<number | null>) => (list.length && list.every((x) => x !== null) ? Math.max(...(list as number[])) : null);
  const opens = channels.map((c) => c.askedMs);
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
    rooms: { count: channels.length, firstOpenMs: Math.min(...opens), lastOpenMs: Math.max(...opens), lastAnswerMs: answered(channels.map((c) => c.answerMs)) ?? NaN },
    websockets: probe.sockets.map((w) => ({ path: new URL(w.url).pathname.replace(/\/sync\/.*\./, '/sync/….'), createdMs: w.created, openMs: w.open, firstAnswerMs: w.answer })),
    channels,
    timeline: {
      scriptsMs,
      domContentLoadedMs,
      idbFirstOpenMs: probe.idbFirstOpen,
      idbBeforeSocketMs: probe.idbBeforeSocket,
      firstSocketMs: probe.sockets[0]?.created ?? null,
      firstAnswerMs: channels.length ? Math.min(...channels.map((c) => c.answerMs ?? Infinity)) : null,
      homeAnsweredMs: answered(channels.filter((c) => HOME_REGISTERS.includes(c.room)).map((c) => c.answerMs)),
      lastAnswerMs: answered(channels.map((c) => c.answerMs)),
      readyMs: probe.synced,
    },
  };
}

/**
 * Measures what a phone downloads on a first visit: every script the page
 * itself requests until the welcome form is on screen (not the service
 * worker's background precache), gzipped as a server would send it.
 * `staticDir`: the built app to serve (default dist/).
 */
export async function measureFirstLoad(opts: { staticDir?: string } = {}): Promise<FirstLoad> {
  const relay = await spawnRelay({ dataDir: tmpDir('muster-bench-'), staticDir: opts.staticDir ?? path.join(ROOT, 'dist') });
  const browser = await chromium.launch(CHROMIUM);
  try {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    await context.addInitScript({ content: PROBE });
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
  const figures = await measureFirstLoad();
  console.dir(figures, { depth: 4 });
  const r = figures.returning;
  console.log(`returning member: ${r.websockets.length} websocket(s), ${r.channels.length} rooms; navigation → Synced ${r.visibleMs} ms (page clock ${r.timeline.readyMs} ms)`);
  console.log(`  timeline (ms): ${Object.entries(r.timeline).map(([k, v]) => `${k.replace(/Ms$/, '')} ${v}`).join(', ')}`);
  console.log(`  first answer per room (ms): ${r.channels.map((c) => `${c.room} ${c.askedMs}→${c.answerMs}`).join(', ')}`);
}
