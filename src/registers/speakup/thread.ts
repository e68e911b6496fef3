import type * as Y from 'yjs';
import { randomId } from '../../store/device-records';
import {
  openAsRecipient,
  openMessage,
  openReportContent,
  openWithReceipt,
  receiptKeys,
  type RecipientKey,
  type ReportEntry,
  type ReportKeys,
  sealMessage,
  sealReport,
} from './crypto';
import { closedIn, messagesIn, messageUpdate, reportIn, reportsIn, reportUpdate } from './doc';
import { type MessageBody, type MessageKind, nextSeq, type ReportContent, type ReportStatus, type Status, type ThreadMessage, threadOrder, threadState } from './model';

/*
 * Reading and writing threads over a set of documents — this device's copy of
 * the room plus what is still in its outbox (member app), or a copy fetched
 * once over the public link. No Solid, no DOM: the screens and the public page
 * both use it.
 */

/** An opened report: the keys (kept in memory only), what it says and its thread. */
export interface OpenedReport {
  locator: string;
  day: string;
  content: ReportContent;
  keys: ReportKeys;
  messages: ThreadMessage[];
  status: ReportStatus;
  statusDay?: string;
  outcome?: string;
  /** The report itself is still in this device's outbox. */
  queued: boolean;
}

/** Decrypted messages by id; `null` for what this key does not open. Reused between reads. */
export type MessageCache = Map<string, ThreadMessage | null>;

export async function readMessages(workspaceId: string, docs: readonly Y.Doc[], locator: string, keys: ReportKeys, cache: MessageCache, queuedIds: ReadonlySet<string> = new Set()): Promise<ThreadMessage[]> {
  const out: ThreadMessage[] = [];
  for (const [id, entry] of messagesIn(docs, locator)) {
    let m = cache.get(id);
    if (m === undefined) {
      m = await openMessage({ workspaceId, id, entry, keys });
      cache.set(id, m);
    }
    if (m) out.push(queuedIds.has(id) ? { ...m, queued: true } : m);
  }
  return threadOrder(out);
}

async function assemble(
  workspaceId: string,
  docs: readonly Y.Doc[],
  locator: string,
  entry: ReportEntry,
  keys: ReportKeys,
  cache: MessageCache,
  queued: { reports: ReadonlySet<string>; messages: ReadonlySet<string> },
): Promise<OpenedReport | null> {
  const content = await openReportContent(workspaceId, locator, entry, keys);
  if (!content) return null;
  const messages = await readMessages(workspaceId, docs, locator, keys, cache, queued.messages);
  // Recipients check who wrote a status; the reporter cannot (and only recipients and the reporter hold the key).
  const state = threadState(messages, { requireVerified: !!keys.staffKey });
  return { locator, day: entry.day, content, keys, messages, ...state, queued: queued.reports.has(locator) };
}

const NOTHING_QUEUED = { reports: new Set<string>(), messages: new Set<string>() };

/** The report a receipt stands for, or null: a wrong receipt finds nothing and reads nothing. */
export async function openByReceipt(
  workspaceId: string,
  docs: readonly Y.Doc[],
  receipt: string,
  opts: { iterations?: number; cache?: MessageCache; queued?: { reports: ReadonlySet<string>; messages: ReadonlySet<string> } } = {},
): Promise<OpenedReport | null> {
  const { locator, wrapKey } = await receiptKeys(workspaceId, receipt, opts.iterations);
  const entry = reportIn(docs, locator);
  if (!entry) return null;
  const keys = await openWithReceipt(workspaceId, locator, wrapKey, entry);
  if (!keys) return null;
  return assemble(workspaceId, docs, locator, entry, keys, opts.cache ?? new Map(), opts.queued ?? NOTHING_QUEUED);
}

/** Re-reads an already opened report (new messages, new status). */
export async function reread(workspaceId: string, docs: readonly Y.Doc[], r: Pick<OpenedReport, 'locator' | 'keys'>, cache: MessageCache, queued = NOTHING_QUEUED): Promise<OpenedReport | null> {
  const entry = reportIn(docs, r.locator);
  return entry ? assemble(workspaceId, docs, r.locator, entry, r.keys, cache, queued) : null;
}

/** Every report this device's key opens (a recipient's inbox). Caches keys and messages across calls. */
export async function openInbox(
  workspaceId: string,
  docs: readonly Y.Doc[],
  device: { privateKey: CryptoKey; publicKey: string },
  caches: { keys: Map<string, ReportKeys | null>; messages: MessageCache },
  queued = NOTHING_QUEUED,
): Promise<{ reports: OpenedReport[]; unreadable: number }> {
  const reports: OpenedReport[] = [];
  let unreadable = 0;
  for (const [locator, entry] of reportsIn(docs)) {
    let keys = caches.keys.get(locator);
    if (keys === undefined) {
      keys = await openAsRecipient(workspaceId, locator, entry, device);
      caches.keys.set(locator, keys);
    }
    const opened = keys ? await assemble(workspaceId, docs, locator, entry, keys, caches.messages, queued) : null;
    if (opened) reports.push(opened);
    else unreadable += 1;
  }
  reports.sort((a, b) => b.day.localeCompare(a.day) || a.locator.localeCompare(b.locator));
  return { reports, unreadable };
}

// ---------- writing: every write is one fresh update ----------

/** Seals a new report; the update goes to the outbox, the receipt to the reporter's eyes only. */
export async function composeReport(opts: { workspaceId: string; content: ReportContent; recipients: readonly RecipientKey[]; exclude: ReadonlySet<string>; day: string; iterations?: number }) {
  const sealed = await sealReport(opts);
  return { receipt: sealed.receipt, locator: sealed.locator, update: reportUpdate(sealed.locator, sealed.entry) };
}

/**
 * Seals a message of a thread. `from` is who writes: a recipient (needs the
 * staff key) or the reporter. A status of `closed` also records the day in
 * clear (`closed` map) for the management review's count, once.
 */
export async function composeMessage(opts: {
  workspaceId: string;
  docs: readonly Y.Doc[];
  report: Pick<OpenedReport, 'locator' | 'keys' | 'messages'>;
  from: 'reporter' | 'recipient';
  kind: MessageKind;
  text: string;
  status?: Status;
  author?: string;
  day: string;
}): Promise<{ id: string; update: Uint8Array }> {
  const id = randomId();
  const body: MessageBody = {
    v: 1,
    from: opts.from,
    kind: opts.kind,
    text: opts.text,
    ...(opts.status ? { status: opts.status } : {}),
    ...(opts.from === 'recipient' && opts.author ? { author: opts.author } : {}),
    day: opts.day,
    seq: nextSeq(opts.report.messages),
  };
  const entry = await sealMessage({ workspaceId: opts.workspaceId, locator: opts.report.locator, id, keys: opts.report.keys, body });
  const closing = opts.status === 'closed' && !closedIn(opts.docs).has(opts.report.locator) ? opts.day : undefined;
  return { id, update: messageUpdate(id, entry, closing) };
}
