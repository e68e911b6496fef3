import { type HeldKey, MissingKeyError, openWithRegisterKeys, sealWithRegisterKey } from '../crypto/register-keys';

/*
 * The stored form of a sealed entry, for any register whose entries are
 * confidential (the disciplinary log today; issue 18: every register under
 * its audience key). An entry is stored in the document's `entries` map as
 *
 *     { id, kind: 'sealed', codec: '<codec id>', sealed: '<codec output>' [, reseals: '<entry id>'] }
 *
 * and only sealEntry / openEntry turn a register's entry into that form and
 * back. What an entry says is the register's business: openEntry takes the
 * register's parser and never looks inside.
 *
 * A re-seal (an entry first stored under another codec, e.g. the plaintext
 * one from before encryption) is a new entry stored under `sealed.<entry id>`
 * with `reseals: <entry id>`: entries are append-only, the original stays.
 */

export interface SealContext {
  /** The id the entry is stored under. */
  entryId: string;
}

export interface EntryCodec {
  /** Stored with each entry, so a reader knows which codec (and later which key) sealed it. */
  readonly id: string;
  seal(plain: string, ctx: SealContext): Promise<string>;
  /** Rejects when the sealed text cannot be opened (wrong codec, no key, tampered). */
  open(sealed: string, ctx: SealContext): Promise<string>;
}

/** The stored form of an entry. */
export interface SealedEntry {
  /** The id it is stored under: the entry's own id, or `sealed.<entry id>` for a re-sealed copy. */
  id: string;
  kind: 'sealed';
  codec: string;
  sealed: string;
  /** Set on a re-sealed copy: the id of the entry it carries (an entry first stored with another codec). */
  reseals?: string;
}

function utf8ToBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

function base64ToUtf8(b64: string): string {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/**
 * Base64 of the UTF-8 JSON: NOT encryption. Readable and writable by anyone
 * who holds the document (every device of the workspace, and the relay). Kept
 * for READING entries written before a register was encrypted.
 */
export const plaintextCodec: EntryCodec = {
  id: 'plaintext-base64-v1',
  seal: async (plain) => utf8ToBase64(plain),
  open: async (sealed) => base64ToUtf8(sealed),
};

export const AES_CODEC_ID = 'aes-gcm-v1';

/** What the AES-GCM codec needs from a keyring (src/store/register-keyring.ts implements it). */
export interface RegisterKeySource {
  /** The current key this device seals with, or undefined when it holds none. */
  sealingKey(): HeldKey | undefined;
  keyById(keyId: string): CryptoKey | undefined;
  /** Resolves once pending key work is done (e.g. the first key being created). */
  settled?(): Promise<void>;
}

/** Thrown by seal when this device holds no current key; the message is the register's (who will share the key). */
export class NoSealingKeyError extends Error {
  constructor(message = 'This device holds no key for this register yet.') {
    super(message);
    this.name = 'NoSealingKeyError';
  }
}

/** Additional data bound to an entry's ciphertext: the register and the id it is stored under. */
export const entryAad = (register: string, storedId: string) => `muster ${register} entry ${storedId}`;

/**
 * AES-256-GCM under a register's keys. Sealed form (register-keys.ts):
 * `rk1.<keyId>.<base64url(iv ‖ ciphertext+tag)>`, a fresh 96-bit IV per entry,
 * the register, the stored id and the key id as additional data. Opening
 * refuses a wrong key, a blob stored under another id or register, and any
 * changed byte; a key this device does not hold yet gives MissingKeyError
 * (the sealed log retries when keys arrive).
 */
export function aesGcmCodec(keys: RegisterKeySource, register: string, noKeyMessage?: string): EntryCodec {
  return {
    id: AES_CODEC_ID,
    async seal(plain, ctx) {
      await keys.settled?.();
      const key = keys.sealingKey();
      if (!key) throw new NoSealingKeyError(noKeyMessage);
      return sealWithRegisterKey(key, plain, entryAad(register, ctx.entryId));
    },
    open: (sealed, ctx) => openWithRegisterKeys((id) => keys.keyById(id), sealed, entryAad(register, ctx.entryId)),
  };
}

/** The id a re-sealed copy of an entry is stored under. */
export const resealedId = (entryId: string) => `sealed.${entryId}`;

/**
 * Seals an entry into its stored form. With `storedId` (a re-seal), the copy
 * is stored under that id and says which entry it carries.
 */
export async function sealEntry<E extends { id: string }>(entry: E, codec: EntryCodec, storedId = entry.id): Promise<SealedEntry> {
  return {
    id: storedId,
    kind: 'sealed',
    codec: codec.id,
    sealed: await codec.seal(JSON.stringify(entry), { entryId: storedId }),
    ...(storedId !== entry.id ? { reseals: entry.id } : {}),
  };
}

export type Opened<E> =
  | { ok: true; entry: E; /** The codec that opened it. */ codec: string; /** The id it is stored under. */ storedId: string }
  | { ok: false; id: string; reason: string; /** Set when the entry is sealed with a key this device does not hold (yet). */ missingKey?: string };

/** Turns an opened plaintext into the register's entry, or undefined when it is not one. */
export type EntryParser<E extends { id: string }> = (plain: string) => E | undefined;

/**
 * Opens a stored entry with whichever of `codecs` sealed it and `parse`s it.
 * Never throws: what cannot be opened (another codec, no key, damaged, or an
 * entry that claims another id than the one it is stored under) comes back
 * as `ok: false` with the reason.
 */
export async function openEntry<E extends { id: string }>(stored: unknown, codecs: EntryCodec | readonly EntryCodec[], parse: EntryParser<E>): Promise<Opened<E>> {
  const s = stored as Partial<SealedEntry> | null;
  const id = typeof s?.id === 'string' ? s.id : '';
  if (!s || s.kind !== 'sealed' || typeof s.sealed !== 'string' || !id) return { ok: false, id, reason: 'Not a sealed entry.' };
  const codec = (Array.isArray(codecs) ? (codecs as readonly EntryCodec[]) : [codecs as EntryCodec]).find((c) => c.id === s.codec);
  if (!codec) return { ok: false, id, reason: `Sealed with ${String(s.codec)}, which this device cannot open.` };
  let plain: string;
  try {
    plain = await codec.open(s.sealed, { entryId: id });
  } catch (err) {
    if (err instanceof MissingKeyError) return { ok: false, id, reason: 'Sealed with a key this device does not hold yet.', missingKey: err.keyId };
    return { ok: false, id, reason: 'This device cannot open the entry.' };
  }
  let entry: E | undefined;
  try {
    entry = parse(plain);
  } catch {
    // A parser that throws on what it cannot read still leaves openEntry one that never throws.
  }
  if (!entry) return { ok: false, id, reason: 'The entry is damaged.' };
  const carries = typeof s.reseals === 'string' && s.reseals !== '' ? s.reseals : id;
  if (entry.id !== carries || (carries !== id && id !== resealedId(carries))) return { ok: false, id, reason: 'The entry is stored under another id than its own.' };
  return { ok: true, entry, codec: codec.id, storedId: id };
}
