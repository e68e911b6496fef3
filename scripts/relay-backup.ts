import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DEFAULTS } from '../server/config.ts';
import { CONTROL_SOCKET } from '../server/control.ts';

/**
 * npm run relay-backup -- DIR [--data-dir DATA_DIR]
 *
 * A consistent copy of the relay's database, taken while it serves: the relay
 * makes it with SQLite's backup API (server/control.ts, asked over
 * DATA_DIR/control.sock), this script moves it into DIR as
 * muster-<time>.sqlite and checks it with `PRAGMA integrity_check`. When no
 * relay is running on DATA_DIR, the script makes the copy itself, the same way.
 * Run it as the user the relay runs as (e.g. `sudo -u muster`).
 *
 * The copy carries the store's id and write counter (table store_meta,
 * sqlite_sequence), printed here: DATA_DIR/muster.marker names the same store.
 *
 * Restore (README, "Back up and restore"; docs/RELAY.md "Store loss"): stop
 * the relay, put the file in place as DATA_DIR/muster.sqlite (no -wal file
 * beside it), start the relay once with --accept-restored-store: the copy is
 * older than what the marker records, and the relay refuses it otherwise.
 */

class BackupError extends Error {}

function ask(socket: string): Promise<{ ok: true; file: string; bytes: number } | { ok: false; error: string } | 'no relay'> {
  return new Promise((resolve, reject) => {
    const conn = net.connect(socket);
    let answer = '';
    conn.setEncoding('utf8');
    conn.on('connect', () => conn.write(JSON.stringify({ op: 'backup' }) + '\n'));
    conn.on('data', (d: string) => (answer += d));
    conn.on('end', () => {
      try {
        resolve(JSON.parse(answer));
      } catch {
        reject(new BackupError(`the relay gave an unreadable answer: ${JSON.stringify(answer.slice(0, 200))}`));
      }
    });
    conn.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') resolve('no relay');
      else reject(new BackupError(`cannot reach the relay on ${socket}: ${err.message}`));
    });
  });
}

/** Move across file systems too: copy, flush, then drop the original. */
function move(from: string, to: string): void {
  try {
    fs.renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    fs.copyFileSync(from, to, fs.constants.COPYFILE_EXCL);
    const fd = fs.openSync(to, 'r+');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.rmSync(from);
  }
}

/** Checks the copy; returns the store id (none in a store no relay with muster.marker has opened yet) and write counter it carries. */
function check(file: string): { store: string | undefined; seq: number } {
  const db = new Database(file, { fileMustExist: true });
  try {
    const result = db.pragma('integrity_check', { simple: true });
    if (result !== 'ok') throw new BackupError(`the copy ${file} fails integrity_check: ${String(result)}`);
    // A self-contained file: no -wal beside it is needed to restore it.
    db.pragma('journal_mode = DELETE');
    let store: string | undefined;
    let seq = 0;
    try {
      store = db.prepare<[], { value: string }>("SELECT value FROM store_meta WHERE key = 'id'").get()?.value;
      seq = db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'updates'").get()?.seq ?? 0;
    } catch {
      // No such table: a store from before muster.marker existed.
    }
    return { store, seq };
  } finally {
    db.close();
  }
}

export async function relayBackup(dataDir: string, outDir: string): Promise<{ file: string; bytes: number; online: boolean; store: string | undefined; seq: number }> {
  const source = path.join(dataDir, 'muster.sqlite');
  if (!fs.existsSync(source)) throw new BackupError(`no relay database at ${source} (give --data-dir or DATA_DIR)`);
  // The copy holds every register in clear: readable by its owner only.
  fs.mkdirSync(outDir, { recursive: true, mode: 0o700 });
  const target = path.join(outDir, `muster-${new Date().toISOString().replace(/[:.]/g, '-')}.sqlite`);
  if (fs.existsSync(target)) throw new BackupError(`${target} already exists`);
  const answer = await ask(path.join(dataDir, CONTROL_SOCKET));
  let online = true;
  if (answer === 'no relay') {
    // Nobody holds the database: copy it ourselves, with the same backup API.
    online = false;
    let db: Database.Database;
    try {
      db = new Database(source, { fileMustExist: true, timeout: 2000 });
      db.pragma('locking_mode = EXCLUSIVE');
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (err) {
      throw new BackupError(`cannot open ${source}: ${(err as Error).message} (is a relay running without its control socket?)`);
    }
    try {
      await db.backup(target);
    } finally {
      db.close();
    }
  } else if (!answer.ok) {
    throw new BackupError(`the relay could not make the copy: ${answer.error}`);
  } else {
    move(answer.file, target);
  }
  const identity = check(target);
  fs.chmodSync(target, 0o600);
  return { file: target, bytes: fs.statSync(target).size, online, ...identity };
}

function main(argv: string[]): Promise<void> {
  let dataDir = process.env['DATA_DIR'] || DEFAULTS.dataDir;
  const dirs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--data-dir') dataDir = argv[++i] ?? '';
    else if (a.startsWith('--data-dir=')) dataDir = a.slice('--data-dir='.length);
    else if (a.startsWith('-')) throw new BackupError(`unknown option ${a}`);
    else dirs.push(a);
  }
  if (dirs.length !== 1 || !dataDir) throw new BackupError('usage: npm run relay-backup -- DIR [--data-dir DATA_DIR]');
  return relayBackup(path.resolve(dataDir), path.resolve(dirs[0]!)).then(({ file, bytes, online, store, seq }) => {
    console.log(`Backed up ${path.join(path.resolve(dataDir), 'muster.sqlite')} ${online ? 'from the running relay' : '(no relay running)'} to ${file} (${bytes} bytes, integrity ok, ${store ? `store ${store} at write ${seq}` : 'a store without an id yet: it gets one when a relay starts on it'})`);
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    if (!(err instanceof BackupError)) throw err;
    console.error(`relay-backup: ${err.message}`);
    process.exit(1);
  });
}
