import { randomBytes } from 'node:crypto';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { signMembershipEntry, verifyMembership } from '../src/crypto/membership';
import { generateSigningKeyPair, signDigest, signingKeyId, type SigningKeyPair } from '../src/crypto/signing';
import { type DeviceKeys, type MembershipEntry, type MembershipPayload, membershipDraft, membershipId } from '../src/domain/membership';
import type { Role } from '../src/domain/permissions';
import { admitDigest, encodeProof, ADMIT_CONTEXT } from '../src/sync/admit-proof';
import { createOnRelay, destroyProvider, newWorkspace, waitFor } from './integration/harness';

/**
 * A modified client's toolbox, for adversarial tests against a real relay (issue 17).
 * Stable API; every helper runs under plain Node (WebCrypto Ed25519 keys).
 *
 *   const owner = await nodeDevice('Olive');
 *   const w = await enrolledWorkspace(relay, { owner, staff: [['Sam', 'staff']], invite: { name: 'Ida', role: 'staff' } });
 *   // w.id, w.token, w.owner, w.staff[0] (a NodeDevice), w.invite?.id, w.entries (the signed log as written)
 *   const doc = new Y.Doc();
 *   const p = await connectAsDevice(relay.url, `${w.id}.people`, doc, w.token, w.staff[0]);  // a y-websocket client, proven as Sam
 *   doc.getMap('records').set('x', …);                      // hand-made updates as that staff device
 *   await appendEntries(relay.url, w, w.owner, [{ type: 'remove', deviceId: w.staff[0].deviceId }]);
 *   await enrol(relay.url, w.id, w.token, await redeemEntry(w, joiner));  // POST /auth/<ws>/enrol
 *
 * The proof travels as the `admit` query parameter (`<ws>.<deviceId>.<nonce>.<signature>`, src/sync/admit.ts),
 * for /sync/<room> and for /mux (one per workspace). A nonce is single-use: the provider built by connectAsDevice
 * is made with `maxBackoffTime` large and should not be expected to reconnect by itself (its retry reuses the
 * nonce and is refused `challenge reused`); make a new one with connectAsDevice.
 */

export interface NodeDevice {
  deviceId: string;
  name: string;
  key: SigningKeyPair;
  keyId: string;
  keys: DeviceKeys;
}

/** A device as the app makes one: random id, a fresh signing key. */
export async function nodeDevice(name = 'Device'): Promise<NodeDevice> {
  const key = await generateSigningKeyPair();
  const deviceId = randomBytes(12).toString('base64url').replace(/^[-_]/, 'd');
  return { deviceId, name, key, keyId: signingKeyId(key), keys: { deviceId, signKey: key.publicKey, alg: key.alg } };
}

export interface EnrolledWorkspace {
  id: string;
  token: string;
  owner: NodeDevice;
  staff: NodeDevice[];
  /** The invite the owner made, when asked for. */
  invite?: { id: string; name: string; role: Role; expires: string };
  /** Every entry written to the members room, in order. */
  entries: MembershipEntry[];
}

/** Signs `payload` as `by`, after the tips of `entries`. */
export async function signAfter(workspace: string, entries: readonly MembershipEntry[], by: { key: SigningKeyPair; keyId: string }, payload: MembershipPayload, at?: string): Promise<MembershipEntry> {
  const log = await verifyMembership(entries, { workspace });
  return signMembershipEntry(membershipDraft(payload, { workspace, tips: log.tips, by: by.keyId, ...(at ? { at } : {}) }), by.key);
}

/**
 * Creates a workspace on the relay and enrols it: a genesis by `owner` (made when not given) sent with the
 * create (or, `via: 'sync'`, written by a secret-only client while the workspace is still legacy), then a
 * grant per `staff` entry ([name, role]) and optionally an invite, signed by the owner and written into
 * `<ws>.members`. Resolves when the relay has them.
 */
export async function enrolledWorkspace(
  relay: { url: string },
  opts: { owner?: NodeDevice; staff?: Array<[string, Role] | [string, Role, string]>; invite?: { name: string; role: Role; expires?: string }; via?: 'create' | 'sync' } = {},
): Promise<EnrolledWorkspace> {
  const owner = opts.owner ?? (await nodeDevice('Owner'));
  const entries: MembershipEntry[] = [];
  const { id, token } = newWorkspace();
  entries.push(await signAfter(id, entries, owner, { type: 'genesis', device: owner.keys, name: owner.name }));
  // 'create' (default): the genesis rides on POST /auth/<ws>/create; 'sync': a workspace made offline, its log synced later.
  const made = await createOnRelay(relay.url, id, token, opts.via === 'sync' ? {} : { genesis: entries[0] });
  if (made.status !== 201) throw new Error(`creating a workspace: ${made.status} ${JSON.stringify(made.body)}`);
  if (opts.via !== 'sync') enrolledSeen.add(id);
  const staff: NodeDevice[] = [];
  // A third element links the device to a person (its records in a room with a person audience: server/audience.ts).
  for (const [name, role, personId] of opts.staff ?? []) {
    const d = await nodeDevice(name);
    staff.push(d);
    entries.push(await signAfter(id, entries, owner, { type: 'grant', device: d.keys, name, role, ...(personId ? { personId } : {}) }));
  }
  let invite: EnrolledWorkspace['invite'];
  if (opts.invite) {
    invite = { id: randomBytes(12).toString('base64url'), name: opts.invite.name, role: opts.invite.role, expires: opts.invite.expires ?? new Date(Date.now() + 86_400_000).toISOString() };
    entries.push(await signAfter(id, entries, owner, { type: 'invite', invite: invite.id, name: invite.name, role: invite.role, expires: invite.expires }));
  }
  const w: EnrolledWorkspace = { id, token, owner, staff, ...(invite ? { invite } : {}), entries };
  if (opts.via !== 'sync') {
    w.entries = entries.slice(0, 1);
    if (entries.length > 1) await writeSigned(relay.url, w, owner, entries.slice(1));
    return w;
  }
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const e of entries) doc.getMap('membership').set(membershipId(e), e);
  });
  const provider = connectWith(relay.url, `${id}.members`, doc, token, null);
  try {
    await waitFor('workspace enrolled', () => enrolledSeen.has(id) || (pollEnrolled(relay.url, id, token), false), 10_000);
  } finally {
    destroyProvider(provider);
    doc.destroy();
  }
  return w;
}

const enrolledSeen = new Set<string>();
const polling = new Set<string>();
/** Asks the relay (one challenge at a time) whether the workspace is enrolled. */
function pollEnrolled(url: string, workspace: string, token: string): void {
  if (polling.has(workspace)) return;
  polling.add(workspace);
  void challenge(url, workspace, token)
    .then((c) => c.enrolled && enrolledSeen.add(workspace), () => {})
    .finally(() => setTimeout(() => polling.delete(workspace), 50));
}

/** GET /auth/<ws>/challenge: a one-time nonce. */
export async function challenge(url: string, workspace: string, token: string | null): Promise<{ status: number; nonce: string; enrolled: boolean; error?: string }> {
  const res = await fetch(`${url}/auth/${workspace}/challenge`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  const body = (await res.json()) as { nonce?: string; enrolled?: boolean; error?: string };
  return { status: res.status, nonce: body.nonce ?? '', enrolled: body.enrolled === true, ...(body.error ? { error: body.error } : {}) };
}

/** The `admit` parameter proving `device` for `workspace`: a fresh nonce, signed. `nonce` to sign a given one (e.g. a reused one). */
export async function admitParam(url: string, workspace: string, token: string, device: NodeDevice, opts: { nonce?: string; origin?: string; signFor?: string } = {}): Promise<string> {
  const nonce = opts.nonce ?? (await challenge(url, workspace, token)).nonce;
  const proof = await signDigest(device.key, ADMIT_CONTEXT, admitDigest(opts.signFor ?? workspace, device.deviceId, nonce, opts.origin ?? ''));
  return encodeProof({ workspace, device: device.deviceId, nonce, proof });
}

const wsUrl = (url: string) => `${url.replace(/^http/, 'ws')}/sync`;

/** An official y-websocket client of one room with `admit` (or none) and the credential. */
export function connectWith(url: string, room: string, doc: Y.Doc, token: string | null, admit: string | null): WebsocketProvider {
  const params: Record<string, string> = {};
  if (token !== null) params['auth'] = token;
  if (admit !== null) params['admit'] = admit;
  return new WebsocketProvider(wsUrl(url), room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params,
    maxBackoffTime: 60_000,
  });
}

/** connectWith, proven as `device` (a fresh challenge). */
export async function connectAsDevice(url: string, room: string, doc: Y.Doc, token: string, device: NodeDevice): Promise<WebsocketProvider> {
  const workspace = room.split('.', 1)[0]!;
  return connectWith(url, room, doc, token, await admitParam(url, workspace, token, device));
}

/** Signs each payload as `by` and writes it into the members room through a proven connection; updates `w.entries`. */
export async function appendEntries(url: string, w: EnrolledWorkspace, by: NodeDevice, payloads: MembershipPayload[]): Promise<MembershipEntry[]> {
  const made: MembershipEntry[] = [];
  for (const p of payloads) {
    const e = await signAfter(w.id, w.entries, by, p);
    w.entries.push(e);
    made.push(e);
  }
  await writeSigned(url, w, by, made, false);
  return made;
}

/** Writes already signed entries (valid or not: a test may hand-make them) into the members room as `by`. */
export async function writeSigned(url: string, w: EnrolledWorkspace, by: NodeDevice, made: MembershipEntry[], record = true): Promise<void> {
  if (record) w.entries.push(...made);
  const doc = new Y.Doc();
  const provider = await connectAsDevice(url, `${w.id}.members`, doc, w.token, by);
  try {
    await waitFor('members synced', () => provider.synced, 10_000);
    doc.transact(() => {
      for (const e of made) doc.getMap('membership').set(membershipId(e), e);
    });
  } finally {
    // The relay echoes nothing of an own update: a second client reads them back from the relay.
    const check = new Y.Doc();
    const reader = await connectAsDevice(url, `${w.id}.members`, check, w.token, by).catch(() => null);
    try {
      if (reader) await waitFor('entries on the relay', () => made.every((e) => check.getMap('membership').has(membershipId(e))), 10_000);
    } finally {
      if (reader) destroyProvider(reader);
      destroyProvider(provider);
      doc.destroy();
      check.destroy();
    }
  }
}

/** A redeem of the workspace's invite by `joiner`, signed by the joiner (`at`: the joiner's claimed clock). */
export function redeemEntry(w: EnrolledWorkspace, joiner: NodeDevice, at?: string): Promise<MembershipEntry> {
  if (!w.invite) throw new Error('the workspace has no invite');
  return signAfter(w.id, w.entries, joiner, { type: 'redeem', invite: w.invite.id, device: joiner.keys, name: joiner.name }, at);
}

/** POST /auth/<ws>/enrol. */
export async function enrol(url: string, workspace: string, token: string, entry: unknown): Promise<{ status: number; body: { enrolled?: string; error?: string } }> {
  const res = await fetch(`${url}/auth/${workspace}/enrol`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ entry }) });
  return { status: res.status, body: (await res.json()) as { enrolled?: string; error?: string } };
}

/** Resolves with the close code and reason of the provider's next close. */
export function nextClose(provider: WebsocketProvider): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => provider.once('connection-close', (e: { code: number; reason: string } | null) => resolve({ code: e?.code ?? 0, reason: e?.reason ?? '' })));
}
