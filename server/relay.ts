import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { docs, setPersistence, setupWSConnection, type WSSharedDoc } from '@y/websocket-server/utils';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import * as Y from 'yjs';
import { messageYjsUpdate } from 'y-protocols/sync';
import { messageAwareness, messageSync } from 'y-websocket';
import { frameForViewer, frameFromViewer } from './audience.ts';
import { type Admitted, createAdmission, MEMBERS_REGISTER } from './admission.ts';
import { createAuthorizer } from './auth.ts';
import { createBlobHandler } from './blobs.ts';
import { createCreation } from './creation.ts';
import { createSendGuard, createWorkspaceBudgets } from './budgets.ts';
import { type RelayConfig, resolveConfig } from './config.ts';
import { startControlServer } from './control.ts';
import { createAwarenessLimiter, dropPending, MAX_PENDING_FRAMES, syncStep1 } from './fairness.ts';
import { frameProblem } from './frames.ts';
import { createFrameScheduler } from './scheduler.ts';
import { headerLines, HOST, securityHeaders } from './headers.ts';
import { pathnameOf } from './http.ts';
import { log as defaultLog, type Logger } from './log.ts';
import { MUX_PATH, serveMux } from './mux.ts';
import { openStore } from './persistence.ts';
import { createStaticHandler } from './static.ts';
import { createPolicyTable, linkOpening, roomRefusal, type Writer, writeRefusal } from './policy.ts';
import { roomAccessRows } from './room-access.ts';
import { createSpeakupGate, SPEAKUP_REGISTER, speakupPolicy } from './speakup.ts';
import { createRotationHandler, originAllowed } from './rotation.ts';
import { CLOSE_DEVICE, CLOSE_ROOM, CLOSE_VIEW } from '../src/sync/admit.ts';
import { decodeProof } from '../src/sync/admit-proof.ts';
import { loadTls, SILENT_CONNECTION_MS, tlsFront } from './tls.ts';

/**
 * The relay: one HTTP server that serves the PWA, answers /healthz and speaks
 * the y-websocket protocol on /sync/<workspaceId>.<register>. The protocol
 * itself is @y/websocket-server's; this file only decides who may connect,
 * which frames reach the library, and how the process stops.
 */

export const SYNC_PATH = '/sync/';
export const ROOM_NAME = /^([A-Za-z0-9_-]{16,64})\.([a-z][a-z0-9-]{0,31})$/;

/** Close codes. 44xx are final for the y-websocket client (it stops reconnecting), 45xx mean "later". */
export const CLOSE = {
  goingAway: 1001,
  unsupportedData: 1003,
  internalError: 1011,
  badRequest: 4400,
  badCredentials: 4401,
  tooLarge: 4413,
  busy: 4503,
} as const;

export interface RelayOptions extends Partial<RelayConfig> {
  log?: Logger;
  /** Storage stopped accepting writes. Default: log and close the relay. */
  onFatal?: (err: unknown) => void;
}

export interface Relay {
  port: number;
  host: string;
  /** e.g. http://127.0.0.1:8787, or https://… under TLS */
  url: string;
  /**
   * Reads TLS_CERT / TLS_KEY again: new connections get the new certificate,
   * open ones (websockets included) keep theirs. Throws a TlsError and keeps
   * the old certificate when a file is bad; false when the relay has no TLS.
   */
  reloadTls(): boolean;
  /** Stop accepting, close websockets (1001), compact open rooms, close the DB. Idempotent. */
  close(): Promise<void>;
}

/** Each busy workspace's turn at the relay's time, and how much one socket may have waiting for its turns. */
const SLICE_MS = 5;
const SOCKET_WAITING_BYTES = 1024 * 1024;
/**
 * What a frame or a room opening costs the processing budget: the process's CPU time for it (not wall
 * time, which a busy machine inflates) beyond its first 2 ms. Short work is kept fair by the scheduler;
 * the budget is for the long synchronous stretches that hold everyone up.
 */
const FREE_CPU_MS = 2;
const cpuMsSince = (start: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(start);
  return Math.max(0, (d.user + d.system) / 1000 - FREE_CPU_MS);
};

// @y/websocket-server keeps its documents and persistence in module state.
let running = false;

export async function startRelay(options: RelayOptions = {}): Promise<Relay> {
  if (running) throw new Error('a relay is already running in this process (@y/websocket-server state is global)');
  const log = options.log ?? defaultLog;
  const config = resolveConfig(options);
  // Before anything is opened: a bad certificate or key stops the start with a TlsError naming the file.
  const tlsFiles = config.tlsCert && config.tlsKey ? { cert: config.tlsCert, key: config.tlsKey } : undefined;
  const tlsMaterial = tlsFiles ? loadTls(tlsFiles.cert, tlsFiles.key) : undefined;
  // The role table (server/room-access.json, issue 18), before anything is opened too: a malformed one stops the start.
  const accessRows = roomAccessRows();

  let relay: Relay | undefined;
  const onFatal =
    options.onFatal ??
    ((err: unknown) => {
      log('error', 'storage.fatal', { error: String(err) });
      void relay?.close();
    });
  const store = openStore(
    config.dataDir,
    (err, room) => {
      log('error', 'storage.write-failed', { room, error: String(err) });
      onFatal(err);
    },
    { acceptEmptyStore: options.acceptEmptyStore, acceptRestoredStore: options.acceptRestoredStore, log },
  );
  running = true;
  setPersistence(store.persistence);
  const authorizer = createAuthorizer(store.db, store.marker, log);
  // Enrolled workspaces admit proven devices only (server/admission.ts); the members room is read on demand.
  const admission = createAdmission({
    enforce: config.enforceDeviceAdmission === true,
    allowedOrigins: config.allowedOrigins,
    marker: store.marker,
    db: store.db,
    authorizer,
    log,
    // The role table's `read` (issue 18): a proven device opens only the rooms its role may read.
    mayRead: (room, role) => {
      const name = ROOM_NAME.exec(room);
      return !name || roomRefusal(policies.of(name[2] ?? ''), role) === null;
    },
    // The open room's doc when someone has it; else a private copy from storage (kept out of the library's docs,
    // which count as open rooms), whose writes are stored like any room's.
    openDoc: (room) => {
      const live = docs.get(room);
      if (live) return live;
      const doc = new Y.Doc();
      store.persistence.bindState(room, doc as WSSharedDoc);
      return doc;
    },
  });
  const serveStatic = createStaticHandler(config.staticDir);
  const handleBlobs = createBlobHandler(store.db, { maxBytes: config.maxBlobBytes, maxWorkspaceBytes: config.maxWorkspaceBlobBytes, maxTotalBytes: config.maxTotalBlobBytes, log, authorizer, admission, uploadDir: path.join(config.dataDir, 'uploads') });
  const speakup = createSpeakupGate(store.db, { log, authorizer, admission });
  // Who may open each register's rooms and what they may write (server/policy.ts); the default for every register without a row.
  // The role table's rows, and speak-up's own (it is not in the role table). `mayRead` above reads it once the relay serves.
  const policies = createPolicyTable({
    ...accessRows,
    [SPEAKUP_REGISTER]: speakupPolicy(speakup, { maxValueBytes: config.speakupMaxValueBytes, linkPerHour: config.speakupLinkPerHour, linkBytesPerHour: config.speakupLinkBytesPerHour }),
  });
  // POST /auth/<ws>/rotate, GET /auth/<ws>/envelope/<device> (server/rotation.ts).
  const handleRotation = createRotationHandler({ authorizer, log, allowedOrigins: config.allowedOrigins, admission });
  // POST /auth/<ws>/create and /creation-invite: the only way a workspace comes to exist (server/creation.ts).
  const creation = createCreation({ db: store.db, authorizer, policy: config.workspaceCreation!, tokens: config.creationTokens ?? [], maxWorkspaces: config.maxWorkspaces, inviteSeconds: config.creationInviteSeconds, allowedOrigins: config.allowedOrigins, log,
    genesis: { check: admission.checkGenesis, seed: admission.seed } });
  let closing = false;

  type Route = (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
  const healthz: Route = (req, res) => {
    if (pathnameOf(req) !== '/healthz') return false;
    // Counts are for the operator (control socket, server/control.ts), not for anyone who can reach the port.
    res.writeHead(closing ? 503 : 200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify({ ok: !closing }));
    return true;
  };
  const upgradeRequired: Route = (req, res) => {
    const pathname = pathnameOf(req);
    if (pathname !== '/sync' && pathname !== MUX_PATH && !pathname.startsWith(SYNC_PATH)) return false;
    res.writeHead(426, { 'Content-Type': 'text/plain; charset=utf-8', Upgrade: 'websocket' });
    res.end('WebSocket upgrade required');
    return true;
  };
  // Each route answers the requests it owns and says so; what none owns is a file of the PWA.
  const routes: Route[] = [healthz, upgradeRequired, handleBlobs, speakup.handle, creation.handle, admission.handle, handleRotation];

  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    // Every answer carries them; a handler may tighten one (blobs send their own CSP).
    for (const [name, value] of Object.entries(securityHeaders(req, tlsMaterial !== undefined))) res.setHeader(name, value);
    if (routes.some((route) => route(req, res))) return;
    serveStatic(req, res).catch((err: unknown) => {
      log('error', 'http.error', { path: pathnameOf(req), error: String(err) });
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  };
  const server = tlsMaterial ? https.createServer({ cert: tlsMaterial.cert, key: tlsMaterial.key }, onRequest) : http.createServer(onRequest);
  // Under TLS the port is a front that sends plain-HTTP visitors to https:// (server/tls.ts).
  const front = tlsMaterial
    ? tlsFront(server, (req, res) => {
        const host = req.headers.host;
        const ok = host !== undefined && HOST.test(host);
        res.writeHead(ok ? 308 : 400, { ...securityHeaders(req, false), ...(ok ? { Location: `https://${host}${req.url ?? '/'}` } : {}), 'Content-Length': 0, Connection: 'close' });
        res.end();
      })
    : undefined;
  const listener = front ?? server;
  // A TCP connection that never sends a byte would stay open for ever (Node's request timeouts start with the
  // first byte). Any silence that long ends it; websockets clear it (ws does on upgrade) and rely on pings.
  // Under TLS the front does this before the handshake.
  if (!front) server.on('connection', (socket: Socket) => socket.setTimeout(SILENT_CONNECTION_MS, () => socket.destroy()));

  // maxPayload: ws closes a connection that sends a bigger message (1009) before buffering it.
  // autoPong false: a sync socket's pings are answered in its workspace's turn, after the frames before them
  // (see accept), so a pong still means "everything sent before the ping was handled".
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxMessageBytes, autoPong: false });
  // Workspaces take turns at the relay's time (server/scheduler.ts).
  const scheduler = createFrameScheduler({ sliceMs: SLICE_MS, maxSocketQueuedBytes: SOCKET_WAITING_BYTES, onError: (err) => log('error', 'ws.frame-failed', { error: String(err) }) });
  // Send queues per socket and per process; rooms, sockets and bytes per workspace (server/budgets.ts).
  const sendGuard = createSendGuard(wss, config, log);
  const budgets = createWorkspaceBudgets(store.db, config);

  /** The connection whose frame the library is processing; see onDocError. */
  let current: WebSocket | null = null;
  const guarded = new WeakSet<WSSharedDoc>();
  const roomOf = new WeakMap<WebSocket, string>();
  const unavailable = new Set<string>();

  const refuse = (ws: WebSocket, code: number, reason: string, room: string, detail?: string) => {
    log('warn', 'ws.refused', { room: room.slice(0, 100), code, reason, detail });
    ws.close(code, reason);
  };

  // Safety net behind frameProblem(): the library catches what its handlers throw
  // (e.g. a bad awareness update) and only emits 'error' on the doc. It runs
  // synchronously inside the gate below, so `current` is the sender.
  const onDocError = (err: unknown) => {
    const ws = current;
    if (ws && ws.readyState === WebSocket.OPEN) {
      refuse(ws, CLOSE.badRequest, 'malformed message', roomOf.get(ws) ?? '?', String(err));
    }
  };

  /** `proven`: the device proofs of this connection's upgrade, per workspace (checked before it, in the upgrade handler). */
  const accept = (ws: WebSocket, req: http.IncomingMessage, room: string, token: string | null, proven?: ReadonlyMap<string, Admitted>) => {
    ws.on('error', (err) => log('warn', 'ws.error', { room: room.slice(0, 100), error: err.message }));
    if (closing) return ws.close(CLOSE.goingAway, 'relay shutting down');
    const name = ROOM_NAME.exec(room);
    if (!name) return refuse(ws, CLOSE.badRequest, 'bad room name', room);
    // Authorised before the library sees the connection: a refused client never gets a byte of the room.
    // A register's row may let its public-link token open the room, and nothing else (server/policy.ts).
    const [, workspace = '', register = ''] = name;
    const policy = policies.of(register);
    const link = linkOpening(policy, workspace, token);
    const viaLink = link !== null;
    const auth = viaLink ? ({ ok: true } as const) : authorizer.authorize(workspace, token);
    /** The proven device behind this connection, for the role rules; null: legacy, secret only, or a link. */
    let writer: Writer | null = null;
    if (!auth.ok) return refuse(ws, auth.code, auth.reason, room);
    // A rotation (server/auth.ts) closes every connection that came in with the old credential.
    if (!viaLink) ws.once('close', authorizer.track(workspace, () => refuse(ws, CLOSE.badCredentials, 'credentials rotated', room)));
    if (!viaLink) {
      // An enrolled workspace also wants a device proof; a removal closes the device's connections at once.
      const proof = proven?.get(workspace);
      // A recovering workspace (its pin outlived its log, server/admission.ts) lets its members room take the log back.
      const recovery = register === MEMBERS_REGISTER && admission.recovering(workspace);
      if (proof && !proof.ok && !recovery) return refuse(ws, CLOSE_DEVICE, proof.reason, room);
      const device = proof?.ok ? proof.device : null;
      const why = admission.refusal(workspace, device, room);
      if (why !== null) return refuse(ws, CLOSE_DEVICE, why, room);
      // The device's role may not read this register (issue 18): refused before a byte of the room is sent.
      const closedToRole = admission.roomRefusal(workspace, device, room);
      if (closedToRole !== null) return refuse(ws, CLOSE_ROOM, closedToRole, room);
      // A lowered role closes only the rooms it may no longer read (4404); a removal closes them all (4403).
      // A room with an audience (server/audience.ts): a change of what the device may receive there closes it (CLOSE_VIEW).
      const filtered = policy.access?.audience !== undefined;
      ws.once('close', admission.track(workspace, device, (reason, kind) => refuse(ws, kind === 'room' ? CLOSE_ROOM : kind === 'view' ? CLOSE_VIEW : CLOSE_DEVICE, reason, room), room, filtered));
      // Proven: the role rules of server/policy.ts judge what it writes, from the log as it is at each frame.
      if (device !== null) writer = { device, get role() { return admission.role(workspace, device); }, deviceOfKey: (keyId) => admission.deviceOfKey(workspace, keyId) };
      // Not read yet (a mux channel of a workspace its socket proved nothing for): read it; enforce() closes if need be.
      if (!admission.enrolled(workspace)) void admission.state(workspace);
    }
    if (unavailable.has(room)) return refuse(ws, CLOSE.internalError, 'room unavailable', room);
    const socketBudget = budgets.admitSocket(workspace, viaLink);
    if ('refused' in socketBudget) return refuse(ws, CLOSE.busy, socketBudget.refused, room);
    ws.once('close', socketBudget.release);
    const roomRefused = budgets.admitRoom(workspace, room);
    if (roomRefused !== null) return refuse(ws, CLOSE.busy, roomRefused, room);
    sendGuard.guard(ws, room);
    // A room with a person audience: a member of staff's device receives its own person's records, and of a
    // colleague's only GC structs (server/audience.ts). Decided per frame, from the log as it is then.
    const audience = policy.access?.audience;
    if (writer !== null && audience !== undefined) {
      const proven = writer.device;
      const send = ws.send.bind(ws) as (data: unknown, ...rest: unknown[]) => void;
      (ws as { send: unknown }).send = (data: unknown, ...rest: unknown[]) => {
        const viewer = admission.viewer(workspace, proven);
        const doc = docs.get(room);
        if (viewer === null || !doc || !(data instanceof Uint8Array)) return send(data, ...rest);
        send(frameForViewer(doc, data, viewer, audience), ...rest);
      };
    }
    // Opening a room that is not in memory replays its stored rows: relay time like a frame's (server/budgets.ts).
    if (!budgets.spend(workspace, 0)) return refuse(ws, CLOSE.busy, 'workspace over its processing budget, try later', room);
    const opening = process.cpuUsage();
    try {
      setupWSConnection(ws, req, { docName: room });
      budgets.spend(workspace, cpuMsSince(opening));
    } catch (err) {
      // e.g. a stored update of this room fails its checksum: refuse the room, never serve part of it.
      // Remembered until restart: retrying would only leak a half-built doc per attempt.
      unavailable.add(room);
      log('error', 'room.load-failed', { room, error: String(err) });
      return ws.close(CLOSE.internalError, 'room unavailable');
    }
    roomOf.set(ws, room);
    const doc = docs.get(room);
    if (doc && register === MEMBERS_REGISTER) admission.watch(workspace, doc);
    if (doc && !guarded.has(doc)) {
      guarded.add(doc);
      (doc as unknown as { on(name: 'error', f: (err: unknown) => void): void }).on('error', onDocError);
    }

    // Put a gate in front of the library's message listener so that only
    // well-formed binary frames from open connections reach it.
    const libraryListeners = ws.listeners('message') as Array<(data: RawData, isBinary: boolean) => void>;
    ws.removeAllListeners('message');
    const awarenessLimit = createAwarenessLimiter(config);
    const maxBytes = budgets.maxMessageBytes(workspace, link?.maxMessageBytes);
    let pendingFrames = 0;
    // Cheap checks when a frame arrives; the rest, and the library, in the workspace's turn.
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (ws.readyState !== WebSocket.OPEN) return;
      if (!isBinary) return refuse(ws, CLOSE.unsupportedData, 'text frames are not supported', room);
      const bytes = (data as ArrayBuffer).byteLength;
      if (bytes > maxBytes) return refuse(ws, CLOSE.tooLarge, `message larger than ${maxBytes} bytes`, room);
      if (!budgets.take(workspace, bytes, viaLink)) return refuse(ws, CLOSE.busy, 'workspace over its bytes-per-minute budget, try later', room);
      scheduler.enqueue(workspace, ws, bytes, () => handle(data));
    });
    ws.on('ping', (data: Buffer) => scheduler.enqueue(workspace, ws, 0, () => ws.readyState === WebSocket.OPEN && ws.pong(data)));
    const handle = (data: RawData) => {
      if (ws.readyState !== WebSocket.OPEN) return;
      if (!budgets.spend(workspace, 0)) return refuse(ws, CLOSE.busy, 'workspace over its processing budget, try later', room);
      const started = process.cpuUsage();
      // setupWSConnection set binaryType 'arraybuffer'.
      const received = new Uint8Array(data as ArrayBuffer);
      const problem = frameProblem(received);
      if (problem !== null) return refuse(ws, CLOSE.badRequest, 'malformed message', room, problem);
      // Awareness (presence) is broadcast to every socket of the room: its rate and size are bounded per socket.
      const doc = docs.get(room)!;
      const awareness = received[0] === messageAwareness ? awarenessLimit(received, doc.awareness) : null;
      if (awareness !== null) return refuse(ws, awareness.code === 'tooLarge' ? CLOSE.tooLarge : CLOSE.busy, awareness.reason, room);
      // A filtered device's step 2 deletes, by Yjs's reading, every colleague's item it holds as GC: not its to delete.
      const viewer = audience !== undefined && writer !== null ? admission.viewer(workspace, writer.device) : null;
      const frame = viewer === null ? received : frameFromViewer(doc, received, viewer, audience);
      // The register's write rule, e.g. add-only: no connection may delete or replace what is in the room (server/policy.ts).
      const refusal = writeRefusal(policy, doc, frame, viaLink, writer);
      if (refusal !== null) return refuse(ws, CLOSE.badRequest, refusal.reason, room, refusal.detail);
      if (link && !link.take(room, frame)) return refuse(ws, CLOSE.busy, link.overBudget, room);
      // Pending data in the room before this frame did not come from this socket (e.g. stored rows): drop it silently.
      if (dropPending(doc)) log('warn', 'room.pending-dropped', { room });
      current = ws;
      try {
        const delivered = frame === received ? data : (frame.slice().buffer as ArrayBuffer);
        for (const listener of libraryListeners) listener.call(ws, delivered, true);
      } finally {
        current = null;
      }
      // Parts of an update whose dependencies the room lacks never stay in it (server/fairness.ts).
      const leftPending = dropPending(doc);
      const withinBudget = budgets.spend(workspace, cpuMsSince(started));
      if (ws.readyState !== WebSocket.OPEN) return;
      if (leftPending) {
        if (++pendingFrames > MAX_PENDING_FRAMES) return refuse(ws, CLOSE.busy, 'updates depend on data the relay does not have', room);
        // After an update (not a step 2, which already is everything the client had), ask for what the room lacks.
        if (frame[0] === messageSync && frame[1] === messageYjsUpdate) ws.send(syncStep1(doc));
      }
      if (!withinBudget) refuse(ws, CLOSE.busy, 'workspace over its processing budget, try later', room);
    };
    log('info', 'ws.open', { room });
    ws.on('close', (code) => log('info', 'ws.close', { room, code }));
  };

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const [pathname = '', query = ''] = (req.url ?? '').split('?', 2);
    const answer = (status: string) =>
      socket.end(`HTTP/1.1 ${status}\r\n${headerLines(securityHeaders(req, tlsMaterial !== undefined))}Connection: close\r\nContent-Length: 0\r\n\r\n`);
    // /mux carries every room of a device over one socket; each of its channels goes through accept() (server/mux.ts).
    const mux = pathname === MUX_PATH;
    if (closing || !(mux || pathname.startsWith(SYNC_PATH))) return void answer(closing ? '503 Service Unavailable' : '404 Not Found');
    if (!originAllowed(config.allowedOrigins, req.headers.origin, req.headers.host)) {
      log('warn', 'ws.refused', { room: mux ? 'mux' : pathname.slice(SYNC_PATH.length, SYNC_PATH.length + 100), code: 403, reason: 'origin not allowed' });
      return void answer('403 Forbidden');
    }
    const params = new URLSearchParams(query);
    const room = pathname.slice(SYNC_PATH.length);
    // Device proofs (`admit`, server/admission.ts) are checked before the upgrade: the checks are async and the
    // client sends its first frame as soon as it is open. Only for workspaces this relay holds (nothing is loaded for a stranger).
    const proofs = params.getAll('admit').slice(0, 8).map(decodeProof);
    const workspaces = new Set(mux ? proofs.map((p) => p?.workspace ?? '') : [ROOM_NAME.exec(room)?.[1] ?? '']);
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : '';
    void Promise.all(
      [...workspaces].filter((w) => w !== '' && authorizer.known(w)).map(async (w) => [w, await admission.prove(w, proofs.find((p) => p?.workspace === w) ?? undefined, origin)] as const),
    ).then(
      (checked) => {
        if (socket.destroyed) return;
        const proven = new Map(checked);
        // Refusals happen after the upgrade, so the browser sees the close code.
        wss.handleUpgrade(req, socket, head, (ws) => {
          if (mux) return serveMux(ws, req, { accept: (c, r, name, token) => accept(c, r, name, token, proven), guard: sendGuard.guard, log });
          accept(ws, req, room, params.get('auth'), proven);
        });
      },
      (err: unknown) => {
        log('error', 'admission.upgrade-failed', { error: String(err) });
        socket.destroy();
      },
    );
  });

  try {
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(config.port, config.host, () => {
        listener.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    setPersistence(null);
    store.close();
    running = false;
    throw err;
  }
  listener.on('error', (err) => log('error', 'http.server-error', { error: String(err) }));
  // DATA_DIR/control.sock: online backups for `npm run relay-backup` (server/control.ts). Serving goes on without it.
  const control = await startControlServer(config.dataDir, store.db, log, () => ({ ...budgets.stats(), queuedBytes: sendGuard.queued() }), {
    'creation-token': (r) => creation.mint(typeof r['hours'] === 'number' && r['hours'] > 0 ? r['hours'] : undefined),
  }).catch((err: unknown) => {
    log('warn', 'control.unavailable', { reason: String(err) });
    return null;
  });

  const address = listener.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closed: Promise<void> | undefined;

  const whenClosed = (ws: WebSocket) => new Promise<void>((resolve) => (ws.readyState === WebSocket.CLOSED ? resolve() : ws.once('close', () => resolve())));
  const within = (ms: number, p: Promise<unknown>) => Promise.race([p, new Promise((r) => setTimeout(r, ms).unref())]);

  relay = {
    port: address.port,
    host: address.address,
    url: `${tlsMaterial ? 'https' : 'http'}://${urlHost}:${address.port}`,
    reloadTls: () => {
      if (!tlsFiles) return false;
      const next = loadTls(tlsFiles.cert, tlsFiles.key);
      (server as https.Server).setSecureContext({ cert: next.cert, key: next.key });
      log('info', 'tls.reloaded', { subject: next.subject, validTo: next.validTo });
      return true;
    },
    close: () =>
      (closed ??= (async () => {
        closing = true;
        const httpClosed = new Promise<void>((resolve) => listener.close(() => resolve()));
        server.closeIdleConnections();
        const sockets = [...wss.clients];
        for (const ws of sockets) ws.close(CLOSE.goingAway, 'relay shutting down');
        // Each close runs the library's closeConn, which compacts a room when its last client leaves.
        await within(2000, Promise.all(sockets.map(whenClosed)));
        for (const ws of sockets) ws.terminate();
        await within(500, Promise.all(sockets.map(whenClosed)));
        for (const [room, doc] of docs) {
          store.compact(room);
          docs.delete(room);
          doc.destroy();
        }
        await control?.close();
        sendGuard.stop();
        setPersistence(null);
        store.close();
        wss.close();
        server.closeAllConnections();
        front?.destroyAll();
        await httpClosed;
        running = false;
        log('info', 'relay.closed');
      })()),
  };
  log('info', 'relay.started', { url: relay.url, pid: process.pid, dataDir: config.dataDir, staticDir: config.staticDir, workspaceCreation: config.workspaceCreation, ...(tlsMaterial ? { tlsSubject: tlsMaterial.subject, tlsValidTo: tlsMaterial.validTo } : {}) });
  return relay;
}
