import net from 'node:net';
import path from 'node:path';
import { DEFAULTS } from '../server/config.ts';
import { CONTROL_SOCKET } from '../server/control.ts';

/**
 * npm run relay-token [-- --hours N] [--data-dir DATA_DIR]
 *
 * Asks the running relay (DATA_DIR/control.sock, server/control.ts) for one
 * single-use creation token, valid N hours (default 168), and prints it. Hand
 * it to the person who creates a workspace on a `token` or `invite` relay
 * (docs/RELAY.md "Workspace creation"). Run it as the relay's user.
 */

function main(argv: string[]): Promise<void> {
  let dataDir = process.env['DATA_DIR'] || DEFAULTS.dataDir;
  let hours: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.split('=', 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i] ?? '';
    if (flag === '--data-dir') dataDir = value();
    else if (flag === '--hours') hours = Number(value());
    else throw new Error(`unknown argument ${JSON.stringify(a)}; usage: npm run relay-token -- [--hours N] [--data-dir DATA_DIR]`);
  }
  if (hours !== undefined && !(hours > 0)) throw new Error('--hours must be a number above 0');
  const socket = path.join(path.resolve(dataDir), CONTROL_SOCKET);
  return new Promise((resolve, reject) => {
    const conn = net.connect(socket);
    let answer = '';
    conn.setEncoding('utf8');
    conn.on('connect', () => conn.write(JSON.stringify({ op: 'creation-token', ...(hours ? { hours } : {}) }) + '\n'));
    conn.on('data', (d: string) => (answer += d));
    conn.on('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(err.code === 'ENOENT' || err.code === 'ECONNREFUSED' ? `no relay is running on ${dataDir} (start it, or give --data-dir)` : `cannot reach the relay on ${socket}: ${err.message}`)),
    );
    conn.on('end', () => {
      try {
        const got = JSON.parse(answer) as { ok: boolean; token?: string; expiresAt?: number; error?: string };
        if (!got.ok || !got.token) return reject(new Error(got.error ?? 'the relay gave no token'));
        console.log(got.token);
        console.error(`Single use, valid until ${new Date(got.expiresAt!).toISOString()}.`);
        resolve();
      } catch {
        reject(new Error(`the relay gave an unreadable answer: ${JSON.stringify(answer.slice(0, 200))}`));
      }
    });
  });
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`relay-token: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
