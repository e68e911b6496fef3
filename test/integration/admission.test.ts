import { afterEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { admitParam, appendEntries, challenge, connectAsDevice, connectWith, enrol, enrolledWorkspace, nextClose, nodeDevice, redeemEntry } from '../adversary.ts';
import { cleanup, createdWorkspace, connect, rawSocket, records, spawnRelay, tmpDir, waitFor, waitSynced, within } from './harness.ts';

afterEach(cleanup);

/*
 * Device admission (server/admission.ts): an enrolled workspace admits proven devices, not secrets.
 * Every adversary here is an official y-websocket client or a raw ws, built by test/adversary.ts.
 */

const rawWith = (syncUrl: string, room: string, token: string, admit: string | null) =>
  rawSocket(syncUrl, room, admit === null ? token : `${token}&admit=${encodeURIComponent(admit)}`);

test('the secret alone reads nothing of an enrolled workspace; a proven staff device reads and writes', { timeout: 30_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir() });
  const w = await enrolledWorkspace(relay, { staff: [['Sam', 'staff']] });
  // The owner's device writes a name into the People room.
  const ownerDoc = new Y.Doc();
  const owner = await connectAsDevice(relay.url, `${w.id}.people`, ownerDoc, w.token, w.owner);
  await waitSynced(owner);
  records(ownerDoc).set('p1', new Y.Map([['name', 'Alex Colleague']]));

  // Secret only: refused before the library sees it; not one byte of the room arrives.
  const raw = rawWith(relay.syncUrl, `${w.id}.people`, w.token, null);
  const received: Buffer[] = [];
  raw.ws.on('message', (d: Buffer) => received.push(d));
  expect(await within('secret-only close', raw.closed)).toEqual({ code: 4403, reason: 'device proof required' });
  expect(received.length).toBe(0);
  const spy = new Y.Doc();
  const yws = connectWith(relay.url, `${w.id}.people`, spy, w.token, null);
  expect(await within('provider close', nextClose(yws))).toEqual({ code: 4403, reason: 'device proof required' });
  yws.destroy();
  expect(records(spy).size).toBe(0);
  expect(JSON.stringify(spy.toJSON())).not.toContain('Alex');

  // The staff device, proven: reads the name, and its hand-made update reaches the owner.
  const staffDoc = new Y.Doc();
  const staff = await connectAsDevice(relay.url, `${w.id}.people`, staffDoc, w.token, w.staff[0]!);
  await waitSynced(staff);
  await waitFor('name read', () => (records(staffDoc).get('p1') as Y.Map<unknown> | undefined)?.get('name') === 'Alex Colleague');
  records(staffDoc).set('p2', new Y.Map([['name', 'Sam']]));
  await waitFor('owner sees staff write', () => records(ownerDoc).has('p2'));
  owner.destroy();
  staff.destroy();
});
