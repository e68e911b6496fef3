import type * as Y from 'yjs';
import { createDocView } from '../../store/reactive';

/** The "training" register, bound to its document. */
export function createTrainingStore(doc: Y.Doc) {
  const view = createDocView(doc);
  return { view };
}

export type TrainingStore = ReturnType<typeof createTrainingStore>;
