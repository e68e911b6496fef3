import type * as Y from 'yjs';
import { createDocView } from '../../store/reactive';

/** The "policies" register, bound to its document. */
export function createPolicyStore(doc: Y.Doc) {
  const view = createDocView(doc);
  return { view };
}

export type PolicyStore = ReturnType<typeof createPolicyStore>;
