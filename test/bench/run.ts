import { measureFirstLoad } from './first-load';
import { killNineBenchTable, runKillNineBench } from './killnine-bench';
import { lighthouseTable, runLighthouse } from './lighthouse';
import { relayBenchTable, runRelayBench } from './relay-bench';
import { attackBenchTable, runAttackBench } from './relay-attack-bench';
import { packBenchTable, runPackBench } from './pack-bench';
import { evidenceBenchTable, runEvidenceBench } from './evidence-bench';
import { runVerifyBench, verifyBenchTable } from './verify-pack-bench';
import { membershipBenchTable, runMembershipBench } from './membership';
import { managerLoadTable, runManagerLoad } from './manager-load';
import { runSealBench, sealBenchTable } from './seal-bench';
import { audienceBenchTable, runAudienceBench } from './audience-bench';

/**
 * `npm run bench`: every benchmark in one run, printed as markdown tables to
 * paste into docs/BENCHMARKS.md with the date. Loopback only; stops by itself.
 */
const BUDGET_GZIP = 90 * 1024;
const guard = setTimeout(() => {
  console.error('bench: timed out after 1500 s');
  process.exit(1);
}, 1_500_000);

const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const first = await measureFirstLoad();
console.log(`## Bench run ${new Date().toISOString()} (node ${process.version}, ${process.platform} ${process.arch})\n`);
console.log('| first load (new user, welcome screen) | value |');
console.log('|---|---:|');
console.log(`| JS fetched by the page, gzip -9 | ${kb(first.jsGzip)} (${first.files} files; budget ${kb(BUDGET_GZIP)}, ${first.jsGzip <= BUDGET_GZIP ? 'within' : 'OVER'}) |`);
console.log(`| JS raw | ${kb(first.jsRaw)} |`);
console.log(`| CSS gzip | ${kb(first.cssGzip)} |`);
console.log(`| navigation → form visible (loopback, 1 sample) | ${first.visibleMs} ms |`);
console.log(`| returning member, home screen + sync: JS gzip -9 | ${kb(first.returning.jsGzip)} (${first.returning.files} files, via the service worker) |`);
console.log(`| returning member: navigation → synced (1 sample) | ${first.returning.visibleMs} ms (goal ≤ 400 ms) |`);
const r = first.returning.rooms;
console.log(`| of which: rooms opened (websockets) | ${r.count}, from ${r.firstOpenMs} to ${r.lastOpenMs} ms; last first answer at ${r.lastAnswerMs} ms |`);
console.log(`\nReturning member's scripts, gzip -9: ${first.returning.scripts.map((f) => `${f.file} ${kb(f.gzip)}`).join(', ')}.`);
console.log('');
console.log(managerLoadTable(await runManagerLoad({ progress: (l) => console.error(`… ${l}`) })));
console.log('');
console.log(sealBenchTable(await runSealBench()));
console.log('');
console.log(audienceBenchTable(await runAudienceBench()));
console.log('');
console.log(lighthouseTable(await runLighthouse()));
console.log('');
const rows = await runRelayBench({ progress: (l) => console.error(`… ${l}`) });
console.log(relayBenchTable(rows));
console.log('');
console.log(attackBenchTable(await runAttackBench((l) => console.error(`… ${l}`))));
console.log('');
console.log(killNineBenchTable(await runKillNineBench()));
console.log('');
console.log(packBenchTable(await runPackBench({ progress: (l) => console.error(`… ${l}`) })));
console.log('');
console.log(evidenceBenchTable(await runEvidenceBench()));
console.log('');
console.log(verifyBenchTable(await runVerifyBench({ progress: (l) => console.error(`… ${l}`) })));
console.log('');
console.log(membershipBenchTable(await runMembershipBench()));
clearTimeout(guard);
process.exit(0);
