import { afterEach, expect, test } from 'vitest';
import { killNineTable, runKillNine } from './clients.ts';
import { cleanup } from './harness.ts';

afterEach(cleanup);

// kill -9 the relay at random moments while 5 devices edit two rooms; nothing may be lost.
// Replay a failure with KILLNINE_SEED=<seed printed below>.
test('kill -9 the relay 20 times while 5 clients edit: every edit survives on every client and in storage', { timeout: 240_000 }, async () => {
  const seed = process.env.KILLNINE_SEED ? Number(process.env.KILLNINE_SEED) : undefined;
  const r = await runKillNine({ clients: 5, restarts: 20, minGapMs: 100, maxGapMs: 500, ...(seed === undefined ? {} : { seed }), progress: (l) => console.log(`killnine: ${l}`) });
  console.log(`killnine seed=${r.seed}\n${killNineTable(r)}${r.examples.length ? `\nmissing: ${r.examples.join(', ')}` : ''}`);
  expect(r.restarts).toBeGreaterThanOrEqual(20);
  expect(r.edits).toBeGreaterThan(500);
  // At least some kills must hit live connections, or the test proves nothing.
  expect(r.killsWhileConnected).toBeGreaterThanOrEqual(5);
  expect({ lostOnClients: r.lostOnClients, lostInStorage: r.lostInStorage, lostOnFreshClient: r.lostOnFreshClient }).toEqual({ lostOnClients: 0, lostInStorage: 0, lostOnFreshClient: 0 });
});
