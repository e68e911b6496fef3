import { formatDate } from './dates';

/**
 * Follow-up of an action: whether it was done since, on which day and by
 * whom. A sign-off (or a review's approval) pins what was decided (the
 * action, its owner, its due date); follow-up is kept beside it in the same
 * `action.<id>` field and never breaks the signature: every register's
 * snapshot comparison leaves these keys out (`withoutFollowUp` in signoff.ts).
 */
export interface FollowUp {
  /** Local ISO date the action was ticked done, '' when not done or not known (ticked before this was recorded). */
  doneOn: string;
  /** The name of who ticked it done, '' when not done or not known. */
  doneBy: string;
}

/** Keys of an action that are follow-up, not decision: briefings' `done`, reviews' `status`, and who/when. */
export const FOLLOW_UP_KEYS: readonly string[] = ['done', 'status', 'doneOn', 'doneBy', 'doneByPersonId'];

const str = (x: unknown) => (typeof x === 'string' ? x : '');

/** The follow-up recorded on a stored action object (old actions have none: ''). */
export const followUpOf = (raw: Record<string, unknown>): FollowUp => ({ doneOn: str(raw['doneOn']), doneBy: str(raw['doneBy']) });

/**
 * The follow-up fields to store when an action is ticked done (or undone) on
 * `today` by `who`. Saving something already done keeps what was recorded
 * (nothing, for an action ticked before the day was kept).
 */
export function followUpFields(done: boolean, previous: FollowUp & { done: boolean }, who: { name: string; personId?: string | undefined }, today: string): FollowUp & { doneByPersonId?: string } {
  if (!done) return { doneOn: '', doneBy: '', doneByPersonId: '' };
  if (previous.done) return { doneOn: previous.doneOn, doneBy: previous.doneBy };
  return { doneOn: today, doneBy: who.name.trim(), ...(who.personId ? { doneByPersonId: who.personId } : {}) };
}

/** "Done 6 Dec 2026 by Mia Manager", "Done" when ticked before the day was recorded. */
export function doneLabel(f: FollowUp): string {
  return `Done${f.doneOn ? ` ${formatDate(f.doneOn)}` : ''}${f.doneBy ? ` by ${f.doneBy}` : ''}`;
}

/** Was the action open at the end of `day`? Done with no day recorded counts as done (as the registers stood). */
export const openOn = (a: { done: boolean; doneOn: string }, day: string) => !a.done || (!!a.doneOn && a.doneOn > day);
