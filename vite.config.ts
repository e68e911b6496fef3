import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import solid from 'vite-plugin-solid';
import { precompress } from './scripts/precompress.ts';

/** Brotli and gzip copies of the built text files, made once at build time (scripts/precompress.ts). */
function precompressed(): Plugin {
  let outDir = 'dist';
  return {
    name: 'muster:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    // After vite-plugin-pwa's closeBundle, which writes sw.js and workbox-*.js.
    closeBundle: {
      order: 'post',
      sequential: true,
      handler() {
        const t = precompress(outDir);
        this.info(`precompressed ${t.files} files: ${(t.raw / 1024).toFixed(0)} KiB → br ${(t.br / 1024).toFixed(0)} KiB, gzip ${(t.gz / 1024).toFixed(0)} KiB`);
      },
    },
  };
}

// The relay serves the built app; in `npm run dev` Vite proxies sync to a relay on RELAY_PORT.
const relayPort = process.env.RELAY_PORT ?? '8787';

type Graph = { getModuleInfo(id: string): { importedIds: readonly string[]; dynamicallyImportedIds: readonly string[]; importers: readonly string[]; dynamicImporters: readonly string[] } | null };
const SRC = fileURLToPath(new URL('./src/', import.meta.url));
let chunkOf: Map<string, string> | undefined;

/**
 * Two chunks by hand, the rest as Rolldown splits it:
 * - `shell`: every module of src/ that the composition root (src/app/session.tsx) imports statically, save what the
 *   first chunk holds. The registers' stores and models are shared by the shell and each register's lazy screens;
 *   left alone, each lands in a chunk of its own and Home's path grows by ~4 KB of gzip (home-budget.test.ts).
 * - `session-later`: the stores loaded after Home (`when: 'later'`: the `.ts` files a register.ts imports
 *   dynamically; screens are `.tsx`), in one chunk fetched once.
 */
function appChunks(id: string, ctx: Graph): string | null {
  chunkOf ??= (() => {
    const closure = (roots: readonly string[], libraries = false) => {
      const seen = new Set<string>();
      const walk = (m: string) => {
        if (seen.has(m) || (!m.startsWith(SRC) && !(libraries && m.includes('/node_modules/')))) return;
        seen.add(m);
        for (const next of ctx.getModuleInfo(m)?.importedIds ?? []) walk(next);
      };
      roots.forEach(walk);
      return seen;
    };
    const first = closure([`${SRC}main.tsx`], true);
    // The shell, and what Home's screen imports statically (not the screen: another section may open first).
    const home = `${SRC}app/dashboard/DashboardScreen.tsx`;
    const roots = [`${SRC}app/session.tsx`, `${SRC}app/Shell.tsx`, ...(ctx.getModuleInfo(home)?.importedIds ?? [])];
    const shell = [...closure(roots, true)].filter((m) => !first.has(m) && m !== home);
    const descriptors = shell.filter((m) => /\/registers\/[^/]+\/register\.ts$/.test(m));
    const laterRoots = descriptors.flatMap((d) => ctx.getModuleInfo(d)?.dynamicallyImportedIds ?? []).filter((m) => m.endsWith('.ts'));
    // Only what nothing else imports: a module a screen shares with a later store stays where Rolldown puts it.
    const later = new Set([...closure(laterRoots)].filter((m) => !first.has(m) && !shell.includes(m)));
    for (let changed = true; changed; ) {
      changed = false;
      for (const m of later) {
        const info = ctx.getModuleInfo(m);
        const from = [...(info?.importers ?? []), ...(info?.dynamicImporters ?? [])];
        if (from.some((i) => !later.has(i) && !descriptors.includes(i))) (later.delete(m), (changed = true));
      }
    }
    return new Map([...shell.map((m) => [m, 'shell'] as const), ...[...later].map((m) => [m, 'session-later'] as const)]);
  })();
  return chunkOf.get(id) ?? null;
}

export default defineConfig({
  plugins: [
    solid(),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['icon.svg', 'apple-touch-icon.png'],
      manifest: {
        name: 'Muster — security duties, proven',
        short_name: 'Muster',
        description: 'Monthly security checklists and briefing minutes for ISO 27001 A 5.4, offline first.',
        theme_color: '#1f4e79',
        background_color: '#f5f7fa',
        display: 'standalone',
        start_url: '/',
        scope: '/',
        icons: [
          { src: 'pwa-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'pwa-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'pwa-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The PDFs' Noto Sans (two TTFs, ~0.6 MB each) are precached: exports work offline. Noto Sans SC (10.5 MB,
        // CJK) is not: it is cached when a PDF first needs it online (runtimeCaching below); offline before that, the
        // PDF writes CJK characters as [U+…] codes and says so (src/export/pack/fonts.ts).
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}', '**/NotoSans_*.ttf'],
        runtimeCaching: [{ urlPattern: /\/assets\/NotoSansSC_[^/]*\.ttf$/, handler: 'CacheFirst', options: { cacheName: 'muster-cjk-font', expiration: { maxEntries: 2 } } }],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/sync/, /^\/healthz/],
        cleanupOutdatedCaches: true,
      },
    }),
    precompressed(),
  ],
  build: {
    target: 'es2022',
    sourcemap: false,
    // Every browser Muster supports preloads modules itself (Safari 17, Firefox 115, Chromium); without, one just
    // fetches them on import. The polyfill would be on every first load.
    modulePreload: { polyfill: false },
    // The lazy PDF chunk (pdf-lib + fontkit for the embedded fonts, ~1.15 MB) loads only when a PDF is made.
    chunkSizeWarningLimit: 1400,
    // Rolldown's bundlerTimings check prints a [PLUGIN_TIMINGS] block on every build (the solid transform and the PWA
    // precache are slow by nature); it is not a problem to fix, so it is off. Every other check still warns.
    rolldownOptions: { checks: { bundlerTimings: false },
      // Yjs imports lib0/logging, which imports lib0/dom, which builds lib0/schema's schemas at module level: calls
      // Rolldown cannot know to be pure, so ~2 KB gzipped of schema code nothing uses sat on Home's path. These are
      // lib0 schema's constructors (pure: each returns a new schema object) and `$`, its converter and the name lib0/dom
      // imports it under (a name also makes `$.x()` calls pure). No other module in the bundle has a function or
      // namespace of these names (checked 2026-12-08: src/, Solid, Kobalte, Dexie's ESM build, Yjs, valibot, bidi-js, y-*).
      treeshake: { manualPureFunctions: ['$', '$constructedBy', '$custom', '$literal', '$union', '$tuple', '$instanceOf'] },
      output: {
        codeSplitting: {
          // Only the modules named below: what they import is split as Rolldown would (Dexie stays its own chunk).
          includeDependenciesRecursively: false,
          // The shell first: what it shares with the later stores (Yjs, the models) stays on Home's path once.
          groups: [
            { name: (id, ctx) => (appChunks(id, ctx) === 'shell' ? 'shell' : null), priority: 2 },
            // The sync's start, its sealing (src/sync/seal.ts) and the device proofs (src/sync/admit.ts) in one chunk:
            // the attachments and the owner's rotation import some of them too, which would otherwise split them
            // into more files on Home's path.
            { name: (id) => (/\/src\/(sync\/(workspace-sync|seal|update-codec|admit)|domain\/person-of)\.ts$/.test(id) ? 'workspace-sync' : null), priority: 3 },
            { name: (id, ctx) => (appChunks(id, ctx) === 'session-later' ? 'session-later' : null), priority: 1 },
          ],
        },
      }, },
  },
  // The evidence-pack worker is bundled by its own Rolldown build: same check, same reason.
  worker: { rolldownOptions: { checks: { bundlerTimings: false } } },
  server: {
    proxy: {
      '/sync': { target: `ws://127.0.0.1:${relayPort}`, ws: true },
      '/blobs': { target: `http://127.0.0.1:${relayPort}` },
      '/auth': { target: `http://127.0.0.1:${relayPort}` },
      '/speakup': { target: `http://127.0.0.1:${relayPort}` },
    },
  },
});
