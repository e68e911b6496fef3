import type * as Y from 'yjs';
import { createDocView } from '../../store/reactive';

/** The "acknowledgements" register, bound to its document. */
export function createAcknowledgementStore(doc: Y.Doc) {
  const view = createDocView(doc);
  return { view };
}

export type AcknowledgementStore = ReturnType<typeof createAcknowledgementStore>;
