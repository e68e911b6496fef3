import { signOffState, type SignOffEntry } from '../../domain/signoff';
import type { CsvTable } from '../../evidence/csv';
import { actionCell } from '../briefings/export';
import type { Briefing } from '../briefings/model';
import { type Checklist, checklistSnapshot, checklistStatus, STATUS_LABELS } from './model';

const STATUS_TEXT = { done: 'Done', 'not-done': 'Not done', na: 'N/A', '': '' } as const;

/** One row per checklist item, with its follow-up actions, the checklist's status and standing sign-off. */
export function checklistsCsv(checklists: readonly Checklist[], history: (id: string) => SignOffEntry[], briefings: ReadonlyMap<string, Briefing>, nameOf: (personId: string) => string, stamp: string): CsvTable {
  const rows = checklists.flatMap((c) => {
    const h = history(c.id);
    const signed = signOffState(h, checklistSnapshot(c));
    const by = signed.state === 'unsigned' ? '' : signed.entry.byName;
    const at = signed.state === 'unsigned' ? '' : signed.entry.at;
    return c.items.map((item) => {
      const s = c.state[item.key];
      const briefing = s?.briefingId ? briefings.get(s.briefingId) : undefined;
      return [
        c.month, c.team, STATUS_LABELS[checklistStatus(c, h)], item.title, STATUS_TEXT[s?.status ?? ''], s?.note ?? '',
        s?.evidence ?? '', briefing ? `Briefing ${briefing.date} (${briefing.team})` : '',
        c.actions.filter((a) => a.item === item.key).map((a) => actionCell(a, nameOf)).join('; '), by, at, c.id,
      ];
    });
  });
  return {
    name: `muster-checklists-${stamp}`,
    columns: ['Month', 'Team', 'Checklist status', 'Action', 'Answer', 'Note', 'Evidence', 'Briefing minutes', 'Follow-up actions', 'Signed off by', 'Signed off at', 'Checklist id'],
    rows,
  };
}
