import { type RightRule, rolesRule } from '../../domain/evidence-trust';

/** Resource approvals are recorded by owners and managers. */
export const rights: Readonly<Record<string, RightRule>> = {
  approval: rolesRule('A resource approval', ['owner', 'manager']),
};
