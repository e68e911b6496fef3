// @y/websocket-server 0.1.1 ships no declarations for ./utils; this covers what the relay uses.
declare module '@y/websocket-server/utils' {
  import type { IncomingMessage } from 'node:http';
  import type { WebSocket } from 'ws';
  import type { Awareness } from 'y-protocols/awareness';
  import * as Y from 'yjs';

  export class WSSharedDoc extends Y.Doc {
    name: string;
    /** Connection -> awareness client ids it controls. */
    conns: Map<WebSocket, Set<number>>;
    awareness: Awareness;
    whenInitialized: Promise<void>;
  }

  export interface Persistence {
    bindState(docName: string, doc: WSSharedDoc): void;
    writeState(docName: string, doc: WSSharedDoc): Promise<unknown>;
    provider: unknown;
  }

  export const docs: Map<string, WSSharedDoc>;
  export function setPersistence(persistence: Persistence | null): void;
  export function getPersistence(): Persistence | null;
  export function getYDoc(docName: string, gc?: boolean): WSSharedDoc;
  export function setupWSConnection(conn: WebSocket, req: IncomingMessage, opts?: { docName?: string; gc?: boolean }): void;
}
