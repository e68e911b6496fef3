import type { WorkspaceRecord } from '../store/device-records';
import { type OpenWorkspace, openWorkspaceDocs } from '../store/open-workspace';
import { createRecord, recordsOf } from '../store/records';
import { DESCRIPTORS, REGISTERS } from '../ui/registry';

/**
 * Loads a workspace's documents from IndexedDB. Kept out of the first chunk:
 * a first visit (the welcome form) needs neither Yjs nor the registers.
 * `orgNameToSet` is given only by the device that creates the workspace.
 */
export async function loadWorkspace(ws: WorkspaceRecord, orgNameToSet?: string): Promise<OpenWorkspace> {
  const docs = openWorkspaceDocs(ws.id, REGISTERS);
  await docs.loaded;
  if (orgNameToSet && !recordsOf(docs.docs.settings).has('org')) {
    // Only the device that creates the workspace seeds it; joiners receive this by sync.
    createRecord(docs.docs.settings, 'org', { name: orgNameToSet });
    for (const d of DESCRIPTORS) d.seed?.(docs.docs);
  }
  return docs;
}
