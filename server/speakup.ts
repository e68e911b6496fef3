import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Database from 'better-sqlite3';
import type { Admission } from './admission.ts';
import { type Authorizer, createAuthorizer, verifierOf } from './auth.ts';
import { bearer, pathnameOf, readJsonObject, sendJson as send } from './http.ts';
import { log as defaultLog, type Logger } from './log.ts';
import { addedValues, type RoomPolicy } from './policy.ts';

/**
 * The speak-up room's public link (src/registers/speakup).
 *
 * An owner can publish a link that lets people outside the workspace report.
 * It carries its own credential (32 random bytes, base64url), separate from the
 * workspace credential. The relay keeps only SHA-256 of it, per workspace, set by
 *
 *   PUT    /speakup/<workspaceId>/verifier   {"verifier": "<64 hex>"}
 *   DELETE /speakup/<workspaceId>/verifier
 *
 * with `Authorization: Bearer <workspace relay credential>`; in a signed
 * (enrolled) workspace also the device proof of an owner's enrolled, not
 * removed device (header X-Muster-Proof, server/admission.ts proveRequest):
 * 401 `device proof required`, 403 for a refused proof or another role. The
 * public link's reporters never send a proof: they connect with the link token
 * only (speakupPolicy below). The link token
 * opens `<workspaceId>.speakup` and nothing else, and a connection that came in
 * with it may only ADD: new keys in `reports` and `messages`, never a deletion,
 * an overwrite, awareness, or anything in another map. Members may only add
 * too (speakupPolicy, the room's row of server/policy.ts).
 *
 * Logs carry the workspace id and what happened; never a token, an address or
 * a user agent.
 */

export const SPEAKUP_REGISTER = 'speakup';
/** Start of the refusal of a value over the size limit (the relay tells the client that one). */
const VALUE_TOO_LARGE = 'report or message larger than';
export const SPEAKUP_PATH = '/speakup/';
const WORKSPACE_ID = /^[A-Za-z0-9_-]{16,64}$/;
const HEX64 = /^[0-9a-f]{64}$/;
/** A verifier request is {"verifier": "<64 hex>"}: anything much longer is not one. */
const MAX_BODY = 1024;
/** The maps a public-link holder may add to; members may also publish the directory and closing days. */
const PUBLIC_MAPS = new Set(['reports', 'messages']);
const MEMBER_MAPS = new Set(['reports', 'messages', 'directory', 'closed']);

export interface SpeakupGate {
  /** True when `token` is the current public-link credential of the workspace. */
  isLinkToken(workspaceId: string, token: string | null | undefined): boolean;
  /** Answers /speakup/… requests; false when the request is not one. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

export function createSpeakupGate(db: Database.Database, opts: { log?: Logger; authorizer?: Authorizer; admission?: Pick<Admission, 'proveRequest'> } = {}): SpeakupGate {
  const log = opts.log ?? defaultLog;
  const authorizer = opts.authorizer ?? createAuthorizer(db);
  const lookup = db.prepare<[string], { verifier: string }>('SELECT verifier FROM speakup_links WHERE workspace = ?');
  const upsert = db.prepare<[string, string]>('INSERT INTO speakup_links (workspace, verifier) VALUES (?, ?) ON CONFLICT(workspace) DO UPDATE SET verifier = excluded.verifier');
  const remove = db.prepare<[string]>('DELETE FROM speakup_links WHERE workspace = ?');

  return {
    isLinkToken(workspaceId, token) {
      if (!token) return false;
      const v = verifierOf(token);
      const stored = v ? lookup.get(workspaceId) : undefined;
      return !!v && !!stored && sameHex(stored.verifier, v);
    },

    handle(req, res) {
      const pathname = pathnameOf(req);
      if (!pathname.startsWith(SPEAKUP_PATH)) return false;
      const parts = pathname.slice(SPEAKUP_PATH.length).split('/');
      const [workspace, what] = parts;
      if (parts.length !== 2 || !workspace || !WORKSPACE_ID.test(workspace) || what !== 'verifier') {
        send(res, 404, { error: 'The address is /speakup/<workspace id>/verifier.' });
        return true;
      }
      if (req.method !== 'PUT' && req.method !== 'DELETE') {
        send(res, 405, { error: 'Use PUT or DELETE.' });
        return true;
      }
      const auth = authorizer.authorize(workspace, bearer(req));
      if (!auth.ok) {
        const status = auth.unknown ? 404 : 401;
        log('warn', 'speakup.refused', { workspace, status, reason: auth.reason });
        req.resume();
        send(res, status, { error: auth.unknown ? 'This relay does not hold this workspace.' : `Not allowed: ${auth.reason}.` });
        return true;
      }
      const change = () => {
        if (req.method === 'DELETE') {
          req.resume();
          remove.run(workspace);
          log('info', 'speakup.link-off', { workspace });
          return send(res, 204);
        }
        readJsonObject(req, MAX_BODY, (body) => {
          const verifier = typeof body === 'string' ? undefined : body['verifier'];
          if (typeof verifier !== 'string' || !HEX64.test(verifier)) return send(res, 400, { error: 'Send {"verifier": "<SHA-256 of the link token, 64 lower-case hex digits>"}.' });
          upsert.run(workspace, verifier);
          log('info', 'speakup.link-on', { workspace });
          send(res, 204);
        });
      };
      if (!opts.admission) {
        change();
        return true;
      }
      // An owner's device, per the signed log: the app lets only owners change the link (model.ts canManage).
      opts.admission.proveRequest(workspace, req, { owner: true }).then(
        (proved) => {
          if (proved.ok) return change();
          log('warn', 'speakup.refused', { workspace, status: proved.status, reason: proved.reason });
          req.resume();
          send(res, proved.status, { error: proved.reason });
        },
        (err: unknown) => {
          log('error', 'speakup.failed', { workspace, error: String(err) });
          req.resume();
          if (!res.headersSent) send(res, 503, { error: 'The relay could not check the device proof. Try again later.' });
        },
      );
      return true;
    },
  };
}

/**
 * How much public-link connections may add to each speak-up room: at most
 * `perHour` values and `bytesPerHour` bytes of updates in any hour (what the
 * room then keeps for ever: nothing in it is ever deleted). Beyond that the
 * connection is closed with a "later" code; the reporter's app keeps the
 * sealed report in its outbox and sends it on a later try. Members
 * (workspace credential) are not limited. Kept in memory: a restart gives
 * every room a fresh hour.
 */
export function createLinkBudget(perHour: number, bytesPerHour: number, now: () => number = Date.now) {
  const HOUR = 3_600_000;
  const spent = new Map<string, Array<{ at: number; count: number; bytes: number }>>();
  return {
    /** Takes `count` values of `bytes` together from the room's hour; false (nothing taken) when that would exceed it. */
    take(room: string, count: number, bytes: number): boolean {
      // Reading (a sync step 1) and awareness add nothing: never refused.
      if (count === 0) return true;
      const t = now();
      const recent = (spent.get(room) ?? []).filter((e) => e.at > t - HOUR);
      spent.set(room, recent);
      const sum = recent.reduce((acc, e) => ({ count: acc.count + e.count, bytes: acc.bytes + e.bytes }), { count: 0, bytes: 0 });
      if (sum.count + count > perHour || sum.bytes + bytes > bytesPerHour) return false;
      recent.push({ at: t, count, bytes });
      return true;
    },
  };
}

/**
 * The speak-up room's row of the policy table (server/policy.ts). Every value in the room is written
 * once under a fresh key and never replaced, so the relay enforces that for every connection: an
 * update may only ADD new JSON values under new keys, whoever sends it. Nobody, member or not, can
 * erase or alter a report that reached the relay.
 *
 * Members (workspace credential) may add to `reports`, `messages`, `directory` and `closed`, and
 * send awareness (their provider does). A public-link connection may only read (sync step 1) and add
 * to `reports` and `messages`: no awareness, no directory (it cannot publish other keys), within the
 * link budget. No value may be larger than `maxValueBytes` of JSON, whoever adds it (the app keeps a
 * report's description under 10,000 characters, sealed well under 64 KiB); a link message carries one
 * value, so it may be at most twice that.
 */
export function speakupPolicy(gate: Pick<SpeakupGate, 'isLinkToken'>, limits: { maxValueBytes: number; linkPerHour: number; linkBytesPerHour: number }): RoomPolicy {
  const budget = createLinkBudget(limits.linkPerHour, limits.linkBytesPerHour);
  return {
    open: {
      who: 'members-or-link',
      isLinkToken: (workspaceId, token) => gate.isLinkToken(workspaceId, token),
      link: {
        maxMessageBytes: 2 * limits.maxValueBytes,
        take: (room, frame) => budget.take(room, addedValues(frame), frame.byteLength),
        overBudget: 'too many reports from the public link, try later',
      },
    },
    write: { rule: 'add-only', room: 'the speak-up room', memberMaps: MEMBER_MAPS, linkMaps: PUBLIC_MAPS, maxValueBytes: limits.maxValueBytes, valueTooLarge: VALUE_TOO_LARGE },
  };
}
