import fs from 'node:fs';
import path from 'node:path';

export type CreationPolicy = 'open' | 'token' | 'invite';
export const CREATION_POLICIES: readonly CreationPolicy[] = ['open', 'token', 'invite'];

export interface RelayConfig {
  port: number;
  host: string;
  dataDir: string;
  staticDir: string;
  maxMessageBytes: number;
  maxRooms: number;
  /** Rooms open at once for workspaces first seen in the last 24 hours (docs/RELAY.md "Budgets"). */
  maxNewRooms: number;
  maxWorkspaceRooms: number;
  maxWorkspaceSockets: number;
  /** Bytes the relay takes from one workspace's websockets per minute. */
  maxWorkspaceBytesPerMinute: number;
  /** Most bytes queued for one socket that does not read. */
  maxSocketQueuedBytes: number;
  /** Most bytes queued for all sockets together. */
  maxQueuedBytes: number;
  /** Largest attachment (PUT /blobs/...) accepted, in bytes. */
  maxBlobBytes: number;
  /** Most bytes of attachments one workspace may keep on the relay. */
  maxWorkspaceBlobBytes: number;
  /** Values (reports and messages) that public speak-up link connections may add to one workspace's room per hour. */
  speakupLinkPerHour: number;
  /** Most bytes of attachments all workspaces together may keep on the relay. */
  maxTotalBlobBytes: number;
  /** Most workspaces the relay keeps. */
  maxWorkspaces: number;
  /**
   * Who may create a workspace (server/creation.ts): anyone (`open`), a holder of an operator's
   * creation token (`token`), or of an invite from an existing workspace (`invite`, tokens also work).
   * Unset: `open` when the relay listens on loopback, else `token`.
   */
  workspaceCreation?: CreationPolicy;
  /** Operator's creation tokens (CREATION_TOKENS, comma list; CREATION_TOKENS_FILE, one a line). */
  creationTokens?: string[];
  /** How long a creation invite stays valid, in seconds. */
  creationInviteSeconds: number;
  /** Websockets open at once, all workspaces together; workspaces first seen in the last 24 hours share half. */
  maxSockets: number;
  /** Largest message from a workspace first seen in the last 24 hours (older ones: maxMessageBytes). */
  maxNewWorkspaceMessageBytes: number;
  /** Milliseconds the relay may spend per minute on one workspace's messages; a new workspace: a quarter (docs/RELAY.md "Fairness"). */
  maxWorkspaceBusyMsPerMinute: number;
  /** Largest awareness message (one client's presence state). */
  maxAwarenessBytes: number;
  /** Awareness messages one socket may send per second (bursts of twice that). */
  awarenessPerSecond: number;
  /** Awareness bytes one socket may send per second. */
  awarenessBytesPerSecond: number;
  /** Bytes that public speak-up link connections may add to one workspace's room per hour. */
  speakupLinkBytesPerHour: number;
  /** Largest value (one report or message) anyone may add to a speak-up room, in bytes of JSON. */
  speakupMaxValueBytes: number;
  /**
   * Origins besides the relay's own that may open websockets and POST to /auth
   * (e.g. https://muster.example.org); ['*'] = any. Unset: the relay's own origin only.
   */
  allowedOrigins?: string[];
  /** PEM certificate (chain) and key: with both, the relay serves HTTPS and wss. */
  tlsCert?: string;
  tlsKey?: string;
  /** Start although muster.marker says the store that was here is gone (docs/RELAY.md "Store loss"). */
  acceptEmptyStore?: boolean;
  /** Start on a store older than (or other than) the one muster.marker records: a restored backup. */
  acceptRestoredStore?: boolean;
  /** Enrolled workspaces admit proven devices only (server/admission.ts). On by default; `--enforce-device-admission=0` lets the secret alone in again. */
  enforceDeviceAdmission?: boolean;
}

export const DEFAULTS: RelayConfig = {
  port: 8787,
  host: '127.0.0.1',
  dataDir: './data',
  staticDir: './dist',
  maxMessageBytes: 8 * 1024 * 1024,
  maxRooms: 10_000,
  maxNewRooms: 2_000,
  maxWorkspaceRooms: 32,
  maxWorkspaceSockets: 1_000,
  maxWorkspaceBytesPerMinute: 64 * 1024 * 1024,
  maxSocketQueuedBytes: 16 * 1024 * 1024,
  maxQueuedBytes: 256 * 1024 * 1024,
  maxBlobBytes: 5 * 1024 * 1024,
  maxWorkspaceBlobBytes: 1024 * 1024 * 1024,
  speakupLinkPerHour: 60,
  maxTotalBlobBytes: 20 * 1024 * 1024 * 1024,
  maxWorkspaces: 10_000,
  creationInviteSeconds: 24 * 60 * 60,
  maxSockets: 10_000,
  maxNewWorkspaceMessageBytes: 2 * 1024 * 1024,
  maxWorkspaceBusyMsPerMinute: 10_000,
  maxAwarenessBytes: 4 * 1024,
  awarenessPerSecond: 4,
  awarenessBytesPerSecond: 8 * 1024,
  speakupLinkBytesPerHour: 1024 * 1024,
  speakupMaxValueBytes: 64 * 1024,
  enforceDeviceAdmission: true,
};

export class ConfigError extends Error {}

type Key = keyof RelayConfig;
const OPTIONS: Array<{ key: Key; flag: string; env: string; kind: 'int' | 'string' | 'path' | 'origins' | 'bool' | 'policy' | 'tokens' | 'tokenFile'; min?: number; max?: number }> = [
  { key: 'port', flag: 'port', env: 'PORT', kind: 'int', min: 0, max: 65535 },
  { key: 'host', flag: 'host', env: 'HOST', kind: 'string' },
  { key: 'dataDir', flag: 'data-dir', env: 'DATA_DIR', kind: 'path' },
  { key: 'staticDir', flag: 'static-dir', env: 'STATIC_DIR', kind: 'path' },
  // Below ~1 KiB even an empty sync handshake could be refused.
  { key: 'maxMessageBytes', flag: 'max-message-bytes', env: 'MAX_MESSAGE_BYTES', kind: 'int', min: 1024 },
  { key: 'maxRooms', flag: 'max-rooms', env: 'MAX_ROOMS', kind: 'int', min: 1 },
  { key: 'maxNewRooms', flag: 'max-new-rooms', env: 'MAX_NEW_ROOMS', kind: 'int', min: 1 },
  { key: 'maxWorkspaceRooms', flag: 'max-workspace-rooms', env: 'MAX_WORKSPACE_ROOMS', kind: 'int', min: 1 },
  { key: 'maxWorkspaceSockets', flag: 'max-workspace-sockets', env: 'MAX_WORKSPACE_SOCKETS', kind: 'int', min: 1 },
  { key: 'maxWorkspaceBytesPerMinute', flag: 'max-workspace-bytes-per-minute', env: 'MAX_WORKSPACE_BYTES_PER_MINUTE', kind: 'int', min: 1024 },
  { key: 'maxSocketQueuedBytes', flag: 'max-socket-queued-bytes', env: 'MAX_SOCKET_QUEUED_BYTES', kind: 'int', min: 1024 },
  { key: 'maxQueuedBytes', flag: 'max-queued-bytes', env: 'MAX_QUEUED_BYTES', kind: 'int', min: 1024 },
  { key: 'maxBlobBytes', flag: 'max-blob-bytes', env: 'MAX_BLOB_BYTES', kind: 'int', min: 1 },
  { key: 'maxWorkspaceBlobBytes', flag: 'max-workspace-blob-bytes', env: 'MAX_WORKSPACE_BLOB_BYTES', kind: 'int', min: 1 },
  { key: 'speakupLinkPerHour', flag: 'speakup-link-per-hour', env: 'SPEAKUP_LINK_PER_HOUR', kind: 'int', min: 1 },
  { key: 'maxTotalBlobBytes', flag: 'max-total-blob-bytes', env: 'MAX_TOTAL_BLOB_BYTES', kind: 'int', min: 1 },
  { key: 'maxWorkspaces', flag: 'max-workspaces', env: 'MAX_WORKSPACES', kind: 'int', min: 1 },
  { key: 'workspaceCreation', flag: 'workspace-creation', env: 'WORKSPACE_CREATION', kind: 'policy' },
  { key: 'creationTokens', flag: 'creation-tokens', env: 'CREATION_TOKENS', kind: 'tokens' },
  { key: 'creationTokens', flag: 'creation-tokens-file', env: 'CREATION_TOKENS_FILE', kind: 'tokenFile' },
  { key: 'creationInviteSeconds', flag: 'creation-invite-seconds', env: 'CREATION_INVITE_SECONDS', kind: 'int', min: 1 },
  { key: 'maxSockets', flag: 'max-sockets', env: 'MAX_SOCKETS', kind: 'int', min: 1 },
  { key: 'maxNewWorkspaceMessageBytes', flag: 'max-new-workspace-message-bytes', env: 'MAX_NEW_WORKSPACE_MESSAGE_BYTES', kind: 'int', min: 1024 },
  { key: 'maxWorkspaceBusyMsPerMinute', flag: 'max-workspace-busy-ms-per-minute', env: 'MAX_WORKSPACE_BUSY_MS_PER_MINUTE', kind: 'int', min: 100, max: 60_000 },
  { key: 'maxAwarenessBytes', flag: 'max-awareness-bytes', env: 'MAX_AWARENESS_BYTES', kind: 'int', min: 256 },
  { key: 'awarenessPerSecond', flag: 'awareness-per-second', env: 'AWARENESS_PER_SECOND', kind: 'int', min: 1 },
  { key: 'awarenessBytesPerSecond', flag: 'awareness-bytes-per-second', env: 'AWARENESS_BYTES_PER_SECOND', kind: 'int', min: 256 },
  { key: 'speakupLinkBytesPerHour', flag: 'speakup-link-bytes-per-hour', env: 'SPEAKUP_LINK_BYTES_PER_HOUR', kind: 'int', min: 1024 },
  { key: 'speakupMaxValueBytes', flag: 'speakup-max-value-bytes', env: 'SPEAKUP_MAX_VALUE_BYTES', kind: 'int', min: 1024 },
  { key: 'allowedOrigins', flag: 'allowed-origins', env: 'ALLOWED_ORIGINS', kind: 'origins' },
  { key: 'tlsCert', flag: 'tls-cert', env: 'TLS_CERT', kind: 'path' },
  { key: 'tlsKey', flag: 'tls-key', env: 'TLS_KEY', kind: 'path' },
  { key: 'acceptEmptyStore', flag: 'accept-empty-store', env: 'ACCEPT_EMPTY_STORE', kind: 'bool' },
  { key: 'acceptRestoredStore', flag: 'accept-restored-store', env: 'ACCEPT_RESTORED_STORE', kind: 'bool' },
  { key: 'enforceDeviceAdmission', flag: 'enforce-device-admission', env: 'ENFORCE_DEVICE_ADMISSION', kind: 'bool' },
];

export const USAGE = `Usage: node --import tsx server/main.ts [options]

Options (each also read from the env var in brackets; flags win):
  --port <n>               [PORT]               default 8787, 0 = random free port
  --host <addr>            [HOST]               default 127.0.0.1
  --data-dir <dir>         [DATA_DIR]           default ./data (holds muster.sqlite)
  --static-dir <dir>       [STATIC_DIR]         default ./dist (built PWA)
  --max-message-bytes <n>  [MAX_MESSAGE_BYTES]  default 8388608
  --max-rooms <n>          [MAX_ROOMS]          default 10000 (rooms open at once)
  --max-new-rooms <n>      [MAX_NEW_ROOMS]      default 2000 (rooms open at once for workspaces first seen in the last 24 h)
  --max-workspace-rooms <n> [MAX_WORKSPACE_ROOMS] default 32 (rooms one workspace may have open)
  --max-workspace-sockets <n> [MAX_WORKSPACE_SOCKETS] default 1000 (websockets one workspace may have open; a device opens ~15)
  --max-workspace-bytes-per-minute <n> [MAX_WORKSPACE_BYTES_PER_MINUTE] default 67108864 (received from one workspace)
  --max-socket-queued-bytes <n> [MAX_SOCKET_QUEUED_BYTES] default 16777216 (queued for one socket that does not read)
  --max-queued-bytes <n>   [MAX_QUEUED_BYTES]   default 268435456 (queued for all sockets together)
  --max-blob-bytes <n>     [MAX_BLOB_BYTES]     default 5242880 (largest attachment)
  --max-workspace-blob-bytes <n> [MAX_WORKSPACE_BLOB_BYTES] default 1073741824 (attachments per workspace)
  --speakup-link-per-hour <n> [SPEAKUP_LINK_PER_HOUR] default 60 (reports and messages a public link may add per hour)
  --max-total-blob-bytes <n> [MAX_TOTAL_BLOB_BYTES] default 21474836480 (attachments of all workspaces together)
  --max-workspaces <n>     [MAX_WORKSPACES]     default 10000 (workspaces the relay keeps)
  --workspace-creation <p> [WORKSPACE_CREATION] open | token | invite; default open on a loopback HOST, else token
  --creation-tokens <list> [CREATION_TOKENS]    single-use creation tokens, comma list (at least 16 characters each)
  --creation-tokens-file <f> [CREATION_TOKENS_FILE] the same, one a line
  --creation-invite-seconds <n> [CREATION_INVITE_SECONDS] default 86400 (how long a creation invite stays valid)
  --max-sockets <n>        [MAX_SOCKETS]        default 10000 (websockets open at once, all workspaces; new ones share half)
  --max-new-workspace-message-bytes <n> [MAX_NEW_WORKSPACE_MESSAGE_BYTES] default 2097152 (largest message from a workspace first seen in the last 24 h)
  --max-workspace-busy-ms-per-minute <n> [MAX_WORKSPACE_BUSY_MS_PER_MINUTE] default 10000 (relay time one workspace's messages may take per minute; new workspaces: a quarter)
  --max-awareness-bytes <n> [MAX_AWARENESS_BYTES] default 4096 (largest awareness message)
  --awareness-per-second <n> [AWARENESS_PER_SECOND] default 4 (awareness messages per socket and second, bursts of twice that)
  --awareness-bytes-per-second <n> [AWARENESS_BYTES_PER_SECOND] default 8192 (awareness bytes per socket and second)
  --speakup-link-bytes-per-hour <n> [SPEAKUP_LINK_BYTES_PER_HOUR] default 1048576 (bytes a public link may add per hour)
  --speakup-max-value-bytes <n> [SPEAKUP_MAX_VALUE_BYTES] default 65536 (largest report or message in the speak-up room)
  --allowed-origins <list> [ALLOWED_ORIGINS]    other origins that may sync, comma list, e.g. https://app.example.org,
                                                or * for any; default: only the relay's own origin
  --tls-cert <file>        [TLS_CERT]           PEM certificate (chain): serve HTTPS and wss; reloaded on SIGHUP
  --tls-key <file>         [TLS_KEY]            PEM private key of that certificate
  --accept-empty-store     [ACCEPT_EMPTY_STORE=1] start although muster.marker says this directory's store is gone (logged)
  --accept-restored-store  [ACCEPT_RESTORED_STORE=1] start on a store older than muster.marker records: a restored backup (logged)
  --enforce-device-admission=0 [ENFORCE_DEVICE_ADMISSION=0] let the workspace secret alone in again: by default a
                           workspace with a signed member list admits only devices that prove an enrolled key
                           (docs/RELAY.md, Device admission)
  --help`;

function convert(opt: (typeof OPTIONS)[number], raw: string, source: string): string | number | string[] | boolean {
  if (opt.kind === 'bool') {
    if (/^(1|true|yes)$/i.test(raw)) return true;
    if (/^(0|false|no)$/i.test(raw)) return false;
    throw new ConfigError(`${source} must be 1 or 0, got ${JSON.stringify(raw)}`);
  }
  if (opt.kind === 'origins') {
    if (raw.trim() === '*') return ['*'];
    const list = raw.split(',').map((o) => o.trim().replace(/\/+$/, '').toLowerCase()).filter(Boolean);
    const bad = list.find((o) => !/^https?:\/\/[^/\s?#]+$/.test(o));
    if (list.length === 0 || bad !== undefined) throw new ConfigError(`${source} must be a comma list of origins like https://muster.example.org${bad ? `, got ${JSON.stringify(bad)}` : ''}`);
    return list;
  }
  if (opt.kind === 'policy') {
    if (!(CREATION_POLICIES as readonly string[]).includes(raw)) throw new ConfigError(`${source} must be one of ${CREATION_POLICIES.join(', ')}, got ${JSON.stringify(raw)}`);
    return raw;
  }
  if (opt.kind === 'tokens' || opt.kind === 'tokenFile') {
    let text = raw;
    if (opt.kind === 'tokenFile') {
      try {
        text = fs.readFileSync(path.resolve(raw), 'utf8');
      } catch (err) {
        throw new ConfigError(`${source}: cannot read ${raw}: ${(err as Error).message}`);
      }
    }
    const list = text.split(opt.kind === 'tokens' ? ',' : /\r?\n/).map(normaliseCreationToken).filter(Boolean);
    const short = list.find((t) => t.length < 16);
    if (list.length === 0 || short !== undefined) throw new ConfigError(`${source} must list creation tokens of at least 16 letters or digits each`);
    return list;
  }
  if (opt.kind === 'string') {
    if (raw === '') throw new ConfigError(`${source} must not be empty`);
    return raw;
  }
  if (opt.kind === 'path') {
    if (raw === '') throw new ConfigError(`${source} must not be empty`);
    return path.resolve(raw);
  }
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${source} must be a whole number, got ${JSON.stringify(raw)}`);
  const n = Number(raw);
  if ((opt.min !== undefined && n < opt.min) || (opt.max !== undefined && n > opt.max) || !Number.isSafeInteger(n)) {
    throw new ConfigError(`${source} is out of range: ${raw}`);
  }
  return n;
}

/** Creation tokens are compared without case, spaces or dashes, so one typed on a phone matches. */
export function normaliseCreationToken(token: string): string {
  return token.replace(/[\s-]+/g, '').toUpperCase();
}

/** 127.0.0.0/8, ::1 and localhost: only this machine can reach the relay. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The policy in force: the one set, else `open` on loopback (only this machine can connect) and `token` anywhere else. */
export function creationPolicyFor(host: string, set: CreationPolicy | undefined): CreationPolicy {
  return set ?? (isLoopback(host) ? 'open' : 'token');
}

/**
 * The relay's settings from startRelay's options: each one given, else its default; paths resolved
 * against the cwd. Only this machine can reach a loopback relay, so creation is open there by default
 * (unless a proxy forwards to it: deploy/ sets `token`).
 */
export function resolveConfig(options: Partial<RelayConfig>): RelayConfig {
  const given = Object.fromEntries(Object.keys(DEFAULTS).flatMap((key) => (options[key as Key] === undefined ? [] : [[key, options[key as Key]]])));
  const config: RelayConfig = { ...DEFAULTS, ...given };
  return {
    ...config,
    dataDir: path.resolve(config.dataDir),
    staticDir: path.resolve(config.staticDir),
    workspaceCreation: creationPolicyFor(config.host, options.workspaceCreation),
    creationTokens: options.creationTokens ?? [],
    ...(options.allowedOrigins?.length ? { allowedOrigins: options.allowedOrigins } : {}),
    ...(options.tlsCert && options.tlsKey ? { tlsCert: path.resolve(options.tlsCert), tlsKey: path.resolve(options.tlsKey) } : {}),
  };
}

/** Env vars first, then flags (`--port 0` or `--port=0`); paths are resolved against the cwd. */
export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv): RelayConfig {
  const config: Partial<Record<Key, string | number | string[] | boolean>> = { ...DEFAULTS, dataDir: path.resolve(DEFAULTS.dataDir), staticDir: path.resolve(DEFAULTS.staticDir) };
  // Token lists from the env var, the file and the flags add up; anything else: the last one wins.
  const set = (opt: (typeof OPTIONS)[number], value: string | number | string[] | boolean) => {
    const before = config[opt.key];
    config[opt.key] = opt.key === 'creationTokens' && Array.isArray(before) ? [...before, ...(value as string[])] : value;
  };
  for (const opt of OPTIONS) {
    const raw = env[opt.env];
    if (raw !== undefined && raw !== '') set(opt, convert(opt, raw, opt.env));
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    const opt = m ? OPTIONS.find((o) => o.flag === m[1]) : undefined;
    if (!m || !opt) throw new ConfigError(`unknown argument ${JSON.stringify(arg)}`);
    let raw = m[2];
    if (raw === undefined && opt.kind === 'bool') raw = '1';
    if (raw === undefined) {
      raw = argv[++i];
      if (raw === undefined) throw new ConfigError(`--${opt.flag} needs a value`);
    }
    set(opt, convert(opt, raw, `--${opt.flag}`));
  }
  if ((config.tlsCert === undefined) !== (config.tlsKey === undefined)) {
    throw new ConfigError(`${config.tlsCert === undefined ? 'TLS_KEY / --tls-key' : 'TLS_CERT / --tls-cert'} is set without ${config.tlsCert === undefined ? 'TLS_CERT / --tls-cert' : 'TLS_KEY / --tls-key'}: give both, or neither`);
  }
  return config as unknown as RelayConfig;
}
