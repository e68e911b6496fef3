import { afterEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { signMembershipEntry } from '../../src/crypto/membership.ts';
import { createRecovery, openRecovery } from '../../src/crypto/recovery.ts';
import { type MembershipEntry, membershipDraft, membershipId } from '../../src/domain/membership.ts';
import { admitParam, appendEntries, connectAsDevice, enrol, enrolledWorkspace, nodeDevice } from '../adversary.ts';
import { cleanup, destroyProvider, rawSocket, spawnRelay, tmpDir, waitFor, waitSynced, within } from './harness.ts';

afterEach(cleanup);

/*
 * Recovery on a relay that admits enrolled devices only (server/admission.ts GET /auth/<ws>/recovery): a device
 * with the workspace credential but outside the list reads the unspent recovery entries (sealed keys, nothing
 * else of the list), opens one with the code, signs a `recover` on it and enrols. The code works once.
 */

const recovery = async (url: string, ws: string, token: string | null) => {
  const res = await fetch(`${url}/auth/${ws}/recovery`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: (await res.json()) as { entries?: MembershipEntry[]; spent?: number; error?: string } };
};

test('a device outside the list reads only the unspent recovery entries, recovers with the code once, and is admitted', { timeout: 30_000 }, async () => {
  const relay = await spawnRelay({ dataDir: tmpDir() });
  const w = await enrolledWorkspace(relay, { staff: [['Sam', 'staff']] });
  // No recovery code yet: nothing to give out.
  expect(await recovery(relay.url, w.id, w.token)).toEqual({ status: 200, body: { entries: [], spent: 0 } });
  const { code, payload } = await createRecovery(w.id);
  const [rec] = await appendEntries(relay.url, w, w.owner, [payload]);

  // The credential is needed; GET only.
  expect((await recovery(relay.url, w.id, null)).status).toBe(401);
  expect((await fetch(`${relay.url}/auth/${w.id}/recovery`, { method: 'POST', headers: { Authorization: `Bearer ${w.token}` } })).status).toBe(405);
  const got = await recovery(relay.url, w.id, w.token);
  expect(got.status).toBe(200);
  expect(got.body.entries).toEqual([rec]);
  // Nothing else of the member list: no names, no device keys.
  expect(JSON.stringify(got.body)).not.toContain('Sam');
  expect(JSON.stringify(got.body)).not.toContain(w.staff[0]!.keys.signKey);

  // Bea, every owner's device lost: not admitted; the code opens the key and her `recover` enrols her.
  const bea = await nodeDevice('Bea');
  const early = rawSocket(relay.syncUrl, `${w.id}.people`, `${w.token}&admit=${encodeURIComponent(await admitParam(relay.url, w.id, w.token, bea))}`);
  expect(await within('Bea outside', early.closed)).toEqual({ code: 4403, reason: 'device not enrolled' });
  const key = await openRecovery(code, got.body.entries![0] as Extract<MembershipEntry, { type: 'recovery' }>, w.id);
  const recoverEntry = await signMembershipEntry(membershipDraft({ type: 'recover', device: bea.keys, name: 'Bea' }, { workspace: w.id, tips: [membershipId(rec!)], by: key.keyId }), key);
  expect(await enrol(relay.url, w.id, w.token, recoverEntry)).toEqual({ status: 200, body: { enrolled: bea.deviceId } });
  const doc = new Y.Doc();
  const p = await connectAsDevice(relay.url, `${w.id}.members`, doc, w.token, bea);
  await waitSynced(p);
  await waitFor('the whole list', () => doc.getMap('membership').has(membershipId(recoverEntry)) && doc.getMap('membership').size === w.entries.length + 1);
  destroyProvider(p);

  // Spent: the relay gives out no entry, and a second device's recover with the same key is refused.
  expect(await recovery(relay.url, w.id, w.token)).toEqual({ status: 200, body: { entries: [], spent: 1 } });
  const cai = await nodeDevice('Cai');
  const again = await signMembershipEntry(membershipDraft({ type: 'recover', device: cai.keys, name: 'Cai' }, { workspace: w.id, tips: [membershipId(rec!)], by: key.keyId }), key);
  expect(await enrol(relay.url, w.id, w.token, again)).toEqual({ status: 403, body: { error: 'another device used this recovery code first' } });
  // Bea is still the one the code enrolled.
  const still = new Y.Doc();
  const q = await connectAsDevice(relay.url, `${w.id}.members`, still, w.token, bea);
  await waitSynced(q);
  expect(still.getMap('membership').has(membershipId(again))).toBe(false);
  destroyProvider(q);
});
