import { formatMonth, isIsoDate, isIsoMonth } from '../../domain/dates';
import { checklistDue, checklistDueFrom, checklistMonths, DEFAULT_SCHEDULE, type Duty, dueStatus } from '../../domain/schedules';
import { historyOf, type SignOffEntry } from '../../domain/signoff';
import { type Person, teamsOf } from '../people/model';
import { type Checklist, type ChecklistStatus, checklistStatus } from './model';

/* What is due of the monthly checklists (src/registers/due/ gathers it from the descriptor). */

const query = (params: Record<string, string>) => new URLSearchParams(params).toString();
export const checklistHref = (id: string) => `#/checklists/${encodeURIComponent(id)}`;
export const newChecklistHref = (team: string, month: string) => `#/checklists/new?${query({ team, month })}`;

/** A checklist counts as signed off for its month while a sign-off stands and nothing changed since. */
const SIGNED: readonly ChecklistStatus[] = ['complete', 'signed-with-gaps'];

/**
 * The manager of a team, as far as the people register tells: the manager most
 * of its active members report to (ties: the first by name, then id). undefined
 * when nobody in the team has a manager set.
 */
export function teamManager(people: readonly Person[], team: string): string | undefined {
  const byId = new Map(people.map((p) => [p.id, p]));
  const counts = new Map<string, number>();
  for (const p of people) if (!p.archived && p.team === team && p.managerId && p.managerId !== p.id) counts.set(p.managerId, (counts.get(p.managerId) ?? 0) + 1);
  const ranked = [...counts].filter(([id]) => byId.get(id)?.archived !== true);
  ranked.sort(([a, na], [b, nb]) => nb - na || (byId.get(a)?.name ?? '').localeCompare(byId.get(b)?.name ?? '') || (a < b ? -1 : a > b ? 1 : 0));
  return ranked[0]?.[0];
}

/** Entries grouped per record, each in history order (historyOf). */
function historiesByRecord(entries: readonly SignOffEntry[]): Map<string, SignOffEntry[]> {
  const by = new Map<string, SignOffEntry[]>();
  for (const e of entries) {
    const list = by.get(e.recordId);
    if (list) list.push(e);
    else by.set(e.recordId, [e]);
  }
  for (const [id, list] of by) by.set(id, historyOf(list, id));
  return by;
}

/**
 * One duty per team with active people and per month it owes (this month, and
 * last month when the team already existed then): due by the month's last
 * day, done once that month's checklist is signed off (any sign-off that still
 * stands, whatever day it was made: one signed on the 31st counts for that month).
 */
export function checklistDuties(input: {
  people: readonly Person[];
  checklists: readonly Checklist[];
  checklistEntries: readonly SignOffEntry[];
  today: string;
  lookbackMonths?: number;
  workspaceCreated?: string | undefined;
}): Duty[] {
  const histories = historiesByRecord(input.checklistEntries);
  const duties: Duty[] = [];
  for (const team of teamsOf(input.people)) {
    const own = input.checklists.filter((c) => c.team === team && isIsoMonth(c.month));
    const members = input.people.filter((p) => !p.archived && p.team === team);
    // The workspace's creation bounds it; without one (older data), a checklist already started also tells the team existed.
    const from = input.workspaceCreated
      ? checklistDueFrom(members.map((p) => p.startDate), input.workspaceCreated)
      : [checklistDueFrom(members.map((p) => p.startDate).filter(isIsoDate)), ...own.map((c) => c.month)].filter((m): m is string => !!m).sort()[0];
    const manager = teamManager(input.people, team);
    for (const month of checklistMonths(input.today, input.lookbackMonths ?? DEFAULT_SCHEDULE.checklistLookbackMonths, from)) {
      const forMonth = own.filter((c) => c.month === month);
      const signed = forMonth.find((c) => SIGNED.includes(checklistStatus(c, histories.get(c.id) ?? [])));
      const target = signed ?? forMonth[0];
      const due = checklistDue(month);
      duties.push({
        id: `checklist:${team}:${month}`,
        kind: 'checklist',
        title: `${team} checklist for ${formatMonth(month)}`,
        due,
        ...(manager ? { personId: manager } : {}),
        team,
        href: target ? checklistHref(target.id) : newChecklistHref(team, month),
        status: dueStatus(due, input.today, !!signed),
      });
    }
  }
  return duties;
}
