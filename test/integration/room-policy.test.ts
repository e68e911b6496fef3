import { randomBytes } from 'node:crypto';
import { afterEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { addedValues, createPolicyTable, DEFAULT_POLICY, linkOpening, type RoomPolicy, writeRefusal } from '../../server/policy.ts';
import { awarenessFrame, publishLink, reportOfSize, syncFrame } from '../bench/fairness-attacks.ts';
import { cleanup, connect, createdWorkspace, rawSocket, type RelayProcess, spawnRelay, tmpDir, waitSynced, within } from './harness.ts';

/**
 * The per-room policy table (server/policy.ts): the relay asks it who may open a room and what a
 * frame may write, and names no register itself. Against a real relay, a modified client (raw
 * frames) tries what the speak-up row forbids and what the default row allows; then the table
 * itself with a row it has never seen.
 */

afterEach(cleanup);

const update = (edit: (doc: Y.Doc) => void, base?: Y.Doc) => {
  const doc = new Y.Doc();
  if (base) Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
  const before = Y.encodeStateVector(doc);
  edit(doc);
  return Y.encodeStateAsUpdate(doc, before);
};

/** Sends `frame` on a fresh raw socket to `room`; resolves with the close the relay sent, or 'open' when it kept the socket. */
async function sendOne(relay: RelayProcess, room: string, token: string, frame: Uint8Array): Promise<{ code: number; reason: string } | 'open'> {
  const raw = rawSocket(relay.syncUrl, room, token);
  await raw.opened;
  raw.ws.send(frame);
  const kept = new Promise<'open'>((resolve) => setTimeout(() => resolve('open'), 400));
  const result = await within('answer', Promise.race([raw.closed, kept]));
  raw.ws.close();
  return result;
}

test('the speak-up row against a modified client; every other register has the default row', { timeout: 60_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir(), args: ['--speakup-max-value-bytes', '4096'] });
  const ws = await createdWorkspace(relay);
  const link = randomBytes(32).toString('base64url');
  expect(await publishLink(relay.url, ws, link)).toBe(204);
  const speakup = `${ws.id}.speakup`;
  const refused = { code: 4400, reason: 'not allowed in the speak-up room' };

  // The link token opens the speak-up room only, and there may only read and add reports and messages.
  expect(await within('link on people', rawSocket(relay.syncUrl, `${ws.id}.people`, link).closed)).toEqual({ code: 4401, reason: 'bad credentials' });
  expect(await sendOne(relay, speakup, link, syncFrame(1, reportOfSize('r-1', 100)))).toBe('open');
  expect(await sendOne(relay, speakup, link, syncFrame(2, reportOfSize('r-2', 100)))).toBe('open');
  expect(await sendOne(relay, speakup, link, awarenessFrame(77, 1, { user: { name: 'stranger' } }))).toEqual(refused);
  expect(await sendOne(relay, speakup, link, syncFrame(2, update((d) => d.getMap('directory').set('v9', { fp: 'x' }))))).toEqual(refused);
  expect(await sendOne(relay, speakup, link, syncFrame(2, update((d) => d.getMap('reports').set('r-3', new Y.Map()))))).toEqual(refused);
  // Over the value limit, anyone is told the limit.
  const tooLarge = { code: 4400, reason: 'report or message larger than 4096 bytes' };
  expect(await sendOne(relay, speakup, link, syncFrame(2, reportOfSize('r-4', 5000)))).toEqual(tooLarge);
  expect(await sendOne(relay, speakup, ws.token, syncFrame(2, reportOfSize('r-5', 5000)))).toEqual(tooLarge);

  // Members of the room may add to the directory, and may not replace or delete a report.
  const member = new Y.Doc();
  await waitSynced(connect(relay.syncUrl, speakup, member, ws.token));
  expect(member.getMap('reports').has('r-1')).toBe(true);
  expect(await sendOne(relay, speakup, ws.token, syncFrame(2, update((d) => d.getMap('directory').set('v1', { fp: 'x' }))))).toBe('open');
  expect(await sendOne(relay, speakup, ws.token, syncFrame(2, update((d) => d.getMap('reports').set('r-1', { junk: true }), member)))).toEqual(refused);
  expect(await sendOne(relay, speakup, ws.token, syncFrame(2, update((d) => d.getMap('reports').delete('r-1'), member)))).toEqual(refused);

  // The default row: members write what the library accepts, deletions and nested types included.
  const people = new Y.Doc();
  await waitSynced(connect(relay.syncUrl, `${ws.id}.people`, people, ws.token));
  expect(await sendOne(relay, `${ws.id}.people`, ws.token, syncFrame(2, update((d) => d.getMap('records').set('p1', new Y.Map()), people)))).toBe('open');
  const synced = new Y.Doc();
  await waitSynced(connect(relay.syncUrl, `${ws.id}.people`, synced, ws.token));
  expect(await sendOne(relay, `${ws.id}.people`, ws.token, syncFrame(2, update((d) => d.getMap('records').delete('p1'), synced)))).toBe('open');
  expect(await sendOne(relay, `${ws.id}.people`, ws.token, awarenessFrame(78, 1, { user: { name: 'member' } }))).toBe('open');

  relay.child.kill('SIGTERM');
  expect(await relay.exited).toEqual({ code: 0, signal: null });
  // The relay and @y/websocket-server share one Yjs, though the relay also imports y-websocket's constants.
  expect(relay.stderr()).not.toMatch(/Yjs was already imported/);
});

test('the table: a register without a row gets the default; a new row is obeyed as the speak-up one is', () => {
  const links: string[] = [];
  const notes: RoomPolicy = {
    open: { who: 'members-or-link', isLinkToken: (w, t) => (links.push(`${w}:${t}`), t === 'the-link'), link: { maxMessageBytes: 100, take: () => false, overBudget: 'later' } },
    write: { rule: 'add-only', room: 'the notes room', memberMaps: new Set(['notes', 'pins']), linkMaps: new Set(['notes']), maxValueBytes: 50, valueTooLarge: 'note larger than' },
  };
  const table = createPolicyTable({ notes });
  expect(table.of('people')).toBe(DEFAULT_POLICY);
  expect(table.of('speakup')).toBe(DEFAULT_POLICY);
  expect(table.of('notes')).toBe(notes);

  // Who opens: only the row's link token, and only where the row has a link.
  expect(linkOpening(notes, 'w1', 'the-link')).toBe(notes.open.who === 'members-or-link' ? notes.open.link : null);
  expect(linkOpening(notes, 'w1', 'a-member-credential')).toBeNull();
  expect(linkOpening(DEFAULT_POLICY, 'w1', 'the-link')).toBeNull();
  expect(links).toEqual(['w1:the-link', 'w1:a-member-credential']);

  // What it writes.
  const room = new Y.Doc();
  const add = syncFrame(2, update((d) => d.getMap('notes').set('n1', 'hello')));
  expect(writeRefusal(notes, room, add, true)).toBeNull();
  expect(addedValues(add)).toBe(1);
  Y.applyUpdate(room, update((d) => d.getMap('notes').set('n1', 'hello')));
  const pin = syncFrame(2, update((d) => d.getMap('pins').set('p1', 1)));
  expect(writeRefusal(notes, room, pin, false)).toBeNull();
  expect(writeRefusal(notes, room, pin, true)).toEqual({ reason: 'not allowed in the notes room', detail: 'only notes can be added to' });
  // From a client that has not seen n1 (no deletion in the update), and from one that has.
  expect(writeRefusal(notes, room, syncFrame(2, update((d) => d.getMap('notes').set('n1', 'bye'))), false)).toEqual({ reason: 'not allowed in the notes room', detail: 'a value in the notes room is never replaced' });
  expect(writeRefusal(notes, room, syncFrame(2, update((d) => d.getMap('notes').set('n1', 'bye'), room)), false)).toEqual({ reason: 'not allowed in the notes room', detail: 'nothing is ever deleted in the notes room' });
  expect(writeRefusal(notes, room, syncFrame(2, update((d) => d.getMap('notes').delete('n1'), room)), false)).toEqual({ reason: 'not allowed in the notes room', detail: 'nothing is ever deleted in the notes room' });
  expect(writeRefusal(notes, room, syncFrame(2, update((d) => d.getMap('notes').set('n2', 'x'.repeat(60)))), false)).toEqual({ reason: 'note larger than 50 bytes', detail: 'note larger than 50 bytes' });
  expect(writeRefusal(notes, room, awarenessFrame(1, 1, {}), true)?.detail).toBe('only sync messages on a public link');
  expect(writeRefusal(notes, room, awarenessFrame(1, 1, {}), false)).toBeNull();
  expect(writeRefusal(notes, room, syncFrame(0, Y.encodeStateVector(room)), true)).toBeNull();
  // The default row refuses nothing a member sends.
  expect(writeRefusal(DEFAULT_POLICY, room, syncFrame(2, update((d) => d.getMap('notes').delete('n1'), room)), false)).toBeNull();
});
