import { isIsoDate, localIsoDate } from '../../domain/dates';
import { historyOf, parseSignOffEntry, type SignOffEntry } from '../../domain/signoff';
import { type Acknowledgement, byAt, parseAcknowledgement } from '../../registers/acknowledgements/model';
import { type Agreement, agreementFromFields } from '../../registers/agreements/model';
import { type Briefing, briefingFromFields } from '../../registers/briefings/model';
import { type Checklist, checklistFromFields } from '../../registers/checklists/model';
import { memberFromFields } from '../../registers/members/model';
import { workspaceCreatedOn } from '../../domain/schedules';
import { type Competence, competenceFromFields, type Holding, holdingFromFields, isCompetenceRecord, isHoldingRecord } from '../../registers/competency/model';
import { type Person, personFromFields, teamsOf } from '../../registers/people/model';
import { byPublishedAt, parsePublication, parseReview, type Policy, policyFromFields, type Publication, type Review as PolicyReview } from '../../registers/policies/model';
import { parseApprovals, type ResourceApproval, resourceFromFields, withApproval } from '../../registers/resources/model';
import { type ManagementReview, reviewFromFields } from '../../registers/reviews/model';
import { activityFromFields, byPosition, isActivityRecord, type RaciActivity, roleFromFields, rolesByPerson, type SecurityRole } from '../../registers/roles/model';
import { type Completion, type Course, courseFromFields, parseTrainingEntries } from '../../registers/training/model';
import type { PackInput, PackPeriod, RawRegister } from './types';

const EMPTY: RawRegister = { records: {}, entries: {} };

const parseEntries = (raw: readonly unknown[]): SignOffEntry[] => raw.map(parseSignOffEntry).filter((e): e is SignOffEntry => !!e);

/**
 * The registers of a PackInput, read once and shared by every register's pack
 * hook: typed records (through each register's own `fromFields` and entry
 * parsers), the period and the scope. Lazy: a register nobody asks for is
 * never parsed.
 */
export class PackContext {
  readonly input: PackInput;
  readonly period: PackPeriod;
  /** The day figures are computed on: the period's end, or today when the period ends later. */
  readonly asOf: string;
  private cache = new Map<string, unknown>();

  constructor(input: PackInput) {
    this.input = input;
    this.period = input.period;
    this.asOf = input.period.to < input.today ? input.period.to : input.today;
  }

  /** Computes something once per pack, e.g. a table two sections share. */
  memo<T>(key: string, compute: () => T): T {
    if (!this.cache.has(key)) this.cache.set(key, compute());
    return this.cache.get(key) as T;
  }

  raw(register: string): RawRegister {
    return this.input.registers[register] ?? EMPTY;
  }

  records(register: string): Array<[string, Record<string, unknown>]> {
    return Object.entries(this.raw(register).records);
  }

  entries(register: string): unknown[] {
    return Object.values(this.raw(register).entries);
  }

  // ---------- period and scope ----------

  /** The device's calendar day of a timestamp (the worker shares the page's time zone). */
  dayOf(at: string): string {
    const d = new Date(at);
    return Number.isNaN(d.getTime()) ? at.slice(0, 10) : localIsoDate(d);
  }

  /** Is an ISO date (or timestamp) within the period? */
  inPeriod(dateOrInstant: string): boolean {
    const day = isIsoDate(dateOrInstant) ? dateOrInstant : this.dayOf(dateOrInstant);
    return day >= this.period.from && day <= this.period.to;
  }

  /** Does an ISO month overlap the period? */
  monthInPeriod(month: string): boolean {
    return `${month}-31` >= this.period.from && `${month}-01` <= this.period.to;
  }

  get allTeams(): boolean {
    return this.input.scope.teams === 'all';
  }

  /** The teams in scope, by name. */
  get scopeTeams(): string[] {
    return this.memo('scopeTeams', () => (this.input.scope.teams === 'all' ? teamsOf(this.people) : [...this.input.scope.teams].sort((a, b) => a.localeCompare(b))));
  }

  teamInScope(team: string): boolean {
    return this.input.scope.teams === 'all' || this.input.scope.teams.includes(team);
  }

  /** A person of a team in scope (someone not in People counts only when every team is in scope). */
  personInScope(personId: string): boolean {
    if (this.allTeams) return true;
    const p = this.peopleById.get(personId);
    return !!p && this.teamInScope(p.team);
  }

  /** "All teams" or "Ops, Sales". */
  get scopeLabel(): string {
    return this.input.scope.teams === 'all' ? 'All teams' : this.input.scope.teams.length ? [...this.input.scope.teams].sort((a, b) => a.localeCompare(b)).join(', ') : 'No team';
  }

  // ---------- people ----------

  get people(): Person[] {
    return this.memo('people', () => this.records('people').map(([id, f]) => personFromFields(id, f)).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)));
  }

  get peopleById(): Map<string, Person> {
    return this.memo('peopleById', () => new Map(this.people.map((p) => [p.id, p])));
  }

  /** People of the teams in scope, those who left included. */
  get scopedPeople(): Person[] {
    return this.memo('scopedPeople', () => this.people.filter((p) => this.teamInScope(p.team)));
  }

  /** A person's name, or '' when they are not in People. */
  nameOf = (personId: string): string => this.peopleById.get(personId)?.name ?? '';

  /** Every name in People, to scrub from redacted text. */
  get allNames(): string[] {
    return this.memo('allNames', () => this.people.map((p) => p.name).filter(Boolean));
  }

  // ---------- roles ----------

  get roles(): SecurityRole[] {
    return this.memo('roles', () => this.records('roles').filter(([, f]) => !isActivityRecord(f)).map(([id, f]) => roleFromFields(id, f)).sort((a, b) => a.name.localeCompare(b.name)));
  }

  get activities(): RaciActivity[] {
    return this.memo('activities', () => this.records('roles').filter(([, f]) => isActivityRecord(f)).map(([id, f]) => activityFromFields(id, f)).sort(byPosition));
  }

  get rolesByPerson(): Map<string, string[]> {
    return this.memo('rolesByPerson', () => rolesByPerson(this.roles));
  }

  roleName = (roleId: string): string => this.roles.find((r) => r.id === roleId)?.name ?? '';

  // ---------- policies and acknowledgements ----------

  get policies(): Policy[] {
    return this.memo('policies', () => this.records('policies').map(([id, f]) => policyFromFields(id, f)).sort((a, b) => a.title.localeCompare(b.title) || a.id.localeCompare(b.id)));
  }

  get publications(): Publication[] {
    return this.memo('publications', () => this.entries('policies').map(parsePublication).filter((p): p is Publication => !!p).sort(byPublishedAt));
  }

  get policyReviews(): PolicyReview[] {
    return this.memo('policyReviews', () => this.entries('policies').map(parseReview).filter((r): r is PolicyReview => !!r));
  }

  policyTitle = (policyId: string): string => this.policies.find((p) => p.id === policyId)?.title ?? '';

  get acks(): Acknowledgement[] {
    return this.memo('acks', () => this.entries('acknowledgements').map(parseAcknowledgement).filter((a): a is Acknowledgement => !!a).sort(byAt));
  }

  // ---------- training and competency ----------

  get courses(): Course[] {
    return this.memo('courses', () => this.records('training').map(([id, f]) => courseFromFields(id, f)).sort((a, b) => Number(a.archived) - Number(b.archived) || a.title.localeCompare(b.title)));
  }

  courseTitle = (courseId: string): string => this.courses.find((c) => c.id === courseId)?.title ?? '';

  /** Every completion, voided ones marked `voidedBy`. */
  get allCompletions(): Completion[] {
    return this.memo('allCompletions', () => parseTrainingEntries(this.entries('training')).completions);
  }

  /** Completions that count (not voided). */
  get completions(): Completion[] {
    return this.memo('completions', () => this.allCompletions.filter((c) => !c.voidedBy));
  }

  get competences(): Competence[] {
    return this.memo('competences', () => this.records('competency').filter(([, f]) => isCompetenceRecord(f)).map(([id, f]) => competenceFromFields(id, f)).sort((a, b) => Number(a.archived) - Number(b.archived) || a.name.localeCompare(b.name)));
  }

  get holdings(): Holding[] {
    return this.memo('holdings', () => this.records('competency').filter(([, f]) => isHoldingRecord(f)).map(([id, f]) => holdingFromFields(id, f)));
  }

  // ---------- checklists, briefings, sign-offs ----------

  get checklists(): Checklist[] {
    return this.memo('checklists', () => this.records('checklists').map(([id, f]) => checklistFromFields(id, f)).sort((a, b) => a.month.localeCompare(b.month) || a.team.localeCompare(b.team)));
  }

  /** The local day the workspace started (`workspaceCreatedOn`): its first device's joining, or an earlier record restored from a backup. */
  get workspaceCreated(): string | undefined {
    return this.memo('workspaceCreated', () =>
      workspaceCreatedOn(
        { members: this.records('members').map(([id, f]) => ({ joinedAt: memberFromFields(id, f)?.joinedAt ?? '' })), checklists: this.checklists, briefings: this.briefings, signOffs: this.checklistEntries },
        (at) => this.dayOf(at),
      ),
    );
  }

  get checklistEntries(): SignOffEntry[] {
    return this.memo('checklistEntries', () => parseEntries(this.entries('checklists')));
  }

  /** Sign-off history of one record of a signed register, oldest first. */
  historyOf(register: 'checklists' | 'briefings' | 'reviews', recordId: string): SignOffEntry[] {
    const byRecord = this.memo(`history:${register}`, () => {
      const map = new Map<string, SignOffEntry[]>();
      for (const e of parseEntries(this.entries(register))) map.set(e.recordId, [...(map.get(e.recordId) ?? []), e]);
      return map;
    });
    return historyOf(byRecord.get(recordId) ?? [], recordId);
  }

  get briefings(): Briefing[] {
    return this.memo('briefings', () => this.records('briefings').map(([id, f]) => briefingFromFields(id, f)).sort((a, b) => a.date.localeCompare(b.date) || a.team.localeCompare(b.team)));
  }

  // ---------- agreements, reviews, resources ----------

  get agreements(): Agreement[] {
    return this.memo('agreements', () => this.records('agreements').map(([id, f]) => agreementFromFields(id, f)).sort((a, b) => (a.signedOn || '9999').localeCompare(b.signedOn || '9999') || a.id.localeCompare(b.id)));
  }

  get reviews(): ManagementReview[] {
    return this.memo('reviews', () => this.records('reviews').map(([id, f]) => reviewFromFields(id, f)).sort((a, b) => a.date.localeCompare(b.date) || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)));
  }

  get resources(): ResourceApproval[] {
    return this.memo('resources', () => {
      const approvals = parseApprovals(this.entries('resources'));
      return this.records('resources')
        .map(([id, f]) => withApproval(resourceFromFields(id, f), approvals))
        .sort((a, b) => a.approvedOn.localeCompare(b.approvedOn) || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    });
  }
}
