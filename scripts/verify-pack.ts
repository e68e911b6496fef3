/*
 * Verifies a Muster evidence pack offline, with no workspace and no server:
 *
 *   node --import tsx scripts/verify-pack.ts pack.zip      (or: npm run verify-pack -- pack.zip)
 *
 * Prints the report. Exit code: 0 intact, 1 problems found, 2 usage error or a
 * file that cannot be read as an evidence pack (missing, not a ZIP, no manifest).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { reportLines, verifyPack } from '../src/export/verify.ts';
import type { IdentityOptions } from '../src/export/verify-identity.ts';

const REGISTERS = fileURLToPath(new URL('../src/registers/', import.meta.url));

/** Every register's right rules (`src/registers/<x>/rights.ts`, `export const rights`): the app finds them by glob, Node by listing the folder. */
export async function collectRights(dir = REGISTERS): Promise<NonNullable<IdentityOptions['rights']>> {
  const out: Record<string, NonNullable<IdentityOptions['rights']>[string]> = {};
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name, 'rights.ts');
    if (!existsSync(file)) continue;
    const m = (await import(pathToFileURL(file).href)) as { rights?: NonNullable<IdentityOptions['rights']>[string] };
    if (m.rights) out[name] = m.rights;
  }
  return out;
}

const USAGE = 'Usage: node --import tsx scripts/verify-pack.ts <evidence-pack.zip>';

async function main(args: readonly string[]): Promise<number> {
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
  const report = await verifyPack(bytes, { rights: await collectRights() });
  console.log(`${file}\n${reportLines(report).join('\n')}`);
  return report.ok ? 0 : report.readable ? 1 : 2;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = await main(process.argv.slice(2));
