import type * as Y from 'yjs';
import { createDocView } from '../../store/reactive';

/** The "resources" register, bound to its document. */
export function createResourceStore(doc: Y.Doc) {
  const view = createDocView(doc);
  return { view };
}

export type ResourceStore = ReturnType<typeof createResourceStore>;
