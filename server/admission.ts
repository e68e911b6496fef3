import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Database from 'better-sqlite3';
import type * as Y from 'yjs';
import { verifyMembership } from '../src/crypto/membership.ts';
import { verifyDigest } from '../src/crypto/signing.ts';
import { audienceName, audienceOf, type MembershipEntry, type MembershipLog, membershipId, parseMembershipEntry } from '../src/domain/membership.ts';
import { ADMIT_CONTEXT, type AdmitProof, admitDigest, decodeProof, PROOF_HEADER, PROOF_ORIGIN_HEADER } from '../src/sync/admit-proof.ts';
import type { AudienceViewer } from './audience.ts';
import { type Authorizer, STALE_CREDENTIALS } from './auth.ts';
import { bearer, pathnameOf, readJsonObject, sendJson } from './http.ts';
import type { Role } from '../src/domain/permissions.ts';
import type { Logger } from './log.ts';
import type { MarkerKeeper } from './marker.ts';
import { originAllowed } from './rotation.ts';

/**
 * Device admission (issue 17; docs/RELAY.md "Device admission"). A workspace
 * whose members room (`<ws>.members`, root map `membership`) holds a valid
 * genesis is *enrolled*: its root key id is pinned here (table admission_roots),
 * and from then on every connection must also prove possession of an
 * enrolled, not removed device key by signing a one-time nonce of this relay
 * (GET /auth/<ws>/challenge). Workspaces without a genesis keep secret-only
 * admission (legacy) until an owner's device writes one.
 *
 *   GET  /auth/<ws>/challenge   Bearer credential → 200 {nonce, expires, enrolled}. A *stale* credential (one a
 *        rotation replaced) gets a nonce too, good only for GET /auth/<ws>/envelope/<device> (the device asking
 *        for its new key holds the old one); those nonces have their own, smaller, budget.
 *   POST /auth/<ws>/enrol       Bearer credential, {"entry": <signed redeem|recover>}
 *        → 200 {enrolled: deviceId} (also when already in the log); 400 bad entry; 403 refused by the log
 *          or by this relay's clock (`the invite had expired`); 409 not enrolled
 *   POST /auth/<ws>/request     Bearer credential, {"device": {deviceId, signKey, alg, boxKey?}, "name"}: a device
 *        that opened the plain workspace link asks to be admitted → 202 {waiting} (kept in memory, 7 days, 32 per
 *        workspace); 200 {enrolled} when it already is; 403 removed; 409 not enrolled
 *   POST /auth/<ws>/requests    Bearer credential, {"proof": <admit proof of an owner's device>} → 200 {requests}
 *        (owners confirm them on Members with a signed grant); 403 not an owner's proven device
 *   GET  /auth/<ws>/recovery    Bearer credential → 200 {entries: <unspent signed recovery entries>, spent: n}: what a
 *        device outside the list needs to recover ownership with the code (it signs a `recover` on one, then enrols)
 *   POST /auth/<ws>/create may carry {"genesis": <signed genesis>} (server/creation.ts): the workspace is
 *        enrolled from its first second, so no secret holder can slip in a genesis of their own.
 */

export const MEMBERS_REGISTER = 'members';
export const membersRoom = (workspace: string) => `${workspace}.${MEMBERS_REGISTER}`;
/** A nonce is good for this long, once. */
export const CHALLENGE_MS = 60_000;
/** Outstanding nonces per workspace: a credential holder cannot fill the relay's memory. */
const MAX_CHALLENGES_PER_WORKSPACE = 256;
/** Outstanding nonces per workspace given to stale credentials (envelope fetches only): they cannot starve the others. */
const MAX_STALE_CHALLENGES_PER_WORKSPACE = 64;
const MAX_ENROL_BYTES = 16 * 1024;

export type Admitted = { ok: true; device: string | null } | { ok: false; reason: string };

/** What an HTTP route asks of the device proof it carries (Admission.proveRequest). */
export interface ProofNeed {
  /** The proof must be this device's (the envelope of `/auth/<ws>/envelope/<device>`). */
  device?: string;
  /** The proven device must be an owner's, per the log (rotation, the speak-up link's verifier). */
  owner?: boolean;
  /** A nonce handed to a stale credential is accepted (only the envelope fetch). */
  stale?: boolean;
}

/** An HTTP route's answer to a request's device proof: 401 when none came, 403 when it is refused. */
export type ProvedRequest = { ok: true; device: string | null } | { ok: false; status: 401 | 403; reason: string };

export interface Admission {
  /** True when the workspace's root is pinned: every connection must carry a device proof. */
  enrolled(workspace: string): boolean;
  /** Loads (and pins) the workspace's membership state; call before deciding on a connection. */
  state(workspace: string): Promise<MembershipLog | null>;
  /** Checks one proof (consuming its nonce). `device: null` when the workspace is legacy. */
  prove(workspace: string, proof: AdmitProof | undefined, origin: string): Promise<Admitted>;
  /**
   * The device proof of an HTTP request (header X-Muster-Proof, the same `<ws>.<device>.<nonce>.<signature>` as the
   * websocket's `admit`), checked by the same code as a connection's: required when the workspace is enrolled and
   * this relay enforces admission; `device: null` when none is required.
   */
  proveRequest(workspace: string, req: IncomingMessage, need?: ProofNeed): Promise<ProvedRequest>;
  /**
   * The reason this device may not connect now (to `room`), or null. Sync: uses the last computed state.
   * While the workspace is *recovering* (its root pinned, its log naming no device: the members room was lost
   * with a store the marker outlived), its members room alone takes the secret, so devices can sync the log back.
   */
  refusal(workspace: string, device: string | null, room?: string): string | null;
  /** True while the workspace is recovering (above). */
  recovering(workspace: string): boolean;
  /**
   * Why this proven device's role (in the log) may not read `room`, or null (also when admission does not apply:
   * legacy, secret only, not enforcing; or the device has no role, which refusal() answers). Sync, like refusal().
   */
  roomRefusal(workspace: string, device: string | null, room: string): string | null;
  /** The role of an active device in the workspace's last computed log, or null. Two map lookups: asked per frame. */
  role(workspace: string, device: string): Role | null;
  /** The active device a signing key id belongs to in the last computed log (its `byKey`), or null. */
  deviceOfKey(workspace: string, keyId: string): string | null;
  /**
   * Whose records an active device receives in a room with a person audience (server/audience.ts): null for all
   * (owners, managers, officers), else its person's (a member of staff; `person: null` when the log links it to none).
   */
  viewer(workspace: string, device: string): AudienceViewer | null;
  /**
   * Remembers an open connection of `device` (null: secret only) to `room`; returns the untrack function. After each
   * recompute, `close` is called for one that may no longer be open: `device` (refusal(): removed, …) or `room`
   * (roomRefusal(): its role may no longer read the room; the device's other rooms stay open). `filtered`: a room with
   * an audience (server/audience.ts): `view` when what the device may receive there changed since it opened (its
   * copy was filled for the other view, and the device must fetch it again: VIEW_CHANGED).
   */
  track(workspace: string, device: string | null, close: (reason: string, kind: 'device' | 'room' | 'view') => void, room?: string, filtered?: boolean): () => void;
  /** The members room's doc is open: recompute on each of its updates. */
  watch(workspace: string, doc: Y.Doc): void;
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** Why `genesis` cannot start this workspace's log (null: it can). For POST /auth/<ws>/create. */
  checkGenesis(workspace: string, genesis: unknown): Promise<string | null>;
  /** Writes a checked genesis into the members room and pins its root. */
  seed(workspace: string, genesis: unknown): Promise<void>;
}

export interface AdmissionOptions {
  db: Database.Database;
  authorizer: Authorizer;
  log: Logger;
  /** The members room's doc, loaded from storage when no one has it open (the library's getYDoc). */
  openDoc(room: string): Y.Doc;
  now?: () => number;
  /** False: enrolled workspaces still admit the secret alone (config `enforceDeviceAdmission`). */
  enforce?: boolean;
  /** ALLOWED_ORIGINS: which origin an HTTP request's proof may say it was signed on (X-Muster-Origin). */
  allowedOrigins?: readonly string[] | undefined;
  /**
   * DATA_DIR/muster.marker (server/marker.ts): each pin is recorded there too, and at start the marker's pins win
   * over the database's (a replaced or rolled-back database can neither un-pin nor re-pin a workspace's root).
   */
  marker?: Pick<MarkerKeeper, 'workspaces' | 'noteRoot'>;
  /** Whether a device of `role` may read `room` (server/policy.ts's table, issue 18). Default: every role reads every room. */
  mayRead?: (room: string, role: Role) => boolean;
}

/** Close reason (code CLOSE_VIEW, src/sync/room-sync.ts) when what a device may receive in a room with an audience changed. */
export const VIEW_CHANGED = 'what you may receive changed';

const ROUTE = /^\/auth\/([A-Za-z0-9_-]{16,64})\/(challenge|enrol|request|requests|recovery)$/;
/** Join requests kept per workspace (the oldest goes first), and for how long: a secret holder cannot fill the relay's memory. */
const MAX_REQUESTS_PER_WORKSPACE = 32;
export const REQUEST_MS = 7 * 86_400_000;
const DEVICE_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** A device that opened the plain workspace link asks to be admitted: its public keys and the name it signs with. */
export interface JoinRequest {
  device: { deviceId: string; signKey: string; alg: 'Ed25519' | 'ES256'; boxKey?: string };
  name: string;
  at: string;
}

/** The request in a body, or why it is refused. */
function parseJoinRequest(body: Record<string, unknown>, at: string): JoinRequest | string {
  const d = body['device'];
  if (!d || typeof d !== 'object') return 'the request names no device';
  const { deviceId, signKey, alg, boxKey } = d as Record<string, unknown>;
  if (typeof deviceId !== 'string' || !DEVICE_ID.test(deviceId)) return 'the device id is missing or malformed';
  if (typeof signKey !== 'string' || !signKey || signKey.length > 400) return 'the signing key is missing or malformed';
  if (alg !== 'Ed25519' && alg !== 'ES256') return 'the signing algorithm must be Ed25519 or ES256';
  if (boxKey !== undefined && (typeof boxKey !== 'string' || boxKey.length > 400)) return 'the encryption key is malformed';
  const name = typeof body['name'] === 'string' ? body['name'].trim() : '';
  if (!name || name.length > 120) return 'the name must be 1 to 120 characters';
  return { device: { deviceId, signKey, alg, ...(typeof boxKey === 'string' ? { boxKey } : {}) }, name, at };
}

export function createAdmission(opts: AdmissionOptions): Admission {
  const { db, log } = opts;
  const now = opts.now ?? Date.now;
  const getRoot = db.prepare<[string], { root: string }>('SELECT root FROM admission_roots WHERE workspace = ?');
  const pin = db.prepare<[string, string, number]>('INSERT OR IGNORE INTO admission_roots (workspace, root, pinned_at) VALUES (?, ?, ?)');
  const repin = db.prepare<[string, number, string]>('UPDATE admission_roots SET root = ?, pinned_at = ? WHERE workspace = ?');
  const allRoots = db.prepare<[], { workspace: string; root: string }>('SELECT workspace, root FROM admission_roots');
  const { marker } = opts;
  if (marker) {
    // The marker outlives the database: its pin is put back where the database lost it, or holds another.
    const restore = db.transaction(() => {
      for (const [workspace, recorded] of marker.workspaces()) {
        if (!recorded.root) continue;
        const had = getRoot.get(workspace)?.root;
        if (had === recorded.root) continue;
        if (had === undefined) pin.run(workspace, recorded.root, now());
        else repin.run(recorded.root, now(), workspace);
        log('warn', 'admission.restored-root', { workspace, storeRoot: had ?? 'none', root: recorded.root });
      }
    });
    restore();
    // Pins made before the marker kept them (or while its write failed) are recorded now.
    for (const r of allRoots.all()) if (marker.workspaces().get(r.workspace)?.root !== r.root) marker.noteRoot(r.workspace, r.root);
  }

  /** `stale`: handed to a stale credential, good for the envelope fetch only. */
  const nonces = new Map<string, { workspace: string; expires: number; used: boolean; stale: boolean }>();
  /** Outstanding nonces per workspace, and per workspace of stale credentials. */
  const perWorkspace = new Map<string, number>();
  const perWorkspaceStale = new Map<string, number>();
  const sweep = () => {
    const t = now();
    for (const [n, c] of nonces) {
      if (c.expires > t) continue;
      nonces.delete(n);
      const counts = c.stale ? perWorkspaceStale : perWorkspace;
      const left = (counts.get(c.workspace) ?? 1) - 1;
      if (left > 0) counts.set(c.workspace, left);
      else counts.delete(c.workspace);
    }
  };

  /** Last computed log per workspace, and the doc it was computed from. */
  // `log: null`: the room holds no entry (legacy). Every doc that can change is watched, so the cache stays right.
  const logs = new Map<string, { log: MembershipLog | null }>();
  const running = new Map<string, Promise<MembershipLog | null>>();
  const watched = new WeakSet<Y.Doc>();
  const open = new Map<string, Map<(reason: string, kind: 'device' | 'room' | 'view') => void, { device: string | null; room: string | undefined; view?: string }>>();

  /** Workspaces with a recompute waiting to start: a burst of updates costs one more recompute, not one each. */
  const queued = new Set<string>();
  const latest = new Map<string, Y.Doc>();
  const compute = (workspace: string, doc: Y.Doc): Promise<MembershipLog | null> => {
    latest.set(workspace, doc);
    const waiting = running.get(workspace);
    if (waiting && queued.has(workspace)) return waiting;
    queued.add(workspace);
    const prev = waiting ?? Promise.resolve(null);
    const next = prev.then(async () => {
      queued.delete(workspace);
      const root = getRoot.get(workspace)?.root;
      const entries = [...(latest.get(workspace) ?? doc).getMap('membership').values()];
      latest.delete(workspace);
      if (!root && entries.length === 0) {
        logs.set(workspace, { log: null });
        return null;
      }
      const started = process.hrtime.bigint();
      const result = await verifyMembership(entries, { workspace, ...(root ? { root } : {}) });
      if (!root && result.current.root && result.current.devices.size > 0) {
        pin.run(workspace, result.current.root, now());
        // On disk beside the database before any device is asked for a proof under this pin.
        marker?.noteRoot(workspace, result.current.root);
        log('info', 'admission.enrolled', { workspace, root: result.current.root });
      }
      logs.set(workspace, { log: result });
      log('info', 'admission.recomputed', { workspace, entries: entries.length, ms: Number(process.hrtime.bigint() - started) / 1e6 });
      enforce(workspace);
      return result;
    });
    const settled = next.catch((err: unknown) => {
      log('error', 'admission.failed', { workspace, error: String(err) });
      return null;
    });
    running.set(workspace, settled);
    void settled.then(() => running.get(workspace) === settled && running.delete(workspace));
    return settled;
  };

  const enforcing = opts.enforce !== false;
  const recovering: Admission['recovering'] = (workspace) => {
    if (!enforcing || !getRoot.get(workspace)) return false;
    const log = logs.get(workspace)?.log;
    return !!log && log.current.devices.size === 0;
  };
  const refusal: Admission['refusal'] = (workspace, device, room) => {
    if (!enforcing || !getRoot.get(workspace)) return null;
    const d = device === null ? undefined : logs.get(workspace)?.log?.current.devices.get(device);
    if (!d && room === membersRoom(workspace) && recovering(workspace)) return null;
    if (device === null) return 'device proof required';
    if (!d) return 'device not enrolled';
    return d.removed ? 'device removed' : null;
  };

  const role: Admission['role'] = (workspace, device) => {
    const d = logs.get(workspace)?.log?.current.devices.get(device);
    return d && !d.removed ? d.role : null;
  };
  const deviceOfKey: Admission['deviceOfKey'] = (workspace, keyId) => {
    const d = logs.get(workspace)?.log?.current.byKey.get(keyId);
    return d && !d.removed ? d.deviceId : null;
  };
  const viewer: Admission['viewer'] = (workspace, device) => {
    const current = logs.get(workspace)?.log?.current;
    return current ? audienceOf(current, device) : { person: null };
  };
  /** The viewer as a string, to notice a change. */
  const viewKey = (workspace: string, device: string) => audienceName(viewer(workspace, device));
  const roomRefusal: Admission['roomRefusal'] = (workspace, device, room) => {
    if (device === null || !opts.mayRead || !enforcing || !getRoot.get(workspace)) return null;
    const r = role(workspace, device);
    return r !== null && !opts.mayRead(room, r) ? 'not open to your role' : null;
  };

  /** After a recompute: connections that may no longer be open go at once; a room its role may no longer read, alone. */
  const enforce = (workspace: string) => {
    const set = open.get(workspace);
    if (!set) return;
    for (const [close, { device, room, view }] of [...set]) {
      const why = refusal(workspace, device, room);
      const roomWhy = why === null && room !== undefined ? roomRefusal(workspace, device, room) : null;
      const viewWhy = why === null && roomWhy === null && view !== undefined && device !== null && viewKey(workspace, device) !== view ? VIEW_CHANGED : null;
      const reason = why ?? roomWhy ?? viewWhy;
      if (reason === null) continue;
      set.delete(close);
      log('warn', 'admission.closed', { workspace, device: device ?? '-', reason, ...(why === null ? { room } : {}) });
      close(reason, why !== null ? 'device' : roomWhy !== null ? 'room' : 'view');
    }
  };

  const watch: Admission['watch'] = (workspace, doc) => {
    if (watched.has(doc)) return;
    watched.add(doc);
    doc.on('update', () => void compute(workspace, doc));
  };

  const state: Admission['state'] = async (workspace) => {
    const had = logs.get(workspace);
    const pending = running.get(workspace);
    if (pending) return pending;
    if (had) return had.log;
    const room = membersRoom(workspace);
    const doc = opts.openDoc(room);
    watch(workspace, doc);
    return compute(workspace, doc);
  };

  const prove: Admission['prove'] = async (workspace, proof, origin) => {
    const current = await state(workspace);
    if (!enforcing || !getRoot.get(workspace) || !current) return { ok: true, device: null };
    return proveDevice(workspace, proof, origin, current);
  };

  /** Checks a proof against the log (consuming its nonce), whatever the enforcement setting. `stale`: a stale credential's nonce will do. */
  const proveDevice = async (workspace: string, proof: AdmitProof | undefined, origin: string, current: MembershipLog, stale = false): Promise<{ ok: true; device: string } | { ok: false; reason: string }> => {
    if (!proof) return { ok: false, reason: 'device proof required' };
    const c = nonces.get(proof.nonce);
    if (!c || c.workspace !== workspace || proof.workspace !== workspace || (c.stale && !stale)) return { ok: false, reason: 'bad device proof' };
    if (c.used) return { ok: false, reason: 'challenge reused' };
    c.used = true;
    if (c.expires <= now()) return { ok: false, reason: 'challenge expired' };
    const d = current.current.devices.get(proof.device);
    if (!d) return { ok: false, reason: 'device not enrolled' };
    if (d.removed) return { ok: false, reason: 'device removed' };
    const good = await verifyDigest({ publicKey: d.signKey, alg: d.alg }, ADMIT_CONTEXT, admitDigest(workspace, proof.device, proof.nonce, origin), proof.proof);
    return good ? { ok: true, device: proof.device } : { ok: false, reason: 'bad device proof' };
  };

  /**
   * The origin an HTTP request's proof must have been signed on: its Origin header (a browser sends one with every
   * cross-origin request and every same-origin PUT, POST or DELETE); else, for a same-origin GET, the origin the
   * page names in X-Muster-Origin, if it is this relay's own or an allowed one; else '' (not a browser).
   */
  const requestOrigin = (req: IncomingMessage): string => {
    if (typeof req.headers.origin === 'string') return req.headers.origin;
    const named = req.headers[PROOF_ORIGIN_HEADER];
    if (typeof named === 'string' && named !== '' && originAllowed(opts.allowedOrigins ?? [], named, req.headers.host)) return named;
    return '';
  };

  const proveRequest: Admission['proveRequest'] = async (workspace, req, need = {}) => {
    if (!enforcing || !getRoot.get(workspace)) return { ok: true, device: null };
    const current = await state(workspace);
    if (!current) return { ok: true, device: null };
    const header = req.headers[PROOF_HEADER];
    if (header === undefined) return { ok: false, status: 401, reason: 'device proof required' };
    const proof = typeof header === 'string' ? decodeProof(header.trim()) : null;
    if (!proof) return { ok: false, status: 403, reason: 'bad device proof' };
    const checked = await proveDevice(workspace, proof, requestOrigin(req), current, need.stale === true);
    if (!checked.ok) return { ok: false, status: checked.reason === 'device proof required' ? 401 : 403, reason: checked.reason };
    if (need.device !== undefined && checked.device !== need.device) return { ok: false, status: 403, reason: 'device proof of another device' };
    if (need.owner && current.current.devices.get(checked.device)?.role !== 'owner') return { ok: false, status: 403, reason: 'not an owner’s device' };
    return checked;
  };

  const challenge = (workspace: string, res: ServerResponse, stale: boolean) => {
    sweep();
    const counts = stale ? perWorkspaceStale : perWorkspace;
    const n = counts.get(workspace) ?? 0;
    if (n >= (stale ? MAX_STALE_CHALLENGES_PER_WORKSPACE : MAX_CHALLENGES_PER_WORKSPACE)) return sendJson(res, 503, { error: 'too many open challenges, try later' }, { 'Retry-After': '10' });
    const nonce = randomBytes(24).toString('base64url');
    const expires = now() + CHALLENGE_MS;
    nonces.set(nonce, { workspace, expires, used: false, stale });
    counts.set(workspace, n + 1);
    sendJson(res, 200, { nonce, expires: new Date(expires).toISOString(), enrolled: !!getRoot.get(workspace) });
  };

  const enrol = async (workspace: string, body: Record<string, unknown>, res: ServerResponse) => {
    const entry = parseMembershipEntry(body['entry']);
    if (typeof entry === 'string') return sendJson(res, 400, { error: `The entry is refused: ${entry}.` });
    if (entry.type !== 'redeem' && entry.type !== 'recover') return sendJson(res, 400, { error: 'Only a redeem or recover entry enrols a device.' });
    if (entry.ws !== workspace) return sendJson(res, 400, { error: 'The entry was signed for another workspace.' });
    const current = await state(workspace);
    if (!current || !getRoot.get(workspace)) return sendJson(res, 409, { error: 'This workspace has no membership log on the relay yet.' });
    const id = membershipId(entry);
    // The live doc (the cached log's may have been closed with its last connection).
    const doc = opts.openDoc(membersRoom(workspace));
    watch(workspace, doc);
    const map = doc.getMap('membership');
    if (current.valid.has(id)) return sendJson(res, 200, { enrolled: entry.device.deviceId });
    // The relay's own clock: an invite past its expiry is refused whatever time the joiner's device claims.
    if (entry.type === 'redeem') {
      const inv = current.current.invites.get(entry.invite);
      if (inv && Date.parse(inv.expires) <= now()) return sendJson(res, 403, { error: 'the invite had expired' });
    }
    const trial = await verifyMembership([...map.values(), entry], { workspace, root: getRoot.get(workspace)!.root });
    const refused = trial.refused.find((r) => r.id === id);
    if (refused || !trial.valid.has(id)) return sendJson(res, 403, { error: refused?.reason ?? 'the entry is not valid in this log' });
    if (entry.type === 'recover') {
      // A recovery code works once: a recover built on the recovery entry alone is concurrent with the first
      // device's, and the log's tie-break alone could let it win.
      const rk = current.current.recoveryKeys.get(entry.by);
      if (rk?.spent && rk.spent !== entry.device.deviceId) return sendJson(res, 403, { error: 'another device used this recovery code first' });
    }
    if (entry.type === 'redeem') {
      // The relay's current log too: a redeem built on the invite entry alone (an invite link's `e=`) is concurrent
      // with a later revoke, and with a first phone's redeem, and the log alone could let it win either.
      const inv = current.current.invites.get(entry.invite);
      if (inv?.revoked) return sendJson(res, 403, { error: 'the invite was revoked' });
      if (inv?.redeemedBy && inv.redeemedBy !== entry.device.deviceId) return sendJson(res, 403, { error: 'another device took up this invite first' });
    }
    // A server-side update of the members room: stored, sent to every open connection, and recomputed.
    doc.transact(() => map.set(id, entry));
    await state(workspace);
    log('info', 'admission.enrol', { workspace, device: entry.device.deviceId, type: entry.type });
    sendJson(res, 200, { enrolled: entry.device.deviceId });
  };

  /** Join requests per workspace, device id → request (insertion order: oldest first). Memory only: a waiting device asks again. */
  const requests = new Map<string, Map<string, JoinRequest>>();
  const liveRequests = (workspace: string, log: MembershipLog | null): JoinRequest[] => {
    const mine = requests.get(workspace);
    if (!mine) return [];
    const t = now();
    for (const [id, r] of mine) if (Date.parse(r.at) + REQUEST_MS <= t || log?.current.devices.has(id)) mine.delete(id);
    if (mine.size === 0) requests.delete(workspace);
    return [...mine.values()];
  };

  /** POST /auth/<ws>/request: a device with the plain link asks to be admitted (202), or learns it already is (200). */
  const request = async (workspace: string, body: Record<string, unknown>, res: ServerResponse) => {
    const r = parseJoinRequest(body, new Date(now()).toISOString());
    if (typeof r === 'string') return sendJson(res, 400, { error: `The request is refused: ${r}.` });
    const current = await state(workspace);
    if (!current || !getRoot.get(workspace)) return sendJson(res, 409, { error: 'This workspace has no membership log on the relay yet.' });
    const d = current.current.devices.get(r.device.deviceId);
    if (d?.removed) return sendJson(res, 403, { error: 'device removed' });
    if (d) return sendJson(res, 200, { enrolled: r.device.deviceId });
    liveRequests(workspace, current);
    let mine = requests.get(workspace);
    if (!mine) requests.set(workspace, (mine = new Map()));
    mine.delete(r.device.deviceId);
    mine.set(r.device.deviceId, r);
    while (mine.size > MAX_REQUESTS_PER_WORKSPACE) mine.delete(mine.keys().next().value!);
    log('info', 'admission.request', { workspace, device: r.device.deviceId });
    sendJson(res, 202, { waiting: true });
  };

  /** POST /auth/<ws>/requests {proof}: an owner's proven device reads the requests waiting for it. */
  const listRequests = async (workspace: string, body: Record<string, unknown>, origin: string, res: ServerResponse) => {
    const proof = typeof body['proof'] === 'string' ? decodeProof(body['proof']) : null;
    const current = await state(workspace);
    if (!current || !getRoot.get(workspace)) return sendJson(res, 409, { error: 'This workspace has no membership log on the relay yet.' });
    // Checked whether or not this relay enforces admission: only an owner's device sees who asked.
    const checked = await proveDevice(workspace, proof ?? undefined, origin, current);
    if (!checked.ok) return sendJson(res, 403, { error: checked.reason });
    if (current.current.devices.get(checked.device)?.role !== 'owner') return sendJson(res, 403, { error: 'only an owner’s device reads join requests' });
    sendJson(res, 200, { requests: liveRequests(workspace, current) });
  };

  /**
   * GET /auth/<ws>/recovery: the log's unspent recovery entries, as signed, for a device that holds the workspace
   * credential but is not admitted (every owner's device lost). Each holds only a recovery key sealed under a code
   * the relay never sees; nothing else of the member list is given out.
   */
  const recovery = async (workspace: string, res: ServerResponse) => {
    const current = await state(workspace);
    if (!current || !getRoot.get(workspace)) return sendJson(res, 409, { error: 'This workspace has no membership log on the relay yet.' });
    const doc = opts.openDoc(membersRoom(workspace));
    watch(workspace, doc);
    const map = doc.getMap('membership');
    const keys = [...current.current.recoveryKeys.values()];
    const unspent = keys.filter((k) => !k.spent).flatMap((k) => (map.has(k.entry) ? [map.get(k.entry)] : []));
    sendJson(res, 200, { entries: unspent, spent: keys.length - unspent.length });
  };

  const checkGenesis: Admission['checkGenesis'] = async (workspace, genesis) => {
    const e = parseMembershipEntry(genesis);
    if (typeof e === 'string') return `the genesis is refused: ${e}`;
    if (e.type !== 'genesis') return 'the genesis is refused: it is not a genesis entry';
    if (e.ws !== workspace) return 'the genesis is refused: it was signed for another workspace';
    const trial = await verifyMembership([e], { workspace });
    return trial.valid.has(membershipId(e)) ? null : `the genesis is refused: ${trial.refused[0]?.reason ?? 'it is not valid'}`;
  };

  return {
    checkGenesis,
    async seed(workspace, genesis) {
      const e = genesis as MembershipEntry;
      const doc = opts.openDoc(membersRoom(workspace));
      watch(workspace, doc);
      doc.transact(() => doc.getMap('membership').set(membershipId(e), e));
      await state(workspace);
    },
    enrolled: (workspace) => !!getRoot.get(workspace),
    state,
    prove,
    proveRequest,
    refusal,
    roomRefusal,
    role,
    deviceOfKey,
    viewer,
    recovering,
    track(workspace, device, close, room, filtered) {
      let set = open.get(workspace);
      if (!set) open.set(workspace, (set = new Map()));
      // The view it opened with, when the log is read (before that, no change could be told from a first reading).
      set.set(close, { device, room, ...(filtered && device !== null && logs.get(workspace)?.log ? { view: viewKey(workspace, device) } : {}) });
      return () => {
        set.delete(close);
        if (set.size === 0 && open.get(workspace) === set) open.delete(workspace);
      };
    },
    watch,
    handle(req, res) {
      const m = ROUTE.exec(pathnameOf(req));
      if (!m) return false;
      const [, workspace = '', action] = m;
      const method = action === 'challenge' || action === 'recovery' ? 'GET' : 'POST';
      if (req.method !== method) {
        sendJson(res, 405, { error: `use ${method}` }, { Allow: method });
        return true;
      }
      const auth = opts.authorizer.authorize(workspace, bearer(req));
      // A stale credential (replaced by a rotation) may still ask for a nonce: its device needs one to fetch its envelope.
      const stale = !auth.ok && action === 'challenge' && auth.reason === STALE_CREDENTIALS;
      if (!auth.ok && !stale) {
        req.resume();
        sendJson(res, auth.unknown ? 404 : 401, { error: auth.reason });
        return true;
      }
      if (action === 'challenge') {
        challenge(workspace, res, stale);
        return true;
      }
      if (action === 'recovery') {
        recovery(workspace, res).catch((err: unknown) => {
          log('error', 'admission.recovery-failed', { workspace, error: String(err) });
          if (!res.headersSent) sendJson(res, 500, { error: 'recovery failed' });
        });
        return true;
      }
      const origin = typeof req.headers.origin === 'string' ? req.headers.origin : '';
      readJsonObject(req, MAX_ENROL_BYTES, (body) => {
        if (typeof body === 'string') return sendJson(res, 400, { error: body });
        const run = action === 'enrol' ? enrol(workspace, body, res) : action === 'request' ? request(workspace, body, res) : listRequests(workspace, body, origin, res);
        run.catch((err: unknown) => {
          log('error', `admission.${action}-failed`, { workspace, error: String(err) });
          if (!res.headersSent) sendJson(res, 500, { error: `${action} failed` });
        });
      });
      return true;
    },
  };
}
