import type * as Y from 'yjs';
import { createDocView } from '../../store/reactive';

/** The "reviews" register, bound to its document. */
export function createReviewStore(doc: Y.Doc) {
  const view = createDocView(doc);
  return { view };
}

export type ReviewStore = ReturnType<typeof createReviewStore>;
