import type * as Y from 'yjs';
import { createDocView } from '../../store/reactive';

/** The "disciplinary" register, bound to its document. */
export function createDisciplinaryStore(doc: Y.Doc) {
  const view = createDocView(doc);
  return { view };
}

export type DisciplinaryStore = ReturnType<typeof createDisciplinaryStore>;
