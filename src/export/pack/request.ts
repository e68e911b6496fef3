import * as Y from 'yjs';
import type { PackInput, RawRegister } from '../../evidence/types';

/**
 * What the screen sends to the worker: each register document as one Yjs
 * update (cheap to encode on the UI thread, transferable), registers that are
 * plain rows already (speak-up counts) as JSON, and the pack's settings.
 * The worker turns it into a PackInput (`inputFromRequest`).
 */
export interface PackRequest {
  meta: Omit<PackInput, 'registers' | 'disciplinaryOpened' | 'attachments'>;
  updates: Record<string, Uint8Array>;
  raw: Record<string, RawRegister>;
  disciplinaryOpened?: unknown[] | undefined;
  /** Attachment bytes this device holds, by SHA-256. */
  attachments?: Record<string, Uint8Array> | undefined;
}

/** A register document's JSON from its Yjs update: records (id → fields), entries (id → entry), and signatures and the membership log when it has them. */
export function rawFromUpdate(update: Uint8Array): RawRegister {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, update);
    const sigs = doc.getMap('sigs');
    const membership = doc.getMap('membership');
    return {
      records: doc.getMap('records').toJSON() as RawRegister['records'],
      entries: doc.getMap('entries').toJSON() as RawRegister['entries'],
      ...(sigs.size ? { sigs: sigs.toJSON() } : {}),
      ...(membership.size ? { membership: membership.toJSON() } : {}),
    };
  } finally {
    doc.destroy();
  }
}

export function inputFromRequest(req: PackRequest): PackInput {
  const registers: Record<string, RawRegister> = {};
  for (const [name, update] of Object.entries(req.updates)) registers[name] = rawFromUpdate(update);
  for (const [name, raw] of Object.entries(req.raw)) registers[name] = raw;
  return {
    ...req.meta,
    registers,
    ...(req.disciplinaryOpened ? { disciplinaryOpened: req.disciplinaryOpened } : {}),
    ...(req.attachments ? { attachments: new Map(Object.entries(req.attachments)) } : {}),
  };
}

/** The messages between the screen and the worker. */
export type WorkerRequest = { kind: 'pack'; request: PackRequest } | { kind: 'section'; request: PackRequest; register: string };

export type WorkerReply =
  | { kind: 'progress'; fraction: number; step: string }
  | { kind: 'pack'; zip: Uint8Array; files: Array<{ path: string; bytes: number; sha256: string }>; missing: string[]; pages: number; ms: number }
  | { kind: 'section'; bytes: Uint8Array; title: string; pages: number; ms: number }
  | { kind: 'error'; message: string };
