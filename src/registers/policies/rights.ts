import { type RightRule, rolesRule } from '../../domain/evidence-trust';

/** The Policies screen opens for owners and managers (its register.ts): they publish and record reviews. */
export const rights: Readonly<Record<string, RightRule>> = {
  publication: rolesRule('A policy publication', ['owner', 'manager']),
  review: rolesRule('A policy review', ['owner', 'manager']),
};
