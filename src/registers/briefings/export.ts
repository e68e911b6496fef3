import { doneLabel } from '../../domain/follow-up';
import { SIGN_OFF_WORDS, type SignOffState } from '../../domain/signoff';
import type { CsvTable } from '../../evidence/csv';
import type { Briefing, BriefingAction } from './model';

/** An action as one readable cell: "Chase courses (owner: Sam) due 2026-12-20 [done 6 Dec 2026 by Mia]". */
export const actionCell = (a: BriefingAction, nameOf: (personId: string) => string) =>
  `${a.text}${a.ownerId ? ` (owner: ${nameOf(a.ownerId)})` : ''}${a.due ? ` due ${a.due}` : ''}${a.done ? ` [${doneLabel(a).replace(/^Done/, 'done')}]` : ''}`;

/** One row per briefing: attendees, topics and actions flattened into readable cells. */
export function briefingsCsv(briefings: readonly Briefing[], nameOf: (personId: string) => string, signed: (b: Briefing) => SignOffState, stamp: string): CsvTable {
  const rows = briefings.map((b) => {
    const s = signed(b);
    return [
      b.date, b.team, b.attendees.map(nameOf).filter(Boolean).sort().join('; '), b.attendees.length, b.topics.join('; '), b.notes,
      b.actions.map((a) => actionCell(a, nameOf)).join('; '),
      SIGN_OFF_WORDS[s.state],
      s.state === 'unsigned' ? '' : s.entry.byName, s.state === 'unsigned' ? '' : s.entry.at, b.id,
    ];
  });
  return {
    name: `muster-briefings-${stamp}`,
    columns: ['Date', 'Team', 'Present', 'Present (count)', 'Topics', 'Notes', 'Actions', 'Sign-off', 'Signed off by', 'Signed off at', 'Briefing id'],
    rows,
  };
}
