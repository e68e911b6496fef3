import { type RightRule, teamRecordRule } from '../../domain/evidence-trust';

/** Who may sign off a checklist (and correct a sign-off): a manager of its team or an owner (issue 17). */
export const rights: Readonly<Record<string, RightRule>> = {
  signoff: teamRecordRule('A checklist sign-off'),
  correction: teamRecordRule('A checklist correction'),
};
