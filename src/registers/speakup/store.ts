import { type Accessor, createMemo, createResource, createSignal, onCleanup } from 'solid-js';
import * as Y from 'yjs';
import { localIsoDate } from '../../domain/dates';
import type { Validated } from '../../domain/validation';
import type { DeviceDb, DeviceKeyRecord } from '../../store/device-db';
import { createDocView } from '../../store/reactive';
import { createRecord, recordsOf, setFields } from '../../store/records';
import type { Signer } from '../../store/signoffs';
import type { MemberStore } from '../members/store';
import type { PeopleStore } from '../people/store';
import { keysFingerprint, newLinkToken, type ReportKeys } from './crypto';
import { type DirectoryBody, latestDirectory, MESSAGES, REPORTS, speakupRowsIn } from './doc';
import {
  canManage,
  CONFIG_RECORD,
  configFromFields,
  type ProcessInput,
  type ProcessSettings,
  recipientField,
  recipientKeysOf,
  type ReportContent,
  type SpeakupConfig,
  type Status,
  validateOutcome,
  validateProcess,
  validateReply,
} from './model';
import { enqueue, onOutboxChange, pendingIn, viaWorkspace } from './outbox';
import { composeMessage, composeReport, type MessageCache, openByReceipt, openInbox, type OpenedReport, reread } from './thread';

/*
 * The speak-up channel on a member's device. This device's copy of the room
 * (`doc`, persisted in its own IndexedDB database) is only ever written by
 * the relay: every report, message and directory is a fresh update that goes
 * through the outbox (sync.ts sends it over a separate connection). What is
 * still in the outbox is shown from `pending`, a scratch document rebuilt
 * from the outbox, so a queued reply appears at once (marked "queued").
 */

export interface SpeakupDeps {
  workspaceId: string;
  deviceId: string;
  /** This device's copy of the speak-up room. */
  doc: Y.Doc;
  /** The workspace settings document: the channel's settings live in record `speakup`. */
  settingsDoc: Y.Doc;
  members: MemberStore;
  people: PeopleStore;
  /** The organisation's name when the settings document has none yet. */
  fallbackOrgName: string;
  signer: Accessor<Signer>;
  deviceKeys: Accessor<DeviceKeyRecord | undefined>;
  db: DeviceDb;
  /** Asks the network side to send the outbox now; resolves with how many are left. */
  flush: () => Promise<number>;
}

export type SendResult = 'sent' | 'queued';

export function createSpeakupStore(deps: SpeakupDeps) {
  const ws = deps.workspaceId;

  // ---- settings (settings document, record "speakup") ----
  const view = createDocView(deps.settingsDoc);
  const config = createMemo((): SpeakupConfig => configFromFields(view.records().get(CONFIG_RECORD)));
  const writeConfig = (fields: Record<string, unknown>) => {
    if (recordsOf(deps.settingsDoc).has(CONFIG_RECORD)) setFields(deps.settingsDoc, CONFIG_RECORD, fields);
    else createRecord(deps.settingsDoc, CONFIG_RECORD, { type: 'speakup', ...fields });
  };
  const orgName = createMemo(() => {
    const n = view.records().get('org')?.['name'];
    return typeof n === 'string' && n ? n : deps.fallbackOrgName;
  });
  const manager = createMemo(() => canManage(deps.members.all(), deps.deviceId));
  const NOT_OWNER = 'Only an owner of the workspace can change the speak-up settings.';

  // ---- the room, as this device holds it plus its outbox ----
  const [version, setVersion] = createSignal(0, { equals: false });
  const bump = () => setVersion(0);
  deps.doc.on('update', bump);
  onCleanup(() => deps.doc.off('update', bump));

  const [pending, setPending] = createSignal<{ doc: Y.Doc; count: number; reports: Set<string>; messages: Set<string> }>({ doc: new Y.Doc(), count: 0, reports: new Set(), messages: new Set() });
  const loadPending = async () => {
    const items = await pendingIn(deps.db, viaWorkspace(ws));
    const doc = new Y.Doc();
    for (const i of items) Y.applyUpdate(doc, i.update);
    const held = (name: string) => deps.doc.getMap(name);
    const reports = new Set([...doc.getMap(REPORTS).keys()].filter((k) => !held(REPORTS).has(k)));
    const messages = new Set([...doc.getMap(MESSAGES).keys()].filter((k) => !held(MESSAGES).has(k)));
    setPending({ doc, count: items.length, reports, messages });
  };
  void loadPending();
  onCleanup(onOutboxChange(() => void loadPending()));
  const docs = () => (version(), [deps.doc, pending().doc]);
  const queued = () => ({ reports: pending().reports, messages: pending().messages });

  /** Queue an update and try to send it at once. */
  async function send(update: Uint8Array): Promise<SendResult> {
    await enqueue(deps.db, { workspaceId: ws, via: 'workspace', update });
    const left = await deps.flush().catch(() => 1);
    return left === 0 ? 'sent' : 'queued';
  }

  // ---- recipients ----
  const recipientKeys = createMemo(() => recipientKeysOf(config().recipients, deps.members.all()));
  const recipients = createMemo(() =>
    config().recipients.map((personId) => ({
      personId,
      name: deps.people.nameOf(personId) || 'Someone not in People on this device',
      devices: recipientKeys().filter((k) => k.ref === personId).length,
    })),
  );
  const isRecipient = () => !!deps.signer().personId && config().recipients.includes(deps.signer().personId!);

  // ---- a recipient's inbox ----
  const caches = { keys: new Map<string, ReportKeys | null>(), messages: new Map() as MessageCache };
  const [inbox] = createResource(
    () => (isRecipient() && deps.deviceKeys() ? { v: docs(), keys: deps.deviceKeys()!, q: queued() } : false),
    ({ v, keys, q }) => openInbox(ws, v, keys, caches, q),
  );

  // ---- the directory the public page reads ----
  const directory = createMemo((): { body: DirectoryBody; keys: string[] } => {
    const c = config();
    const body: DirectoryBody = {
      orgName: orgName(),
      recipients: recipients().map((r) => ({ ref: r.personId, name: r.name, keys: recipientKeys().filter((k) => k.ref === r.personId).map((k) => k.publicKey).sort() })),
      process: { ackDays: c.ackDays, feedbackMonths: c.feedbackMonths, statement: c.statement, nextSteps: c.nextSteps, external: c.external },
    };
    return { body, keys: recipientKeys().map((k) => k.publicKey) };
  });
  const [fingerprint] = createResource(() => directory().keys.join('\n'), (k) => keysFingerprint(k ? k.split('\n') : []));

  const today = () => localIsoDate();

  return {
    config,
    orgName,
    /** Owners (or anyone while the workspace has no owner) manage recipients, the link and the process. */
    canManage: manager,
    isRecipient,
    recipients,
    recipientKeys,
    docs,
    /** Outbox items of this workspace still to send. */
    outboxCount: () => pending().count,
    inbox,
    directory,
    fingerprint,
    /** The newest directory, including one still in the outbox (what the publisher compares with). */
    published: () => latestDirectory(docs()),
    /** The newest directory the relay has sent back: what the public page will see. */
    publishedOnRelay: () => (version(), latestDirectory([deps.doc])),
    /** Received and closed days of every report: the management review's input. Never content. */
    kpiRows: createMemo(() => speakupRowsIn(docs())),
    /** The same, for a management review: undefined while the channel is not in use (no recipients, no reports), shown as "not available". */
    reviewRows: () => {
      const rows = speakupRowsIn(docs());
      return config().recipients.length || rows.length ? rows : undefined;
    },

    // ---- reporting ----
    /** Seals and sends (or queues) a report. Returns the receipt: show it once, keep it nowhere. */
    async submit(content: ReportContent, exclude: ReadonlySet<string>): Promise<{ ok: true; receipt: string; result: SendResult } | { ok: false; error: string }> {
      if (!config().recipients.length) return { ok: false, error: 'No recipients have been designated yet, so nobody could read a report. Ask an owner to choose them under Speak up → Settings.' };
      const keys = recipientKeys();
      if (!keys.some((k) => !exclude.has(k.ref))) {
        return { ok: false, error: exclude.size ? 'Everyone who could read this report is excluded. Leave at least one recipient in.' : 'None of the recipients has a device that can receive reports yet.' };
      }
      const { receipt, update } = await composeReport({ workspaceId: ws, content, recipients: keys, exclude, day: today() });
      return { ok: true, receipt, result: await send(update) };
    },

    /** The report a receipt stands for, read from this device's copy and its outbox; null if none. */
    openByReceipt: (receipt: string) => openByReceipt(ws, docs(), receipt, { queued: queued() }),
    /** Re-reads an opened report: call when `docs()` changes. */
    reread: (r: OpenedReport, cache: MessageCache) => reread(ws, docs(), r, cache, queued()),

    /** A message in a thread, as the reporter or as a recipient. */
    async reply(report: OpenedReport, from: 'reporter' | 'recipient', text: string): Promise<Validated<SendResult>> {
      const v = validateReply(text);
      if (!v.ok) return v;
      if (from === 'recipient' && !report.keys.staffKey) return { ok: false, errors: { text: 'Only a recipient can answer as a recipient.' } };
      const { update } = await composeMessage({ workspaceId: ws, docs: docs(), report, from, kind: 'reply', text: v.value, author: deps.signer().name, day: today() });
      return { ok: true, value: await send(update) };
    },

    async setStatus(report: OpenedReport, status: Status): Promise<Validated<SendResult>> {
      if (!report.keys.staffKey) return { ok: false, errors: { status: 'Only a recipient can change the status.' } };
      if (status === report.status) return { ok: false, errors: { status: 'The report already has this status.' } };
      const { update } = await composeMessage({ workspaceId: ws, docs: docs(), report, from: 'recipient', kind: 'status', text: '', status, author: deps.signer().name, day: today() });
      return { ok: true, value: await send(update) };
    },

    async recordOutcome(report: OpenedReport, text: string): Promise<Validated<SendResult>> {
      if (!report.keys.staffKey) return { ok: false, errors: { outcome: 'Only a recipient can record the outcome.' } };
      const v = validateOutcome(text);
      if (!v.ok) return v;
      const { update } = await composeMessage({ workspaceId: ws, docs: docs(), report, from: 'recipient', kind: 'outcome', text: v.value, author: deps.signer().name, day: today() });
      return { ok: true, value: await send(update) };
    },

    // ---- settings (owners) ----
    setRecipient(personId: string, on: boolean): string | undefined {
      if (!manager()) return NOT_OWNER;
      writeConfig({ [recipientField(personId)]: on });
      return undefined;
    },
    setPublicLink(on: boolean): string | undefined {
      if (!manager()) return NOT_OWNER;
      writeConfig(on ? { publicLink: true, token: config().token || newLinkToken() } : { publicLink: false });
      return undefined;
    },
    /** A new link: the old one stops working once the relay has the new verifier. */
    regenerateLink(): string | undefined {
      if (!manager()) return NOT_OWNER;
      writeConfig({ publicLink: true, token: newLinkToken() });
      return undefined;
    },
    saveProcess(input: ProcessInput): Validated<ProcessSettings> | { ok: false; errors: { _: string } } {
      if (!manager()) return { ok: false, errors: { _: NOT_OWNER } };
      const v = validateProcess(input);
      if (v.ok) writeConfig({ ...v.value });
      return v;
    },
  };
}

export type SpeakupStore = ReturnType<typeof createSpeakupStore>;
