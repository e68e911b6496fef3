import { type HeldKey, MissingKeyError, openWithRegisterKeys, sealWithRegisterKey } from '../../crypto/register-keys';
import { entryFromJson, type LogEntry } from './model';

/*
 * THE SEAM between the disciplinary log and its stored form.
 *
 * Every log entry is stored in the register's `entries` map as
 *
 *     { id, kind: 'sealed', codec: '<codec id>', sealed: '<codec output>' [, reseals: '<entry id>'] }
 *
 * and only this module turns a LogEntry into that form (sealEntry) or back
 * (openEntry). The store calls nothing else; the screens, the export and the
 * model never see the stored form. Tier definitions, the officer list and the
 * register keys (key.* / wrap.* records, src/crypto/register-keys.ts) are not
 * confidential and stay plain records.
 *
 * The codec in use is `aesGcmCodec` (AES-256-GCM, WebCrypto) under a register
 * key that only the officers' devices hold, wrapped for each of them. The key
 * id is inside the sealed text, so entries sealed before a rotation open with
 * the older key; the id the entry is stored under is bound as additional
 * authenticated data, so a sealed blob copied under another id does not open.
 *
 * `plaintextCodec` (base64 of the JSON, NOT encryption) sealed the entries
 * written before encryption existed. The store keeps it as a READ-ONLY
 * fallback so those entries stay in the log, flagged as not sealed, until an
 * officer re-seals them: a re-seal appends a sealed copy stored under
 * `sealed.<entry id>` with `reseals: <entry id>`, which the log shows instead
 * of the original (never both). The base64 original stays in the document:
 * entries are append-only.
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

/** The stored form of a log entry. */
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
 * The codec of the entries written before encryption: base64 of the UTF-8
 * JSON. Readable by anyone who holds the document (every device of the
 * workspace, and the relay), and writable by anyone. The app only READS with
 * it now (store option `readOnly`); new entries are sealed with aesGcmCodec.
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

export const NO_KEY_TO_WRITE = "This device holds no key yet — another officer's device will share it when it next syncs. Until then it cannot add entries.";

/** Thrown by seal when this device holds no current key. */
export class NoSealingKeyError extends Error {
  constructor() {
    super(NO_KEY_TO_WRITE);
    this.name = 'NoSealingKeyError';
  }
}

/** Additional data bound to an entry's ciphertext: the register and the id it is stored under. */
export const entryAad = (register: string, storedId: string) => `muster ${register} entry ${storedId}`;

/**
 * AES-256-GCM under the register's keys. Sealed form (register-keys.ts):
 * `rk1.<keyId>.<base64url(iv ‖ ciphertext+tag)>`, a fresh 96-bit IV per entry,
 * the stored id and the key id as additional data. Opening refuses a wrong
 * key, a blob stored under another id, and any changed byte; a key this
 * device does not hold yet gives MissingKeyError (the store retries when keys
 * arrive).
 *
 * @example
 * const codec = aesGcmCodec(keyring); // a RegisterKeyring
 * const store = createDisciplinaryStore(doc, codec, { readOnly: [plaintextCodec], keysChanged: keyring.held });
 */
export function aesGcmCodec(keys: RegisterKeySource, register = 'disciplinary'): EntryCodec {
  return {
    id: AES_CODEC_ID,
    async seal(plain, ctx) {
      await keys.settled?.();
      const key = keys.sealingKey();
      if (!key) throw new NoSealingKeyError();
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
export async function sealEntry(entry: LogEntry, codec: EntryCodec, storedId = entry.id): Promise<SealedEntry> {
  return {
    id: storedId,
    kind: 'sealed',
    codec: codec.id,
    sealed: await codec.seal(JSON.stringify(entry), { entryId: storedId }),
    ...(storedId !== entry.id ? { reseals: entry.id } : {}),
  };
}

export type Opened =
  | { ok: true; entry: LogEntry; /** The codec that opened it. */ codec: string; /** The id it is stored under. */ storedId: string }
  | { ok: false; id: string; reason: string; /** Set when the entry is sealed with a key this device does not hold (yet). */ missingKey?: string };

/**
 * Opens a stored entry with whichever of `codecs` sealed it. Never throws:
 * what cannot be opened (another codec, no key, damaged, or an entry that
 * claims another id than the one it is stored under) comes back as
 * `ok: false` with the reason.
 */
export async function openEntry(stored: unknown, codecs: EntryCodec | readonly EntryCodec[]): Promise<Opened> {
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
  const entry = entryFromJson(plain);
  if (!entry) return { ok: false, id, reason: 'The entry is damaged.' };
  const carries = typeof s.reseals === 'string' && s.reseals !== '' ? s.reseals : id;
  if (entry.id !== carries || (carries !== id && id !== resealedId(carries))) return { ok: false, id, reason: 'The entry is stored under another id than its own.' };
  return { ok: true, entry, codec: codec.id, storedId: id };
}
