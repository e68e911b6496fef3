import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { cleanup, connect, newWorkspace, records, ROOT, spawnNode, spawnRelay, tmpDir, waitFor, waitSynced } from './harness.ts';

/** Issue 12, item 7: `npm run relay-backup -- DIR` while the relay serves, then a restore into a fresh relay. */

afterEach(cleanup);

const REGISTERS = ['people', 'policies', 'training'] as const;

async function runBackup(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = spawnNode(['--import', 'tsx', path.join(ROOT, 'scripts/relay-backup.ts'), ...args]);
  const { code } = await p.exited;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

test('an online backup taken while devices write restores into a fresh relay, and a fresh device syncs every record', async () => {
  const dataDir = tmpDir('muster-live-');
  const relay = await spawnRelay({ dataDir });
  const ws = newWorkspace();

  const docs = REGISTERS.map(() => new Y.Doc());
  const providers = REGISTERS.map((r, i) => connect(relay.syncUrl, `${ws.id}.${r}`, docs[i]!, ws.token));
  await Promise.all(providers.map((p) => waitSynced(p)));
  const add = (i: number, id: string) => {
    const rec = new Y.Map<unknown>();
    records(docs[i]!).set(id, rec);
    rec.set('name', `${REGISTERS[i]} ${id}`);
  };
  for (let i = 0; i < REGISTERS.length; i++) for (let n = 0; n < 200; n++) add(i, `r${n}`);
  // An attachment too: it lives in the same database.
  const pdf = Buffer.from('%PDF-1.4\n% a policy\n');
  const hash = createHash('sha256').update(pdf).digest('hex');
  const put = await fetch(`${relay.url}/blobs/${ws.id}/${hash}`, { method: 'PUT', headers: { Authorization: `Bearer ${ws.token}`, 'Content-Type': 'application/pdf' }, body: pdf });
  expect(put.status).toBe(201);

  // Wait until the relay holds all of it: a watcher that joins now sees every record.
  const watcher = new Y.Doc();
  await waitSynced(connect(relay.syncUrl, `${ws.id}.people`, watcher, ws.token));
  await waitFor('relay has the people', () => records(watcher).size === 200);
  await new Promise((r) => setTimeout(r, 300));

  // Devices keep writing while the backup runs.
  let n = 0;
  const writer = setInterval(() => add(0, `during${n++}`), 5);
  const backupDir = tmpDir('muster-backup-');
  const result = await runBackup([backupDir, '--data-dir', dataDir]);
  clearInterval(writer);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/from the running relay .*integrity ok/);
  expect(relay.stderr()).toMatch(/backup\.done /);
  // The relay served throughout and still does.
  expect(relay.child.exitCode).toBeNull();
  expect((await fetch(`${relay.url}/healthz`)).status).toBe(200);
  const files = fs.readdirSync(backupDir);
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(/^muster-.*\.sqlite$/);
  // It holds every register in clear: only its owner may read it.
  expect(fs.statSync(path.join(backupDir, files[0]!)).mode & 0o077).toBe(0);
  // Nothing left behind in the data directory.
  expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('backup-'))).toEqual([]);

  // Restore, as README says: the file becomes muster.sqlite of a fresh data directory.
  const restoredDir = tmpDir('muster-restored-');
  fs.copyFileSync(path.join(backupDir, files[0]!), path.join(restoredDir, 'muster.sqlite'));
  const restored = await spawnRelay({ dataDir: restoredDir });
  for (let i = 0; i < REGISTERS.length; i++) {
    const fresh = new Y.Doc();
    await waitSynced(connect(restored.syncUrl, `${ws.id}.${REGISTERS[i]}`, fresh, ws.token), 10_000);
    const got = records(fresh);
    for (let k = 0; k < 200; k++) expect(got.get(`r${k}`)?.get('name'), `${REGISTERS[i]} r${k}`).toBe(`${REGISTERS[i]} r${k}`);
  }
  // The workspace credential and the attachment came back too.
  const blob = await fetch(`${restored.url}/blobs/${ws.id}/${hash}`, { headers: { Authorization: `Bearer ${ws.token}` } });
  expect(blob.status).toBe(200);
  expect(Buffer.from(await blob.arrayBuffer())).toEqual(pdf);
  const stranger = await fetch(`${restored.url}/blobs/${ws.id}/${hash}`, { headers: { Authorization: `Bearer ${newWorkspace().token}` } });
  expect(stranger.status).toBe(401);
});

test('with no relay running the script copies the database itself; with no database it says where it looked', async () => {
  const dataDir = tmpDir('muster-stopped-');
  const relay = await spawnRelay({ dataDir });
  const ws = newWorkspace();
  const doc = new Y.Doc();
  const p = connect(relay.syncUrl, `${ws.id}.people`, doc, ws.token);
  await waitSynced(p);
  const rec = new Y.Map<unknown>();
  records(doc).set('p1', rec);
  rec.set('name', 'Ada');
  await waitFor('stored', () => /ws\.open/.test(relay.stderr()));
  await new Promise((r) => setTimeout(r, 200));
  relay.child.kill('SIGTERM');
  await relay.exited;

  const out = tmpDir('muster-backup-');
  const r = await runBackup([out, '--data-dir', dataDir]);
  expect(r.stderr).toBe('');
  expect(r.stdout).toMatch(/\(no relay running\)/);
  const restoredDir = tmpDir('muster-restored-');
  fs.copyFileSync(path.join(out, fs.readdirSync(out)[0]!), path.join(restoredDir, 'muster.sqlite'));
  const restored = await spawnRelay({ dataDir: restoredDir });
  const fresh = new Y.Doc();
  await waitSynced(connect(restored.syncUrl, `${ws.id}.people`, fresh, ws.token));
  expect(records(fresh).get('p1')?.get('name')).toBe('Ada');

  const empty = tmpDir('muster-empty-');
  const none = await runBackup([out, '--data-dir', empty]);
  expect(none.code).toBe(1);
  expect(none.stderr).toContain(`relay-backup: no relay database at ${path.join(empty, 'muster.sqlite')}`);
});
