import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { generateDeviceKeyPair } from '../../src/crypto/device-keys.ts';
import { createRegisterKey, readKeyring, unwrapHeldKeys } from '../../src/store/register-keyring.ts';
import { rawOfAesKey } from '../../src/crypto/aes.ts';
import { aesGcmCodec, openEntry, plaintextCodec, sealEntry } from '../../src/registers/disciplinary/codec.ts';
import type { DisciplinaryEntry } from '../../src/registers/disciplinary/model.ts';
import { appendEntry, createRecord, entriesOf } from '../../src/store/records.ts';
import { cleanup, connect, newWorkspace, spawnRelay, tmpDir, waitFor, waitSynced } from './harness.ts';

afterEach(cleanup);

/*
 * docs/SECURITY.md, "the relay operator": the relay stores and passes the
 * disciplinary log as ciphertext only. An officer's client writes an entry
 * with a known plaintext through the app's codec, syncs it to a real relay
 * process, and the relay stops. Then the relay's SQLite files are read from
 * disk: the room's updates are there (and open with the officer's device
 * key), but no byte of the files holds the plaintext, the person's name, or
 * any base64 spelling of them, nor the register key. A control workspace
 * written with the old base64 codec proves the search finds what it looks for.
 */

const PLAINTEXT = 'Verbal warning for Zoë Quintana about tailgating';
const REGISTER = 'disciplinary';

function entry(id: string, facts: string): DisciplinaryEntry {
  return {
    id,
    kind: 'entry',
    personId: 'p-zoe',
    date: '2026-11-20',
    policyId: '',
    policy: 'Physical security: no tailgating',
    tierId: 't1',
    tierName: 'Accidental error',
    facts,
    outcome: 'Verbal warning.',
    decidedById: 'p-mia',
    evidence: 'HR-2026-031',
    byName: 'Mia Manager',
    byPersonId: 'p-mia',
    at: '2026-11-20T10:00:00.000Z',
    deviceId: 'dev-officer',
  };
}

/** Every base64 and base64url spelling of `text`, at each of the three byte alignments it can have inside a longer base64 text. */
function base64Needles(text: string): string[] {
  const bytes = Buffer.from(text, 'utf8');
  const out = new Set<string>();
  for (let s = 0; s < 3; s++) {
    const b64 = bytes.subarray(s, s + Math.floor((bytes.length - s) / 3) * 3).toString('base64');
    out.add(b64);
    out.add(b64.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...out];
}

/** Raw bytes of every file in the relay's data dir (the database, its WAL), as one buffer. */
function dataDirBytes(dir: string): Buffer {
  return Buffer.concat(fs.readdirSync(dir).filter((f) => fs.statSync(path.join(dir, f)).isFile()).map((f) => fs.readFileSync(path.join(dir, f))));
}

test('the relay stores only ciphertext of a disciplinary entry: no plaintext, name or base64 of them in its SQLite files', async () => {
  const dataDir = tmpDir();
  const relay = await spawnRelay({ dataDir });
  const ws = newWorkspace();
  const room = `${ws.id}.${REGISTER}`;

  // The officer's device: its key pair, the first register key wrapped to it, an entry sealed as the app seals it.
  const officer = { deviceId: 'dev-officer', ...(await generateDeviceKeyPair()) };
  const doc = new Y.Doc();
  createRecord(doc, 'officer.p-mia', { type: 'officer', personId: 'p-mia', designated: true, byName: 'Mia Manager', at: '2026-11-01T09:00:00.000Z', deviceId: officer.deviceId });
  const held = await createRegisterKey(doc, { register: REGISTER, deviceId: officer.deviceId, recipients: [{ deviceId: officer.deviceId, publicKey: officer.publicKey }], reason: 'first' });
  const codec = aesGcmCodec({ sealingKey: () => held, keyById: (id) => (id === held.keyId ? held.key : undefined) }, REGISTER);
  const stored = await sealEntry(entry('e1', PLAINTEXT), codec);
  appendEntry(doc, stored, officer.deviceId);
  const provider = connect(relay.syncUrl, room, doc, ws.token);
  await waitSynced(provider);

  // A control: a second relay, holding an entry written with the old base64 codec (what the app did before).
  const controlDir = tmpDir();
  const controlRelay = await spawnRelay({ dataDir: controlDir });
  const control = newWorkspace();
  const controlDoc = new Y.Doc();
  appendEntry(controlDoc, await sealEntry(entry('c1', PLAINTEXT), plaintextCodec), 'dev-old');
  await waitSynced(connect(controlRelay.syncUrl, `${control.id}.${REGISTER}`, controlDoc, control.token));

  // A member's device that is not an officer syncs the room: it gets the sealed entry and no way to open it.
  const member = { deviceId: 'dev-member', ...(await generateDeviceKeyPair()) };
  const memberDoc = new Y.Doc();
  connect(relay.syncUrl, room, memberDoc, ws.token);
  await waitFor('the entry reached the member device through the relay', () => entriesOf(memberDoc).has('e1'), 10_000);
  const memberKeys = await unwrapHeldKeys(memberDoc, { register: REGISTER, ...member });
  expect(memberKeys.size).toBe(0);
  const memberCodec = aesGcmCodec({ sealingKey: () => undefined, keyById: (id) => memberKeys.get(id) }, REGISTER);
  expect(await openEntry(entriesOf(memberDoc).get('e1'), memberCodec)).toMatchObject({ ok: false, missingKey: held.keyId });
  const controlEcho = new Y.Doc();
  connect(controlRelay.syncUrl, `${control.id}.${REGISTER}`, controlEcho, control.token);
  await waitFor('the control entry is on the relay', () => entriesOf(controlEcho).has('c1'), 10_000);

  relay.child.kill('SIGTERM');
  controlRelay.child.kill('SIGTERM');
  expect(await relay.exited).toEqual({ code: 0, signal: null });
  expect(await controlRelay.exited).toEqual({ code: 0, signal: null });

  // What the relay kept: the room's updates, in the table the relay writes (server/persistence.ts).
  const db = new Database(path.join(dataDir, 'muster.sqlite'), { readonly: true });
  const rows = db.prepare<[string], { data: Buffer }>('SELECT data FROM updates WHERE room = ? ORDER BY id').all(room);
  db.close();
  const controlDb = new Database(path.join(controlDir, 'muster.sqlite'), { readonly: true });
  const controlRows = controlDb.prepare<[string], { data: Buffer }>('SELECT data FROM updates WHERE room = ? ORDER BY id').all(`${control.id}.${REGISTER}`);
  controlDb.close();
  expect(rows.length).toBeGreaterThan(0);
  expect(controlRows.length).toBeGreaterThan(0);

  // It is the entry we wrote, and it does open — with the officer's device key, from the relay's bytes alone.
  const fromRelay = new Y.Doc();
  for (const r of rows) Y.applyUpdate(fromRelay, new Uint8Array(r.data));
  expect(entriesOf(fromRelay).get('e1')).toMatchObject({ id: 'e1', kind: 'sealed', codec: 'aes-gcm-v1', sealed: stored.sealed });
  expect(readKeyring(fromRelay).wraps.map((w) => w.deviceId)).toEqual([officer.deviceId]);
  const officerKeys = await unwrapHeldKeys(fromRelay, { register: REGISTER, ...officer });
  const opened = await openEntry(entriesOf(fromRelay).get('e1'), aesGcmCodec({ sealingKey: () => undefined, keyById: (id) => officerKeys.get(id) }, REGISTER));
  expect(opened.ok && opened.entry.kind === 'entry' ? opened.entry.facts : opened).toBe(PLAINTEXT);

  // Nothing readable in the room's stored updates, nor anywhere in the relay's files on disk.
  const roomBytes = Buffer.concat(rows.map((r) => r.data));
  const fileBytes = dataDirBytes(dataDir);
  const rawKey = Buffer.from(await rawOfAesKey(held.key));
  const needles = [PLAINTEXT, 'Zoë Quintana', 'Quintana', 'Zoë', 'tailgating', 'HR-2026-031', 'p-zoe', ...base64Needles(PLAINTEXT), ...base64Needles('Zoë Quintana'), ...base64Needles('Quintana')];
  for (const haystack of [roomBytes, fileBytes]) {
    for (const needle of needles) expect(haystack.includes(Buffer.from(needle, 'utf8')), `found “${needle}”`).toBe(false);
    expect(haystack.includes(Buffer.from(PLAINTEXT, 'utf16le'))).toBe(false);
    expect(haystack.includes(rawKey)).toBe(false);
    expect(haystack.includes(Buffer.from(rawKey.toString('base64url')))).toBe(false);
  }
  // The control: the same search finds the base64 entry in the control relay's rows and files.
  const controlBytes = Buffer.concat(controlRows.map((r) => r.data));
  for (const haystack of [controlBytes, dataDirBytes(controlDir)]) {
    expect(base64Needles(PLAINTEXT).some((n) => haystack.includes(Buffer.from(n)))).toBe(true);
  }
});
