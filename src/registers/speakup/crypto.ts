import { aesKeyFromRaw, openBytes, sealBytes } from '../../crypto/aes';
import { type Envelope, unwrapWith, wrapTo } from '../../crypto/envelope';
import { sha256HexAsync } from '../../domain/sha256';
import { fromBase64Url, toBase64Url } from '../../store/device-records';
import { canonicalKeys, isMessageBody, isReportContent, type MessageBody, type ReportContent, RECEIPT_DIGITS, type ThreadMessage } from './model';

/*
 * Speak-up sealing (WebCrypto only; runs in the browser and in Node 20).
 *
 * A report gets two fresh random 256-bit keys:
 *   reportKey  AES-GCM: seals the report and every message of its thread;
 *   staffKey   HMAC-SHA-256: proves a message was written by a recipient.
 * `reportKey ‖ staffKey` is wrapped (src/crypto/envelope.ts, ECIES P-256) to
 * every device of every recipient the reporter did not exclude. The list of
 * envelopes is padded with decoys to the full number of recipient devices
 * and shuffled, so it shows neither whether nor whom the reporter excluded.
 *
 * The receipt (16 random digits) replaces the reporter's key pair: PBKDF2-SHA-256
 * (600,000 iterations, salt bound to the workspace) turns it into 512 bits —
 * the first half wraps `reportKey` (never `staffKey`), the second half is the
 * report's locator, its key in the document. WebCrypto cannot derive a P-256
 * key pair from a seed, so a receipt-derived symmetric key stands in for it:
 * anyone with the receipt can read and answer, no one without it can find the report.
 *
 * Every ciphertext carries additional data naming the workspace, the locator
 * and (for messages) the message id, so nothing can be moved elsewhere and
 * still open. Plaintexts are padded to 256-byte blocks so sizes say little.
 */

export const RECEIPT_ITERATIONS = 600_000;
const PAD = 256;

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

export interface RecipientKey {
  /** Whose device this is (a person id, or a directory reference): what an exclusion names. */
  ref: string;
  /** base64url raw P-256 public key. */
  publicKey: string;
}

/** Stored in `reports[locator]`. Nothing else: no name, person, device, member or time beyond the day. */
export interface ReportEntry {
  v: 1;
  /** The day the report was written (YYYY-MM-DD), in the reporter's time zone. */
  day: string;
  /** base64url AES-GCM of the padded report JSON. */
  sealed: string;
  /** One envelope per recipient device, decoys in place of the excluded, shuffled. */
  keys: Envelope[];
  /** reportKey sealed with the receipt-derived key. */
  receipt: string;
}

/** Stored in `messages[id]`. */
export interface MessageEntry {
  v: 1;
  locator: string;
  day: string;
  sealed: string;
}

export const REPORT_ENTRY_FIELDS = ['v', 'day', 'sealed', 'keys', 'receipt'] as const;

export function isReportEntry(x: unknown): x is ReportEntry {
  if (!x || typeof x !== 'object') return false;
  const r = x as Record<string, unknown>;
  return (
    r['v'] === 1 &&
    typeof r['day'] === 'string' &&
    /^\d{4}-\d{2}-\d{2}$/.test(r['day']) &&
    typeof r['sealed'] === 'string' &&
    typeof r['receipt'] === 'string' &&
    Array.isArray(r['keys']) &&
    r['keys'].length <= 200
  );
}

export function isMessageEntry(x: unknown): x is MessageEntry {
  if (!x || typeof x !== 'object') return false;
  const m = x as Record<string, unknown>;
  return m['v'] === 1 && typeof m['locator'] === 'string' && typeof m['day'] === 'string' && typeof m['sealed'] === 'string';
}

// ---------- receipt ----------

/** 16 uniformly random digits (rejection sampling: no bias toward low digits). */
export function newReceipt(): string {
  let out = '';
  while (out.length < RECEIPT_DIGITS) {
    for (const b of crypto.getRandomValues(new Uint8Array(32))) {
      if (b < 250 && out.length < RECEIPT_DIGITS) out += String(b % 10);
    }
  }
  return out;
}

export interface ReceiptKeys {
  locator: string;
  wrapKey: CryptoKey;
}

/** The locator and wrapping key a receipt stands for. Slow on purpose (PBKDF2, 600,000 iterations). */
export async function receiptKeys(workspaceId: string, receipt: string, iterations = RECEIPT_ITERATIONS): Promise<ReceiptKeys> {
  if (!new RegExp(`^\\d{${RECEIPT_DIGITS}}$`).test(receipt)) throw new Error('A receipt has 16 digits.');
  const base = await crypto.subtle.importKey('raw', enc.encode(receipt), 'PBKDF2', false, ['deriveBits']);
  const bits = new Uint8Array(
    await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: enc.encode(`muster speakup receipt v1 ${workspaceId}`), iterations }, base, 512),
  );
  return { wrapKey: await aesKeyFromRaw(bits.slice(0, 32), false), locator: toBase64Url(bits.slice(32, 48)) };
}

// ---------- contexts (additional data) ----------

const ctx = {
  report: (ws: string, locator: string) => `muster speakup report v1 ${ws} ${locator}`,
  envelope: (ws: string, locator: string) => `speakup report-keys v1 ${ws} ${locator}`,
  receipt: (ws: string, locator: string) => `muster speakup receipt-wrap v1 ${ws} ${locator}`,
  message: (ws: string, locator: string, id: string) => `muster speakup message v1 ${ws} ${locator} ${id}`,
};

function pad(json: string): Uint8Array {
  const bytes = enc.encode(json);
  const out = new Uint8Array(Math.ceil((bytes.length + 1) / PAD) * PAD).fill(0x20);
  out.set(bytes);
  return out;
}

const unpad = (bytes: Uint8Array) => JSON.parse(dec.decode(bytes)) as unknown;

// ---------- the keys of one report ----------

export interface ReportKeys {
  reportKey: CryptoKey;
  /** Present for recipients only. */
  staffKey?: CryptoKey;
  /** Raw bytes of the report key: to seal messages of the thread. */
  raw: Uint8Array;
}

const hmacKey = (raw: Uint8Array) => crypto.subtle.importKey('raw', new Uint8Array(raw), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);

async function keysFrom(raw: Uint8Array, staffRaw?: Uint8Array): Promise<ReportKeys> {
  return { reportKey: await aesKeyFromRaw(raw, false), raw, ...(staffRaw ? { staffKey: await hmacKey(staffRaw) } : {}) };
}

/** A random P-256 public key nobody holds the private half of: a decoy envelope looks like any other. */
async function decoyKey(): Promise<string> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
  return toBase64Url(new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey)));
}

function shuffle<T>(items: T[]): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const r = crypto.getRandomValues(new Uint32Array(1))[0]! % (i + 1);
    [a[i], a[r]] = [a[r]!, a[i]!];
  }
  return a;
}

export interface SealedReport {
  receipt: string;
  locator: string;
  entry: ReportEntry;
  keys: ReportKeys;
}

/**
 * Seals a report for `recipients` (every device of every recipient), leaving
 * out the devices of the refs in `exclude`. Refuses when nobody would be left
 * to read it. The result holds the receipt: show it once, never store it.
 */
export async function sealReport(opts: {
  workspaceId: string;
  content: ReportContent;
  recipients: readonly RecipientKey[];
  exclude?: ReadonlySet<string>;
  day: string;
  iterations?: number;
  /** Tests only: a given receipt. */
  receipt?: string;
}): Promise<SealedReport> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.day)) throw new Error('A report is dated by day only (YYYY-MM-DD).');
  const unique = [...new Map(opts.recipients.map((r) => [r.publicKey, r])).values()];
  const readers = unique.filter((r) => !opts.exclude?.has(r.ref));
  if (!readers.length) throw new Error('Nobody could read this report: at least one recipient with a device must receive it.');
  const receipt = opts.receipt ?? newReceipt();
  const { locator, wrapKey } = await receiptKeys(opts.workspaceId, receipt, opts.iterations);
  const raw = crypto.getRandomValues(new Uint8Array(32));
  const staffRaw = crypto.getRandomValues(new Uint8Array(32));
  const keys = await keysFrom(raw, staffRaw);
  const both = new Uint8Array(64);
  both.set(raw);
  both.set(staffRaw, 32);
  const context = ctx.envelope(opts.workspaceId, locator);
  const envelopes: Envelope[] = [];
  for (const r of unique) {
    // An excluded recipient's envelope is replaced by a decoy: same count, same look.
    envelopes.push(await wrapTo(readers.includes(r) ? r.publicKey : await decoyKey(), readers.includes(r) ? both : crypto.getRandomValues(new Uint8Array(64)), context));
  }
  const entry: ReportEntry = {
    v: 1,
    day: opts.day,
    sealed: await sealBytes(keys.reportKey, pad(JSON.stringify(opts.content)), ctx.report(opts.workspaceId, locator)),
    keys: shuffle(envelopes),
    receipt: await sealBytes(wrapKey, raw, ctx.receipt(opts.workspaceId, locator)),
  };
  return { receipt, locator, entry, keys };
}

export async function openReportContent(workspaceId: string, locator: string, entry: ReportEntry, keys: ReportKeys): Promise<ReportContent | null> {
  try {
    const content = unpad(await openBytes(keys.reportKey, entry.sealed, ctx.report(workspaceId, locator)));
    return isReportContent(content) ? content : null;
  } catch {
    return null;
  }
}

/** The report keys from the receipt, or null (wrong receipt, or not a report made with it). */
export async function openWithReceipt(workspaceId: string, locator: string, wrapKey: CryptoKey, entry: ReportEntry): Promise<ReportKeys | null> {
  try {
    const raw = await openBytes(wrapKey, entry.receipt, ctx.receipt(workspaceId, locator));
    return raw.length === 32 ? await keysFrom(raw) : null;
  } catch {
    return null;
  }
}

/** The report keys with this device's key pair, or null when no envelope is for it. */
export async function openAsRecipient(workspaceId: string, locator: string, entry: ReportEntry, device: { privateKey: CryptoKey; publicKey: string }): Promise<ReportKeys | null> {
  const context = ctx.envelope(workspaceId, locator);
  for (const env of entry.keys) {
    try {
      const both = await unwrapWith(device.privateKey, device.publicKey, env, context);
      if (both.length === 64) return await keysFrom(both.slice(0, 32), both.slice(32));
    } catch {
      // Not ours (another recipient's device, or a decoy).
    }
  }
  return null;
}

// ---------- messages ----------

const macInput = (workspaceId: string, locator: string, id: string, body: MessageBody) =>
  enc.encode(JSON.stringify([ctx.message(workspaceId, locator, id), body.from, body.kind, body.text, body.status ?? '', body.author ?? '', body.day, body.seq]));

/** Seals a message of a thread. A recipient's message (staffKey given) carries a proof only recipients can check. */
export async function sealMessage(opts: { workspaceId: string; locator: string; id: string; keys: ReportKeys; body: MessageBody }): Promise<MessageEntry> {
  const { workspaceId, locator, id, keys, body } = opts;
  if (body.from === 'recipient' && !keys.staffKey) throw new Error('Only a recipient can write as a recipient.');
  const mac =
    body.from === 'recipient' && keys.staffKey ? toBase64Url(new Uint8Array(await crypto.subtle.sign('HMAC', keys.staffKey, macInput(workspaceId, locator, id, body)))) : undefined;
  const sealed = await sealBytes(keys.reportKey, pad(JSON.stringify({ ...body, ...(mac ? { mac } : {}) })), ctx.message(workspaceId, locator, id));
  return { v: 1, locator, day: body.day, sealed };
}

/** Opens a message; `verified` only when a staff key is at hand and the recipient's proof checks. */
export async function openMessage(opts: { workspaceId: string; id: string; entry: MessageEntry; keys: ReportKeys }): Promise<ThreadMessage | null> {
  const { workspaceId, id, entry, keys } = opts;
  try {
    const raw = unpad(await openBytes(keys.reportKey, entry.sealed, ctx.message(workspaceId, entry.locator, id))) as Record<string, unknown>;
    const { mac, ...body } = raw;
    if (!isMessageBody(body)) return null;
    let verified = false;
    if (body.from === 'recipient' && keys.staffKey && typeof mac === 'string') {
      try {
        verified = await crypto.subtle.verify('HMAC', keys.staffKey, fromBase64Url(mac), macInput(workspaceId, entry.locator, id, body));
      } catch {
        verified = false;
      }
    }
    return { ...body, id, verified };
  } catch {
    return null;
  }
}

// ---------- the public link ----------

/** base64url SHA-256 over the sorted, de-duplicated public keys of every recipient device. */
export async function keysFingerprint(publicKeys: readonly string[]): Promise<string> {
  return toBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', enc.encode(canonicalKeys(publicKeys)))));
}

/** A fresh public-link credential: 32 random bytes, base64url (what the relay's verifier check expects). */
export function newLinkToken(): string {
  for (;;) {
    const t = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
    if (/^[A-Za-z0-9]/.test(t)) return t;
  }
}

/** Hex SHA-256 of the token's bytes: what the relay stores. */
export const tokenVerifier = (token: string): Promise<string> => sha256HexAsync(fromBase64Url(token));
