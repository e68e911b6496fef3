import { describe, expect, it } from 'vitest';
import { newRegisterKey, type HeldKey } from '../../crypto/register-keys';
import { AES_CODEC_ID, aesGcmCodec, type EntryCodec, NO_KEY_TO_WRITE, openEntry, plaintextCodec, resealedId, sealEntry } from './codec';
import type { DisciplinaryEntry } from './model';

const entry: DisciplinaryEntry = {
  id: 'e1',
  kind: 'entry',
  personId: 'sam',
  date: '2026-11-20',
  policyId: '',
  policy: 'Clean desk — “no papers” rule',
  tierId: 't1',
  tierName: 'Accidental error',
  facts: 'Sam Staff left customer files on the desk. Ünïcödé, emoji 🔒, quotes "x".',
  outcome: 'Coaching.',
  decidedById: 'mia',
  evidence: '',
  byName: 'Mia Manager',
  byPersonId: 'mia',
  at: '2026-11-25T10:00:00.000Z',
  deviceId: 'dev-a',
};

describe('plaintextCodec (read-only: entries written before encryption)', () => {
  it('round-trips any text, including non-ASCII', async () => {
    for (const text of ['', 'plain', 'Ünïcödé 🔒 “quotes”', 'x'.repeat(100_000)]) {
      expect(await plaintextCodec.open(await plaintextCodec.seal(text, { entryId: 'a' }), { entryId: 'a' })).toBe(text);
    }
  });

  it('round-trips an entry through its stored form, which shows no field in clear', async () => {
    const stored = await sealEntry(entry, plaintextCodec);
    expect(Object.keys(stored).sort()).toEqual(['codec', 'id', 'kind', 'sealed']);
    expect(stored).toMatchObject({ id: 'e1', kind: 'sealed', codec: 'plaintext-base64-v1' });
    const json = JSON.stringify(stored);
    for (const secret of ['Sam Staff', 'sam', 'Mia Manager', 'customer files', 'Accidental error']) expect(json).not.toContain(secret);
    expect(await openEntry(stored, plaintextCodec)).toEqual({ ok: true, entry, codec: 'plaintext-base64-v1', storedId: 'e1' });
  });

  it('reports what it cannot open instead of throwing', async () => {
    const stored = await sealEntry(entry, plaintextCodec);
    expect(await openEntry({ ...stored, codec: 'aes-gcm-v1' }, plaintextCodec)).toEqual({ ok: false, id: 'e1', reason: 'Sealed with aes-gcm-v1, which this device cannot open.' });
    expect(await openEntry({ ...stored, sealed: '%%%' }, plaintextCodec)).toMatchObject({ ok: false, reason: 'This device cannot open the entry.' });
    expect(await openEntry({ ...stored, sealed: await plaintextCodec.seal('{"id":"e1"}', { entryId: 'e1' }) }, plaintextCodec)).toMatchObject({ ok: false, reason: 'The entry is damaged.' });
    expect(await openEntry({ ...stored, id: 'other' }, plaintextCodec)).toMatchObject({ ok: false, id: 'other', reason: 'The entry is stored under another id than its own.' });
    expect(await openEntry({ id: 'x', kind: 'entry', facts: 'clear' }, plaintextCodec)).toMatchObject({ ok: false, reason: 'Not a sealed entry.' });
    expect(await openEntry(null, plaintextCodec)).toMatchObject({ ok: false });
  });

  it('passes the entry id to the codec, so a real one can bind it', async () => {
    const seen: string[] = [];
    const spy: EntryCodec = {
      id: 'spy',
      seal: async (p, ctx) => (seen.push(`seal ${ctx.entryId}`), p),
      open: async (s, ctx) => (seen.push(`open ${ctx.entryId}`), s),
    };
    await openEntry(await sealEntry(entry, spy), spy);
    expect(seen).toEqual(['seal e1', 'open e1']);
  });
});

/** A keyring stand-in: the keys a device holds and the one it seals with. */
function keysOf(held: HeldKey[], sealWith = held[held.length - 1]) {
  const byId = new Map(held.map((h) => [h.keyId, h.key]));
  return { sealingKey: () => sealWith, keyById: (id: string) => byId.get(id) };
}

const PLAINTEXT = 'Verbal warning for Zoë Quintana about tailgating';
const zoe: DisciplinaryEntry = { ...entry, id: 'z1', facts: PLAINTEXT, personId: 'zoe' };

/** Every base64 / base64url spelling of `text` at each of the three byte alignments. */
function base64Needles(text: string): string[] {
  const bytes = Buffer.from(text, 'utf8');
  const out: string[] = [];
  for (let s = 0; s < 3; s++) {
    const n = Math.floor((bytes.length - s) / 3) * 3;
    const b64 = bytes.subarray(s, s + n).toString('base64');
    out.push(b64, b64.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

describe('aesGcmCodec (AES-256-GCM under the register key)', () => {
  it('round-trips an entry; the stored form holds no plaintext, base64 of it included', async () => {
    const k = await newRegisterKey();
    const codec = aesGcmCodec(keysOf([k]));
    const stored = await sealEntry(zoe, codec);
    expect(stored).toMatchObject({ id: 'z1', kind: 'sealed', codec: AES_CODEC_ID });
    expect(stored.sealed.startsWith(`rk1.${k.keyId}.`)).toBe(true);
    const json = JSON.stringify(stored);
    for (const needle of [PLAINTEXT, 'Zoë', 'Quintana', 'tailgating', 'zoe', ...base64Needles(PLAINTEXT), ...base64Needles('Quintana')]) expect(json).not.toContain(needle);
    // The detector itself works: the plaintext codec's form is caught by it.
    const legacy = JSON.stringify(await sealEntry(zoe, plaintextCodec));
    expect(base64Needles(PLAINTEXT).some((n) => legacy.includes(n))).toBe(true);
    expect(await openEntry(stored, codec)).toEqual({ ok: true, entry: zoe, codec: AES_CODEC_ID, storedId: 'z1' });
    // Two seals of the same entry differ (fresh IV).
    expect((await sealEntry(zoe, codec)).sealed).not.toBe(stored.sealed);
  });

  it('refuses the wrong key, a blob copied under another id, and a changed byte', async () => {
    const k = await newRegisterKey();
    const other = await newRegisterKey();
    const stored = await sealEntry(zoe, aesGcmCodec(keysOf([k])));
    // Another key under the same id (e.g. another workspace's key): does not open.
    const impostor = aesGcmCodec({ sealingKey: () => other, keyById: () => other.key });
    expect(await openEntry(stored, impostor)).toMatchObject({ ok: false, reason: 'This device cannot open the entry.' });
    // Copied under another id, inside and out: the additional data no longer matches.
    const codec = aesGcmCodec(keysOf([k]));
    expect(await openEntry({ ...stored, id: 'z2' }, codec)).toMatchObject({ ok: false, id: 'z2', reason: 'This device cannot open the entry.' });
    // Another register's codec with the same key: refused too.
    expect(await openEntry(stored, aesGcmCodec(keysOf([k]), 'speak-up'))).toMatchObject({ ok: false });
    // Every single changed character of the ciphertext is refused.
    const body = stored.sealed.lastIndexOf('.') + 1;
    for (const i of [body, body + 5, body + 16, stored.sealed.length - 1]) {
      const c = stored.sealed[i] === 'A' ? 'B' : 'A';
      expect(await openEntry({ ...stored, sealed: stored.sealed.slice(0, i) + c + stored.sealed.slice(i + 1) }, codec)).toMatchObject({ ok: false });
    }
    // No key on this device: said as such, so the store can wait for it.
    expect(await openEntry(stored, aesGcmCodec(keysOf([other])))).toEqual({ ok: false, id: 'z1', reason: 'Sealed with a key this device does not hold yet.', missingKey: k.keyId });
  });

  it('opens entries sealed with an older key after a rotation; seals with the newest', async () => {
    const k1 = await newRegisterKey();
    const k2 = await newRegisterKey();
    const old = await sealEntry(zoe, aesGcmCodec(keysOf([k1])));
    const both = aesGcmCodec(keysOf([k1, k2], k2));
    const fresh = await sealEntry({ ...zoe, id: 'z2' }, both);
    expect(fresh.sealed.startsWith(`rk1.${k2.keyId}.`)).toBe(true);
    expect(await openEntry(old, both)).toMatchObject({ ok: true });
    expect(await openEntry(fresh, both)).toMatchObject({ ok: true });
    // A device that holds only k1 (a removed officer's) opens the old entry, not the new one.
    expect(await openEntry(fresh, aesGcmCodec(keysOf([k1])))).toMatchObject({ ok: false, missingKey: k2.keyId });
  });

  it('refuses to seal without a key, with the message the screens show', async () => {
    await expect(sealEntry(zoe, aesGcmCodec({ sealingKey: () => undefined, keyById: () => undefined }))).rejects.toThrow(NO_KEY_TO_WRITE);
  });

  it('reads legacy entries with a read-only codec; a re-sealed copy carries the entry under sealed.<id> and nowhere else', async () => {
    const k = await newRegisterKey();
    const codec = aesGcmCodec(keysOf([k]));
    const legacy = await sealEntry(zoe, plaintextCodec);
    expect(await openEntry(legacy, [codec, plaintextCodec])).toMatchObject({ ok: true, codec: 'plaintext-base64-v1' });
    expect(await openEntry(legacy, codec)).toMatchObject({ ok: false, reason: 'Sealed with plaintext-base64-v1, which this device cannot open.' });
    const copy = await sealEntry(zoe, codec, resealedId(zoe.id));
    expect(copy).toMatchObject({ id: 'sealed.z1', reseals: 'z1', codec: AES_CODEC_ID });
    expect(await openEntry(copy, [codec, plaintextCodec])).toEqual({ ok: true, entry: zoe, codec: AES_CODEC_ID, storedId: 'sealed.z1' });
    // Pointing the copy at another entry, or storing it elsewhere, is refused.
    expect(await openEntry({ ...copy, reseals: 'z9' }, codec)).toMatchObject({ ok: false });
    expect(await openEntry({ ...copy, reseals: undefined }, codec)).toMatchObject({ ok: false, reason: 'The entry is stored under another id than its own.' });
    const moved = await sealEntry(zoe, codec, 'elsewhere');
    expect(await openEntry(moved, codec)).toMatchObject({ ok: false, reason: 'The entry is stored under another id than its own.' });
  });
});
