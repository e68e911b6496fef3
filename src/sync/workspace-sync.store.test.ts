import { afterEach, expect, test, vi } from 'vitest';
import * as Y from 'yjs';
import { DeviceStore } from '../store/device';
import { DeviceDb } from '../store/device-db';
import type { WorkspaceDocs } from '../store/open-workspace';
import { HOME_REGISTERS, REGISTERS } from '../ui/registry';
import { roomName } from '../store/registers';
import { decodeMuxFrame, MUX_KIND } from './mux';
import { startWorkspaceSync } from './workspace-sync';

/** Issue 12, item 6: a returning member's rooms all connect at once, Home's registers first. */

/** Records the websockets opened and the frames sent; each opens at the first moment anything else could run. */
const opened: Array<{ url: string; sent: Uint8Array[]; sentAtOpen?: number }> = [];
class FakeWebSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;
  readyState = 0;
  bufferedAmount = 0;
  binaryType = 'arraybuffer';
  onopen: (() => void) | null = null;
  onmessage: unknown = null;
  onclose: unknown = null;
  onerror: unknown = null;
  constructor(readonly url: string) {
    const entry: { url: string; sent: Uint8Array[]; sentAtOpen?: number } = { url, sent: [] };
    opened.push(entry);
    this.sent = entry.sent;
    queueMicrotask(() => {
      this.readyState = 1;
      this.onopen?.();
      // How many rooms had asked for their channel by the first moment anything else (an IndexedDB read, say) could run.
      entry.sentAtOpen = entry.sent.length;
    });
  }
  sent: Uint8Array[];
  send(data: Uint8Array) {
    this.sent.push(data);
  }
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
  const sync = await startWorkspaceSync({ workspaceId, secret: 'a'.repeat(43), docs, order: REGISTERS, db: DeviceStore.of(db), serverUrl: 'ws://relay.test/sync', onChange: () => {} });
  try {
    await Promise.resolve();
    // One websocket for every room (src/sync/mux.ts): a browser opens one per host at a time.
    expect(opened.map((o) => o.url)).toEqual(['ws://relay.test/mux']);
    const frames = opened[0]!.sent.map(decodeMuxFrame);
    const rooms = frames.map((f) => (f.kind === MUX_KIND.open ? f.room : `kind ${f.kind}`));
    expect(rooms).toHaveLength(REGISTERS.length);
    expect(new Set(rooms)).toEqual(new Set(REGISTERS.map((r) => roomName(workspaceId, r))));
    // Home's registers are the first channels the relay answers.
    expect(rooms.slice(0, HOME_REGISTERS.length)).toEqual(HOME_REGISTERS.map((r) => roomName(workspaceId, r)));
    // All of them were asked for before anything else ran: no room waited for another's read.
    expect(opened[0]!.sentAtOpen).toBe(REGISTERS.length);
  } finally {
    sync.stop();
    db.close();
  }
});
