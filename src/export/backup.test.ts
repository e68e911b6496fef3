import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createRecord, appendEntry } from '../store/records';
import { BACKUP_SCHEMA_VERSION, backupChecksum, backupFileName, backupJson, buildBackup, canonicalJson, MESSAGES, parseBackup } from './backup';

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
});
