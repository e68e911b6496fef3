import { afterEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { cleanup, connect, newWorkspace, rawSocket, records, spawnRelay, tmpDir, waitFor, waitSynced, within } from './harness.ts';

afterEach(cleanup);

test('credentials and room names are checked; honest clients keep working', { timeout: 30_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir() });
  const ws = newWorkspace();
  const room = `${ws.id}.policies`;

  // First connection of the workspace sets its verifier (trust on first use).
  const honest = new Y.Doc();
  const ph = connect(relay.syncUrl, room, honest, ws.token);
  await waitSynced(ph);
  records(honest).set('p1', new Y.Map([['title', 'Acceptable use']]));

  const closeOf = async (r: string, token: string | null) => within(`close of ${r}`, rawSocket(relay.syncUrl, r, token).closed);
  const other = newWorkspace();

  // Wrong token for an existing workspace, on the same and on another register.
  expect(await closeOf(room, other.token)).toEqual({ code: 4401, reason: 'bad credentials' });
  expect((await closeOf(`${ws.id}.training`, other.token)).code).toBe(4401);
  // Missing and malformed tokens.
  expect(await closeOf(room, null)).toEqual({ code: 4401, reason: 'missing credentials' });
  expect((await closeOf(room, 'abc')).code).toBe(4401);
  expect((await closeOf(room, `${ws.token.slice(0, 42)}!`)).code).toBe(4401);
  // Same key bytes, non-canonical spelling (spare bits set) is not accepted either.
  const last = ws.token.at(-1)!;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const sibling = alphabet[(alphabet.indexOf(last) & ~3) | ((alphabet.indexOf(last) & 3) ^ 1)]!;
  expect((await closeOf(room, ws.token.slice(0, 42) + sibling)).code).toBe(4401);

  // Bad room names.
  for (const bad of ['short.people', `${ws.id}`, `${ws.id}.People`, `${ws.id}.1st`, `${ws.id}.people.x`, `${ws.id}.people%2fx`, `${'a'.repeat(65)}.people`, `${ws.id}.${'a'.repeat(33)}`]) {
    expect(await closeOf(bad, ws.token), bad).toEqual({ code: 4400, reason: 'bad room name' });
  }

  // The real client gets the code and stops reconnecting (4400-4499 are final for y-websocket).
  const intruder = new Y.Doc();
  const pi = connect(relay.syncUrl, room, intruder, other.token);
  const closed = await within('provider closed', new Promise<{ code: number }>((resolve) => pi.on('closed', (e) => resolve(e))));
  expect(closed.code).toBe(4401);
  expect(pi.shouldConnect).toBe(false);
  expect(records(intruder).size).toBe(0);

  // The honest client and a second device of the workspace still sync.
  const second = new Y.Doc();
  const ps = connect(relay.syncUrl, room, second, ws.token);
  await waitSynced(ps);
  await waitFor('second device has the policy', () => records(second).get('p1')?.get('title') === 'Acceptable use');
  records(second).get('p1')!.set('owner', 'CISO');
  await waitFor('honest client sees the edit', () => records(honest).get('p1')?.get('owner') === 'CISO');

  // Refusals are logged with their reason, never with the token.
  const log = relay.stderr();
  expect(log).toMatch(/ws\.refused .*code=4401 reason="bad credentials"/);
  expect(log).toMatch(/ws\.refused .*code=4400 reason="bad room name"/);
  expect(log).not.toContain(ws.token);
  expect(log).not.toContain(other.token);
});
