import { describe, expect, it } from 'vitest';
import { type HeldKey, newRegisterKey } from '../crypto/register-keys';
import { aesGcmCodec, NoSealingKeyError, openEntry, plaintextCodec, sealEntry } from './sealed-entries';

/* The stored form for any register: the register is bound into the ciphertext, the register's parser decides what an entry is. */

const keysOf = (held: HeldKey[]) => ({ sealingKey: () => held.at(-1), keyById: (id: string) => held.find((k) => k.keyId === id)?.key });
const asNote = (plain: string) => {
  const n = JSON.parse(plain) as { id?: unknown; text?: unknown };
  return typeof n.id === 'string' && typeof n.text === 'string' ? { id: n.id, text: n.text } : undefined;
};

describe('sealed entries', () => {
  it('opens only under the register it was sealed for, even with the same key', async () => {
    const k = await newRegisterKey();
    const stored = await sealEntry({ id: 'n1', text: 'Access review overdue' }, aesGcmCodec(keysOf([k]), 'notes'));
    expect(await openEntry(stored, aesGcmCodec(keysOf([k]), 'notes'), asNote)).toEqual({ ok: true, entry: { id: 'n1', text: 'Access review overdue' }, codec: 'aes-gcm-v1', storedId: 'n1' });
    expect(await openEntry(stored, aesGcmCodec(keysOf([k]), 'reviews'), asNote)).toEqual({ ok: false, id: 'n1', reason: 'This device cannot open the entry.' });
  });

  it('leaves what an entry is to the register: what its parser refuses is damaged', async () => {
    const stored = await sealEntry({ id: 'n1', title: 'no text field' } as { id: string }, plaintextCodec);
    expect(await openEntry(stored, plaintextCodec, asNote)).toEqual({ ok: false, id: 'n1', reason: 'The entry is damaged.' });
    // A parser that throws (JSON.parse on text that is not JSON) does not make openEntry throw.
    const notJson = { id: 'n2', kind: 'sealed', codec: plaintextCodec.id, sealed: btoa('not json') };
    expect(await openEntry(notJson, plaintextCodec, asNote)).toEqual({ ok: false, id: 'n2', reason: 'The entry is damaged.' });
  });

  it('refuses to seal without a key, with the register’s own message', async () => {
    const none = { sealingKey: () => undefined, keyById: () => undefined };
    await expect(sealEntry({ id: 'n1' }, aesGcmCodec(none, 'notes', 'Ask a note keeper to share the key.'))).rejects.toThrow('Ask a note keeper to share the key.');
    await expect(sealEntry({ id: 'n1' }, aesGcmCodec(none, 'notes'))).rejects.toBeInstanceOf(NoSealingKeyError);
  });
});
