import { ConfigError, parseConfig, USAGE } from './config.ts';
import { log } from './log.ts';
import { StoreLostError } from './marker.ts';
import { StoreTooNewError } from './migrations.ts';
import { StorageCorruptError } from './persistence.ts';
import { startRelay } from './relay.ts';
import { TlsError } from './tls.ts';

/**
 * CLI entry: node --import tsx server/main.ts [--port n] ...
 * Exit codes: 0 clean stop, 1 config/startup/storage-write failure, 2 corrupt storage,
 * 3 store lost or older than DATA_DIR/muster.marker records (docs/RELAY.md "Store loss"), or written by a
 * newer relay (docs/RELAY.md "Schema and migrations"): either way restarting cannot help, an operator must act.
 */

if (process.argv.includes('--help')) {
  console.log(USAGE);
  process.exit(0);
}

let config;
try {
  config = parseConfig(process.argv.slice(2), process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`muster relay: ${err.message}\n\n${USAGE}`);
  process.exit(1);
}

let relay;
try {
  relay = await startRelay({
    ...config,
    onFatal: (err) => {
      // The database stopped taking writes: stop rather than acknowledge edits that are not on disk.
      log('error', 'storage.fatal', { error: String(err) });
      process.exit(1);
    },
  });
} catch (err) {
  if (err instanceof StorageCorruptError) {
    console.error(`muster relay: refusing to start: ${err.message}\nRestore its muster.sqlite from a backup (npm run relay-backup) and start once with --accept-restored-store, or move ${config.dataDir} aside; devices keep their own copies and will re-sync.`);
    process.exit(2);
  }
  if (err instanceof StoreLostError || err instanceof StoreTooNewError) {
    console.error(`muster relay: refusing to start: ${err.message}.`);
    process.exit(3);
  }
  if (err instanceof TlsError) {
    console.error(`muster relay: cannot start: ${err.message}\nGive a PEM certificate and its key in TLS_CERT / TLS_KEY (or --tls-cert / --tls-key), e.g. from npm run make-cert.`);
    process.exit(1);
  }
  console.error(`muster relay: cannot start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}

let stopping = false;
const stop = (signal: string) => {
  if (stopping) {
    log('warn', 'relay.forced-exit', { signal });
    process.exit(1);
  }
  stopping = true;
  log('info', 'relay.stopping', { signal });
  relay.close().then(
    () => process.exit(0),
    (err: unknown) => {
      log('error', 'relay.stop-failed', { error: String(err) });
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

// SIGHUP: read TLS_CERT / TLS_KEY again (after a renewal); open connections keep going. A bad file keeps the old certificate.
process.on('SIGHUP', () => {
  try {
    if (!relay.reloadTls()) log('info', 'tls.reload-skipped', { reason: 'relay has no TLS' });
  } catch (err) {
    log('error', 'tls.reload-failed', { error: err instanceof Error ? err.message : String(err) });
  }
});

// Last, once the signals are handled: whoever reads this line may stop the relay at once (a test, a supervisor).
// The URL is built from the address actually bound, so it follows PORT/HOST and shows the real port for PORT=0.
// On every interface (HOST=0.0.0.0 or ::) that address is not one to type into a browser: say which one is.
const everywhere = relay.host === '0.0.0.0' || relay.host === '::';
const onThisMachine = Object.assign(new URL(relay.url), { hostname: 'localhost' }).origin;
console.log(`Muster relay listening on ${relay.url}${everywhere ? `\nOpen ${onThisMachine} in a browser on this machine` : ''}`);
