import { entryFromJson, type LogEntry } from './model';

/*
 * THE SEAM between the disciplinary log and its stored form.
 *
 * Every log entry is stored in the register's `entries` map as
 *
 *     { id, kind: 'sealed', codec: '<codec id>', sealed: '<codec output>' }
 *
 * and only this module turns a LogEntry into that form (sealEntry) or back
 * (openEntry). The store calls nothing else; the screens, the export and the
 * model never see the stored form. Tier definitions and the officer list are
 * not confidential and stay plain records.
 *
 * Today the codec is `plaintextCodec`: base64 of the JSON. That is NOT
 * encryption — anyone with the document can decode it; it only proves that
 * nothing bypasses the seam. Issue 5 replaces it with an AES-GCM codec
 * (WebCrypto) under a register key that only designated officers hold
 * (wrapped per officer device), passed to createDisciplinaryStore(doc, codec).
 * The interface is asynchronous for that reason (SubtleCrypto is), and every
 * call carries the entry id so the real codec can bind it as additional
 * authenticated data: a sealed blob copied under another id will not open.
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
  id: string;
  kind: 'sealed';
  codec: string;
  sealed: string;
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
 * Placeholder codec: base64 of the UTF-8 JSON. Readable by anyone who holds the
 * document (every device of the workspace, and the relay). Until issue 5, only
 * the officer check in the app keeps the log from other members' eyes.
 * Issue 5 replaces it with AES-GCM under an officer-held key.
 */
export const plaintextCodec: EntryCodec = {
  id: 'plaintext-base64-v1',
  seal: async (plain) => utf8ToBase64(plain),
  open: async (sealed) => base64ToUtf8(sealed),
};

/** Seals an entry into its stored form. */
export async function sealEntry(entry: LogEntry, codec: EntryCodec): Promise<SealedEntry> {
  return { id: entry.id, kind: 'sealed', codec: codec.id, sealed: await codec.seal(JSON.stringify(entry), { entryId: entry.id }) };
}

export type Opened = { ok: true; entry: LogEntry } | { ok: false; id: string; reason: string };

/**
 * Opens a stored entry. Never throws: what cannot be opened (another codec, no
 * key, damaged, or an entry that claims another id than the one it is stored
 * under) comes back as `ok: false` with the reason.
 */
export async function openEntry(stored: unknown, codec: EntryCodec): Promise<Opened> {
  const s = stored as Partial<SealedEntry> | null;
  const id = typeof s?.id === 'string' ? s.id : '';
  if (!s || s.kind !== 'sealed' || typeof s.sealed !== 'string' || !id) return { ok: false, id, reason: 'Not a sealed entry.' };
  if (s.codec !== codec.id) return { ok: false, id, reason: `Sealed with ${String(s.codec)}, which this device cannot open.` };
  let plain: string;
  try {
    plain = await codec.open(s.sealed, { entryId: id });
  } catch {
    return { ok: false, id, reason: 'This device cannot open the entry.' };
  }
  const entry = entryFromJson(plain);
  if (!entry) return { ok: false, id, reason: 'The entry is damaged.' };
  if (entry.id !== id) return { ok: false, id, reason: 'The entry is stored under another id than its own.' };
  return { ok: true, entry };
}
