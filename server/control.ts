import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { Logger } from './log.ts';

/**
 * The relay's control socket, DATA_DIR/control.sock: whoever may read the
 * data directory (file permissions, the relay's own user) may ask for an
 * online backup. `npm run relay-backup -- DIR` (scripts/relay-backup.ts) is
 * the client. The relay holds the database with an exclusive lock, so a
 * consistent copy can only be made from inside it: SQLite's backup API copies
 * the pages while the relay keeps serving, and a write made meanwhile is
 * either in the copy or not, never half in it.
 *
 * Protocol: one JSON line each way.
 *   → {"op":"stats"}
 *   ← {"ok":true,"rooms":n,"newRooms":n,"workspaces":n,"sockets":n,"queuedBytes":n}
 *     Counts for the operator only: /healthz says no more than ok (docs/RELAY.md).
 *   → {"op":"backup"}
 *   ← {"ok":true,"file":"<DATA_DIR>/backup-<time>.sqlite","bytes":n} | {"ok":false,"error":"…"}
 * The file is left in the data directory for the client to move where it wants.
 */

export const CONTROL_SOCKET = 'control.sock';
/** sun_path is 108 bytes on Linux, 104 on macOS. */
const MAX_SOCKET_PATH = 100;

export interface ControlServer {
  close(): Promise<void>;
}

/** More operations: name → answer to the request line (e.g. `creation-token`, server/creation.ts). */
export type ControlOps = Record<string, (request: Record<string, unknown>) => object>;

export async function startControlServer(dataDir: string, db: Database.Database, log: Logger, stats: () => object, ops: ControlOps = {}): Promise<ControlServer | null> {
  const file = path.join(dataDir, CONTROL_SOCKET);
  if (Buffer.byteLength(file) > MAX_SOCKET_PATH) {
    log('warn', 'control.unavailable', { reason: 'data directory path too long for a unix socket; relay-backup needs a shorter DATA_DIR' });
    return null;
  }
  // The relay holds the database's exclusive lock, so a socket file left here is a crashed relay's.
  fs.rmSync(file, { force: true });
  let busy = false;
  const server = net.createServer((conn) => {
    conn.setEncoding('utf8');
    let input = '';
    const reply = (body: object) => conn.end(JSON.stringify(body) + '\n');
    conn.on('error', () => conn.destroy());
    conn.on('data', (chunk: string) => {
      input += chunk;
      if (input.length > 1024) return reply({ ok: false, error: 'request too long' });
      if (!input.includes('\n')) return;
      let request: Record<string, unknown>;
      try {
        request = JSON.parse(input) as Record<string, unknown>;
      } catch {
        return reply({ ok: false, error: 'request is not JSON' });
      }
      const op = request?.['op'];
      if (op === 'stats') return reply({ ok: true, ...stats() });
      const extra = typeof op === 'string' && Object.hasOwn(ops, op) ? ops[op] : undefined;
      if (extra) {
        try {
          return reply({ ok: true, ...extra(request) });
        } catch (err) {
          return reply({ ok: false, error: err instanceof Error ? err.message : String(err) });
        }
      }
      if (op !== 'backup') return reply({ ok: false, error: `unknown op ${JSON.stringify(op)}` });
      if (busy) return reply({ ok: false, error: 'a backup is already running' });
      busy = true;
      const target = path.join(dataDir, `backup-${new Date().toISOString().replace(/[:.]/g, '-')}.sqlite`);
      const started = Date.now();
      db.backup(target)
        .then(() => {
          const bytes = fs.statSync(target).size;
          log('info', 'backup.done', { file: target, bytes, ms: Date.now() - started });
          reply({ ok: true, file: target, bytes });
        })
        .catch((err: unknown) => {
          fs.rmSync(target, { force: true });
          log('error', 'backup.failed', { error: String(err) });
          reply({ ok: false, error: String(err) });
        })
        .finally(() => (busy = false));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(file, () => {
      server.off('error', reject);
      resolve();
    });
  });
  fs.chmodSync(file, 0o600);
  server.on('error', (err) => log('error', 'control.error', { error: String(err) }));
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        fs.rmSync(file, { force: true });
      }),
  };
}
