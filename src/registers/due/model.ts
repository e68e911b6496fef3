import { formatMonth, isIsoDate, isIsoMonth, monthOf } from '../../domain/dates';
import {
  actionDuties,
  checklistDue,
  checklistDueFrom,
  checklistMonths,
  type DueAction,
  DEFAULT_SCHEDULE,
  type Duty,
  dueStatus,
  nextManagementReview,
  nextPolicyReview,
  type ScheduleSettings,
  sortDuties,
} from '../../domain/schedules';
import { historyOf, type SignOffEntry } from '../../domain/signoff';
import { type Agreement, agreementHref, CONTRACT_TYPES, TYPE_LABELS } from '../agreements/model';
import { type Briefing, briefingDueActions } from '../briefings/model';
import { type ManagementReview, reviewDueActions } from '../reviews/model';
import { type Checklist, checklistDueActions, type ChecklistStatus, checklistStatus } from '../checklists/model';
import { type Person, teamsOf } from '../people/model';
import { lastEvidencedReview, type Policy, type Publication, type Review } from '../policies/model';
import { type Course, type Completion, trainingCells } from '../training/model';

/**
 * "What is due": the recurring duties of the workspace, gathered from the
 * registers by their own rules (checklist status, last evidenced policy
 * review, training cells, agreement expiry) and scheduled by
 * src/domain/schedules.ts. Pure: `today` and every register's content are
 * parameters, so the same data gives the same list on every device.
 *
 * Open actions with a due date come from the registers that hold them: each
 * gives its `DueAction`s through one pure function (`briefingDueActions`,
 * `reviewDueActions`, `checklistDueActions`; `dueActionsOf` below lists them), and `actionDuties`
 * schedules them, overdue however long ago.
 *
 * Not listed here (they are gaps on the dashboard, with no date to schedule):
 * training never done, agreements missing or not signed.
 */

/**
 * What the due list needs of the management reviews register: the date of the
 * last review held. Kept minimal so the reviews register can change shape
 * freely; `src/registers/due/collect.ts` `managementReviewInput` fills it.
 */
export interface ManagementReviewInput {
  /** ISO date of the last management review held; undefined when none is on record. */
  lastReviewDate?: string | undefined;
}

export interface DueSources {
  today: string;
  people: readonly Person[];
  checklists: readonly Checklist[];
  /** The checklists document's sign-off entries (store `entries()`). */
  checklistEntries: readonly SignOffEntry[];
  policies: readonly Policy[];
  publications: readonly Publication[];
  /** Evidenced policy reviews (policies store `reviews()`). */
  policyReviews: readonly Review[];
  courses: readonly Course[];
  /** Completions that count (not voided). */
  completions: readonly Completion[];
  /** personId → security role ids held (roles store `byPerson()`). */
  rolesByPerson: ReadonlyMap<string, string[]>;
  agreements: readonly Agreement[];
  managementReview: ManagementReviewInput;
  /** Open actions of every register that holds them (`dueActionsOf`). */
  actions?: readonly DueAction[];
  /** The local day the workspace was created: no checklist is owed for a month before it. */
  workspaceCreated?: string | undefined;
  schedule?: Partial<ScheduleSettings>;
}

// ---------- hrefs (hash routes of the places where each duty is done) ----------

const query = (params: Record<string, string>) => new URLSearchParams(params).toString();
export const checklistHref = (id: string) => `#/checklists/${encodeURIComponent(id)}`;
export const newChecklistHref = (team: string, month: string) => `#/checklists/new?${query({ team, month })}`;
/** Where a management review is held: a new review (the reviews register pulls in last review's actions and the KPIs). */
export const REVIEWS_HREF = '#/reviews/new';
export const policyReviewHref = (policyId: string) => `#/policies/${encodeURIComponent(policyId)}?do=review`;
export const renewTrainingHref = (courseId: string, personId: string) => `#/training/new?${query({ course: courseId, person: personId })}`;

// ---------- monthly checklists ----------

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

// ---------- management review ----------

/** The next quarterly management review (Clause 9.3): `everyMonths` after the last one, or today when none is on record. */
export function managementReviewDuties(input: ManagementReviewInput & { today: string; everyMonths?: number }): Duty[] {
  const due = nextManagementReview(input.lastReviewDate, input.today, input.everyMonths ?? DEFAULT_SCHEDULE.reviewEveryMonths);
  return [
    {
      id: 'management-review',
      kind: 'management-review',
      title: input.lastReviewDate ? 'Quarterly management review' : 'First management review',
      due,
      href: REVIEWS_HREF,
      status: dueStatus(due, input.today),
    },
  ];
}

// ---------- policy reviews ----------

/**
 * One duty per active policy: review by the earlier of its next review date and
 * 12 months after its last evidenced review or approval. The owner acts; the
 * duty belongs to the owner's team.
 */
export function policyReviewDuties(input: {
  people: readonly Person[];
  policies: readonly Policy[];
  publications: readonly Publication[];
  reviews: readonly Review[];
  today: string;
  everyMonths?: number;
}): Duty[] {
  const byId = new Map(input.people.map((p) => [p.id, p]));
  const duties: Duty[] = [];
  for (const policy of input.policies) {
    if (policy.archived) continue;
    const due = nextPolicyReview(policy.nextReviewDate, lastEvidencedReview(policy.id, input.publications, input.reviews), input.everyMonths ?? DEFAULT_SCHEDULE.policyReviewEveryMonths);
    if (!due) continue;
    const owner = byId.get(policy.ownerId);
    duties.push({
      id: `policy:${policy.id}`,
      kind: 'policy-review',
      title: `Review ${policy.title || 'untitled policy'}`,
      due,
      ...(policy.ownerId ? { personId: policy.ownerId } : {}),
      ...(owner && !owner.archived && owner.team ? { team: owner.team } : {}),
      href: policyReviewHref(policy.id),
      status: dueStatus(due, input.today),
    });
  }
  return duties;
}

// ---------- training renewals ----------

/**
 * One duty per active person and required course whose completion expires:
 * renew by the expiry date (the last day it counts). 20 days before, it is due
 * this month; the day after, overdue.
 */
export function trainingDuties(input: {
  people: readonly Person[];
  courses: readonly Course[];
  completions: readonly Completion[];
  rolesByPerson: ReadonlyMap<string, string[]>;
  today: string;
}): Duty[] {
  const cells = trainingCells({
    people: [...input.people],
    courses: [...input.courses],
    completions: [...input.completions],
    rolesByPerson: input.rolesByPerson as Map<string, string[]>,
    today: input.today,
  });
  const duties: Duty[] = [];
  for (const { person, course, completion } of cells) {
    if (!completion?.expiresOn) continue;
    duties.push({
      id: `training:${person.id}:${course.id}`,
      kind: 'training-renewal',
      title: `Renew ${course.title}`,
      due: completion.expiresOn,
      personId: person.id,
      ...(person.team ? { team: person.team } : {}),
      href: renewTrainingHref(course.id, person.id),
      status: dueStatus(completion.expiresOn, input.today),
    });
  }
  return duties;
}

// ---------- agreement expiries ----------

const kindGroup = (a: Agreement) => (CONTRACT_TYPES.includes(a.type) ? 'contract' : a.type);

/**
 * One duty per party and kind of agreement (contract, NDA, supplier, …) whose
 * signed agreements all expire: renew by the latest expiry. One that never
 * expires, or a later one already signed, means nothing is due. Archived
 * agreements and people who left are skipped.
 */
export function agreementDuties(input: { people: readonly Person[]; agreements: readonly Agreement[]; today: string }): Duty[] {
  const byId = new Map(input.people.map((p) => [p.id, p]));
  const groups = new Map<string, Agreement[]>();
  for (const a of input.agreements) {
    if (a.archived || !a.signedOn) continue;
    if (a.partyPersonId && byId.get(a.partyPersonId)?.archived) continue;
    const party = a.partyPersonId ? `p:${a.partyPersonId}` : `x:${a.partyName.trim().toLowerCase()}`;
    const key = `${party}\u0000${kindGroup(a)}`;
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  const duties: Duty[] = [];
  for (const list of groups.values()) {
    if (list.some((a) => !isIsoDate(a.expiresOn))) continue;
    const latest = [...list].sort((x, y) => y.expiresOn.localeCompare(x.expiresOn) || (x.id < y.id ? -1 : 1))[0]!;
    const person = latest.partyPersonId ? byId.get(latest.partyPersonId) : undefined;
    duties.push({
      id: `agreement:${latest.id}`,
      kind: 'agreement-expiry',
      title: `Renew ${TYPE_LABELS[latest.type]}${latest.partyPersonId ? '' : ` with ${latest.partyName}`}`,
      due: latest.expiresOn,
      ...(latest.partyPersonId ? { personId: latest.partyPersonId } : {}),
      ...(person?.team ? { team: person.team } : {}),
      href: agreementHref(latest.id),
      status: dueStatus(latest.expiresOn, input.today),
    });
  }
  return duties;
}

// ---------- everything ----------

/** Every duty of the workspace on `today`, soonest first. */
export function due(src: DueSources): Duty[] {
  const schedule = { ...DEFAULT_SCHEDULE, ...src.schedule };
  const { today, people } = src;
  return sortDuties([
    ...checklistDuties({ people, checklists: src.checklists, checklistEntries: src.checklistEntries, today, lookbackMonths: schedule.checklistLookbackMonths, workspaceCreated: src.workspaceCreated }),
    ...managementReviewDuties({ ...src.managementReview, today, everyMonths: schedule.reviewEveryMonths }),
    ...policyReviewDuties({ people, policies: src.policies, publications: src.publications, reviews: src.policyReviews, today, everyMonths: schedule.policyReviewEveryMonths }),
    ...trainingDuties({ people, courses: src.courses, completions: src.completions, rolesByPerson: src.rolesByPerson, today }),
    ...agreementDuties({ people, agreements: src.agreements, today }),
    ...actionDuties(src.actions ?? [], today),
  ]);
}

/**
 * The open actions of every register that holds actions, as Due reads them.
 * A register with actions adds one line here: its own pure function from
 * its records to `DueAction`s.
 */
export function dueActionsOf(input: { briefings: readonly Briefing[]; reviews: readonly ManagementReview[]; checklists: readonly Checklist[]; people: readonly Person[] }): DueAction[] {
  const teamOf = teamOfPerson(input.people);
  return [...briefingDueActions(input.briefings), ...reviewDueActions(input.reviews, teamOf), ...checklistDueActions(input.checklists)];
}

/** The team of a person still here, for duties that belong to their owner's team. */
export function teamOfPerson(people: readonly Person[]): (personId: string) => string | undefined {
  const byId = new Map(people.map((p) => [p.id, p]));
  return (id) => {
    const p = byId.get(id);
    return p && !p.archived && p.team ? p.team : undefined;
  };
}
