import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Browser tests: they drive the built app (dist/) served by a real relay process.
// Run: npx vite build && npx vitest run --config test/e2e/vitest.config.ts
export default defineConfig({
  test: {
    // As a project of the root config only test.root is honoured (not the top-level root).
    root: fileURLToPath(new URL('../..', import.meta.url)),
    name: 'e2e',
    environment: 'node',
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // One Chromium at a time: the machine has two cores.
    fileParallelism: false,
  },
});
