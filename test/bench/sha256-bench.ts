import { digest as pureDigest } from '../../node_modules/lib0/hash/sha256.js';
import { hex, sha256HexAsync, sha256HexSync } from '../../src/domain/sha256.ts';

/*
 * `node --import tsx test/bench/sha256-bench.ts`: why src/domain/sha256.ts keeps
 * two variants. Median ms of 5 runs per size: sha256HexSync (in Node, lib0
 * resolves to node:crypto), lib0's pure-JS digest (what the browser and the pack
 * worker run for sha256HexSync; same V8 as Chromium) and sha256HexAsync
 * (WebCrypto, native in both). Stops by itself.
 */
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function time(run: () => unknown): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await run();
    runs.push(performance.now() - t);
  }
  return median(runs);
}

console.log('| bytes hashed | sync, Node (node:crypto) | sync, browser build (pure JS) | async (WebCrypto) |');
console.log('|---:|---:|---:|---:|');
for (const size of [1_000, 100_000, 1_600_000, 8_000_000]) {
  const bytes = Uint8Array.from({ length: size }, (_, i) => (i * 131) & 255);
  const want = sha256HexSync(bytes);
  if (hex(pureDigest(bytes)) !== want || (await sha256HexAsync(bytes)) !== want) throw new Error('the variants disagree');
  const sync = await time(() => sha256HexSync(bytes));
  const pure = await time(() => pureDigest(bytes));
  const async = await time(() => sha256HexAsync(bytes));
  console.log(`| ${size.toLocaleString('en-GB')} | ${sync.toFixed(2)} ms | ${pure.toFixed(2)} ms | ${async.toFixed(2)} ms |`);
}
