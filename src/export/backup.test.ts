import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createRecord, appendEntry } from '../store/records';
import { attachmentsIn, BACKUP_SCHEMA_VERSION, backupChecksum, backupFileName, backupJson, buildBackup, canonicalJson, leftOutText, MESSAGES, parseBackup } from './backup';

function sampleDocs() {
  const people = new Y.Doc();
  createRecord(people, 'p1', { name: 'Ada Lovelace', team: 'Ops', archived: false });
  createRecord(people, 'p2', { name: 'Zoë Ångström', team: 'Dev', archived: false });
  const checklists = new Y.Doc();
  createRecord(checklists, 'c1', { team: 'Ops', month: '2026-11' });
  appendEntry(checklists, { id: 'e1', kind: 'signoff', subject: 'c1', by: 'Ada Lovelace', at: '2026-11-25T10:00:00Z' } as { id: string });
  const settings = new Y.Doc();
  createRecord(settings, 'org', { name: 'Acme' });
  return { people, checklists, settings };
}

const make = () => buildBackup({ docs: sampleDocs(), workspace: { id: 'ws-aaaaaaaaaaaaaaaa', orgName: 'Acme' }, createdAt: '2026-11-25T12:00:00.000Z' });

describe('backup build → parse', () => {
  it('round-trips: the parsed updates rebuild identical registers', () => {
    const backup = make();
    expect(backup.format).toBe('muster-backup');
    expect(backup.schemaVersion).toBe(BACKUP_SCHEMA_VERSION);
    expect(backup.summary).toEqual({ people: { records: 2, entries: 0 }, checklists: { records: 1, entries: 1 }, settings: { records: 1, entries: 0 } });
    expect(backup.sha256).toMatch(/^[0-9a-f]{64}$/);
    const r = parseBackup(backupJson(backup));
    if (!r.ok) throw new Error(r.error);
    const source = sampleDocs();
    for (const name of ['people', 'checklists', 'settings'] as const) {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, r.value.updates[name]!);
      const ref = new Y.Doc();
      Y.applyUpdate(ref, Y.encodeStateAsUpdate(source[name]));
      expect(doc.getMap('records').toJSON()).toEqual(ref.getMap('records').toJSON());
      expect(doc.getMap('entries').toJSON()).toEqual(ref.getMap('entries').toJSON());
    }
    expect(r.value.backup.workspace).toEqual({ id: 'ws-aaaaaaaaaaaaaaaa', orgName: 'Acme' });
  });

  it('checksum ignores key order and formatting', () => {
    const backup = make();
    const reordered = Object.fromEntries(Object.entries(backup).reverse()) as typeof backup;
    expect(backupChecksum(reordered)).toBe(backup.sha256);
    expect(parseBackup(JSON.stringify(backup)).ok).toBe(true);
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });

  it('names the file after the organisation and date', () => {
    expect(backupFileName('Acme & Söhne Ltd.', '2026-11-25')).toBe('muster-backup-acme-sohne-ltd-2026-11-25.json');
    expect(backupFileName('***', '2026-11-25')).toBe('muster-backup-workspace-2026-11-25.json');
  });
});

describe('refused files', () => {
  const refused = (text: string) => {
    const r = parseBackup(text);
    expect(r.ok).toBe(false);
    return r.ok ? '' : r.error;
  };

  it('refuses a file that is not JSON or not a backup', () => {
    expect(refused('name,team\nAda,Ops\n')).toBe(MESSAGES.notJson);
    expect(refused('')).toBe(MESSAGES.notJson);
    expect(refused('{"hello":"world"}')).toBe(MESSAGES.notBackup);
    expect(refused('[1,2,3]')).toBe(MESSAGES.notBackup);
    expect(refused('null')).toBe(MESSAGES.notBackup);
  });

  it('refuses a truncated file', () => {
    const text = backupJson(make());
    for (const cut of [0.9, 0.5, 0.1]) expect(refused(text.slice(0, Math.floor(text.length * cut)))).toBe(MESSAGES.truncated);
    // Cut at every byte of the first 400 (inside keys, strings, numbers, literals): always "cut off".
    for (let i = text.indexOf('"muster-backup"') + 15; i < 400; i++) expect(refused(text.slice(0, i)), `cut at ${i}`).toBe(MESSAGES.truncated);
  });

  it('reports a one-byte JSON syntax change as damaged, not cut off', () => {
    const text = backupJson(make());
    const at = (i: number, c: string) => text.slice(0, i) + c + text.slice(i + 1);
    const colon = text.indexOf(':');
    const comma = text.indexOf(',');
    const quote = text.indexOf('"', text.indexOf('"createdAt"') + 12);
    for (const changed of [at(colon, ';'), at(comma, ' '), at(quote, "'"), at(text.lastIndexOf('}'), ']'), at(0, '['), text.replace('"format"', '"format""')]) {
      const error = refused(changed);
      expect(error).toBe(MESSAGES.altered);
      expect(error).toMatch(/damaged/);
      expect(error).not.toBe(MESSAGES.truncated);
    }
  });

  it('records what it leaves out (sealed speak-up reports, attachment files) and says so', () => {
    const leftOut = { speakupReports: 3, attachments: 2, attachmentBytes: 3 * 1_048_576 };
    const backup = buildBackup({ docs: sampleDocs(), workspace: { id: 'ws-aaaaaaaaaaaaaaaa', orgName: 'Acme' }, createdAt: '2026-11-25T12:00:00.000Z', leftOut });
    const r = parseBackup(backupJson(backup));
    if (!r.ok) throw new Error(r.error);
    expect(r.value.backup.leftOut).toEqual(leftOut);
    expect(leftOutText(leftOut)).toBe(
      "Not in the backup: 3 speak-up reports (they stay sealed in their own room on the relay and on the devices; only the recipients' devices can read them); and 2 attached files (3.0 MB of photos and PDFs; the records keep each file's name, size and SHA-256, and the evidence pack includes the files this device holds).",
    );
    expect(leftOutText({ speakupReports: 0, attachments: 0, attachmentBytes: 0 })).toBe('');
    // The record is covered by the checksum.
    expect(refused(backupJson({ ...backup, leftOut: { ...leftOut, speakupReports: 0 } }))).toBe(MESSAGES.damaged);
    expect(refused(backupJson({ ...backup, leftOut: { speakupReports: -1 } as never }))).toBe(MESSAGES.damaged);
  });

  it('counts each attached file once, removed ones not at all', () => {
    const briefings = new Y.Doc();
    const a = (name: string, size: number, removed = false) => ({ name, type: 'image/jpeg', size, addedBy: 'Ada', addedAt: '2026-11-25T10:00:00.000Z', ...(removed ? { removed: true, removedBy: 'Ada', removedAt: '2026-11-25T11:00:00.000Z' } : {}) });
    createRecord(briefings, 'b1', { team: 'Ops', [`att.${'a'.repeat(64)}`]: a('board.jpg', 1000) });
    createRecord(briefings, 'b2', { team: 'Ops', [`att.${'a'.repeat(64)}`]: a('board.jpg', 1000), [`att.${'b'.repeat(64)}`]: a('gone.jpg', 5000, true) });
    expect(attachmentsIn({ briefings })).toEqual({ attachments: 1, attachmentBytes: 1000 });
  });

  it('refuses a file whose content or checksum was altered', () => {
    const backup = make();
    expect(refused(JSON.stringify({ ...backup, sha256: '0'.repeat(64) }))).toBe(MESSAGES.damaged);
    expect(refused(JSON.stringify({ ...backup, summary: { ...backup.summary, people: { records: 9, entries: 0 } } }))).toBe(MESSAGES.damaged);
    expect(refused(JSON.stringify({ ...backup, workspace: { ...backup.workspace, id: 'other' } }))).toBe(MESSAGES.damaged);
    // Truncated payload inside a well-formed file (checksum recomputed): caught by the JSON/ sha check
    const people = backup.registers.people!;
    expect(refused(JSON.stringify({ ...backup, registers: { ...backup.registers, people: people.slice(0, people.length - 8) } }))).toBe(MESSAGES.damaged);
  });

  it('refuses a newer schema with the update message', () => {
    const { sha256: _s, ...content } = make();
    const newer = { ...content, schemaVersion: 2 };
    expect(refused(JSON.stringify({ ...newer, sha256: backupChecksum(newer) }))).toBe(
      'This backup was made by a newer version of Muster (schema 2); update Muster to restore it.',
    );
  });

  it('refuses a register payload that is not a valid Yjs update, even with a correct checksum', () => {
    const { sha256: _s, ...content } = make();
    const people = content.registers.people!;
    const cases = [
      'bm90IGEgeWpzIHVwZGF0ZQ==', // "not a yjs update"
      people.slice(0, Math.floor(people.length / 2) & ~3), // a valid-base64 prefix of the real update
      '!!!',
      42,
    ];
    for (const payload of cases) {
      const bad = { ...content, registers: { ...content.registers, people: payload } };
      expect(refused(JSON.stringify({ ...bad, sha256: backupChecksum(bad as never) }))).toBe(MESSAGES.badRegister('people'));
    }
    // an update that depends on another one it does not contain
    const a = new Y.Doc();
    createRecord(a, 'x', { name: 'A' });
    const sv = Y.encodeStateVector(a);
    createRecord(a, 'y', { name: 'B' });
    const partial = Buffer.from(Y.encodeStateAsUpdate(a, sv)).toString('base64');
    const bad = { ...content, registers: { ...content.registers, people: partial } };
    expect(refused(JSON.stringify({ ...bad, sha256: backupChecksum(bad) }))).toBe(MESSAGES.badRegister('people'));
    // an unknown register
    const unknown = { ...content, registers: { ...content.registers, secrets: people } };
    expect(refused(JSON.stringify({ ...unknown, sha256: backupChecksum(unknown as never) }))).toBe(MESSAGES.badRegister('secrets'));
  });

  it('keeps a signed workspace’s maps (evidence signatures, the signed member list) and refuses any other root map', () => {
    const { sha256: _s, ...content } = make();
    const signed = new Y.Doc();
    createRecord(signed, 'p1', { name: 'Ada Lovelace', team: 'Ops', archived: false });
    signed.getMap('sigs').set('e1', { v: 1, by: 'k', m: [], at: '2026-11-25T10:00:00Z', sig: 's' });
    signed.getMap('membership').set('m1', { type: 'genesis' });
    const payload = Buffer.from(Y.encodeStateAsUpdate(signed)).toString('base64');
    const ok = { ...content, registers: { ...content.registers, people: payload } };
    const r = parseBackup(JSON.stringify({ ...ok, sha256: backupChecksum(ok as never) }));
    expect(r.ok).toBe(true);
    signed.getMap('other').set('x', 1);
    const other = { ...content, registers: { ...content.registers, people: Buffer.from(Y.encodeStateAsUpdate(signed)).toString('base64') } };
    expect(refused(JSON.stringify({ ...other, sha256: backupChecksum(other as never) }))).toBe(MESSAGES.badRegister('people'));
  });
});
