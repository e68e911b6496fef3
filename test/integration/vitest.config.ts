import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Relay integration tests: plain Node, no Solid plugin (in test mode it adds the
// "browser" resolve condition, which turns `ws` into its browser stub).
// Run alone: npx vitest run --config test/integration/vitest.config.ts
// The root vitest.config.ts lists this file as the `integration` project.
export default defineConfig({
  test: {
    name: 'integration',
    // test.root (not the top-level root) is what a project referenced from the root config honours.
    root: fileURLToPath(new URL('../..', import.meta.url)),
    environment: 'node',
    include: ['test/integration/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
