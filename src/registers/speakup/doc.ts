import * as Y from 'yjs';
import { randomId } from '../../store/device-records';
import { isMessageEntry, isReportEntry, type MessageEntry, type ReportEntry } from './crypto';

/*
 * The speak-up document (relay room `<workspaceId>.speakup`, not one of the
 * workspace REGISTERS). Four maps, every value written once under a fresh key:
 *
 *   reports:   locator → ReportEntry            (sealed; day only)
 *   messages:  random id → MessageEntry         (sealed; the locator it belongs to; day only)
 *   directory: "v<version>.<random>" → DirectoryEntry  (the recipients' names and public keys and
 *                                                the process, for the public link; highest version wins)
 *   closed:    message id → { l: locator, d: day }  (the day a recipient closed a report: the only
 *                                                status the relay sees, for the management review's count;
 *                                                the earliest counts)
 *
 * Keys are never reused, so no write ever replaces or deletes another: the
 * relay refuses any update that would (server/speakup.ts), whoever sends it.
 * Nothing is ever written to a device's own copy of this document. Every write
 * is a Yjs update made on a brand-new, empty Y.Doc (a fresh random client id,
 * no history), queued in the device outbox and sent over a separate, short-lived
 * connection (outbox.ts; src/sync/short-room.ts). Devices read what comes back from the relay.
 */

export const REPORTS = 'reports';
export const MESSAGES = 'messages';
export const DIRECTORY = 'directory';
export const CLOSED = 'closed';

/** What the public reporter page needs: who receives reports, their devices' keys, and the process. */
export interface DirectoryBody {
  orgName: string;
  recipients: Array<{ ref: string; name: string; keys: string[] }>;
  process: { ackDays: number; feedbackMonths: number; statement: string; nextSteps: string; external: string };
}

export interface DirectoryEntry {
  v: 1;
  version: number;
  /** Fingerprint of every key in `body.recipients` (crypto.ts keysFingerprint). */
  fp: string;
  body: DirectoryBody;
}

export function isDirectoryEntry(x: unknown): x is DirectoryEntry {
  if (!x || typeof x !== 'object') return false;
  const d = x as Record<string, unknown>;
  const body = d['body'] as Record<string, unknown> | undefined;
  return (
    d['v'] === 1 &&
    typeof d['version'] === 'number' &&
    typeof d['fp'] === 'string' &&
    !!body &&
    typeof body['orgName'] === 'string' &&
    Array.isArray(body['recipients']) &&
    (body['recipients'] as unknown[]).every(
      (r) => !!r && typeof r === 'object' && typeof (r as Record<string, unknown>)['name'] === 'string' && Array.isArray((r as Record<string, unknown>)['keys']),
    ) &&
    !!body['process'] &&
    typeof body['process'] === 'object'
  );
}

/** One write, as a self-contained update from a fresh document: it shares nothing with this device's other edits. */
function freshUpdate(write: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc();
  try {
    doc.transact(() => write(doc));
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

export const reportUpdate = (locator: string, entry: ReportEntry) => freshUpdate((d) => d.getMap(REPORTS).set(locator, entry));

/** A message; with `closedOn` also the day the report was closed (the relay-visible count). */
export const messageUpdate = (id: string, entry: MessageEntry, closedOn?: string) =>
  freshUpdate((d) => {
    d.getMap(MESSAGES).set(id, entry);
    if (closedOn) d.getMap(CLOSED).set(id, { l: entry.locator, d: closedOn });
  });

export const directoryUpdate = (entry: DirectoryEntry) => freshUpdate((d) => d.getMap(DIRECTORY).set(`v${entry.version}.${randomId(6)}`, entry));

// ---------- reading (several docs: this device's copy and what is still in its outbox) ----------

export function reportIn(docs: readonly Y.Doc[], locator: string): ReportEntry | undefined {
  for (const d of docs) {
    const r = d.getMap(REPORTS).get(locator);
    if (isReportEntry(r)) return r;
  }
  return undefined;
}

export function reportsIn(docs: readonly Y.Doc[]): Map<string, ReportEntry> {
  const out = new Map<string, ReportEntry>();
  for (const d of docs) for (const [k, r] of d.getMap(REPORTS)) if (!out.has(k) && isReportEntry(r)) out.set(k, r);
  return out;
}

export function messagesIn(docs: readonly Y.Doc[], locator?: string): Map<string, MessageEntry> {
  const out = new Map<string, MessageEntry>();
  for (const d of docs) {
    for (const [k, m] of d.getMap(MESSAGES)) if (!out.has(k) && isMessageEntry(m) && (locator === undefined || m.locator === locator)) out.set(k, m);
  }
  return out;
}

/** locator → the earliest day a recipient closed it. */
export function closedIn(docs: readonly Y.Doc[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of docs) {
    for (const v of d.getMap(CLOSED).values()) {
      const c = v as { l?: unknown; d?: unknown } | null;
      if (!c || typeof c.l !== 'string' || typeof c.d !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(c.d)) continue;
      const seen = out.get(c.l);
      if (!seen || c.d < seen) out.set(c.l, c.d);
    }
  }
  return out;
}

/** The newest published directory. */
export function latestDirectory(docs: readonly Y.Doc[]): DirectoryEntry | undefined {
  let best: DirectoryEntry | undefined;
  let bestKey = '';
  for (const d of docs) {
    for (const [k, e] of d.getMap(DIRECTORY)) {
      if (isDirectoryEntry(e) && (!best || e.version > best.version || (e.version === best.version && k > bestKey))) {
        best = e;
        bestKey = k;
      }
    }
  }
  return best;
}

/** Report days and closing days of every report: the management review's input, never content. */
export function speakupRowsIn(docs: readonly Y.Doc[]): Array<{ receivedOn: string; closedOn?: string }> {
  const closed = closedIn(docs);
  return [...reportsIn(docs)].map(([locator, r]) => ({ receivedOn: r.day, ...(closed.has(locator) ? { closedOn: closed.get(locator)! } : {}) }));
}
