import { afterEach, expect, test, vi } from 'vitest';
import * as Y from 'yjs';
import { DeviceDb } from '../store/device-db';
import type { WorkspaceDocs } from '../store/open-workspace';
import { REGISTERS, roomName } from '../store/registers';
import { HOME_REGISTERS, startWorkspaceSync } from './workspace-sync';

/** Issue 12, item 6: a returning member's rooms all connect at once, Home's registers first. */

/** Records the websockets the providers open; none ever connects. */
const opened: Array<{ url: string; roomsAtFirstMicrotask?: number }> = [];
class FakeWebSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;
  readyState = 0;
  binaryType = 'arraybuffer';
  onopen: unknown = null;
  onmessage: unknown = null;
  onclose: unknown = null;
  onerror: unknown = null;
  constructor(readonly url: string) {
    const entry: { url: string; roomsAtFirstMicrotask?: number } = { url };
    opened.push(entry);
    // How many rooms had opened by the first moment anything else (an IndexedDB read, say) could run.
    queueMicrotask(() => (entry.roomsAtFirstMicrotask = opened.length));
  }
  send() {}
  close() {
    this.readyState = 3;
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
  opened.length = 0;
});

test('every room connects in one go, without waiting on a read per room, Home\'s registers first', async () => {
  vi.stubGlobal('WebSocket', FakeWebSocket);
  const db = new DeviceDb(`muster-device-test-${Math.random()}`);
  const workspaceId = 'wsAAAAAAAAAAAAAAAAAA';
  // A returning member: the device remembers what the relay held of some rooms.
  await db.relayState.bulkPut(['people', 'training', 'disciplinary'].map((r) => ({ room: roomName(workspaceId, r as never), stateVector: Y.encodeStateVector(new Y.Doc()), pending: [] })));
  const docs = Object.fromEntries(REGISTERS.map((r) => [r, new Y.Doc()])) as WorkspaceDocs;
  const sync = await startWorkspaceSync({ workspaceId, secret: 'a'.repeat(43), docs, db, serverUrl: 'ws://relay.test/sync', onChange: () => {} });
  try {
    await Promise.resolve();
    const rooms = opened.map((o) => decodeURIComponent(new URL(o.url).pathname.split('/').pop()!));
    expect(rooms).toHaveLength(REGISTERS.length);
    expect(new Set(rooms)).toEqual(new Set(REGISTERS.map((r) => roomName(workspaceId, r))));
    // Home's registers are the first sockets the browser opens (it opens one per host at a time).
    expect(rooms.slice(0, HOME_REGISTERS.length)).toEqual(HOME_REGISTERS.map((r) => roomName(workspaceId, r)));
    // All of them were created before anything else ran: no room waited for another's read.
    expect(opened.map((o) => o.roomsAtFirstMicrotask)).toEqual(opened.map(() => REGISTERS.length));
  } finally {
    sync.stop();
    db.close();
  }
});
