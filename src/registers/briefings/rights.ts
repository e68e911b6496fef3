import { type RightRule, teamRecordRule } from '../../domain/evidence-trust';

/** Who may sign off a briefing (and correct a sign-off): a manager of its team or an owner (issue 17). */
export const rights: Readonly<Record<string, RightRule>> = {
  signoff: teamRecordRule('A briefing sign-off'),
  correction: teamRecordRule('A briefing correction'),
};
