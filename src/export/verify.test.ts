import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildSamplePack, replaceIn } from '../../test/fixtures/evidence-pack';
import { reportLines, VERIFY_MESSAGES, verifyPack } from './verify';
import { sha256HexSync as fileSha256 } from '../domain/sha256';

describe('verifyPack', () => {
  it('reports an untouched pack as intact, with what it checked', async () => {
    const r = await verifyPack(buildSamplePack());
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.files.map((f) => [f.path, f.ok])).toEqual([
      ['evidence.json', true],
      ['report.pdf', true],
      ['training.csv', true],
    ]);
    // 6 training + 2 acknowledgements re-hashed; the sealed disciplinary entry only linked; 1 legacy acknowledgement.
    expect(r.log).toMatchObject({ ok: true, checked: 8, stubs: 1, unchained: 1 });
    expect(r.summary).toBe(
      'Intact: 3 files, 8 entries checked. 1 entry outside the pack’s period or scope was checked by its link only; 1 entry was written before the log existed and is not chained; not signed (made before signed identity).',
    );
    expect(r.headline).toBe('Intact: 3 files, 8 entries checked.');
    expect(r.root).toMatch(/^[0-9a-f]{64}$/);
    expect(reportLines(r)[0]).toBe(r.summary);
  });

  it('names the CSV in which one byte was changed', async () => {
    const r = await verifyPack(buildSamplePack({ tamper: (f) => replaceIn(f, 'training.csv', '2026-03-15', '2026-03-16') }));
    expect(r.ok).toBe(false);
    expect(r.files.find((f) => f.path === 'training.csv')).toEqual({
      path: 'training.csv',
      ok: false,
      problem: 'training.csv was changed after the pack was made: its content does not match the SHA-256 in the manifest.',
    });
    expect(r.files.filter((f) => !f.ok)).toHaveLength(1);
    expect(r.log.ok).toBe(true);
    expect(r.summary).toBe('Not intact: 1 problem found.');
  });

  it('names the evidence entry that was altered in evidence.json', async () => {
    const r = await verifyPack(buildSamplePack({ tamper: (f) => replaceIn(f, 'evidence.json', '"typedName": "Alan Turing"', '"typedName": "Alan Turinh"') }));
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([
      'evidence.json was changed after the pack was made: its content does not match the SHA-256 in the manifest.',
      'Acknowledgements entry AckEntry2 was altered after it was written: its content no longer matches its hash.',
    ]);
    expect(r.log.problems[0]).toMatchObject({ kind: 'altered', register: 'acknowledgements', entryId: 'AckEntry2' });
  });

  it('names an entry removed from evidence.json even when the manifest’s file hash was rewritten to match', async () => {
    const packed = unzipSync(buildSamplePack());
    const evidence = JSON.parse(new TextDecoder().decode(packed['evidence.json'])) as { log: { entries: Record<string, Array<{ id: string }>> } };
    evidence.log.entries['training'] = evidence.log.entries['training']!.filter((e) => e.id !== 'TrainingEntry2');
    const bytes = strToU8(JSON.stringify(evidence));
    const manifest = JSON.parse(new TextDecoder().decode(packed['manifest.json'])) as { files: Record<string, { sha256: string; bytes: number }> };
    // A careful tamperer also fixes the file's checksum: the log still gives it away.
    manifest.files['evidence.json'] = { sha256: fileSha256(bytes), bytes: bytes.length };
    const r = await verifyPack(zipSync({ ...packed, 'evidence.json': bytes, 'manifest.json': strToU8(JSON.stringify(manifest)) }));
    expect(r.ok).toBe(false);
    expect(r.files.every((f) => f.ok)).toBe(true);
    expect(r.problems).toEqual(['Training: entry 2 of device device-ada… (Ada Lovelace) is missing (removed from the pack or the history).']);
  });

  it('flags a file added to or removed from the pack', async () => {
    const added = await verifyPack(buildSamplePack({ tamper: (f) => (f['extra.csv'] = strToU8('a,b\r\n')) }));
    expect(added.problems).toEqual(['extra.csv is in the pack but not in its manifest: it was added after the pack was made.']);
    const removed = await verifyPack(buildSamplePack({ tamper: (f) => delete f['report.pdf'] }));
    expect(removed.problems).toEqual(['report.pdf is missing from the pack.']);
  });

  it('refuses what is not a Muster evidence pack, in plain words', async () => {
    const notZip = await verifyPack(strToU8('id,name\r\n1,Ada\r\n'));
    expect(notZip).toMatchObject({ ok: false, readable: false, summary: VERIFY_MESSAGES.notZip });
    const truncated = buildSamplePack().slice(0, 200);
    expect(await verifyPack(truncated)).toMatchObject({ ok: false, readable: false, summary: VERIFY_MESSAGES.notZip });
    expect(await verifyPack(zipSync({ 'a.txt': strToU8('hello') }))).toMatchObject({ readable: false, summary: VERIFY_MESSAGES.noManifest });
    expect(await verifyPack(zipSync({ 'manifest.json': strToU8('{"format":"something-else"}') }))).toMatchObject({ readable: false, summary: VERIFY_MESSAGES.notPack });
    expect(await verifyPack(zipSync({ 'manifest.json': strToU8('{not json') }))).toMatchObject({ readable: false, summary: VERIFY_MESSAGES.badManifest });
    expect((await verifyPack(zipSync({ 'manifest.json': strToU8('{"format":"muster-evidence-pack","schemaVersion":9}') }))).summary).toBe(VERIFY_MESSAGES.newer(9));
  });
});
