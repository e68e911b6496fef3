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
    rolldownOptions: { checks: { bundlerTimings: false } },
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
