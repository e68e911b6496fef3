import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type KillNineResult, killNineTable, runKillNine } from '../integration/clients.ts';
import { cleanup } from '../integration/harness.ts';

/**
 * kill -9 benchmark, loopback only: 5 clients edit two rooms while the relay is
 * killed with SIGKILL and restarted on the same data dir and port 100 times.
 * Afterwards every edit must be on every client, in the SQLite rows and on a
 * fresh client of a fresh relay. The lost-edit figures must be 0.
 *   node --import tsx test/bench/killnine-bench.ts [--restarts 100] [--seed n]
 * `runKillNineBench()` returns the result; `killNineBenchTable()` formats it.
 */

export interface KillNineBenchOptions {
  restarts?: number;
  clients?: number;
  seed?: number;
  progress?: (line: string) => void;
}

export async function runKillNineBench(opts: KillNineBenchOptions = {}): Promise<KillNineResult> {
  try {
    return await runKillNine({
      clients: opts.clients ?? 5,
      restarts: opts.restarts ?? 100,
      minGapMs: 100,
      maxGapMs: 500,
      ...(opts.seed === undefined ? {} : { seed: opts.seed }),
      ...(opts.progress ? { progress: opts.progress } : {}),
    });
  } finally {
    await cleanup();
  }
}

/** Markdown table: edits, restarts, lost edits, duration. */
export function killNineBenchTable(r: KillNineResult): string {
  return `${killNineTable(r)}\n\nseed ${r.seed}${r.examples.length ? `; missing: ${r.examples.join(', ')}` : ''}`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 && process.argv[i + 1] !== undefined ? Number(process.argv[i + 1]) : undefined;
  };
  const restarts = arg('restarts');
  const seed = arg('seed');
  // Bounded: never outlive a stuck run.
  const guard = setTimeout(() => {
    console.error('kill -9 bench: timed out after 300 s');
    process.exit(1);
  }, 300_000);
  runKillNineBench({ ...(restarts === undefined ? {} : { restarts }), ...(seed === undefined ? {} : { seed }), progress: (l) => console.error(`… ${l}`) }).then(
    (r) => {
      clearTimeout(guard);
      console.log(killNineBenchTable(r));
      const lost = r.lostOnClients + r.lostInStorage + r.lostOnFreshClient;
      process.exit(lost === 0 ? 0 : 1);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
