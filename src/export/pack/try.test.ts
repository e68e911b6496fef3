import { test } from 'vitest';
import fs from 'node:fs';
import { buildPack } from './build';
import { fixtureInput, OPENED_DISCIPLINARY } from './test-fixture';
import { unzipSync } from 'fflate';
test('try', async () => {
  const t0 = Date.now();
  const r = await buildPack(fixtureInput({ disciplinaryOpened: OPENED_DISCIPLINARY }), { onProgress: (p) => console.log(p.fraction.toFixed(2), p.step) });
  console.log('ms', Date.now() - t0, r.files, r.missing, r.pages);
  fs.writeFileSync('/tmp/pack/pack.zip', r.zip);
  const files = unzipSync(r.zip);
  for (const [k, v] of Object.entries(files)) { fs.mkdirSync(require('node:path').dirname('/tmp/pack/x/' + k), { recursive: true }); fs.writeFileSync('/tmp/pack/x/' + k, v); }
});
