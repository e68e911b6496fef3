import { formatDate, formatMonth } from '../../domain/dates';
import { plural, rateText } from '../../evidence/format';
import type { RegisterPack } from '../../evidence/context';
import type { PackTable, } from '../../evidence/types';
import type { CsvTable } from '../../evidence/csv';
import { checklistsCsv } from './export';
import { checklistKpi } from './kpi';
import { checklistSignOff, checklistStatus, readChecklistEntries, readChecklists, readWorkspaceCreated, STATUS_LABELS } from './model';
import { readBriefings } from '../briefings/model';
import { scopedPeople } from '../people/model';

const NOTE = 5;
const EVIDENCE = 6;
const FOLLOW_UP = 8;
const ANSWER = 4;

/**
 * Every answer in the CSV; in the PDF every answer that carries a note, an
 * evidence reference or a follow-up, or is not "Done" (the rest are counted
 * per checklist in the table above).
 */
function answersTable(csv: CsvTable): PackTable {
  const telling = (r: readonly unknown[]) => !!(r[NOTE] || r[EVIDENCE] || r[FOLLOW_UP]) || r[ANSWER] !== 'Done';
  const rows = csv.rows.filter(telling);
  return {
    file: 'checklists',
    title: 'Checklist answers',
    columns: csv.columns,
    rows: csv.rows,
    pdf: { columns: [0, 1, 3, 4, 5, 6, 8], widths: [0.75, 0.75, 1.1, 0.65, 2.9, 1.9, 1.6], size: 7, limit: rows.length, note: `${plural(rows.length, 'answer')} shown: those with a note, an evidence reference or a follow-up, or not "Done". The other ${(csv.rows.length - rows.length).toLocaleString('en-GB')} answers are "Done" with nothing added (counted per checklist above); every answer is in csv/checklists.csv.`, rows },
  };
}

/**
 * Evidence pack: each team's monthly checklist in the period (every answer,
 * note and evidence reference, and the manager's sign-off), and whether each
 * month's checklist was signed off by the month's end.
 */
export const pack: RegisterPack = {
  register: 'checklists',
  title: 'Monthly checklists',
  requirements: ['checklists'],
  order: 110,
  build(ctx) {
    const created = ctx.read(readWorkspaceCreated);
    const checklists = ctx.read(readChecklists).filter((c) => ctx.monthInPeriod(c.month) && ctx.teamInScope(c.team));
    const kpi = checklistKpi(
      { people: scopedPeople(ctx), checklists, checklistEntries: ctx.read(readChecklistEntries), workspaceCreated: created },
      ctx.period,
      (at) => ctx.dayOf(at),
    );
    const history = (id: string) => ctx.historyOf('checklists', id);
    const briefings = new Map(ctx.read(readBriefings).map((b) => [b.id, b]));
    const rows = checklists.map((c) => {
      const h = history(c.id);
      const { state: signed, status } = checklistSignOff(c, h);
      const count = (s: string) => c.items.filter((i) => c.state[i.key]?.status === s).length;
      return [
        c.month,
        c.team,
        STATUS_LABELS[status],
        `${count('done')} done, ${count('not-done')} not done, ${count('na')} N/A, ${c.items.length - count('done') - count('not-done') - count('na')} open`,
        signed.state === 'unsigned' ? '' : signed.entry.byName,
        signed.state === 'unsigned' ? '' : signed.entry.at,
      ];
    });
    const gaps = checklists.length === 0 ? ['No monthly checklist in the period'] : [];
    gaps.push(...kpi.teams.flatMap((t) => t.notOnTime.map((m) => `${t.team}: ${formatMonth(m)} checklist not signed off by the month's end`)));
    return {
      title: 'Monthly checklists',
      intro: [
        kpi.due
          ? `Signed off by the end of their month: ${rateText({ done: kpi.onTime, total: kpi.due, percent: kpi.percent })} team-months (${plural(kpi.months.length, 'complete month')} × teams with people).`
          : created && created.slice(0, 7) > ctx.period.from.slice(0, 7)
            ? `No checklist was due yet: the workspace was created on ${formatDate(created)}, and a month counts once it has ended.`
            : 'No complete month in the period, or no team with people.',
        `${plural(checklists.length, 'checklist')} in the period.`,
      ],
      tables: [
        { file: '', title: 'Checklists in the period', columns: ['Month', 'Team', 'Status', 'Answers', 'Signed off by', 'Signed off at'], rows, pdf: { columns: [0, 1, 2, 3, 4, 5], widths: [0.8, 1.2, 1.3, 2.4, 1.4, 1.6] } },
        answersTable(checklistsCsv(checklists, history, briefings, ctx.nameOf, '')),
      ],
      summary: [
        {
          requirement: 'checklists',
          figures: [`Checklists signed on time: ${rateText({ done: kpi.onTime, total: kpi.due, percent: kpi.percent })}`],
          gaps,
          missing: checklists.length === 0,
        },
      ],
      records: checklists.map((c) => {
        const h = history(c.id);
        return { ...c, status: checklistStatus(c, h), signOffs: h };
      }),
    };
  },
  includeEntry(entry, ctx) {
    const e = entry as { recordId?: unknown };
    const c = typeof e.recordId === 'string' ? ctx.read(readChecklists).find((x) => x.id === e.recordId) : undefined;
    return !!c && ctx.monthInPeriod(c.month) && ctx.teamInScope(c.team);
  },
};
