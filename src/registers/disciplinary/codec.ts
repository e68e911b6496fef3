import {
  aesGcmCodec as registerAesGcmCodec,
  type EntryCodec,
  type Opened as OpenedOf,
  openEntry as openSealedEntry,
  type RegisterKeySource,
} from '../../store/sealed-entries';
import { entryFromJson, type LogEntry } from './model';

export {
  AES_CODEC_ID,
  entryAad,
  type EntryCodec,
  NoSealingKeyError,
  plaintextCodec,
  type RegisterKeySource,
  resealedId,
  type SealContext,
  type SealedEntry,
  sealEntry,
} from '../../store/sealed-entries';

/*
 * THE SEAM between the disciplinary log and its stored form: the register's
 * binding of the generic sealed entries (src/store/sealed-entries.ts, the
 * stored form, the codecs) to its own entries (model.ts LogEntry).
 *
 * The store calls nothing else; the screens, the export and the model never
 * see the stored form. Tier definitions, the officer list and the register
 * keys (key.* / wrap.* records, src/crypto/register-keys.ts) are not
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

export const NO_KEY_TO_WRITE = "This device holds no key yet — another officer's device will share it when it next syncs. Until then it cannot add entries.";

/**
 * AES-256-GCM under the disciplinary register's keys (store/sealed-entries.ts
 * aesGcmCodec), refusing to seal without a key with the officers' message.
 *
 * @example
 * const codec = aesGcmCodec(keyring); // a RegisterKeyring
 * const store = createDisciplinaryStore(doc, codec, { readOnly: [plaintextCodec], keyring });
 */
export const aesGcmCodec = (keys: RegisterKeySource, register = 'disciplinary'): EntryCodec => registerAesGcmCodec(keys, register, NO_KEY_TO_WRITE);

export type Opened = OpenedOf<LogEntry>;

/** Opens a stored log entry (store/sealed-entries.ts openEntry with the log's parser). Never throws. */
export const openEntry = (stored: unknown, codecs: EntryCodec | readonly EntryCodec[]): Promise<Opened> => openSealedEntry(stored, codecs, entryFromJson);
