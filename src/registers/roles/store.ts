import type * as Y from 'yjs';
import { createDocView } from '../../store/reactive';

/** The "roles" register, bound to its document. */
export function createRoleStore(doc: Y.Doc) {
  const view = createDocView(doc);
  return { view };
}

export type RoleStore = ReturnType<typeof createRoleStore>;
