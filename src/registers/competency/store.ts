import type * as Y from 'yjs';
import { createDocView } from '../../store/reactive';

/** The "competency" register, bound to its document. */
export function createCompetencyStore(doc: Y.Doc) {
  const view = createDocView(doc);
  return { view };
}

export type CompetencyStore = ReturnType<typeof createCompetencyStore>;
