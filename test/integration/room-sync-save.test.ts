import { afterEach, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { connectRoom, type KnownRelayState, type RoomSync } from '../../src/sync/room-sync';
import { cleanup, createdWorkspace, spawnRelay, tmpDir, waitFor } from './harness';

// When device storage refuses to save what this device knows of the relay, the
// failure is logged (not swallowed) and the next change saves it again.
const rooms: RoomSync[] = [];
afterEach(async () => {
  for (const r of rooms.splice(0)) r.destroy();
  vi.restoreAllMocks();
  await cleanup();
});

it('a failed save of the relay state is logged, and the next change saves it', async () => {
  const relay = await spawnRelay({ dataDir: tmpDir() });
  const ws = await createdWorkspace(relay);
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  const refusal = new Error('QuotaExceededError: the disk is full');
  let refuse = true;
  const saved: KnownRelayState[] = [];
  const doc = new Y.Doc();
  const sync = connectRoom({
    doc, room: `${ws.id}.people`, serverUrl: relay.syncUrl, credential: ws.token,
    save: async (k) => {
      if (refuse) throw refusal;
      saved.push(k);
    },
    onChange: () => {},
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  rooms.push(sync);
  sync.disconnect();

  doc.getMap('records').set('p1', new Y.Map());
  await waitFor('the refusal logged', () => warn.mock.calls.some((c) => c.includes(refusal)));
  expect(saved).toEqual([]);

  refuse = false;
  doc.getMap('records').set('p2', new Y.Map());
  await waitFor('saved on the next change', () => saved.some((k) => k.pending.length === 2));
});
