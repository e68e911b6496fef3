import { managesPerson, personRule, type RightRule, rolesRule } from '../../domain/evidence-trust';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const byRole = rolesRule('A correction of a training completion', ['owner', 'manager']);

/**
 * A completion is recorded by the person, their manager or an owner. A
 * correction voids the completion it names: it needs an owner, or a manager
 * of the person that completion is about. When that completion is not at hand
 * (outside a pack's period), it is judged by role alone: a manager or an owner.
 */
export const rights: Readonly<Record<string, RightRule>> = {
  completion: personRule('A training completion'),
  correction: (entry, who, look) => {
    const target = look.entry?.(str(entry['corrects']));
    const personId = str(target?.['personId']);
    if (!personId) return byRole(entry, who, look);
    if (who.device.role === 'owner' || managesPerson(who, look, personId)) return undefined;
    const name = look.person(personId)?.name ?? 'that person';
    return `A correction of ${name}’s training completion needs ${name}’s manager or an owner.`;
  },
};
