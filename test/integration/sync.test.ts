import { afterEach, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { cleanup, connect, destroyProvider, newWorkspace, records, spawnRelay, tmpDir, waitFor, waitSynced } from './harness.ts';

afterEach(cleanup);

describe('relay sync', () => {
  test('two devices editing different fields of one record converge', { timeout: 20_000 }, async () => {
    const relay = await spawnRelay({ dataDir: tmpDir() });
    const ws = newWorkspace();
    const room = `${ws.id}.people`;
    const a = new Y.Doc();
    const b = new Y.Doc();
    const pa = connect(relay.syncUrl, room, a, ws.token);
    const pb = connect(relay.syncUrl, room, b, ws.token);
    await Promise.all([waitSynced(pa), waitSynced(pb)]);

    // A creates the record; concurrent creation of the same nested map would let one side win.
    const rec = new Y.Map<unknown>();
    records(a).set('p1', rec);
    rec.set('name', 'Ada');
    await waitFor('B sees the record', () => records(b).get('p1')?.get('name') === 'Ada');

    // Concurrent edits of different fields.
    records(a).get('p1')!.set('role', 'ISMS manager');
    records(b).get('p1')!.set('team', 'Ops');
    // Sorted keys: each side inserted the two fields in a different order.
    const view = (d: Y.Doc) => Object.fromEntries([...(records(d).get('p1')?.entries() ?? [])].sort(([x], [y]) => x.localeCompare(y)));
    const expected = { name: 'Ada', role: 'ISMS manager', team: 'Ops' };
    await waitFor('convergence', () => JSON.stringify(view(a)) === JSON.stringify(expected) && JSON.stringify(view(b)) === JSON.stringify(expected));
    expect(view(a)).toEqual(expected);
    expect(view(b)).toEqual(expected);
    expect(relay.stderr()).not.toMatch(/Yjs was already imported/);
  });

  test('an edit confirmed before kill -9 reaches a device that was never online with its author', { timeout: 30_000 }, async () => {
    const dataDir = tmpDir();
    let relay = await spawnRelay({ dataDir });
    const ws = newWorkspace();
    const room = `${ws.id}.checklists`;

    const a = new Y.Doc();
    const pa = connect(relay.syncUrl, room, a, ws.token);
    await waitSynced(pa);
    // One message per edit, past the 500-row compaction threshold, so compaction also runs before the crash.
    const EDITS = 620;
    for (let i = 0; i < EDITS; i++) records(a).set(`r${i}`, new Y.Map([['done', i % 2 === 0]]));

    // Confirmation via a second connection: once B has everything, the relay has applied
    // (and, in that same tick, stored) every update.
    const b = new Y.Doc();
    const pb = connect(relay.syncUrl, room, b, ws.token);
    await waitFor('probe sees all edits', () => records(b).size === EDITS, 10_000);
    destroyProvider(pa);
    destroyProvider(pb);

    relay.child.kill('SIGKILL');
    expect((await relay.exited).signal).toBe('SIGKILL');

    relay = await spawnRelay({ dataDir });
    const c = new Y.Doc();
    const pc = connect(relay.syncUrl, room, c, ws.token);
    await waitSynced(pc);
    await waitFor('C has all edits', () => records(c).size === EDITS);
    expect(records(c).get('r0')?.get('done')).toBe(true);
    expect(records(c).get(`r${EDITS - 1}`)?.get('done')).toBe((EDITS - 1) % 2 === 0);
    expect(Y.encodeStateVector(c)).toEqual(Y.encodeStateVector(a));
  });
});
