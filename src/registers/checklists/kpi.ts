import { percent } from '../../domain/gaps';
import { activeOn, monthEnd, monthsOf, type Period } from '../../domain/kpis';
import { checklistDueFrom } from '../../domain/schedules';
import { historyOf, type SignOffEntry } from '../../domain/signoff';
import { type Checklist, checklistSignOff } from './model';

/* The checklists' KPI for a management review: apart from the model so that Home's path does not carry it. */

export interface TeamChecklistKpi {
  team: string;
  /** Months the team had to complete a checklist. */
  due: number;
  onTime: number;
  /** Months (YYYY-MM) whose checklist was not signed off by the month's end. */
  notOnTime: string[];
}

export interface ChecklistKpi {
  /** Months of the period (YYYY-MM) whose last day is within it. */
  months: string[];
  teams: TeamChecklistKpi[];
  due: number;
  onTime: number;
  percent?: number;
}

export interface ChecklistKpiInput {
  people: ReadonlyArray<{ team: string; archived: boolean; startDate: string }>;
  checklists: readonly Checklist[];
  checklistEntries: readonly SignOffEntry[];
  workspaceCreated?: string | undefined;
}

/** Monthly checklists on time, per team (the rule: src/registers/reviews/kpis.ts `KpiInput`). */
export function checklistKpi(input: ChecklistKpiInput, period: Period, dayOf: (at: string) => string): ChecklistKpi {
  const months = monthsOf(period);
  const byTeamMonth = new Map<string, Checklist[]>();
  for (const c of input.checklists) {
    const key = `${c.team}\u0000${c.month}`;
    byTeamMonth.set(key, [...(byTeamMonth.get(key) ?? []), c]);
  }
  const onTime = (team: string, month: string) => {
    const end = monthEnd(month);
    return (byTeamMonth.get(`${team}\u0000${month}`) ?? []).some((c) => {
      const { state, signed } = checklistSignOff(c, historyOf(input.checklistEntries, c.id));
      return signed && state.state !== 'unsigned' && dayOf(state.entry.at) <= end;
    });
  };
  const dueFrom = new Map<string, string | undefined>();
  const owedFrom = (team: string) => {
    if (!dueFrom.has(team)) dueFrom.set(team, checklistDueFrom(input.people.filter((p) => !p.archived && p.team === team).map((p) => p.startDate), input.workspaceCreated));
    return dueFrom.get(team);
  };
  const teams = new Map<string, TeamChecklistKpi>();
  for (const month of months) {
    const end = monthEnd(month);
    const active = new Set(input.people.filter((p) => p.team && activeOn(p, end)).map((p) => p.team));
    for (const team of active) {
      const from = owedFrom(team);
      if (from && month < from) continue;
      const t = teams.get(team) ?? { team, due: 0, onTime: 0, notOnTime: [] };
      t.due += 1;
      if (onTime(team, month)) t.onTime += 1;
      else t.notOnTime.push(month);
      teams.set(team, t);
    }
  }
  const list = [...teams.values()].sort((a, b) => a.team.localeCompare(b.team));
  const due = list.reduce((n, t) => n + t.due, 0);
  const done = list.reduce((n, t) => n + t.onTime, 0);
  const pc = percent(done, due);
  return { months, teams: list, due, onTime: done, ...(pc === undefined ? {} : { percent: pc }) };
}
