import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { connectRoom, type KnownRelayState, type RoomSync, type RoomSyncState } from '../../src/sync/room-sync';
import { cleanup, createdWorkspace, createOnRelay, newWorkspace, spawnRelay, tmpDir, waitFor } from './harness';

// The app's own sync client (src/sync/room-sync.ts) against a real relay process:
// the count of unconfirmed changes is what the sync indicator shows.
const rooms: RoomSync[] = [];
afterEach(async () => {
  for (const r of rooms.splice(0)) r.destroy();
  await cleanup();
});

function client(syncUrl: string, room: string, token: string, known?: KnownRelayState) {
  const doc = new Y.Doc();
  let state: RoomSyncState = { status: 'connecting', unconfirmed: 0 };
  let saved: KnownRelayState | undefined;
  const sync = connectRoom({
    doc, room, serverUrl: syncUrl, credential: token,
    ...(known ? { known } : {}),
    save: async (k) => (saved = k),
    onChange: (s) => (state = s),
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  rooms.push(sync);
  return { doc, sync, state: () => state, saved: () => saved };
}

const record = (doc: Y.Doc, id: string, fields: Record<string, string>) =>
  doc.transact(() => {
    const m = new Y.Map<unknown>();
    for (const [k, v] of Object.entries(fields)) m.set(k, v);
    doc.getMap('records').set(id, m);
  });

describe('unconfirmed changes against the real relay', () => {
  it('counts edits made while disconnected and reaches 0 once the relay confirms them', async () => {
    const relay = await spawnRelay({ dataDir: tmpDir() });
    const ws = await createdWorkspace(relay);
    const room = `${ws.id}.checklists`;
    const a = client(relay.syncUrl, room, ws.token);
    await waitFor('synced', () => a.state().status === 'synced');

    a.sync.disconnect();
    record(a.doc, 'c1', { team: 'Ops', month: '2026-11' });
    a.doc.getMap<Y.Map<unknown>>('records').get('c1')!.set('item.brief.status', 'done');
    // Two changes (create, then answer), four field writes: the indicator counts changes.
    expect(a.state()).toMatchObject({ status: 'offline', unconfirmed: 2 });
    await waitFor('both changes remembered', () => a.saved()?.pending.length === 2);

    a.sync.connect();
    await waitFor('confirmed', () => a.state().status === 'synced' && a.state().unconfirmed === 0, 10_000);

    // Every further edit is counted until the relay's echo arrives.
    a.doc.getMap<Y.Map<unknown>>('records').get('c1')!.set('item.lead.status', 'na');
    await waitFor('confirmed again', () => a.state().unconfirmed === 0 && a.state().status === 'synced');

    // A device that saw nothing yet reads the same record.
    const b = client(relay.syncUrl, room, ws.token);
    await waitFor('b synced', () => b.state().status === 'synced');
    expect(b.doc.getMap<Y.Map<unknown>>('records').get('c1')?.toJSON()).toEqual({ team: 'Ops', month: '2026-11', 'item.brief.status': 'done', 'item.lead.status': 'na' });
    await waitFor('relay state saved', () => a.saved()?.pending.length === 0, 2_000);
  });

  it('a reload that remembers what the relay held shows 0 before connecting; a wiped relay is re-sent', async () => {
    const relay = await spawnRelay({ dataDir: tmpDir() });
    const ws = await createdWorkspace(relay);
    const room = `${ws.id}.people`;
    const a = client(relay.syncUrl, room, ws.token);
    record(a.doc, 'p1', { name: 'Ada' });
    await waitFor('confirmed', () => a.state().status === 'synced' && a.state().unconfirmed === 0, 10_000);
    await waitFor('relay state saved', () => a.saved()?.pending.length === 0, 2_000);
    const saved = a.saved()!;
    const update = Y.encodeStateAsUpdate(a.doc);
    a.sync.destroy();

    // Same device after a reload, against a relay that has lost its data: the relay's
    // sync step 1 replaces the remembered state, so the edit counts again until re-sent.
    const fresh = await spawnRelay({ dataDir: tmpDir() });
    // A wiped relay no longer holds the workspace: its creator creates it again (the app does on "unknown workspace").
    expect((await createOnRelay(fresh.url, ws.id, ws.token)).status).toBe(201);
    const reloaded = client(fresh.syncUrl, room, ws.token, saved);
    Y.applyUpdate(reloaded.doc, update);
    reloaded.sync.disconnect();
    expect(reloaded.state()).toMatchObject({ status: 'offline', unconfirmed: 0 });
    reloaded.sync.connect();
    await waitFor('re-sent', () => reloaded.state().status === 'synced' && reloaded.state().unconfirmed === 0, 10_000);
    const c = client(fresh.syncUrl, room, ws.token);
    await waitFor('c has it', () => c.doc.getMap('records').has('p1'), 10_000);
  });

  it('reports a refused credential', async () => {
    const relay = await spawnRelay({ dataDir: tmpDir() });
    const ws = await createdWorkspace(relay);
    const good = client(relay.syncUrl, `${ws.id}.settings`, ws.token);
    await waitFor('synced', () => good.state().status === 'synced');
    const bad = client(relay.syncUrl, `${ws.id}.settings`, newWorkspace().token);
    await waitFor('refused', () => bad.state().status === 'refused', 10_000);
    expect(bad.state().refusal).toBe('The relay did not accept this device’s credentials.');
  });
});
