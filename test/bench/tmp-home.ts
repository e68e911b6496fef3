import { measureFirstLoad } from './first-load.ts';
const { returning } = await measureFirstLoad();
console.log(returning.jsGzip, returning.files);
for (const s of returning.scripts) console.log(s.file, s.gzip);
process.exit(0);
