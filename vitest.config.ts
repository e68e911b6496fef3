import solid from 'vite-plugin-solid';
import { defineConfig } from 'vitest/config';

/**
 * `npm test` runs every project:
 *   unit         pure domain and model tests, and the shape of src/ (scripts/layers.test.ts), plain Node
 *   store        Yjs bindings and Solid stores, with fake-indexeddb, in jsdom
 *   integration  a real relay process on a random loopback port
 *   e2e          the built app in Debian Chromium via playwright-core
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: { name: 'unit', environment: 'node', include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'], exclude: ['src/**/*.store.test.ts'] },
      },
      {
        plugins: [solid()],
        test: { name: 'store', environment: 'jsdom', include: ['src/**/*.store.test.ts', 'src/**/*.test.tsx'], setupFiles: ['fake-indexeddb/auto'] },
      },
      'test/integration/vitest.config.ts',
      'test/e2e/vitest.config.ts',
    ],
  },
});
