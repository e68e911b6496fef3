import type Database from 'better-sqlite3';
import { docs } from '@y/websocket-server/utils';
import { WebSocket, type WebSocketServer } from 'ws';
import type { Logger } from './log.ts';

/**
 * What one connection, one workspace and the whole process may cost the
 * relay (docs/RELAY.md "Budgets"). Two halves:
 *
 * - Send queues. @y/websocket-server answers every sync-step-1 frame with a
 *   full copy of the room and `ws.send`s it whether or not the peer reads, so
 *   a client that never reads makes the relay queue copies without end.
 *   guardSends() wraps each socket's `send`: a send that would take the
 *   socket's queue (`bufferedAmount`) past its limit closes the socket
 *   instead; a sweep closes sockets whose queue has not drained for
 *   DRAIN_TIMEOUT_MS and, when all queues together pass the process limit,
 *   the ones with the longest queues first.
 * - Workspace budgets. Open rooms, open sockets and bytes received per
 *   minute are counted per workspace, so one abused workspace runs out of
 *   its own budget and not of everyone's. On an `open` relay anyone can
 *   create a workspace (server/creation.ts), so workspaces first seen within
 *   NEW_WORKSPACE_MS share a smaller pool of rooms (maxNewRooms) and half
 *   of all sockets (maxSockets): invented workspaces cannot fill the rooms
 *   or connections of established ones. The relay's time is a budget too:
 *   the library applies an update synchronously, so a workspace's messages
 *   may take maxWorkspaceBusyMsPerMinute of it, and a new workspace's
 *   messages are smaller (maxNewWorkspaceMessageBytes).
 */

export const DRAIN_TIMEOUT_MS = 30_000;
export const SWEEP_MS = 1_000;
export const NEW_WORKSPACE_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60_000;

export interface QueueLimits {
  /** Most bytes queued for one socket; a send into a non-empty queue that would pass it closes the socket. */
  maxSocketQueuedBytes: number;
  /** Most bytes queued for all sockets together. */
  maxQueuedBytes: number;
}

export interface SendGuard {
  /** Wrap `ws.send`; call before the library sends anything. `label` names the socket in logs (its room). */
  guard(ws: WebSocket, label: string): void;
  /** Bytes queued for all sockets now. */
  queued(): number;
  stop(): void;
}

const byteLength = (data: unknown): number =>
  typeof data === 'string' ? Buffer.byteLength(data) : ArrayBuffer.isView(data) || data instanceof ArrayBuffer ? (data as ArrayBufferLike).byteLength : 0;

export function createSendGuard(wss: WebSocketServer, limits: QueueLimits, log: Logger): SendGuard {
  const labels = new WeakMap<WebSocket, string>();
  /** When each socket's queue last shrank or was empty. */
  const drained = new WeakMap<WebSocket, { at: number; queued: number }>();
  let total = 0;
  let sinceSweep = 0;

  const shed = (ws: WebSocket, reason: string) => {
    if (ws.readyState === WebSocket.CLOSED) return;
    log('warn', 'ws.shed', { room: labels.get(ws)?.slice(0, 100), reason, queued: ws.bufferedAmount });
    // terminate, not close: a close frame would queue behind what the peer does not read.
    ws.terminate();
  };

  const sweep = () => {
    const now = Date.now();
    const open: WebSocket[] = [];
    total = 0;
    sinceSweep = 0;
    for (const ws of wss.clients) {
      const queued = ws.bufferedAmount;
      const last = drained.get(ws);
      if (queued === 0 || !last || queued < last.queued) drained.set(ws, { at: now, queued });
      else if (now - last.at > DRAIN_TIMEOUT_MS) {
        shed(ws, `send queue did not drain for ${DRAIN_TIMEOUT_MS / 1000} s`);
        continue;
      } else last.queued = queued;
      total += queued;
      if (queued > 0) open.push(ws);
    }
    if (total <= limits.maxQueuedBytes) return;
    // Longest queues first, until the rest fit in three quarters of the limit.
    open.sort((a, b) => b.bufferedAmount - a.bufferedAmount);
    for (const ws of open) {
      if (total <= limits.maxQueuedBytes * 0.75) break;
      total -= ws.bufferedAmount;
      shed(ws, 'relay send queues over their limit');
    }
  };
  const timer = setInterval(sweep, SWEEP_MS);
  timer.unref();

  return {
    guard(ws, label) {
      labels.set(ws, label);
      const send = ws.send.bind(ws) as (data: unknown, options?: unknown, cb?: (err?: Error) => void) => void;
      ws.send = ((data: unknown, options?: unknown, cb?: (err?: Error) => void) => {
        const size = byteLength(data);
        const queued = ws.bufferedAmount;
        // An empty queue always takes one message, so a room bigger than the limit still reaches a reader.
        if (queued > 0 && queued + size > limits.maxSocketQueuedBytes) {
          shed(ws, 'send queue over its limit');
          if (typeof cb === 'function') cb(new Error('send queue over its limit'));
          return;
        }
        sinceSweep += size;
        if (total + sinceSweep > limits.maxQueuedBytes) sweep();
        if (ws.readyState === WebSocket.CLOSED) return typeof cb === 'function' ? cb(new Error('socket shed')) : undefined;
        send(data, options, cb);
      }) as WebSocket['send'];
    },
    queued: () => {
      let sum = 0;
      for (const ws of wss.clients) sum += ws.bufferedAmount;
      return sum;
    },
    stop: () => clearInterval(timer),
  };
}

export interface WorkspaceLimits {
  /** Rooms one workspace may have open at once. */
  maxWorkspaceRooms: number;
  /** Websockets one workspace may have open at once. */
  maxWorkspaceSockets: number;
  /** Bytes the relay takes from one workspace's websockets per minute. */
  maxWorkspaceBytesPerMinute: number;
  /** Rooms open at once, all workspaces together. */
  maxRooms: number;
  /** Rooms open at once for workspaces first seen in the last 24 hours. */
  maxNewRooms: number;
  /** Websockets open at once, all workspaces together; new workspaces share half. */
  maxSockets: number;
  /** Largest message of an established workspace / of one first seen in the last 24 hours. */
  maxMessageBytes: number;
  maxNewWorkspaceMessageBytes: number;
  /** Milliseconds of the relay's time one workspace's messages may take per minute (a new workspace: a quarter). */
  maxWorkspaceBusyMsPerMinute: number;
}

export interface WorkspaceBudgets {
  /** Null when `room` of `workspace` may be opened now, else why not. */
  admitRoom(workspace: string, room: string): string | null;
  /**
   * Whether one more socket of `workspace` may open; counted until the returned release runs.
   * `viaLink`: a socket opened with a room's public-link token (server/policy.ts). Those may use a tenth of the budget, so strangers
   * holding the link cannot lock the members out.
   */
  admitSocket(workspace: string, viaLink: boolean): { refused: string } | { release: () => void };
  /** Counts received bytes; false when the workspace (or its public link, a tenth) is over its per-minute budget. */
  take(workspace: string, bytes: number, viaLink: boolean): boolean;
  /** Largest message a socket of `workspace` may send: smaller for new workspaces, and for a public link (its room's `linkMaxBytes`). */
  maxMessageBytes(workspace: string, linkMaxBytes?: number): number;
  /**
   * Counts the relay's time spent on a message of `workspace` (its checks and the library's apply, which
   * runs synchronously and holds up everyone); false when the workspace is over its per-minute budget.
   */
  spend(workspace: string, ms: number): boolean;
  /** Operator counts (control socket). */
  stats(): { rooms: number; newRooms: number; workspaces: number; sockets: number };
}

interface Usage {
  rooms: Set<string>;
  sockets: number;
  linkSockets: number;
  windowStart: number;
  bytes: number;
  linkBytes: number;
  busyMs: number;
  isNew: boolean;
}

/** The share of a workspace's budgets that public-link sockets may use. */
const linkShare = (n: number) => Math.max(1, Math.floor(n / 10));

export function createWorkspaceBudgets(db: Database.Database, limits: WorkspaceLimits): WorkspaceBudgets {
  const createdAt = db.prepare<[string], { created_at: number }>('SELECT created_at FROM workspaces WHERE id = ?');
  const usage = new Map<string, Usage>();
  const use = (workspace: string): Usage => {
    let u = usage.get(workspace);
    if (!u) {
      const created = createdAt.get(workspace)?.created_at ?? Date.now();
      u = { rooms: new Set(), sockets: 0, linkSockets: 0, windowStart: Date.now(), bytes: 0, linkBytes: 0, busyMs: 0, isNew: Date.now() - created < NEW_WORKSPACE_MS };
      usage.set(workspace, u);
    }
    return u;
  };
  /** The library drops a room from `docs` when its last socket leaves; forget those. */
  const openRooms = (u: Usage) => {
    for (const room of u.rooms) if (!docs.has(room)) u.rooms.delete(room);
    return u.rooms.size;
  };
  const forget = (workspace: string, u: Usage) => {
    if (u.sockets > 0 || openRooms(u) > 0 || usage.get(workspace) !== u) return;
    // Kept until its minute is over: closing the last socket and reconnecting must not refill the budgets.
    const left = u.windowStart + MINUTE_MS - Date.now();
    if (left > 0 && (u.bytes > 0 || u.busyMs > 0)) setTimeout(() => forget(workspace, u), left).unref();
    else usage.delete(workspace);
  };
  /** The per-minute window of bytes and busy time. */
  const window = (u: Usage) => {
    const now = Date.now();
    if (now - u.windowStart >= MINUTE_MS) {
      u.windowStart = now;
      u.bytes = 0;
      u.linkBytes = 0;
      u.busyMs = 0;
    }
    return u;
  };
  let sockets = 0;
  let newSockets = 0;
  let newRooms = 0;
  const countNewRooms = () => {
    newRooms = 0;
    for (const u of usage.values()) if (u.isNew) newRooms += openRooms(u);
    return newRooms;
  };

  return {
    admitRoom(workspace, room) {
      if (docs.has(room)) return null;
      const u = use(workspace);
      if (openRooms(u) >= limits.maxWorkspaceRooms) return 'workspace has too many open rooms';
      if (docs.size >= limits.maxRooms) return 'too many open rooms';
      if (u.isNew && docs.size >= limits.maxNewRooms && countNewRooms() >= limits.maxNewRooms) return 'too many open rooms for new workspaces';
      u.rooms.add(room);
      return null;
    },
    admitSocket(workspace, viaLink) {
      const u = use(workspace);
      if (u.sockets >= limits.maxWorkspaceSockets) return { refused: 'workspace has too many open connections' };
      if (viaLink && u.linkSockets >= linkShare(limits.maxWorkspaceSockets)) return { refused: 'too many open connections from the public link' };
      if (sockets >= limits.maxSockets) return { refused: 'relay has too many open connections, try later' };
      // Like rooms: invented workspaces cannot take every socket from established ones.
      if (u.isNew && newSockets >= Math.ceil(limits.maxSockets / 2)) return { refused: 'too many open connections for new workspaces, try later' };
      u.sockets++;
      sockets++;
      if (u.isNew) newSockets++;
      if (viaLink) u.linkSockets++;
      let released = false;
      return {
        release: () => {
          if (released) return;
          released = true;
          u.sockets--;
          sockets--;
          if (u.isNew) newSockets--;
          if (viaLink) u.linkSockets--;
          // Rooms leave `docs` right after their last socket's close handlers; look again then.
          setImmediate(() => forget(workspace, u));
        },
      };
    },
    take(workspace, bytes, viaLink) {
      const u = window(use(workspace));
      u.bytes += bytes;
      if (viaLink) u.linkBytes += bytes;
      return u.bytes <= limits.maxWorkspaceBytesPerMinute && (!viaLink || u.linkBytes <= linkShare(limits.maxWorkspaceBytesPerMinute));
    },
    maxMessageBytes(workspace, linkMaxBytes) {
      if (linkMaxBytes !== undefined) return Math.min(limits.maxMessageBytes, linkMaxBytes);
      return use(workspace).isNew ? Math.min(limits.maxMessageBytes, limits.maxNewWorkspaceMessageBytes) : limits.maxMessageBytes;
    },
    spend(workspace, ms) {
      const u = window(use(workspace));
      u.busyMs += ms;
      // A new workspace (anyone can make one) gets a quarter: an honest one's first sync takes far less.
      return u.busyMs <= (u.isNew ? limits.maxWorkspaceBusyMsPerMinute / 4 : limits.maxWorkspaceBusyMsPerMinute);
    },
    stats() {
      return { rooms: docs.size, newRooms: countNewRooms(), workspaces: usage.size, sockets };
    },
  };
}
