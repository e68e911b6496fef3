import { acknowledgementRate } from '../acknowledgements/model';
import type { Acknowledgement } from '../acknowledgements/model';
import type { Agreement } from '../agreements/model';
import { expiredAgreements } from '../agreements/kpi';
import type { Briefing } from '../briefings/model';
import { openBriefingActions } from '../briefings/kpi';
import type { Checklist } from '../checklists/model';
import { type ChecklistKpi, checklistKpi } from '../checklists/kpi';
import type { Person } from '../people/model';
import type { Policy, Publication } from '../policies/model';
import { type Completion, type Course, trainingCompletionRate } from '../training/model';
import { activeOn, formatPercent, openBy, type Period, type RateKpi, rate } from '../../domain/kpis';
import type { SignOffEntry } from '../../domain/signoff';

export { formatPercent, monthEnd, monthsOf, type Period, type RateKpi } from '../../domain/kpis';
export type { TeamChecklistKpi } from '../checklists/kpi';

/**
 * Key performance indicators of the management system for a period, as a
 * management review (ISO 27001 Clause 9.3) reads them. Pure: the registers'
 * contents and the period go in, figures come out.
 *
 * The period is `[from, to]`, both ISO dates, inclusive: something done on
 * `to` counts.
 *
 * Rules (each one is tested in kpis.test.ts):
 * - **End-of-period rates** (policy acknowledgement, training completion) are
 *   the registers' own rates (`acknowledgementRate`, `trainingCompletionRate`)
 *   computed as if today were `to`, over what existed then: publications and
 *   acknowledgements made on or before `to` (by the calendar day of their
 *   device timestamp, see `dayOf`), completions completed on or before `to`
 *   (a completion backdated after the period still counts, voided ones never
 *   do), and the people who had started by `to`.
 * - **People who left.** The people register records that someone left
 *   (archived) but not when. A person marked as left is therefore excluded
 *   from every people-based figure of every period, including periods when
 *   they still worked here: a review reads the figures as at its own date,
 *   and an approved review pins them in its approval snapshot, so later
 *   archiving cannot change minutes already approved. Their teams no longer
 *   count as having active people either (checklists due).
 * - Security roles held and policies/courses archived are read as they are
 *   now (those registers keep no history of them).
 * - **Monthly checklists on time**, per team: for every month of the period
 *   (a month counts when its last day falls within the period) and every team
 *   that had active people that month (not left, started by the month's last
 *   day) and owed a checklist by then (`checklistDueFrom`: not before the
 *   month the workspace was created, `workspaceCreated`), the month's
 *   checklist is on time when it stands signed (the checklist register's own
 *   status: signed, and not changed since) and its latest standing sign-off
 *   (withdrawn sign-offs do not stand) was made on or before the last day of
 *   that month. Months end on the 28th, 29th (leap years), 30th or 31st.
 * - **Open actions**: briefing actions and earlier management review actions
 *   that were open at the end of `to` (not done, or done on a later day: the
 *   done-on date of the follow-up) and were due on or before `to`; an action
 *   with no due date counts when it was raised on or before `to`. An action
 *   ticked done before its day was recorded counts as done.
 * - **Agreements expired at period end**: live (not archived) agreements
 *   whose status on `to` is expired (`agreementStatus`), leaving out those of
 *   people who left and those replaced by an agreement of the same kind with
 *   the same party in force on `to` (signed by then, not expired).
 * - **Speak-up reports** received and closed within the period, once that
 *   register exists: until then `speakUp` is left out of the input and the
 *   figure is "not available".
 */
export interface KpiInput {
  /** People register, all of them (archived ones are excluded here). */
  people: readonly Person[];
  /** personId → security role ids they hold (roles store `byPerson()`). */
  rolesByPerson: ReadonlyMap<string, string[]>;
  policies: readonly Policy[];
  publications: readonly Publication[];
  acks: readonly Acknowledgement[];
  courses: readonly Course[];
  /** Completions with `voidedBy` set for voided ones (training store `completions()`). */
  completions: readonly Completion[];
  checklists: readonly Checklist[];
  /** Sign-off entries of the checklists document (checklist store `entries()`). */
  checklistEntries: readonly SignOffEntry[];
  briefings: readonly Briefing[];
  /** Actions of earlier management reviews at their latest status, done ones included (reviews model `reviewKpiActions`). */
  reviewActions: ReadonlyArray<{ due: string; done: boolean; doneOn?: string; raisedOn: string }>;
  agreements: readonly Agreement[];
  /** Speak-up reports (dates only: nothing that identifies anyone). Leave out until that register exists. */
  speakUp?: ReadonlyArray<{ receivedOn: string; closedOn?: string | undefined }>;
  /**
   * The calendar day of a device timestamp ("2026-11-30T23:30:00Z"). Defaults
   * to its UTC date; screens pass the device's local day so a sign-off made at
   * 00:30 on 1 December in London is read as 1 December.
   */
  dayOf?: (at: string) => string;
  /** The local day the workspace was created (`workspaceCreatedOn`): no checklist is owed for a month before it. */
  workspaceCreated?: string | undefined;
}

export interface Kpis {
  from: string;
  to: string;
  acknowledgementRate: RateKpi;
  trainingCompletionRate: RateKpi;
  checklists: ChecklistKpi;
  openActions: { briefing: number; review: number; total: number };
  agreementsExpired: number;
  speakUp: { available: false } | { available: true; received: number; closed: number };
}

const utcDay = (at: string) => at.slice(0, 10);

/**
 * The KPIs of a period. See `KpiInput` for the rules.
 *
 * @example
 * computeKpis(input, { from: '2026-07-01', to: '2026-09-30' }).acknowledgementRate // { done: 3, total: 4, percent: 75 }
 */
export function computeKpis(input: KpiInput, period: Period): Kpis {
  const { from, to } = period;
  const dayOf = input.dayOf ?? utcDay;
  const rolesByPerson = new Map(input.rolesByPerson);
  const people = input.people.filter((p) => activeOn(p, to));

  const ack = acknowledgementRate({
    people,
    policies: [...input.policies],
    publications: input.publications.filter((p) => dayOf(p.publishedAt) <= to),
    acks: input.acks.filter((a) => dayOf(a.at) <= to),
    rolesByPerson,
    today: to,
  });
  const training = trainingCompletionRate({ people, courses: [...input.courses], completions: [...input.completions], rolesByPerson, today: to });

  return {
    from,
    to,
    acknowledgementRate: rate(ack),
    trainingCompletionRate: rate(training),
    checklists: checklistKpi(input, period, dayOf),
    openActions: openActionKpi(input, to),
    agreementsExpired: expiredAgreements(input, to),
    speakUp: input.speakUp
      ? {
          available: true,
          received: input.speakUp.filter((r) => r.receivedOn >= from && r.receivedOn <= to).length,
          closed: input.speakUp.filter((r) => !!r.closedOn && r.closedOn >= from && r.closedOn <= to).length,
        }
      : { available: false },
  };
}

function openActionKpi(input: KpiInput, to: string): Kpis['openActions'] {
  const briefing = openBriefingActions(input.briefings, to);
  const review = input.reviewActions.filter((a) => openBy(a, a.raisedOn, to)).length;
  return { briefing, review, total: briefing + review };
}

/** The figures as a reviewer reads them, one line each: for the review screen, CSV and print. */
export function kpiLines(k: Kpis): Array<{ key: string; label: string; value: string; detail: string }> {
  const c = k.checklists;
  return [
    { key: 'ack', label: 'Policy acknowledgement rate', value: formatPercent(k.acknowledgementRate.percent), detail: `${k.acknowledgementRate.done} of ${k.acknowledgementRate.total} acknowledgements due, at period end` },
    { key: 'training', label: 'Training completion rate', value: formatPercent(k.trainingCompletionRate.percent), detail: `${k.trainingCompletionRate.done} of ${k.trainingCompletionRate.total} required courses valid, at period end` },
    { key: 'checklists', label: 'Monthly checklists on time', value: `${c.onTime} of ${c.due}`, detail: c.due ? `${formatPercent(c.percent)} · ${c.months.length} ${c.months.length === 1 ? 'month' : 'months'} × teams with people` : 'No complete month in the period, or no team with people' },
    { key: 'actions', label: 'Open actions', value: String(k.openActions.total), detail: `${k.openActions.briefing} from briefings, ${k.openActions.review} from earlier reviews, due by period end` },
    { key: 'agreements', label: 'Agreements expired at period end', value: String(k.agreementsExpired), detail: 'Not replaced by one in force' },
    k.speakUp.available
      ? { key: 'speakup', label: 'Speak-up reports', value: `${k.speakUp.received} received, ${k.speakUp.closed} closed`, detail: 'In the period' }
      : { key: 'speakup', label: 'Speak-up reports', value: 'not available', detail: 'The speak-up register is not in use yet' },
  ];
}
