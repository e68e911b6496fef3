import { type Accessor, createEffect, createMemo, createSignal, onCleanup, untrack } from 'solid-js';
import type * as Y from 'yjs';
import { createRecord, type Fields, recordsOf } from './records';
import { importPublicKey } from '../crypto/envelope';
import {
  currentGeneration,
  currentKeys,
  type HeldKey,
  type KeyRecipient,
  keyFields,
  type KeyringStep,
  type KeyringView,
  keyringFromRecords,
  keyRecordId,
  newRegisterKey,
  nextKeyringStep,
  type RegisterKeyMeta,
  type RegisterKeyWrap,
  sealingKeyId,
  unwrapRegisterKey,
  wrapFields,
  wrapRecordId,
  wrapRegisterKey,
} from '../crypto/register-keys';

/*
 * The Yjs binding of register-keys.ts: read and write a register's keys in
 * its own Y.Doc (records `key.<keyId>` and `wrap.<keyId>.<deviceId>`), and a
 * Solid keyring that keeps them right on its own: it opens the keys wrapped
 * for this device, creates the first key, wraps keys for recipient devices
 * that lack them and rotates when a current key reaches a revoked device.
 * Any confidential register can use it; it knows nothing about officers.
 */

/** The register's keys and wraps as the document holds them now. */
export function readKeyring(doc: Y.Doc): KeyringView {
  const out: Array<[string, Fields]> = [];
  for (const [id, rec] of recordsOf(doc)) {
    const type = rec.get('type');
    if (type === 'register-key' || type === 'register-key-wrap') out.push([id, rec.toJSON() as Fields]);
  }
  return keyringFromRecords(out);
}

export interface CreateKeyOptions {
  register: string;
  /** The device creating it (recorded as createdBy and wrappedBy). */
  deviceId: string;
  /** Devices to wrap it for; include this device to keep it. */
  recipients: readonly KeyRecipient[];
  /** 'first', or 'rotation: …'. */
  reason: string;
  now?: string;
}

/**
 * Creates a register key of the next generation and wraps it for every
 * recipient, in one transaction (the key never appears without its wraps).
 * Used for the first key and for rotations; concurrent calls on two devices
 * give two keys of the same generation, both valid.
 *
 * @example
 * const held = await createRegisterKey(doc, { register: 'disciplinary', deviceId, recipients: officerDevices, reason: 'first' });
 * const sealed = await sealWithRegisterKey(held, text, `disciplinary entry ${id}`);
 */
export async function createRegisterKey(doc: Y.Doc, opts: CreateKeyOptions): Promise<HeldKey> {
  const held = await newRegisterKey();
  const at = opts.now ?? new Date().toISOString();
  const wraps = await Promise.all(
    opts.recipients.map(async (r): Promise<RegisterKeyWrap> => ({ keyId: held.keyId, deviceId: r.deviceId, to: r.publicKey, envelope: await wrapRegisterKey(opts.register, held, r), wrappedBy: opts.deviceId, at })),
  );
  // The generation is read after the awaits, from what the document holds at the moment of writing.
  const meta: RegisterKeyMeta = { keyId: held.keyId, generation: currentGeneration(readKeyring(doc).keys) + 1, createdAt: at, createdBy: opts.deviceId, reason: opts.reason };
  doc.transact(() => {
    createRecord(doc, keyRecordId(held.keyId), keyFields(meta));
    for (const w of wraps) createRecord(doc, wrapRecordId(w.keyId, w.deviceId), wrapFields(w));
  });
  return held;
}

/**
 * Wraps a key this device holds for more devices (a new officer's phone).
 * Returns how many wraps were written. Two devices doing it at once write the
 * same record ids; either envelope opens, so last-writer-wins loses nothing.
 */
export async function shareRegisterKey(doc: Y.Doc, opts: { register: string; held: HeldKey; recipients: readonly KeyRecipient[]; byDeviceId: string; now?: string }): Promise<number> {
  const at = opts.now ?? new Date().toISOString();
  const wraps = await Promise.all(
    opts.recipients.map(async (r): Promise<RegisterKeyWrap> => ({ keyId: opts.held.keyId, deviceId: r.deviceId, to: r.publicKey, envelope: await wrapRegisterKey(opts.register, opts.held, r), wrappedBy: opts.byDeviceId, at })),
  );
  doc.transact(() => {
    for (const w of wraps) createRecord(doc, wrapRecordId(w.keyId, w.deviceId), wrapFields(w));
  });
  return wraps.length;
}

/**
 * Opens every key wrapped for this device. Wraps that do not open (made for
 * another key pair, damaged) are skipped.
 */
export async function unwrapHeldKeys(doc: Y.Doc, opts: { register: string; deviceId: string; privateKey: CryptoKey; publicKey: string }): Promise<Map<string, CryptoKey>> {
  const held = new Map<string, CryptoKey>();
  for (const w of readKeyring(doc).wraps) {
    if (w.deviceId !== opts.deviceId || held.has(w.keyId)) continue;
    try {
      held.set(w.keyId, await unwrapRegisterKey(opts.register, w.keyId, w.envelope, opts));
    } catch {
      // Not openable with this key pair: another officer's device will wrap it again.
    }
  }
  return held;
}

// ---------- the Solid keyring ----------

export interface RegisterKeyringOptions {
  /** Register name, part of every wrap's context (e.g. 'disciplinary'). */
  register: string;
  deviceId: string;
  /** This device's key pair, once loaded (session.deviceKeys). */
  deviceKeys: Accessor<{ privateKey: CryptoKey; publicKey: string } | undefined>;
  /** Devices that must hold the keys — for the disciplinary log, the officers' devices. */
  recipients: Accessor<readonly KeyRecipient[]>;
  /** Devices known to be no longer allowed (removed, or no longer officers). */
  revoked: Accessor<ReadonlySet<string>>;
}

/**
 * - 'no-device-key': this device's key pair is not loaded yet;
 * - 'not-recipient': this device is not one that holds the keys;
 * - 'creating': no key exists yet; this device is creating the first one;
 * - 'waiting': keys exist but none of the current ones is wrapped for this device yet;
 * - 'ready': this device holds a current key and can seal and open.
 */
export type KeyringStatus = 'no-device-key' | 'not-recipient' | 'creating' | 'waiting' | 'ready';

export interface RegisterKeyring {
  register: string;
  /** Keys and wraps in the document. */
  view: Accessor<KeyringView>;
  /** Keys this device holds, by id. */
  held: Accessor<ReadonlyMap<string, CryptoKey>>;
  keyById(keyId: string): CryptoKey | undefined;
  /** The key to seal new text with, or undefined when this device holds no current key. */
  sealingKey(): HeldKey | undefined;
  status: Accessor<KeyringStatus>;
  /** Whether this device is one of the recipients now. */
  isRecipient: Accessor<boolean>;
  /** Device ids holding a wrap of a current key. */
  currentHolders: Accessor<ReadonlySet<string>>;
  /** The last key operation that failed, in words (undefined when all is well). */
  problem: Accessor<string | undefined>;
  /** Resolves once the work in hand (unwrapping, creating, wrapping) is done. */
  settled(): Promise<void>;
}

/**
 * Keeps a register's keys right from this device, reacting to the document,
 * the recipients and this device's key pair: opens the keys wrapped for it,
 * creates the first key, wraps every key it holds for recipients that lack
 * it, and rotates when a current key is wrapped to a revoked device. Must be
 * created inside a Solid root (the session).
 *
 * @example
 * const keyring = createRegisterKeyring(doc, {
 *   register: 'disciplinary',
 *   deviceId,
 *   deviceKeys: session.deviceKeys,
 *   recipients: () => members.keyHoldersOf(new Set(officerIds())).map((m) => ({ deviceId: m.deviceId, publicKey: m.publicKey! })),
 *   revoked: () => new Set(nonOfficerDeviceIds()),
 * });
 * keyring.sealingKey(); // { keyId, key } once status() is 'ready'
 */
export function createRegisterKeyring(doc: Y.Doc, opts: RegisterKeyringOptions): RegisterKeyring {
  const [version, setVersion] = createSignal(0);
  const onChange = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>) => {
    // Only key and wrap records matter here; ignore edits elsewhere in the register.
    for (const e of events) {
      const keys = e.target === recordsOf(doc) ? [...(e as Y.YMapEvent<unknown>).keysChanged] : [String(e.path[0] ?? '')];
      if (keys.some((k) => k.startsWith('key.') || k.startsWith('wrap.'))) return setVersion((n) => n + 1);
    }
  };
  recordsOf(doc).observeDeep(onChange);
  onCleanup(() => recordsOf(doc).unobserveDeep(onChange));

  const view = createMemo(() => (version(), readKeyring(doc)));
  const [held, setHeld] = createSignal<ReadonlyMap<string, CryptoKey>>(new Map());
  const [problem, setProblem] = createSignal<string>();
  const isRecipient = createMemo(() => opts.recipients().some((r) => r.deviceId === opts.deviceId) && !opts.revoked().has(opts.deviceId));
  const heldIds = createMemo(() => new Set(held().keys()));
  const currentHolders = createMemo(() => {
    const current = new Set(currentKeys(view().keys).map((k) => k.keyId));
    return new Set(view().wraps.filter((w) => current.has(w.keyId)).map((w) => w.deviceId));
  });

  let disposed = false;
  onCleanup(() => (disposed = true));
  const pending = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    pending.add(p);
    void p.finally(() => pending.delete(p));
    return p;
  };
  const addHeld = (keyId: string, key: CryptoKey) => {
    if (disposed || held().get(keyId) === key) return;
    const next = new Map(held());
    next.set(keyId, key);
    setHeld(next);
  };

  // 1. Open what is wrapped for this device. One attempt per envelope.
  const tried = new Map<string, string>();
  createEffect(() => {
    const keys = opts.deviceKeys();
    const mine = view().wraps.filter((w) => w.deviceId === opts.deviceId && w.to === keys?.publicKey);
    if (!keys) return;
    for (const w of mine) {
      if (untrack(held).has(w.keyId) || tried.get(w.keyId) === w.envelope.ct) continue;
      tried.set(w.keyId, w.envelope.ct);
      void track(
        unwrapRegisterKey(opts.register, w.keyId, w.envelope, keys).then(
          (key) => addHeld(w.keyId, key),
          () => setProblem(`A key wrapped for this device does not open with its key pair (key ${w.keyId}).`),
        ),
      );
    }
  });

  // 2. Create, rotate, wrap: one step at a time, re-planned from the document after each.
  let running: Promise<void> | undefined;
  let again = false;
  const badRecipients = new Set<string>();
  async function perform(step: KeyringStep): Promise<void> {
    const recipients = untrack(opts.recipients).filter((r) => !untrack(opts.revoked).has(r.deviceId) && !badRecipients.has(`${r.deviceId} ${r.publicKey}`));
    if (step.kind === 'create' || step.kind === 'rotate') {
      const usable = await usableRecipients(recipients, badRecipients);
      const h = await createRegisterKey(doc, { register: opts.register, deviceId: opts.deviceId, recipients: usable, reason: step.reason });
      addHeld(h.keyId, h.key);
    } else {
      const key = untrack(held).get(step.keyId);
      if (!key) return;
      const usable = await usableRecipients(step.to.filter((r) => !badRecipients.has(`${r.deviceId} ${r.publicKey}`)), badRecipients);
      if (usable.length > 0) await shareRegisterKey(doc, { register: opts.register, held: { keyId: step.keyId, key }, recipients: usable, byDeviceId: opts.deviceId });
    }
  }
  function plan(): KeyringStep | undefined {
    return nextKeyringStep(readKeyring(doc), {
      self: opts.deviceId,
      recipients: untrack(opts.recipients).filter((r) => !badRecipients.has(`${r.deviceId} ${r.publicKey}`)),
      revoked: untrack(opts.revoked),
      held: new Set(untrack(held).keys()),
    });
  }
  function schedule(): void {
    if (running) {
      again = true;
      return;
    }
    running = track(
      (async () => {
        // Bounded: a step that keeps coming back (it should not) cannot spin forever.
        for (let i = 0; i < 50 && !disposed; i++) {
          again = false;
          const step = untrack(opts.deviceKeys) ? plan() : undefined;
          if (!step) {
            if (again) continue;
            break;
          }
          try {
            await perform(step);
            setProblem(undefined);
          } catch (err) {
            setProblem(`Could not ${step.kind} the register key: ${err instanceof Error ? err.message : String(err)}`);
            break;
          }
        }
      })().finally(() => {
        running = undefined;
        if (again && !disposed) schedule();
      }),
    );
  }
  createEffect(() => {
    // Re-plan whenever any input changes.
    view();
    heldIds();
    opts.recipients();
    opts.revoked();
    if (opts.deviceKeys()) schedule();
  });

  const status = createMemo<KeyringStatus>(() => {
    if (!opts.deviceKeys()) return 'no-device-key';
    const v = view();
    if (sealingKeyId(v.keys, heldIds())) return 'ready';
    if (!isRecipient()) return 'not-recipient';
    return v.keys.length === 0 ? 'creating' : 'waiting';
  });

  return {
    register: opts.register,
    view,
    held,
    keyById: (keyId) => held().get(keyId),
    sealingKey() {
      const id = sealingKeyId(view().keys, heldIds());
      const key = id ? held().get(id) : undefined;
      return id && key ? { keyId: id, key } : undefined;
    },
    status,
    isRecipient,
    currentHolders,
    problem,
    async settled() {
      // Let effects scheduled by the last change run first.
      await Promise.resolve();
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}

/** Recipients whose public key imports; the others are remembered and skipped (a malformed member record must not block the rest). */
async function usableRecipients(recipients: readonly KeyRecipient[], bad: Set<string>): Promise<KeyRecipient[]> {
  const out: KeyRecipient[] = [];
  for (const r of recipients) {
    try {
      await importPublicKey(r.publicKey);
      out.push(r);
    } catch {
      bad.add(`${r.deviceId} ${r.publicKey}`);
    }
  }
  return out;
}
