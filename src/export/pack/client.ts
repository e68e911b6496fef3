import * as Y from 'yjs';
import { REGISTER_LABELS, REGISTERS } from '../../ui/registry';
import type { Session } from '../../ui/session';
import { speakupPackRegister } from '../../registers/speakup/pack';
import { type PackRequest, rawFromUpdate, type WorkerReply, type WorkerRequest } from './request';
import { referencedHashes } from './attachments';
import { disciplinaryForPack } from './disciplinary-access';
import { deviceDb, type DeviceDb } from '../../store/device-db';

/** Registers whose records can carry attachments (src/attachments/record.ts). */
const ATTACHMENT_REGISTERS = ['briefings', 'agreements'] as const;
import type { PackProgress } from '../../evidence/types';

/**
 * The UI thread's part of an export: encode each register document as one
 * Yjs update (no JSON walk of 10,000 entries here), hand it to the worker,
 * relay its progress. Cancel terminates the worker.
 */
export async function packRequest(s: Session, meta: PackRequest['meta']): Promise<{ request: PackRequest; transfer: Transferable[] }> {
  // An officer's device opens the log for the export; others say why not (disciplinary-access.ts).
  const { opened, access } = await disciplinaryForPack(s);
  const updates: Record<string, Uint8Array> = {};
  for (const name of REGISTERS) {
    const doc = s.docs[name] as Y.Doc | undefined;
    if (doc) updates[name] = Y.encodeStateAsUpdate(doc);
  }
  const raw: PackRequest['raw'] = {};
  // The root owner this device trusts names the root on the cover and in identity.json, not the log's first genesis.
  const root = s.workspace().root ?? s.members.log()?.current.root;
  if (s.speakup) raw['speakup'] = speakupPackRegister(s.speakup.kpiRows());
  return { request: { meta: { ...meta, workspace: s.workspace().id, ...(root ? { identityRoot: root } : {}), labels: { ...REGISTER_LABELS }, disciplinaryAccess: access }, updates, raw, ...(opened ? { disciplinaryOpened: opened } : {}) }, transfer: Object.values(updates).map((u) => u.buffer) };
}

/**
 * Adds the attachment bytes this device holds for the records of the workspace
 * (read from Dexie; the worker keeps those of the records in the pack).
 */
export async function withAttachments(req: { request: PackRequest; transfer: Transferable[] }, db: DeviceDb = deviceDb): Promise<{ request: PackRequest; transfer: Transferable[] }> {
  const registers: Record<string, { records: Record<string, Record<string, unknown>> }> = {};
  for (const name of ATTACHMENT_REGISTERS) {
    const update = req.request.updates[name];
    if (update) registers[name] = rawFromUpdate(update) as (typeof registers)[string];
  }
  const hashes = referencedHashes(registers);
  if (hashes.length === 0) return req;
  const held = await db.blobs.bulkGet(hashes);
  const attachments: Record<string, Uint8Array> = {};
  for (const b of held) if (b) attachments[b.hash] = b.bytes;
  return { request: { ...req.request, attachments }, transfer: [...req.transfer, ...Object.values(attachments).map((b) => b.buffer)] };
}

export interface Running<T> {
  result: Promise<T>;
  cancel(): void;
}

export class CancelledError extends Error {
  constructor() {
    super('The export was cancelled.');
    this.name = 'AbortError';
  }
}

const newPackWorker = () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'evidence-pack' });

/** A worker started ahead of the first export, so loading and compiling its script (pdf-lib, fflate) is not on the clock. */
let warm: Worker | undefined;

/**
 * Starts a worker in the background for the next export (the screen calls it when it opens).
 * Returns a function that stops it if it was not used.
 */
export function warmPackWorker(): () => void {
  if (typeof Worker === 'undefined') return () => {};
  const worker = (warm ??= newPackWorker());
  return () => {
    if (warm === worker) {
      warm = undefined;
      worker.terminate();
    }
  };
}

/** Runs one request in a worker (the warm one if there is one, else a fresh one); resolves with its final reply. */
export function runInWorker<K extends 'pack' | 'section'>(message: WorkerRequest & { kind: K }, transfer: Transferable[], onProgress?: (p: PackProgress) => void): Running<Extract<WorkerReply, { kind: K }>> {
  const worker = warm ?? newPackWorker();
  warm = undefined;
  let settle: ((error?: Error) => void) | undefined;
  const result = new Promise<Extract<WorkerReply, { kind: K }>>((resolve, reject) => {
    settle = (error) => {
      worker.terminate();
      if (error) reject(error);
    };
    worker.onmessage = (event: MessageEvent<WorkerReply>) => {
      const reply = event.data;
      if (reply.kind === 'progress') onProgress?.({ fraction: reply.fraction, step: reply.step });
      else if (reply.kind === 'error') settle?.(new Error(reply.message));
      else {
        worker.terminate();
        resolve(reply as Extract<WorkerReply, { kind: K }>);
      }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      settle?.(new Error(event.message || 'The export stopped unexpectedly.'));
    };
  });
  worker.postMessage(message, transfer);
  return { result, cancel: () => settle?.(new CancelledError()) };
}

