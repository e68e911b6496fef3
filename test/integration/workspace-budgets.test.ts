import { createHash } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, test } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { cleanup, createdWorkspace, connect, newWorkspace, rawSocket, records, spawnRelay, tmpDir, waitFor, waitSynced, within } from './harness.ts';

afterEach(cleanup);

/** An honest device edits one room and a second device of the same workspace sees it. */
async function honestSync(syncUrl: string, workspace: { id: string; token: string }, register: string, key: string) {
  const a = new Y.Doc();
  const b = new Y.Doc();
  const pa = connect(syncUrl, `${workspace.id}.${register}`, a, workspace.token);
  const pb = connect(syncUrl, `${workspace.id}.${register}`, b, workspace.token);
  await Promise.all([waitSynced(pa), waitSynced(pb)]);
  records(a).set(key, new Y.Map([['ok', true]]));
  await waitFor(`${key} reaches the second device`, () => records(b).get(key)?.get('ok') === true);
}

test('invented workspaces cannot take the rooms of an established workspace', { timeout: 60_000 }, async () => {
  const dataDir = tmpDir();
  const env = { MAX_ROOMS: '12', MAX_NEW_ROOMS: '6' };
  // The honest workspace has been on this relay for two days.
  const honest = newWorkspace();
  let relay = await spawnRelay({ dataDir, env });
  await honestSync(relay.syncUrl, honest, 'people', 'day-one');
  relay.child.kill('SIGTERM');
  await relay.exited;
  const db = new Database(path.join(dataDir, 'muster.sqlite'));
  db.prepare('UPDATE workspaces SET created_at = ? WHERE id = ?').run(Date.now() - 2 * 24 * 3600_000, honest.id);
  db.close();
  relay = await spawnRelay({ dataDir, env });

  // An outsider invents twelve workspaces (anyone can make one today) and holds a room open in each.
  // (A refused socket opens and is then closed with the reason, so the browser sees it.)
  const refusals: Array<{ code: number; reason: string }> = [];
  for (let i = 0; i < 12; i++) {
    const invented = await createdWorkspace(relay);
    const s = rawSocket(relay.syncUrl, `${invented.id}.people`, invented.token);
    void s.closed.then((c) => refusals.push(c));
    await within('invented workspace answered', s.opened);
  }
  await waitFor('six refused', () => refusals.length >= 6);
  await new Promise((r) => setTimeout(r, 300));
  expect(refusals.length).toBe(6);
  expect(refusals[0]).toEqual({ code: 4503, reason: 'too many open rooms for new workspaces' });

  // The established workspace still opens rooms and syncs in them.
  await honestSync(relay.syncUrl, honest, 'people', 'under-attack');
  await honestSync(relay.syncUrl, honest, 'training', 'new-room');
});

test('one workspace runs out of its own rooms and sockets, not of everyone’s', { timeout: 60_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir(), env: { MAX_WORKSPACE_ROOMS: '3', MAX_WORKSPACE_SOCKETS: '5' } });
  const abused = await createdWorkspace(relay);
  const honest = await createdWorkspace(relay);
  const open = async (register: string) => {
    const s = rawSocket(relay.syncUrl, `${abused.id}.${register}`, abused.token);
    await within(`${register} open`, s.opened);
    return s;
  };
  await open('r1');
  await open('r2');
  await open('r3');
  const fourthRoom = rawSocket(relay.syncUrl, `${abused.id}.r4`, abused.token);
  expect(await within('fourth room refused', fourthRoom.closed)).toEqual({ code: 4503, reason: 'workspace has too many open rooms' });
  await open('r1');
  await open('r2');
  const sixthSocket = rawSocket(relay.syncUrl, `${abused.id}.r3`, abused.token);
  expect(await within('sixth socket refused', sixthSocket.closed)).toEqual({ code: 4503, reason: 'workspace has too many open connections' });
  expect(relay.stderr()).toMatch(/ws\.refused room=\S+ code=4503 reason="workspace has too many open rooms"/);

  // Another workspace opens as many rooms as its own budget allows.
  await honestSync(relay.syncUrl, honest, 'people', 'p');
  await honestSync(relay.syncUrl, honest, 'training', 't');
});

test('a workspace that sends too much per minute is closed; other workspaces keep syncing', { timeout: 60_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir(), env: { MAX_WORKSPACE_BYTES_PER_MINUTE: String(1024 * 1024) } });
  const abused = await createdWorkspace(relay);
  const honest = await createdWorkspace(relay);
  const s = rawSocket(relay.syncUrl, `${abused.id}.people`, abused.token);
  await within('open', s.opened);
  // Four valid updates of 300 KB each: 1.2 MB in a few milliseconds.
  for (let i = 0; i < 4; i++) {
    const donor = new Y.Doc();
    records(donor).set(`r${i}`, new Y.Map([['body', 'x'.repeat(300_000)]]));
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, 0); // sync
    encoding.writeVarUint(enc, 2); // update
    encoding.writeVarUint8Array(enc, Y.encodeStateAsUpdate(donor));
    s.ws.send(encoding.toUint8Array(enc));
  }
  expect(await within('closed over budget', s.closed)).toEqual({ code: 4503, reason: 'workspace over its bytes-per-minute budget, try later' });
  await honestSync(relay.syncUrl, honest, 'people', 'meanwhile');
});

test('strangers holding the public speak-up link may use a tenth of the workspace’s sockets, so members still get in', { timeout: 60_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir(), env: { MAX_WORKSPACE_SOCKETS: '20' } });
  const ws = await createdWorkspace(relay);
  const link = newWorkspace().token;
  const verifier = createHash('sha256').update(Buffer.from(link, 'base64url')).digest('hex');
  const res = await fetch(`${relay.url}/speakup/${ws.id}/verifier`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${ws.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ verifier }),
  });
  expect(res.status).toBe(204);
  const room = `${ws.id}.speakup`;
  await within('first link socket', rawSocket(relay.syncUrl, room, link).opened);
  await within('second link socket', rawSocket(relay.syncUrl, room, link).opened);
  expect(await within('third link socket refused', rawSocket(relay.syncUrl, room, link).closed)).toEqual({
    code: 4503,
    reason: 'too many open connections from the public link',
  });
  await honestSync(relay.syncUrl, ws, 'people', 'members-still-in');
});
