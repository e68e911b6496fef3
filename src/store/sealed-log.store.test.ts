import { createRoot, createSignal } from 'solid-js';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type HeldKey, newRegisterKey } from '../crypto/register-keys';
import { appendEntry, entriesOf } from './records';
import { aesGcmCodec, AES_CODEC_ID, type EntryCodec, plaintextCodec, type SealedEntry, sealEntry } from './sealed-entries';
import { createSealedLog } from './sealed-log';

/*
 * The sealed log with a register of its own (a "note" with a text), not the
 * disciplinary one: the primitive knows nothing of what an entry says. Keys
 * are real AES-GCM register keys; a device "receives" a key by adding it to
 * its held set (what a keyring does when a wrap for it arrives).
 */

interface Note {
  id: string;
  text: string;
  deviceId: string;
}
const parseNote = (plain: string): Note | undefined => {
  try {
    const n = JSON.parse(plain) as Partial<Note>;
    return typeof n.id === 'string' && typeof n.text === 'string' && typeof n.deviceId === 'string' ? { id: n.id, text: n.text, deviceId: n.deviceId } : undefined;
  } catch {
    return undefined;
  }
};
const note = (id: string, text = `note ${id}`): Note => ({ id, text, deviceId: 'dev-a' });

const disposers: Array<() => void> = [];
afterEach(() => {
  for (const d of disposers.splice(0)) d();
});

/** A device with its own copy of the register document and the keys it holds. */
function device(held: HeldKey[] = [], opts: { readOnly?: readonly EntryCodec[]; doc?: Y.Doc } = {}) {
  return createRoot((dispose) => {
    disposers.push(dispose);
    const doc = opts.doc ?? new Y.Doc();
    const [keys, setKeys] = createSignal<readonly HeldKey[]>(held);
    const source = { sealingKey: () => keys().at(-1), keyById: (id: string) => keys().find((k) => k.keyId === id)?.key };
    const codec = aesGcmCodec(source, 'notes', 'No key for notes yet.');
    const log = createSealedLog<Note>(doc, { codec, parse: parseNote, keysChanged: keys, ...(opts.readOnly ? { readOnly: opts.readOnly } : {}) });
    return { doc, codec, log, receive: (k: HeldKey) => setKeys((ks) => [...ks, k]) };
  });
}
const sync = (a: Y.Doc, b: Y.Doc) => {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
};

describe('createSealedLog', () => {
  it('stores only sealed text, opens nothing before unlock, and opens what other devices append', async () => {
    const k = await newRegisterKey();
    const a = device([k]);
    const b = device([k]);
    a.log.unlock();
    expect(await a.log.append(note('n1', 'Quarterly access review is overdue'), 'dev-a')).toBeUndefined();
    expect(a.log.entries()).toEqual([note('n1', 'Quarterly access review is overdue')]);
    const stored = entriesOf(a.doc).get('n1') as { kind: string; codec: string; sealed: string };
    expect(stored).toMatchObject({ kind: 'sealed', codec: AES_CODEC_ID });
    expect(JSON.stringify(stored)).not.toContain('overdue');

    sync(a.doc, b.doc);
    await b.log.settled();
    expect(b.log.storedCount()).toBe(1);
    expect(b.log.entries()).toEqual([]); // not unlocked: not even tried
    b.log.unlock();
    await b.log.settled();
    expect(b.log.entries().map((n) => n.text)).toEqual(['Quarterly access review is overdue']);

    await a.log.append(note('n2'), 'dev-a');
    sync(a.doc, b.doc);
    await b.log.settled();
    expect(b.log.entries().map((n) => n.id)).toEqual(['n1', 'n2']);
  });

  it('counts entries waiting for a key, and opens them once the key arrives', async () => {
    const k = await newRegisterKey();
    const a = device([k]);
    const b = device([]);
    a.log.unlock();
    b.log.unlock();
    await a.log.append(note('n1'), 'dev-a');
    await a.log.append(note('n2'), 'dev-a');
    sync(a.doc, b.doc);
    await b.log.settled();
    expect(b.log.entries()).toEqual([]);
    expect(b.log.waitingForKey()).toBe(2);
    expect(b.log.unreadable()).toBe(0);

    b.receive(k);
    await b.log.settled();
    expect(b.log.waitingForKey()).toBe(0);
    expect(b.log.entries().map((n) => n.id)).toEqual(['n1', 'n2']);
  });

  it('tries again an entry whose open failed while the key was arriving', async () => {
    const k = await newRegisterKey();
    const a = device([k]);
    const b = device([]);
    a.log.unlock();
    await a.log.append(note('n1'), 'dev-a');
    sync(a.doc, b.doc);
    b.log.unlock(); // the open starts without the key…
    b.receive(k); // …and the key arrives before it fails
    await b.log.settled();
    expect(b.log.waitingForKey()).toBe(0);
    expect(b.log.entries().map((n) => n.id)).toEqual(['n1']);
  });

  it('refuses to append without a key, with the register’s message, and writes nothing', async () => {
    const b = device([]);
    b.log.unlock();
    expect(await b.log.append(note('n1'), 'dev-b')).toBe('No key for notes yet.');
    expect(entriesOf(b.doc).size).toBe(0);
    expect(b.log.entries()).toEqual([]);
  });

  it('counts damaged entries, foreign codecs and entries stored under another id as unreadable, not as waiting', async () => {
    const k = await newRegisterKey();
    const a = device([k]);
    const good = await sealEntry(note('n1'), a.codec);
    const changed: SealedEntry = { ...good, sealed: good.sealed.slice(0, -4) + 'AAAA' };
    appendEntry(a.doc, changed, 'dev-x'); // changed bytes
    const foreign: SealedEntry = { id: 'n2', kind: 'sealed', codec: 'rot13-v0', sealed: 'abc' };
    appendEntry(a.doc, foreign, 'dev-x');
    const moved = await sealEntry(note('n3'), a.codec);
    appendEntry(a.doc, { ...moved, id: 'n4' }, 'dev-x'); // a blob copied under another id
    appendEntry(a.doc, { ...(await sealEntry({ id: 'n5', nope: true } as unknown as Note, a.codec)) }, 'dev-x'); // not a note
    a.log.unlock();
    await a.log.settled();
    expect(a.log.entries()).toEqual([]);
    expect(a.log.unreadable()).toBe(4);
    expect(a.log.waitingForKey()).toBe(0);
    expect(a.log.storedCount()).toBe(4);
  });

  it('shows entries from a read-only codec as unsealed; reseal appends sealed copies once and keeps the originals', async () => {
    const k = await newRegisterKey();
    const a = device([k], { readOnly: [plaintextCodec] });
    appendEntry(a.doc, await sealEntry(note('old1'), plaintextCodec), 'dev-x');
    appendEntry(a.doc, await sealEntry(note('old2'), plaintextCodec), 'dev-x');
    a.log.unlock();
    await a.log.settled();
    expect([...a.log.unsealed()]).toEqual(['old1', 'old2']);

    expect(await a.log.reseal('dev-a')).toBe(2);
    expect(a.log.unsealed().size).toBe(0);
    expect(a.log.entries().map((n) => n.id)).toEqual(['old1', 'old2']); // each once
    expect([...entriesOf(a.doc).keys()].sort()).toEqual(['old1', 'old2', 'sealed.old1', 'sealed.old2']);
    expect(await a.log.reseal('dev-a')).toBe(0);

    // Another device opens the copies and shows each entry once, as sealed.
    const b = device([k], { readOnly: [plaintextCodec] });
    sync(a.doc, b.doc);
    b.log.unlock();
    await b.log.settled();
    expect(b.log.entries().map((n) => n.id).sort()).toEqual(['old1', 'old2']);
    expect(b.log.unsealed().size).toBe(0);
    // A device without the key still reads the originals, and is not told a copy waits for a key it lacks.
    const c = device([], { readOnly: [plaintextCodec] });
    sync(a.doc, c.doc);
    c.log.unlock();
    await c.log.settled();
    expect(c.log.entries().map((n) => n.id).sort()).toEqual(['old1', 'old2']);
    expect(c.log.waitingForKey()).toBe(0);
  });

  it('reseal without a key says why and appends nothing', async () => {
    const a = device([], { readOnly: [plaintextCodec] });
    appendEntry(a.doc, await sealEntry(note('old1'), plaintextCodec), 'dev-x');
    a.log.unlock();
    await a.log.settled();
    expect(await a.log.reseal('dev-a')).toBe('No key for notes yet.');
    expect(entriesOf(a.doc).size).toBe(1);
  });

  it('lock forgets what was opened, including opens still in flight', async () => {
    const k = await newRegisterKey();
    const a = device([k]);
    a.log.unlock();
    await a.log.append(note('n1'), 'dev-a');
    const b = device([k]);
    sync(a.doc, b.doc);
    b.log.unlock();
    b.log.lock(); // before the open finishes
    await b.log.settled();
    expect(b.log.unlocked()).toBe(false);
    expect(b.log.entries()).toEqual([]);
    a.log.lock();
    expect(a.log.entries()).toEqual([]);
    a.log.unlock();
    await a.log.settled();
    expect(a.log.entries().map((n) => n.id)).toEqual(['n1']);
  });

  it('stops opening new entries once its owner is disposed', async () => {
    const k = await newRegisterKey();
    const a = device([k]);
    const doc = new Y.Doc();
    let log!: ReturnType<typeof createSealedLog<Note>>;
    const dispose = createRoot((d) => {
      log = createSealedLog<Note>(doc, { codec: a.codec, parse: parseNote });
      return d;
    });
    log.unlock();
    dispose();
    a.log.unlock();
    await a.log.append(note('n1'), 'dev-a');
    sync(a.doc, doc);
    await log.settled();
    expect(log.entries()).toEqual([]);
  });
});
