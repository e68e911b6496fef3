import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { localDbName, type RegisterName } from './registers';

export type WorkspaceDocs = Record<RegisterName, Y.Doc>;

export interface OpenWorkspace {
  docs: WorkspaceDocs;
  /** Resolves once every register is loaded from IndexedDB. */
  loaded: Promise<void>;
  close(): Promise<void>;
  /** Deletes these registers' IndexedDB copies; their documents stop saving (the next start syncs them afresh). */
  forget(registers: readonly RegisterName[]): Promise<void>;
}

/** Opens the register documents of a workspace (every one: src/ui/registry.ts `REGISTERS`) from this device's IndexedDB. */
export function openWorkspaceDocs(workspaceId: string, registers: readonly RegisterName[]): OpenWorkspace {
  const docs = {} as WorkspaceDocs;
  const persistences: IndexeddbPersistence[] = [];
  for (const register of registers) {
    const doc = new Y.Doc();
    docs[register] = doc;
    persistences.push(new IndexeddbPersistence(localDbName(workspaceId, register), doc));
  }
  const of = (r: RegisterName) => persistences[registers.indexOf(r)]!;
  return {
    docs,
    loaded: Promise.all(persistences.map((p) => p.whenSynced)).then(() => undefined),
    close: async () => {
      await Promise.all(persistences.map((p) => p.destroy()));
      for (const doc of Object.values(docs)) doc.destroy();
    },
    forget: async (rs) => void (await Promise.all(rs.map((r) => of(r).clearData()))),
  };
}
