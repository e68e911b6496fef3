import type * as Y from 'yjs';
import { createDocView } from '../../store/reactive';

/** The "agreements" register, bound to its document. */
export function createAgreementStore(doc: Y.Doc) {
  const view = createDocView(doc);
  return { view };
}

export type AgreementStore = ReturnType<typeof createAgreementStore>;
