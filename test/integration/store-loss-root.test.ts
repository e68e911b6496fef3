import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { membershipId, type MembershipEntry } from '../../src/domain/membership.ts';
import { admitParam, challenge, connectAsDevice, connectWith, enrolledWorkspace, nextClose, nodeDevice, signAfter } from '../adversary.ts';
import { cleanup, createOnRelay, newWorkspace, rawSocket, type RelayProcess, ROOT, spawnNode, spawnRelay, tmpDir, waitSynced, within } from './harness.ts';

afterEach(cleanup);

/*
 * The pinned root of a signed workspace lives in DATA_DIR/muster.marker as well as in the database
 * (server/marker.ts, server/admission.ts; docs/RELAY.md "Store loss"): a database put back from before the
 * pin cannot un-pin the workspace, so a stranger with the secret cannot pin a genesis of their own.
 */

const ENFORCE = ['--enforce-device-admission'];
const markerOf = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'muster.marker'), 'utf8')) as { workspaces: Record<string, { epoch: number; verifier: string; root?: string }> };
const stop = async (relay: RelayProcess) => {
  relay.child.kill('SIGTERM');
  expect(await relay.exited).toEqual({ code: 0, signal: null });
};
async function backup(dataDir: string): Promise<string> {
  const out = tmpDir('muster-backup-');
  const p = spawnNode(['--import', 'tsx', path.join(ROOT, 'scripts/relay-backup.ts'), out, '--data-dir', dataDir]);
  expect((await p.exited).code).toBe(0);
  return path.join(out, fs.readdirSync(out)[0]!);
}
function restore(file: string, dataDir: string): void {
  fs.rmSync(path.join(dataDir, 'muster.sqlite-wal'), { force: true });
  fs.copyFileSync(file, path.join(dataDir, 'muster.sqlite'));
}
/** A secret-only connection to the members room carrying `entries` (as a device with the log syncs it). */
const logDoc = (entries: readonly MembershipEntry[]) => {
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const e of entries) doc.getMap('membership').set(membershipId(e), e);
  });
  return doc;
};

test('the root pin survives a database put back from before it: a stranger’s genesis is refused, the real log comes back and admits its devices', { timeout: 60_000 }, async () => {
  const dir = tmpDir('muster-rootpin-');
  const relay = await spawnRelay({ dataDir: dir, args: ENFORCE });
  // A workspace made offline: legacy on the relay until its log syncs.
  const { id, token } = newWorkspace();
  expect((await createOnRelay(relay.url, id, token)).status).toBe(201);
  // The backup is from before the pin.
  const file = await backup(dir);

  const owner = await nodeDevice('Owner');
  const sam = await nodeDevice('Sam');
  const entries: MembershipEntry[] = [];
  entries.push(await signAfter(id, entries, owner, { type: 'genesis', device: owner.keys, name: owner.name }));
  entries.push(await signAfter(id, entries, owner, { type: 'grant', device: sam.keys, name: sam.name, role: 'staff' }));
  const first = connectWith(relay.url, `${id}.members`, logDoc(entries), token, null);
  for (let i = 0; !(await challenge(relay.url, id, token)).enrolled; i++) {
    if (i > 100) throw new Error('not enrolled');
    await new Promise((r) => setTimeout(r, 50));
  }
  first.destroy();
  // The pin is in the marker, beside the credential; so is that of a workspace created with its genesis.
  expect(markerOf(dir).workspaces[id]?.root).toBe(owner.keyId);
  const created = await enrolledWorkspace(relay);
  expect(markerOf(dir).workspaces[created.id]).toMatchObject({ epoch: 0, root: created.owner.keyId });
  await stop(relay);

  restore(file, dir);
  const restored = await spawnRelay({ dataDir: dir, args: [...ENFORCE, '--accept-restored-store'] });
  expect(restored.stderr()).toMatch(new RegExp(`warn admission\\.restored-root workspace=${id} storeRoot=none root=${owner.keyId}`));
  // Still enrolled: the secret alone opens no room but the members room (the log must be able to come back).
  expect((await challenge(restored.url, id, token)).enrolled).toBe(true);
  expect(await within('secret only', rawSocket(restored.syncUrl, `${id}.people`, token).closed)).toEqual({ code: 4403, reason: 'device proof required' });

  // A stranger with the secret writes a genesis of their own: the pinned root refuses it; their device is not admitted.
  const mallory = await nodeDevice('Mallory');
  const theirs = connectWith(restored.url, `${id}.members`, logDoc([await signAfter(id, [], mallory, { type: 'genesis', device: mallory.keys, name: 'Mallory' })]), token, null);
  await waitSynced(theirs);
  await new Promise((r) => setTimeout(r, 300));
  const refused = rawSocket(restored.syncUrl, `${id}.people`, `${token}&admit=${encodeURIComponent(await admitParam(restored.url, id, token, mallory))}`);
  expect(await within('mallory', refused.closed)).toEqual({ code: 4403, reason: 'device not enrolled' });

  // The owner's device syncs the real log back: Sam is admitted, and the secret-only members connections go.
  const closed = nextClose(theirs);
  const back = connectWith(restored.url, `${id}.members`, logDoc(entries), token, null);
  expect(await within('secret-only members closed', closed, 5000)).toEqual({ code: 4403, reason: 'device proof required' });
  theirs.destroy();
  back.destroy();
  const samDoc = new Y.Doc();
  const p = await connectAsDevice(restored.url, `${id}.people`, samDoc, token, sam);
  await waitSynced(p);
  p.destroy();
  expect(markerOf(dir).workspaces[id]?.root).toBe(owner.keyId);

  // A database whose pin was changed (re-pinned to Mallory's root): the marker's pin is put back.
  await stop(restored);
  const db = new Database(path.join(dir, 'muster.sqlite'));
  expect(db.prepare('UPDATE admission_roots SET root = ? WHERE workspace = ?').run(mallory.keyId, id).changes).toBe(1);
  db.close();
  const again = await spawnRelay({ dataDir: dir, args: ENFORCE });
  expect(again.stderr()).toMatch(new RegExp(`warn admission\.restored-root workspace=${id} storeRoot=${mallory.keyId} root=${owner.keyId}`));
  const m = rawSocket(again.syncUrl, `${id}.people`, `${token}&admit=${encodeURIComponent(await admitParam(again.url, id, token, mallory))}`);
  expect(await within('mallory after re-pin', m.closed)).toEqual({ code: 4403, reason: 'device not enrolled' });
  const samAgain = await connectAsDevice(again.url, `${id}.people`, new Y.Doc(), token, sam);
  await waitSynced(samAgain);
  samAgain.destroy();
});
