import type { RightRule } from '../../domain/evidence-trust';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Only the chair the review names approves its minutes (src/registers/reviews/model.ts approvalBlocked), or corrects that approval. */
const chair =
  (what: string): RightRule =>
  (entry, who, look) => {
    const chairId = str(look.record(str(entry['recordId']))?.['chairId']);
    if (chairId && who.personId === chairId) return undefined;
    const name = chairId ? (look.person(chairId)?.name ?? 'who is not in People') : 'who is not chosen yet';
    return `${what} needs the chair’s device (${name}).`;
  };

export const rights: Readonly<Record<string, RightRule>> = {
  signoff: chair('A review approval'),
  correction: chair('A correction of a review approval'),
};
