import type * as Y from 'yjs';
import { createRecord, recordsOf } from '../../store/records';
import { DEFAULT_ROLES } from './model';

/**
 * Adds the default security roles to a new workspace. Called once, by the
 * device that creates it: a second device seeding concurrently would write
 * records under the same ids, and one device's holders could replace the other's.
 */
export function seedDefaultRoles(doc: Y.Doc): void {
  doc.transact(() => {
    for (const r of DEFAULT_ROLES) {
      const id = `role-${r.key}`;
      if (!recordsOf(doc).has(id)) createRecord(doc, id, { name: r.name, responsibilities: r.responsibilities, archived: false });
    }
  });
}
