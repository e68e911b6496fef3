import { randomId } from './base64url';
import { aesKeyFromRaw, newAesKey, openText, rawOfAesKey, sealText } from './aes';
import { type Envelope, unwrapWith, wrapTo } from './envelope';
import { plural } from '../domain/plural';

/*
 * REGISTER KEYS: one symmetric AES-256-GCM key (or a few, after rotations)
 * per confidential register, held only by the devices allowed to read it
 * (for the disciplinary log: the officers' devices).
 *
 * The keys live IN the register's own document, as plain records, so they
 * travel and merge with it and need no server:
 *
 *   key.<keyId>             type 'register-key'       keyId, generation, createdAt, createdBy (device id), reason
 *   wrap.<keyId>.<deviceId> type 'register-key-wrap'  keyId, deviceId, to (the recipient's public key),
 *                                                     envelope (JSON of an Envelope, context
 *                                                     `register-key <register> <keyId>`), wrappedBy, at
 *
 * A wrap is an ECIES envelope (envelope.ts) readable only with the recipient
 * device's non-extractable private key. Nothing else about a key is secret.
 *
 * Generations. The first key has generation 1; a rotation writes a key of
 * generation max+1. The keys of the highest generation are the CURRENT keys:
 * new text is sealed only with one of them. Two devices that create a key
 * at the same time (offline) both write one of the same generation: both keys
 * stay valid, every sealed text names its key, and the wraps converge because
 * every recipient device that holds a key wraps it for every recipient that
 * lacks it. Among current keys the one with the greatest id is preferred, so
 * devices holding the same keys seal with the same key.
 *
 * Rotation is needed when a current key is wrapped to a device that must no
 * longer read new text (a removed member, someone who is no longer an
 * officer): the new key is wrapped only to the remaining recipients. Old text
 * stays readable to whoever holds the old key — that includes the removed
 * device, which keeps whatever it already had (and its wraps stay in the
 * document's history). Rotation protects only what is written afterwards.
 *
 * This module is pure (no Yjs, no Solid): record shapes, the planner that
 * says what a device should do next, and the WebCrypto operations.
 * src/store/register-keyring.ts binds it to a Y.Doc.
 */

export const KEY_TYPE = 'register-key';
export const WRAP_TYPE = 'register-key-wrap';

export const keyRecordId = (keyId: string) => `key.${keyId}`;
export const wrapRecordId = (keyId: string, deviceId: string) => `wrap.${keyId}.${deviceId}`;

/** The envelope context for a register key: an envelope made for one register or key opens for no other. */
export const registerKeyContext = (register: string, keyId: string) => `register-key ${register} ${keyId}`;

export interface RegisterKeyMeta {
  keyId: string;
  /** 1 for the first key, max+1 for a rotation. */
  generation: number;
  createdAt: string;
  /** Device id that created it. */
  createdBy: string;
  /** Why it was created: 'first', or 'rotation: …'. */
  reason: string;
}

export interface RegisterKeyWrap {
  keyId: string;
  /** The device that can open it. */
  deviceId: string;
  /** The recipient's public key when it was wrapped: a device with a new key pair needs a new wrap. */
  to: string;
  envelope: Envelope;
  wrappedBy: string;
  at: string;
}

/** A device that may hold the register's keys. */
export interface KeyRecipient {
  deviceId: string;
  /** base64url raw ECDH P-256 public key (members register). */
  publicKey: string;
}

/** A register key this device holds, opened from its wrap. */
export interface HeldKey {
  keyId: string;
  key: CryptoKey;
}

/** What the document says about a register's keys. */
export interface KeyringView {
  keys: RegisterKeyMeta[];
  wraps: RegisterKeyWrap[];
}

// ---------- record shapes ----------

const str = (f: Record<string, unknown>, k: string) => (typeof f[k] === 'string' ? (f[k] as string) : '');
const ID = /^[A-Za-z0-9_-]+$/;

export function keyFields(meta: RegisterKeyMeta): Record<string, unknown> {
  return { type: KEY_TYPE, ...meta };
}

export function wrapFields(wrap: RegisterKeyWrap): Record<string, unknown> {
  return { type: WRAP_TYPE, keyId: wrap.keyId, deviceId: wrap.deviceId, to: wrap.to, envelope: JSON.stringify(wrap.envelope), wrappedBy: wrap.wrappedBy, at: wrap.at };
}

/** A key record, or undefined when the record is not one (or is malformed, or stored under another id). */
export function keyFromFields(id: string, f: Record<string, unknown>): RegisterKeyMeta | undefined {
  const keyId = str(f, 'keyId');
  const generation = f['generation'];
  if (f['type'] !== KEY_TYPE || !ID.test(keyId) || id !== keyRecordId(keyId)) return undefined;
  if (typeof generation !== 'number' || !Number.isInteger(generation) || generation < 1) return undefined;
  return { keyId, generation, createdAt: str(f, 'createdAt'), createdBy: str(f, 'createdBy'), reason: str(f, 'reason') };
}

export function wrapFromFields(id: string, f: Record<string, unknown>): RegisterKeyWrap | undefined {
  const keyId = str(f, 'keyId');
  const deviceId = str(f, 'deviceId');
  if (f['type'] !== WRAP_TYPE || !ID.test(keyId) || !deviceId || id !== wrapRecordId(keyId, deviceId)) return undefined;
  let envelope: unknown;
  try {
    envelope = JSON.parse(str(f, 'envelope'));
  } catch {
    return undefined;
  }
  const e = envelope as Partial<Envelope> | null;
  if (!e || e.v !== 1 || typeof e.epk !== 'string' || typeof e.ct !== 'string') return undefined;
  return { keyId, deviceId, to: str(f, 'to'), envelope: { v: 1, epk: e.epk, ct: e.ct }, wrappedBy: str(f, 'wrappedBy'), at: str(f, 'at') };
}

/** Reads the keyring out of a register's records (any other record is ignored). */
export function keyringFromRecords(records: Iterable<readonly [string, Record<string, unknown>]>): KeyringView {
  const keys: RegisterKeyMeta[] = [];
  const wraps: RegisterKeyWrap[] = [];
  for (const [id, f] of records) {
    if (f['type'] === KEY_TYPE) {
      const k = keyFromFields(id, f);
      if (k) keys.push(k);
    } else if (f['type'] === WRAP_TYPE) {
      const w = wrapFromFields(id, f);
      if (w) wraps.push(w);
    }
  }
  keys.sort((a, b) => a.generation - b.generation || cmp(a.keyId, b.keyId));
  return { keys, wraps };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// ---------- which key, and what to do next ----------

/** The highest generation, 0 when there is no key. */
export function currentGeneration(keys: readonly RegisterKeyMeta[]): number {
  return keys.reduce((g, k) => Math.max(g, k.generation), 0);
}

/** The keys new text may be sealed with: those of the highest generation, preferred first (greatest id). */
export function currentKeys(keys: readonly RegisterKeyMeta[]): RegisterKeyMeta[] {
  const g = currentGeneration(keys);
  return keys.filter((k) => k.generation === g).sort((a, b) => cmp(b.keyId, a.keyId));
}

/**
 * The key this device seals with: the preferred current key if it holds it,
 * else another current key it holds (made at the same time for the same
 * recipients), else none — a device holding only superseded keys must not
 * seal with them, since a rotation may have removed someone who holds them.
 */
export function sealingKeyId(keys: readonly RegisterKeyMeta[], held: ReadonlySet<string>): string | undefined {
  return currentKeys(keys).find((k) => held.has(k.keyId))?.keyId;
}

export type KeyringStep =
  | { kind: 'create'; reason: string }
  | { kind: 'rotate'; reason: string; revoked: string[] }
  | { kind: 'wrap'; keyId: string; to: KeyRecipient[] };

export interface KeyringSituation {
  /** This device. */
  self: string;
  /** Devices that must hold the keys (this one included when it is one of them). */
  recipients: readonly KeyRecipient[];
  /** Devices known to be no longer allowed: a current key wrapped to one of them is rotated. */
  revoked: ReadonlySet<string>;
  /** Key ids this device holds. */
  held: ReadonlySet<string>;
}

/** True when `wraps` hold a wrap of `keyId` for this recipient's current public key. */
export function hasWrap(wraps: readonly RegisterKeyWrap[], keyId: string, r: KeyRecipient): boolean {
  return wraps.some((w) => w.keyId === keyId && w.deviceId === r.deviceId && w.to === r.publicKey);
}

/**
 * What this device should do next for the register's keys, or undefined.
 * Only a recipient device acts:
 * 1. no key yet → create the first one;
 * 2. a current key is wrapped to a revoked device → rotate;
 * 3. a key it holds is missing a wrap for a recipient → wrap it for them
 *    (old keys too, so a new officer reads the history).
 * Every device that applies the same rules to the same document converges:
 * whatever two devices do concurrently is either the same record or a key of
 * the same generation, which the rules then share.
 *
 * @example
 * const step = nextKeyringStep(view, { self: deviceId, recipients, revoked, held: new Set(held.keys()) });
 * if (step?.kind === 'wrap') await shareRegisterKey(doc, { register, held: { keyId: step.keyId, key }, recipients: step.to, byDeviceId });
 */
export function nextKeyringStep(view: KeyringView, s: KeyringSituation): KeyringStep | undefined {
  const recipients = s.recipients.filter((r) => !s.revoked.has(r.deviceId));
  if (!recipients.some((r) => r.deviceId === s.self)) return undefined;
  if (view.keys.length === 0) return { kind: 'create', reason: 'first' };
  const current = new Set(currentKeys(view.keys).map((k) => k.keyId));
  const revoked = [...new Set(view.wraps.filter((w) => current.has(w.keyId) && s.revoked.has(w.deviceId)).map((w) => w.deviceId))].sort();
  if (revoked.length > 0) return { kind: 'rotate', reason: `rotation: ${plural(revoked.length, 'device')} no longer allowed`, revoked };
  for (const k of [...view.keys].reverse()) {
    if (!s.held.has(k.keyId)) continue;
    const to = recipients.filter((r) => !hasWrap(view.wraps, k.keyId, r));
    if (to.length > 0) return { kind: 'wrap', keyId: k.keyId, to };
  }
  return undefined;
}

// ---------- crypto ----------

/** A fresh register key id (base64url, never containing a dot). */
export const newKeyId = () => randomId(12);

/** A fresh AES-256-GCM register key; extractable, so that it can be wrapped for other devices. */
export async function newRegisterKey(): Promise<HeldKey> {
  return { keyId: newKeyId(), key: await newAesKey() };
}

/**
 * Wraps a register key for one device.
 *
 * @example
 * const env = await wrapRegisterKey('disciplinary', held, { deviceId, publicKey });
 * const key = await unwrapRegisterKey('disciplinary', held.keyId, env, myKeys); // on that device
 */
export async function wrapRegisterKey(register: string, held: HeldKey, to: KeyRecipient): Promise<Envelope> {
  return wrapTo(to.publicKey, await rawOfAesKey(held.key), registerKeyContext(register, held.keyId));
}

/** Opens a wrap with this device's key pair; rejects when it was not made for this device, register or key. */
export async function unwrapRegisterKey(register: string, keyId: string, envelope: Envelope, self: { privateKey: CryptoKey; publicKey: string }): Promise<CryptoKey> {
  const raw = await unwrapWith(self.privateKey, self.publicKey, envelope, registerKeyContext(register, keyId));
  return aesKeyFromRaw(raw, true);
}

/** Thrown when a sealed text names a key this device does not hold (yet). */
export class MissingKeyError extends Error {
  constructor(readonly keyId: string) {
    super(`This device does not hold key ${keyId}.`);
    this.name = 'MissingKeyError';
  }
}

const SEALED_PREFIX = 'rk1';

const boundAad = (aad: string, keyId: string) => `${aad}\u0000${SEALED_PREFIX} ${keyId}`;

/**
 * Seals text under a register key. The sealed form names the key
 * (`rk1.<keyId>.<base64url iv‖ciphertext>`) so that text sealed before a
 * rotation still opens with the older key; `aad` (e.g. the entry id) and the
 * key id are bound as additional data, so a sealed text copied under another
 * id, or relabelled with another key id, does not open.
 *
 * @example
 * const sealed = await sealWithRegisterKey(held, JSON.stringify(entry), `disciplinary entry ${entry.id}`);
 * const text = await openWithRegisterKeys((id) => heldKeys.get(id), sealed, `disciplinary entry ${entry.id}`);
 */
export async function sealWithRegisterKey(held: HeldKey, plain: string, aad: string): Promise<string> {
  return `${SEALED_PREFIX}.${held.keyId}.${await sealText(held.key, plain, boundAad(aad, held.keyId))}`;
}

/** The key id a sealed text names, or undefined when it is not a register-key sealed text. */
export function keyIdOfSealed(sealed: string): string | undefined {
  const parts = sealed.split('.');
  return parts.length === 3 && parts[0] === SEALED_PREFIX && ID.test(parts[1]!) ? parts[1] : undefined;
}

/**
 * Opens text sealed by sealWithRegisterKey. Rejects with MissingKeyError when
 * `keyById` does not have the key it names, and with another error when the
 * text, the additional data or the key is wrong.
 */
export async function openWithRegisterKeys(keyById: (keyId: string) => CryptoKey | undefined, sealed: string, aad: string): Promise<string> {
  const keyId = keyIdOfSealed(sealed);
  if (!keyId) throw new Error('Not a text sealed with a register key.');
  const key = keyById(keyId);
  if (!key) throw new MissingKeyError(keyId);
  return openText(key, sealed.slice(SEALED_PREFIX.length + keyId.length + 2), boundAad(aad, keyId));
}
