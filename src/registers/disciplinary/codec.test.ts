import { describe, expect, it } from 'vitest';
import { type EntryCodec, openEntry, plaintextCodec, sealEntry } from './codec';
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

describe('plaintextCodec (the seam issue 5 replaces with AES-GCM)', () => {
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
    expect(await openEntry(stored, plaintextCodec)).toEqual({ ok: true, entry });
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
