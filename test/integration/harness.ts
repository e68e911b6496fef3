import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import WebSocket from 'ws';

/** Helpers shared by the relay integration tests and the relay benchmark. */

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface RelayProcess {
  child: ChildProcess;
  port: number;
  /** http://127.0.0.1:<port> (https:// when the relay runs with TLS_CERT / TLS_KEY) */
  url: string;
  /** ws://127.0.0.1:<port>/sync (wss://), the y-websocket serverUrl */
  syncUrl: string;
  /** The relay's --data-dir. */
  dataDir: string;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<ChildProcess>();
const tmpDirs = new Set<string>();

export function tmpDir(prefix = 'muster-relay-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tmpDirs.add(dir);
  return dir;
}

interface SpawnOptions {
  args?: string[];
  env?: NodeJS.ProcessEnv;
}

function start(script: string[], { args = [], env = {} }: SpawnOptions) {
  const child = spawn(process.execPath, [...script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

/** Spawns `node --import tsx server/main.ts --port 0 --host 127.0.0.1 ...` and waits for its listening line. */
export async function spawnRelay(opts: { dataDir: string; staticDir?: string; args?: string[]; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<RelayProcess> {
  const args = ['--port', '0', '--host', '127.0.0.1', '--data-dir', opts.dataDir, '--static-dir', opts.staticDir ?? path.join(opts.dataDir, 'no-static'), ...(opts.args ?? [])];
  const p = start(['--import', 'tsx', 'server/main.ts'], { args, ...(opts.env ? { env: opts.env } : {}) });
  let scheme = 'http';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay did not start in time\nstdout: ${p.stdout()}\nstderr: ${p.stderr()}`)), opts.timeoutMs ?? 15_000);
    const onData = () => {
      const m = /^Muster relay listening on (https?):\/\/127\.0\.0\.1:(\d+)$/m.exec(p.stdout());
      if (m) {
        clearTimeout(timer);
        p.child.stdout!.off('data', onData);
        scheme = m[1]!;
        resolve(Number(m[2]));
      }
    };
    p.child.stdout!.on('data', onData);
    void p.exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`relay exited (${code ?? signal}) before listening\nstderr: ${p.stderr()}`));
    });
  });
  return { ...p, port, dataDir: opts.dataDir, url: `${scheme}://127.0.0.1:${port}`, syncUrl: `${scheme === 'https' ? 'wss' : 'ws'}://127.0.0.1:${port}/sync` };
}

/** Runs the relay CLI expecting it to exit by itself (e.g. refusing to start). */
export async function runRelayToExit(args: string[], timeoutMs = 15_000) {
  const p = start(['--import', 'tsx', 'server/main.ts', ...args], {});
  const timer = setTimeout(() => p.child.kill('SIGKILL'), timeoutMs);
  const result = await p.exited;
  clearTimeout(timer);
  return { ...result, stdout: p.stdout(), stderr: p.stderr() };
}

/** Spawns any node script (the bare y-websocket server in the benchmark). */
export function spawnNode(script: string[], opts: SpawnOptions = {}) {
  return start(script, opts);
}

const providers = new Set<WebsocketProvider>();
const sockets = new Set<WebSocket>();

/** Kill every spawned process, drop clients and temp dirs. Call from afterEach. */
export async function cleanup(): Promise<void> {
  for (const p of providers) p.destroy();
  providers.clear();
  created.clear();
  for (const s of sockets) s.terminate();
  sockets.clear();
  await Promise.all(
    [...children].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
  for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
  tmpDirs.clear();
}

/** A fresh workspace: random id (like the app's randomId(16)) and a random 256-bit credential. */
export function newWorkspace(): { id: string; token: string } {
  return { id: randomBytes(16).toString('base64url'), token: randomBytes(32).toString('base64url') };
}

/** `ws`, trusting the given certificate authority (for a relay under TLS with our own CA). */
export const trustingWebSocket = (ca: Buffer) =>
  class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { ca });
    }
  };

/** Answer of POST /auth/<ws>/create. */
export interface CreateAnswer {
  status: number;
  body: { created?: boolean; error?: string; reason?: string; sameCredentials?: boolean };
}

/** POST /auth/<ws>/create, as the app's creator does (server/creation.ts). `base` is the relay's http(s) URL. */
export function createOnRelay(base: string, workspaceId: string, token: string | null, body: object = {}, ca?: Buffer): Promise<CreateAnswer> {
  const text = JSON.stringify(body);
  const url = new URL(`${base}/auth/${workspaceId}/create`);
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) };
  if (token !== null) headers['Authorization'] = `Bearer ${token}`;
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? https : http).request(url, { method: 'POST', headers, ...(ca ? { ca } : {}) }, (res) => {
      let answer = '';
      res.setEncoding('utf8').on('data', (d: string) => (answer += d));
      // Not JSON (a bare y-websocket server answers "okay" to anything): a rejection, not an exception in the event.
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: answer ? (JSON.parse(answer) as CreateAnswer['body']) : {} });
        } catch (err) {
          reject(err);
        }
      });
    });
    req.on('error', reject);
    req.end(text);
  });
}

/** A fresh workspace, created on the relay (open policy, or with `body`'s creationToken / invite). */
export async function createdWorkspace(relay: { url: string }, body: object = {}, ca?: Buffer): Promise<{ id: string; token: string }> {
  const ws = newWorkspace();
  const { status, body: answer } = await createOnRelay(relay.url, ws.id, ws.token, body, ca);
  if (status !== 201) throw new Error(`creating a workspace: ${status} ${JSON.stringify(answer)}`);
  return ws;
}

/** Workspaces connect() made already, so each is created once (cleared by cleanup()). */
const created = new Set<string>();

/**
 * A y-websocket client of one room. Like the app's creator, it first creates the workspace on the relay
 * (POST /auth/<ws>/create; a 409 when it exists already is fine) unless `create: false` or `token` is null:
 * the relay makes a workspace only on that explicit request, never on a connection.
 */
export function connect(syncUrl: string, room: string, doc: Y.Doc, token: string | null, extra: { maxBackoffTime?: number; ca?: Buffer; create?: boolean } = {}): WebsocketProvider {
  const provider = new WebsocketProvider(syncUrl, room, doc, {
    WebSocketPolyfill: (extra.ca ? trustingWebSocket(extra.ca) : WebSocket) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: token === null ? {} : { auth: token },
    maxBackoffTime: extra.maxBackoffTime ?? 500,
    connect: false,
  });
  providers.add(provider);
  const base = syncUrl.replace(/^ws/, 'http').replace(/\/sync$/, '');
  const workspaceId = room.split('.', 1)[0]!;
  const key = `${base} ${workspaceId}`;
  if (token === null || extra.create === false || created.has(key)) provider.connect();
  else {
    void createOnRelay(base, workspaceId, token, {}, extra.ca)
      .then(({ status }) => status === 201 && created.add(key), () => {})
      .finally(() => providers.has(provider) && provider.connect());
  }
  return provider;
}

export function destroyProvider(provider: WebsocketProvider): void {
  provider.destroy();
  providers.delete(provider);
}

export async function waitFor(label: string, predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const waitSynced = (provider: WebsocketProvider, timeoutMs = 5_000) => waitFor(`${provider.roomname} synced`, () => provider.synced, timeoutMs);

/** A raw websocket to a room, to send what a real client never would and to read close codes. */
export function rawSocket(syncUrl: string, room: string, token: string | null): { ws: WebSocket; opened: Promise<void>; closed: Promise<{ code: number; reason: string }> } {
  const ws = new WebSocket(`${syncUrl}/${room}${token === null ? '' : `?auth=${token}`}`);
  sockets.add(ws);
  ws.on('error', () => {});
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('close', () => reject(new Error('closed before open')));
  });
  opened.catch(() => {});
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return { ws, opened, closed };
}

/** The peer stops reading what the relay sends (its TCP socket is paused); it can still send. */
export const stopReading = (ws: WebSocket) => (ws as unknown as { _socket: { pause(): void } })._socket.pause();

/** Resolves with the first value, or rejects after timeoutMs. */
export function within<T>(label: string, p: Promise<T>, timeoutMs = 5_000): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out: ${label}`)), timeoutMs))]);
}

export async function healthz(url: string): Promise<{ status: number; body: { ok: boolean } }> {
  const res = await fetch(`${url}/healthz`);
  return { status: res.status, body: (await res.json()) as { ok: boolean } };
}

export interface RelayStats {
  ok: true;
  rooms: number;
  newRooms: number;
  workspaces: number;
  sockets: number;
  queuedBytes: number;
}

/** The operator's counts, asked over DATA_DIR/control.sock (server/control.ts). */
export function relayStats(dataDir: string): Promise<RelayStats> {
  return new Promise((resolve, reject) => {
    const conn = net.connect(path.join(dataDir, 'control.sock'));
    let answer = '';
    conn.setEncoding('utf8');
    conn.on('data', (d: string) => (answer += d));
    conn.on('error', reject);
    conn.on('end', () => {
      try {
        resolve(JSON.parse(answer) as RelayStats);
      } catch (err) {
        reject(err);
      }
    });
    conn.write('{"op":"stats"}\n');
  });
}

/** The app's shape: register doc -> Y.Map 'records' -> Y.Map per record. */
export const records = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>('records');
