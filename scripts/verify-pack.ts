/*
 * Verifies a Muster evidence pack offline, with no workspace and no server:
 *
 *   node --import tsx scripts/verify-pack.ts pack.zip      (or: npm run verify-pack -- pack.zip)
 *
 * Prints the report. Exit code: 0 intact, 1 problems found, 2 usage error or a
 * file that cannot be read as an evidence pack (missing, not a ZIP, no manifest).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { reportLines, verifyPack } from '../src/export/verify.ts';

const USAGE = 'Usage: node --import tsx scripts/verify-pack.ts <evidence-pack.zip>';

function main(args: readonly string[]): number {
  const file = args[0];
  if (args.length !== 1 || !file || file === '-h' || file === '--help') {
    console.error(USAGE);
    return 2;
  }
  let bytes: Uint8Array;
  try {
    // `npm run verify-pack -- pack.zip` runs in the repository: resolve from where the user typed it.
    bytes = new Uint8Array(readFileSync(resolve(process.env['INIT_CWD'] ?? process.cwd(), file)));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    console.error(code === 'ENOENT' ? `${file}: no such file.` : code === 'EISDIR' ? `${file} is a folder, not a file.` : `${file} cannot be read (${code ?? String(e)}).`);
    return 2;
  }
  const report = verifyPack(bytes);
  console.log(`${file}\n${reportLines(report).join('\n')}`);
  return report.ok ? 0 : report.readable ? 1 : 2;
}

process.exitCode = main(process.argv.slice(2));
