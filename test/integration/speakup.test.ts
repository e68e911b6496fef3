import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, test } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { generateDeviceKeyPair } from '../../src/crypto/device-keys.ts';
import {
  keysFingerprint,
  newLinkToken,
  openAsRecipient,
  openMessage,
  openReportContent,
  openWithReceipt,
  receiptKeys,
  sealMessage,
  sealReport,
  tokenVerifier,
} from '../../src/registers/speakup/crypto.ts';
import { messagesIn, messageUpdate, reportIn, reportsIn, reportUpdate } from '../../src/registers/speakup/doc.ts';
import { recipientKeysOf, type ReportContent } from '../../src/registers/speakup/model.ts';
import { fetchRoom, RelayClosed, sendUpdate } from '../../src/sync/short-room.ts';
import { cleanup, createdWorkspace, connect, newWorkspace, rawSocket, records, spawnRelay, tmpDir, waitFor, waitSynced, within } from './harness.ts';

afterEach(cleanup);

/*
 * The speak-up room against a real relay process: what the relay stores,
 * which Yjs client ids it sees, what the public-link token opens, what a
 * public-link holder may write, and what the relay logs.
 */

const UA = 'SpeakupProbe/1.0 (reporter-phone)';
const FORWARDED = '203.0.113.77';
/** Every client of this test announces a user agent and a forwarded address: neither may reach the log. */
class ProbeSocket extends WebSocket {
  constructor(url: string) {
    super(url, { headers: { 'User-Agent': UA, 'X-Forwarded-For': FORWARDED } });
  }
}
const WS = ProbeSocket as unknown as typeof globalThis.WebSocket;

const REPORTER = { name: 'Sam Staff-Reporter', personId: 'person-sam-7f3a', deviceId: 'device-sam-91c2e0' };
const WHAT = 'The finance director had IT switch off MFA on his mailbox so he can log in faster.';
const CONTENT: ReportContent = { v: 1, category: 'policy-bypass', when: { date: '2026-03-12' }, where: 'Finance, 3rd floor', what: WHAT };
const REPLY = 'Thank you. Was anyone else present when this was requested?';
const FAST = 2000;

/** lib0 varUint length prefix + bytes. */
function lengthPrefixed(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let n = bytes.length;
  while (n > 127) {
    out.push((n & 127) | 128);
    n >>>= 7;
  }
  out.push(n);
  return [...out, ...bytes];
}

async function putVerifier(url: string, ws: string, credential: string | null, body: unknown, method = 'PUT') {
  const res = await fetch(`${url}/speakup/${ws}/verifier`, {
    method,
    headers: { 'User-Agent': UA, 'X-Forwarded-For': FORWARDED, 'Content-Type': 'application/json', ...(credential ? { Authorization: `Bearer ${credential}` } : {}) },
    ...(method === 'PUT' ? { body: JSON.stringify(body) } : {}),
  });
  return res.status;
}

test('a report through the relay: stored sealed, unlinkable client id, public token limited to the room, no addresses logged', { timeout: 60_000 }, async () => {
  const dataDir = tmpDir();
  let relay = await spawnRelay({ dataDir });
  const ws = await createdWorkspace(relay);
  const room = `${ws.id}.speakup`;
  const conn = { serverUrl: relay.syncUrl, room, WebSocketImpl: WS };

  // The reporter's device: it edits a register, and keeps its own copy of the speak-up room in sync.
  const people = new Y.Doc();
  const pPeople = connect(relay.syncUrl, `${ws.id}.people`, people, ws.token);
  await waitSynced(pPeople);
  records(people).set(REPORTER.personId, new Y.Map<unknown>([['name', REPORTER.name], ['deviceId', REPORTER.deviceId]]));
  const reporterCopy = new Y.Doc();
  const pCopy = connect(relay.syncUrl, room, reporterCopy, ws.token);
  await waitSynced(pCopy);

  // The recipient's device, also in sync with the room.
  const rita = await generateDeviceKeyPair();
  const ritaCopy = new Y.Doc();
  const pRita = connect(relay.syncUrl, room, ritaCopy, ws.token);
  await waitSynced(pRita);

  // The reporter writes a report: a fresh document, a separate short-lived connection.
  const sealed = await sealReport({
    workspaceId: ws.id,
    content: CONTENT,
    recipients: recipientKeysOf(['rita'], [{ personId: 'rita', publicKey: rita.publicKey, removed: false }]),
    day: '2026-03-14',
    iterations: FAST,
  });
  const update = reportUpdate(sealed.locator, sealed.entry);
  const reportClient = [...Y.parseUpdateMeta(update).to.keys()];
  expect(reportClient).toHaveLength(1);
  expect(await sendUpdate({ ...conn, credential: ws.token, update })).toBe('sent');
  // Sending it again (an outbox retry after a lost answer) adds nothing.
  expect(await sendUpdate({ ...conn, credential: ws.token, update })).toBe('already held');

  // The recipient's synced copy has it and opens it; so does the reporter's copy (like every member's), sealed.
  await waitFor('recipient has the report', () => !!reportIn([ritaCopy], sealed.locator));
  await waitFor('reporter copy has the report', () => !!reportIn([reporterCopy], sealed.locator));
  const asRita = (await openAsRecipient(ws.id, sealed.locator, reportIn([ritaCopy], sealed.locator)!, rita))!;
  expect(await openReportContent(ws.id, sealed.locator, reportIn([ritaCopy], sealed.locator)!, asRita)).toEqual(CONTENT);

  // Rita replies; the reporter, with only the receipt, reads the reply through the public link below.
  const replyUpdate = messageUpdate('m-rita-1', await sealMessage({ workspaceId: ws.id, locator: sealed.locator, id: 'm-rita-1', keys: asRita, body: { v: 1, from: 'recipient', kind: 'reply', text: REPLY, author: 'Rita', day: '2026-03-15', seq: 1 } }));
  expect(await sendUpdate({ ...conn, credential: ws.token, update: replyUpdate })).toBe('sent');

  // ---- the public link ----
  const token = newLinkToken();
  // Registering its verifier needs the workspace credential.
  expect(await putVerifier(relay.url, ws.id, null, { verifier: await tokenVerifier(token) })).toBe(401);
  expect(await putVerifier(relay.url, ws.id, newWorkspace().token, { verifier: await tokenVerifier(token) })).toBe(401);
  expect(await putVerifier(relay.url, ws.id, ws.token, { verifier: 'nope' })).toBe(400);
  expect(await putVerifier(relay.url, ws.id, ws.token, { verifier: await tokenVerifier(token) })).toBe(204);

  // It opens the speak-up room, and reads it…
  const state = await fetchRoom({ ...conn, credential: token });
  const publicView = new Y.Doc();
  Y.applyUpdate(publicView, state);
  const { locator, wrapKey } = await receiptKeys(ws.id, sealed.receipt, FAST);
  const asReporter = (await openWithReceipt(ws.id, locator, wrapKey, reportIn([publicView], locator)!))!;
  const [replyId, replyEntry] = [...messagesIn([publicView], locator)][0]!;
  expect((await openMessage({ workspaceId: ws.id, id: replyId, entry: replyEntry, keys: asReporter }))?.text).toBe(REPLY);
  // …and the reporter answers through it.
  const answer = messageUpdate('m-rep-2', await sealMessage({ workspaceId: ws.id, locator, id: 'm-rep-2', keys: asReporter, body: { v: 1, from: 'reporter', kind: 'reply', text: 'Only the IT helpdesk.', day: '2026-03-16', seq: 2 } }));
  expect(await sendUpdate({ ...conn, credential: token, update: answer })).toBe('sent');
  await waitFor('recipient has the answer', () => messagesIn([ritaCopy], sealed.locator).size === 2);

  // …but no other room of the workspace.
  for (const register of ['people', 'settings', 'members', 'disciplinary']) {
    expect(await within(`close of ${register}`, rawSocket(relay.syncUrl, `${ws.id}.${register}`, token).closed), register).toEqual({ code: 4401, reason: 'bad credentials' });
  }
  // Nor another workspace's speak-up room.
  const other = await createdWorkspace(relay);
  const pOther = connect(relay.syncUrl, `${other.id}.people`, new Y.Doc(), other.token);
  await waitSynced(pOther);
  expect((await within('other speakup', rawSocket(relay.syncUrl, `${other.id}.speakup`, token).closed)).code).toBe(4401);

  // A public-link holder may only add: overwriting the report (to erase it) is refused and changes nothing.
  const junk = new Y.Doc();
  junk.getMap('reports').set(sealed.locator, { v: 1, day: '2026-03-20', sealed: 'junk', keys: [], receipt: 'junk' });
  await expect(sendUpdate({ ...conn, credential: token, update: Y.encodeStateAsUpdate(junk) })).rejects.toMatchObject({ code: 4400 });
  // Writing to another map (a fake directory of recipients) is refused too.
  const fakeDirectory = new Y.Doc();
  fakeDirectory.getMap('directory').set('v99', { v: 1, version: 99, fp: 'x', body: {} });
  const refused = await sendUpdate({ ...conn, credential: token, update: Y.encodeStateAsUpdate(fakeDirectory) }).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(RelayClosed);
  // Deleting, from a client that synced the room, is refused.
  const deleter = new Y.Doc();
  Y.applyUpdate(deleter, await fetchRoom({ ...conn, credential: token }));
  const before = Y.encodeStateVector(deleter);
  deleter.getMap('reports').delete(sealed.locator);
  const del = Y.encodeStateAsUpdate(deleter, before);
  expect(Y.decodeUpdate(del).ds.clients.size).toBe(1);
  // (sendUpdate never sends an update without new items, so send the raw sync message.)
  const raw = rawSocket(relay.syncUrl, room, token);
  await raw.opened;
  raw.ws.send(Buffer.from([0, 2, ...lengthPrefixed(del)]));
  expect(await within('delete refused', raw.closed)).toEqual({ code: 4400, reason: 'not allowed in the speak-up room' });
  await new Promise((r) => setTimeout(r, 200));
  expect(reportIn([ritaCopy], sealed.locator)).toEqual(sealed.entry);
  expect(ritaCopy.getMap('directory').size).toBe(0);

  // Members cannot erase a report either, even with the workspace credential; they can publish a directory.
  await expect(sendUpdate({ ...conn, credential: ws.token, update: Y.encodeStateAsUpdate(junk) })).rejects.toMatchObject({ code: 4400 });
  const rawMember = rawSocket(relay.syncUrl, room, ws.token);
  await rawMember.opened;
  rawMember.ws.send(Buffer.from([0, 2, ...lengthPrefixed(del)]));
  expect(await within('member delete refused', rawMember.closed)).toEqual({ code: 4400, reason: 'not allowed in the speak-up room' });
  const realDirectory = new Y.Doc();
  realDirectory.getMap('directory').set('v1.abc', { v: 1, version: 1, fp: 'x', body: {} });
  expect(await sendUpdate({ ...conn, credential: ws.token, update: Y.encodeStateAsUpdate(realDirectory) })).toBe('sent');
  await waitFor('directory published', () => ritaCopy.getMap('directory').size === 1);
  expect(reportIn([ritaCopy], sealed.locator)).toEqual(sealed.entry);

  // Turning the link off: the token no longer opens the room.
  expect(await putVerifier(relay.url, ws.id, ws.token, undefined, 'DELETE')).toBe(204);
  expect((await within('link off', rawSocket(relay.syncUrl, room, token).closed)).code).toBe(4401);

  // The reporter keeps editing the register.
  records(people).get(REPORTER.personId)!.set('team', 'Finance');
  await new Promise((r) => setTimeout(r, 200));

  // ---- what the relay stored and logged ----
  pPeople.destroy();
  pCopy.destroy();
  pRita.destroy();
  pOther.destroy();
  relay.child.kill('SIGTERM');
  expect((await within('relay stops', relay.exited, 10_000)).code).toBe(0);
  const db = new Database(path.join(dataDir, 'muster.sqlite'), { readonly: true });
  const rows = db.prepare<[string], { data: Buffer }>('SELECT data FROM updates WHERE room = ?').all(room);
  const peopleRows = db.prepare<[string], { data: Buffer }>('SELECT data FROM updates WHERE room = ?').all(`${ws.id}.people`);
  db.close();
  expect(rows.length).toBeGreaterThan(0);
  const stored = Buffer.concat(rows.map((r) => r.data));
  // The room holds the report (not vacuous)…
  const merged = new Y.Doc();
  for (const r of rows) Y.applyUpdate(merged, new Uint8Array(r.data));
  expect(reportsIn([merged]).get(sealed.locator)).toEqual(sealed.entry);
  expect(messagesIn([merged]).size).toBe(2);
  // …but none of its plaintext, and none of the reporter's identifiers.
  for (const secret of [WHAT, 'MFA', 'finance director', 'Finance, 3rd floor', REPLY, 'Only the IT helpdesk', REPORTER.name, REPORTER.personId, REPORTER.deviceId, 'Sam']) {
    expect(stored.includes(Buffer.from(secret)), secret).toBe(false);
  }
  // The register room does hold the reporter's name (the check above can find a string when it is there).
  expect(Buffer.concat(peopleRows.map((r) => r.data)).includes(Buffer.from(REPORTER.name))).toBe(true);

  // The report's Yjs client id is none of the reporter's: not the register edits', not its copy of the room's.
  const clientsOf = (data: Buffer[]) => new Set(data.flatMap((d) => Y.decodeUpdate(new Uint8Array(d)).structs.map((s) => s.id.client)));
  const speakupClients = clientsOf(rows.map((r) => r.data));
  const peopleClients = clientsOf(peopleRows.map((r) => r.data));
  expect(peopleClients.has(people.clientID)).toBe(true);
  expect(speakupClients.has(reportClient[0]!)).toBe(true);
  expect(reportClient[0]).not.toBe(people.clientID);
  expect(reportClient[0]).not.toBe(reporterCopy.clientID);
  expect(speakupClients.has(people.clientID)).toBe(false);
  expect(speakupClients.has(reporterCopy.clientID)).toBe(false);
  for (const c of speakupClients) expect(peopleClients.has(c)).toBe(false);

  // The log: the speak-up room's connections are there, with no address and no user agent.
  const log = relay.stderr();
  expect(log).toMatch(new RegExp(`ws\\.open room=${room.replace(/[-.]/g, '\\$&')}`));
  expect(log).toMatch(/speakup\.link-on/);
  expect(log).toMatch(/reason="not allowed in the speak-up room"/);
  for (const line of log.split('\n').filter((l) => !/ relay\.started /.test(l))) {
    expect(line).not.toMatch(/127\.0\.0\.1|::1|::ffff|localhost/);
    expect(line).not.toContain(FORWARDED);
    expect(line).not.toContain('SpeakupProbe');
  }
  expect(log).not.toContain(token);
  expect(log).not.toContain(ws.token);

  // After a restart the room is served whole.
  relay = await spawnRelay({ dataDir });
  const again = new Y.Doc();
  Y.applyUpdate(again, await fetchRoom({ serverUrl: relay.syncUrl, room, credential: ws.token, WebSocketImpl: WS }));
  expect(reportIn([again], sealed.locator)).toEqual(sealed.entry);
  expect(await keysFingerprint([rita.publicKey])).toMatch(/^[A-Za-z0-9_-]{43}$/);
});

test('a public link may add only so much per hour; the rest waits (4503, not final) and members are not limited', { timeout: 30_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir(), args: ['--speakup-link-per-hour', '3'] });
  const ws = await createdWorkspace(relay);
  const conn = { serverUrl: relay.syncUrl, room: `${ws.id}.speakup`, WebSocketImpl: WS };
  // The workspace exists on the relay once a member has connected.
  await within('member opens the room', fetchRoom({ ...conn, credential: ws.token }));
  const token = newLinkToken();
  expect(await putVerifier(relay.url, ws.id, ws.token, { verifier: await tokenVerifier(token) })).toBe(204);
  const junk = (i: number) => {
    const d = new Y.Doc();
    d.getMap('messages').set(`flood-${i}`, { v: 1, day: '2026-03-20', sealed: `x${i}`, locator: 'nowhere' });
    return Y.encodeStateAsUpdate(d);
  };
  for (let i = 0; i < 3; i++) expect(await sendUpdate({ ...conn, credential: token, update: junk(i) })).toBe('sent');
  const over = await sendUpdate({ ...conn, credential: token, update: junk(3) }).catch((e: unknown) => e);
  expect(over).toBeInstanceOf(RelayClosed);
  expect((over as RelayClosed).code).toBe(4503);
  // "Later", not "never": the reporter's outbox keeps it for another try.
  expect((over as RelayClosed).final).toBe(false);
  await waitFor("refusal logged", () => /too many reports from the public link/.test(relay.stdout() + relay.stderr()));
  // Members are not limited, and nothing of the refused frame reached the room.
  expect(await sendUpdate({ ...conn, credential: ws.token, update: junk(4) })).toBe('sent');
  const room = new Y.Doc();
  Y.applyUpdate(room, await fetchRoom({ ...conn, credential: ws.token }));
  expect([...room.getMap('messages').keys()].sort()).toEqual(['flood-0', 'flood-1', 'flood-2', 'flood-4']);
});
