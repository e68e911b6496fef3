import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { localDbName, type RegisterName, REGISTERS } from './registers';

export type WorkspaceDocs = Record<RegisterName, Y.Doc>;

export interface OpenWorkspace {
  docs: WorkspaceDocs;
  /** Resolves once every register is loaded from IndexedDB. */
  loaded: Promise<void>;
  close(): Promise<void>;
}

/** Opens every register document of a workspace from this device's IndexedDB. */
export function openWorkspaceDocs(workspaceId: string): OpenWorkspace {
  const docs = {} as WorkspaceDocs;
  const persistences: IndexeddbPersistence[] = [];
  for (const register of REGISTERS) {
    const doc = new Y.Doc();
    docs[register] = doc;
    persistences.push(new IndexeddbPersistence(localDbName(workspaceId, register), doc));
  }
  return {
    docs,
    loaded: Promise.all(persistences.map((p) => p.whenSynced)).then(() => undefined),
    close: async () => {
      await Promise.all(persistences.map((p) => p.destroy()));
      for (const doc of Object.values(docs)) doc.destroy();
    },
  };
}
