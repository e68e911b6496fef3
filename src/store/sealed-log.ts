import { type Accessor, batch, createEffect, createMemo, createSignal, on, onCleanup } from 'solid-js';
import type * as Y from 'yjs';
import { docFlags } from './reactive';
import { appendEntry, entriesOf } from './records';
import { type EntryCodec, type EntryParser, type Opened, openEntry, resealedId, sealEntry } from './sealed-entries';

/*
 * The life cycle of a register's sealed entries on one device, whatever the
 * register: sealing new entries under the writing codec, opening what is in
 * the document (only once unlocked), opening again when this device's keys
 * change, counting what waits for a key or cannot be opened, and re-sealing
 * entries still stored under a read-only (older) codec. The register keeps
 * its own rules (who may write, what an entry says) and only hands this its
 * codecs and its parser (sealed-entries.ts).
 */

export interface SealedLogOptions<E extends { id: string }> {
  /** The codec new entries are sealed with. */
  codec: EntryCodec;
  /** Codecs the log still READS with, never writes (e.g. plaintextCodec: entries from before encryption). */
  readOnly?: readonly EntryCodec[];
  /** The register's own reading of an opened entry. */
  parse: EntryParser<E>;
  /** Changes when this device's keys change (a keyring's `held`): what failed to open is tried again. */
  keysChanged?: Accessor<unknown>;
}

export type OpenedEntry<E> = Extract<Opened<E>, { ok: true }>;

/**
 * A register's sealed log over `doc`'s `entries` map. Call it inside a
 * reactive owner (a store): it stops observing the document on cleanup.
 *
 * @example
 * const log = createSealedLog(doc, { codec: aesGcmCodec(keyring, 'reviews'), parse: reviewFromJson, keysChanged: keyring.held });
 * log.unlock();
 * await log.append(entry, deviceId); // undefined, or why not (no key yet)
 * log.entries(); log.waitingForKey();
 */
export function createSealedLog<E extends { id: string }>(doc: Y.Doc, options: SealedLogOptions<E>) {
  const { codec, parse } = options;
  const entriesMap = entriesOf(doc);
  const readers = [codec, ...(options.readOnly ?? []).filter((c) => c.id !== codec.id)];
  /** Stored id → what opening it gave. */
  const opened = new Map<string, Opened<E>>();
  /** Stored id of a re-sealed copy → the entry id it carries. */
  const carries = new Map<string, string>();
  const opening = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  /** Bumped by lock(): opens started before it are dropped. */
  let generation = 0;
  /** Bumped when this device's keys change: an open that failed under older keys is tried again. */
  let keyEpoch = 0;
  const [version, setVersion] = createSignal(0);
  const [unlocked, setUnlocked] = createSignal(false);
  const bump = () => setVersion((n) => n + 1);

  function openOne(id: string, raw: unknown): void {
    opening.add(id);
    const gen = generation;
    const epoch = keyEpoch;
    const r = raw as { reseals?: unknown } | null;
    if (typeof r?.reseals === 'string') carries.set(id, r.reseals);
    const job = openEntry(raw, readers, parse).then((o) => {
      opening.delete(id);
      if (gen !== generation) return;
      // Keys arrived while this was being opened: try again with them.
      if (!o.ok && epoch !== keyEpoch) return openOne(id, entriesMap.get(id));
      opened.set(id, o);
      bump();
    });
    inFlight.add(job);
    void job.finally(() => inFlight.delete(job));
  }

  function openNew(): void {
    if (!unlocked()) return;
    for (const [id, raw] of entriesMap) if (!opened.has(id) && !opening.has(id)) openOne(id, raw);
  }
  entriesMap.observe(openNew);
  onCleanup(() => entriesMap.unobserve(openNew));

  if (options.keysChanged) {
    createEffect(
      on(options.keysChanged, () => {
        keyEpoch++;
        let retried = false;
        for (const [id, o] of opened) {
          if (!o.ok) {
            opened.delete(id);
            retried = true;
          }
        }
        if (retried) bump();
        openNew();
      }, { defer: true }),
    );
  }

  /** Entry id → the best opening of it: a copy under the writing codec wins over one from a read-only codec. */
  const best = createMemo(() => {
    version();
    // Stored entries the evidence signer flagged (issue 17, src/store/reactive.ts) do not count.
    const flags = docFlags(doc);
    const out = new Map<string, OpenedEntry<E>>();
    for (const o of opened.values()) {
      if (!o.ok || flags.has(o.storedId)) continue;
      const prev = out.get(o.entry.id);
      if (!prev || (prev.codec !== codec.id && o.codec === codec.id)) out.set(o.entry.id, o);
    }
    return out;
  });
  const failures = createMemo(() => {
    version();
    return [...opened.values()].filter((o): o is Extract<Opened<E>, { ok: false }> => !o.ok && !best().has(carries.get(o.id) ?? o.id));
  });
  const stale = () => [...best().values()].filter((o) => o.codec !== codec.id).map((o) => o.entry);

  /** Records what this device just sealed as opened, without opening it again. */
  const remember = (storedId: string, entry: E) => {
    if (!unlocked()) return;
    opened.set(storedId, { ok: true, entry, codec: codec.id, storedId });
    bump();
  };

  return {
    /** Starts opening the entries on this device (the register decides who may). */
    unlock(): void {
      if (unlocked()) return;
      setUnlocked(true);
      openNew();
    },
    /** Forgets every opened entry on this device. */
    lock(): void {
      generation++;
      opened.clear();
      setUnlocked(false);
      bump();
    },
    unlocked,
    /** Resolves once every entry seen so far has been opened (or found unreadable). */
    async settled(): Promise<void> {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    /** Every opened entry, once each (its best opening). */
    entries: createMemo(() => [...best().values()].map((o) => o.entry)),
    /** Entry ids shown from a read-only codec: not under the writing codec yet. */
    unsealed: createMemo(() => new Set(stale().map((e) => e.id))),
    /** Stored entries this device could not open for another reason than a missing key (damaged, foreign codec). */
    unreadable: createMemo(() => failures().filter((o) => !o.missingKey).length),
    /** Stored entries sealed with a key this device does not hold yet. */
    waitingForKey: createMemo(() => failures().filter((o) => !!o.missingKey).length),
    /** Sealed entries in the document, opened or not. */
    storedCount: (): number => {
      version();
      return entriesMap.size;
    },
    /** Seals and appends (chained under `device`); returns why not when this device cannot seal (no key yet). */
    async append(entry: E, device?: string): Promise<string | undefined> {
      let stored;
      try {
        stored = await sealEntry(entry, codec);
      } catch (err) {
        return err instanceof Error ? err.message : String(err);
      }
      remember(entry.id, entry);
      appendEntry(doc, stored, device);
      return undefined;
    },
    /**
     * Appends a copy under the writing codec (stored under `sealed.<id>`) of
     * every entry shown from a read-only codec; the originals stay (append-only).
     * Returns how many were re-sealed, or why not.
     */
    async reseal(device?: string): Promise<number | string> {
      const todo = stale();
      if (todo.length === 0) return 0;
      let sealed;
      try {
        sealed = await Promise.all(todo.map((e) => sealEntry(e, codec, resealedId(e.id))));
      } catch (err) {
        return err instanceof Error ? err.message : String(err);
      }
      doc.transact(() => {
        for (const st of sealed) appendEntry(doc, st, device);
      });
      batch(() => todo.forEach((e, i) => remember(sealed[i]!.id, e)));
      return todo.length;
    },
  };
}

export type SealedLog<E extends { id: string }> = ReturnType<typeof createSealedLog<E>>;
