import { personRule, type RightRule } from '../../domain/evidence-trust';

/** An acknowledgement comes from the person's own device, or is witnessed by their manager (or an owner) on theirs. */
export const rights: Readonly<Record<string, RightRule>> = {
  acknowledgement: personRule('An acknowledgement'),
};
