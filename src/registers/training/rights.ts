import { personRule, type RightRule, rolesRule } from '../../domain/evidence-trust';

/**
 * A completion is recorded by the person, their manager or an owner. A
 * correction names only the completion it corrects (another entry), so it
 * needs who could record for anyone in a team: a manager or an owner.
 */
export const rights: Readonly<Record<string, RightRule>> = {
  completion: personRule('A training completion'),
  correction: rolesRule('A correction of a training completion', ['owner', 'manager']),
};
