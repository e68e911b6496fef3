import type { Reader } from '../../evidence/context';
import * as v from 'valibot';
import { isIsoDate } from '../../domain/dates';
import type { Gap } from '../../domain/gaps';
import { validateWith, type Validated } from '../../domain/validation';
import type { Person } from '../people/model';
import type { SecurityRole } from '../roles/model';

/**
 * Competency matrix (ISO 27001 A 5.4 / A 7.2): what each security role
 * requires people to be competent in, and what each person holds.
 *
 * Storage, "competency" document, records of two types, one field per key:
 * - competences (`type: 'competence'`): `name`, `kind`, `courseId`, `archived`,
 *   and the required level per security role as one field per role,
 *   `require.<roleId>`: 0 (not required) … 3, so two devices setting what
 *   different roles require both keep theirs. A competence is shared by the
 *   roles that require it: a person assessed once counts for all of them.
 * - holdings (`type: 'holding'`), under the fixed id `holding.<personId>.<competenceId>`:
 *   `personId`, `competenceId`, `level` (0 = not held), `evidence`, `assessedOn`.
 */

export const COMPETENCE_KINDS = ['skill', 'training', 'certification', 'experience'] as const;
export type CompetenceKind = (typeof COMPETENCE_KINDS)[number];

export const KIND_LABELS: Record<CompetenceKind, string> = {
  skill: 'Skill',
  training: 'Training',
  certification: 'Certification',
  experience: 'Experience',
};

/** 1 basic, 2 working, 3 expert. */
export type Level = 1 | 2 | 3;
/** What a person holds: 0 = not held. */
export type HeldLevel = 0 | Level;

export const LEVELS: readonly Level[] = [1, 2, 3];
export const LEVEL_LABELS: Record<HeldLevel, string> = { 0: 'Not held', 1: 'Basic', 2: 'Working', 3: 'Expert' };
/** "Level 2 · working" */
export const levelText = (level: HeldLevel) => (level === 0 ? 'Not held' : `Level ${level} · ${LEVEL_LABELS[level].toLowerCase()}`);

export const COMPETENCE_TYPE = 'competence';
export const HOLDING_TYPE = 'holding';

export const requireField = (roleId: string) => `require.${roleId}`;
export const holdingId = (personId: string, competenceId: string) => `holding.${personId}.${competenceId}`;

export interface Competence {
  id: string;
  name: string;
  kind: CompetenceKind;
  /** For kind 'training': the training register's course that proves it ('' = none, judged by holdings). */
  courseId: string;
  /** roleId → level that role requires; roles that do not require it are absent. */
  required: Record<string, Level>;
  archived: boolean;
}

export interface Holding {
  /** `holding.<personId>.<competenceId>` */
  id: string;
  personId: string;
  competenceId: string;
  level: HeldLevel;
  /** Where the proof is: certificate number, CV, appraisal, file name. */
  evidence: string;
  /** ISO date the level was assessed, or ''. */
  assessedOn: string;
}

const isLevel = (x: unknown): x is Level => x === 1 || x === 2 || x === 3;
const str = (f: Record<string, unknown>, k: string) => (typeof f[k] === 'string' ? (f[k] as string) : '');

export const isCompetenceRecord = (f: Record<string, unknown>) => f['type'] === COMPETENCE_TYPE;
export const isHoldingRecord = (f: Record<string, unknown>) => f['type'] === HOLDING_TYPE;

export function competenceFromFields(id: string, f: Record<string, unknown>): Competence {
  const required: Record<string, Level> = {};
  for (const [k, val] of Object.entries(f)) if (k.startsWith('require.') && isLevel(val)) required[k.slice('require.'.length)] = val;
  const kind = str(f, 'kind') as CompetenceKind;
  return {
    id,
    name: str(f, 'name'),
    kind: (COMPETENCE_KINDS as readonly string[]).includes(kind) ? kind : 'skill',
    courseId: kind === 'training' ? str(f, 'courseId') : '',
    required,
    archived: f['archived'] === true,
  };
}

export function holdingFromFields(id: string, f: Record<string, unknown>): Holding {
  const level = f['level'];
  return {
    id,
    personId: str(f, 'personId'),
    competenceId: str(f, 'competenceId'),
    level: isLevel(level) ? level : 0,
    evidence: str(f, 'evidence'),
    assessedOn: str(f, 'assessedOn'),
  };
}

// ---------- validation ----------

export interface CompetenceInput {
  name: string;
  kind: CompetenceKind | '';
  courseId: string;
  /** roleId → required level; 0 (or absent) = not required. */
  required: Record<string, number>;
}

export type CleanCompetenceInput = Omit<CompetenceInput, 'kind' | 'required'> & { kind: CompetenceKind; required: Record<string, Level> };

const competenceSchema = v.object({
  name: v.pipe(v.string(), v.trim(), v.minLength(1, 'Enter the competence, e.g. Risk assessment.'), v.maxLength(120, 'Keep the name under 120 characters.')),
  kind: v.picklist(COMPETENCE_KINDS, 'Choose the kind: skill, training, certification or experience.'),
  courseId: v.pipe(v.string(), v.trim(), v.maxLength(200, 'Keep the course id under 200 characters.')),
  required: v.record(v.string(), v.picklist([0, 1, 2, 3], 'Choose a level: 1 basic, 2 working or 3 expert.')),
});

/**
 * Validates the competence form. At least one active role must require it, and
 * its name must not be used by another active competence. The course only
 * applies to kind 'training'.
 */
export function validateCompetence(input: CompetenceInput, existing: readonly Competence[], activeRoleIds: readonly string[], selfId?: string): Validated<CleanCompetenceInput> {
  const r = validateWith(competenceSchema, input);
  if (!r.ok) {
    const { errors } = r;
    for (const k of Object.keys(errors)) if (k.startsWith('required.')) errors['required'] ??= errors[k];
    return { ok: false, errors };
  }
  const clash = existing.find((c) => !c.archived && c.id !== selfId && c.name.toLowerCase() === r.value.name.toLowerCase());
  if (clash) return { ok: false, errors: { name: `There is already a competence called ${clash.name}.` } };
  const required: Record<string, Level> = {};
  for (const [roleId, level] of Object.entries(r.value.required)) if (isLevel(level)) required[roleId] = level;
  if (!Object.keys(required).some((id) => activeRoleIds.includes(id))) return { ok: false, errors: { required: 'Choose at least one role that requires this competence, and the level.' } };
  return { ok: true, value: { name: r.value.name, kind: r.value.kind, courseId: r.value.kind === 'training' ? r.value.courseId : '', required } };
}

export interface HoldingInput {
  personId: string;
  competenceId: string;
  level: number;
  evidence: string;
  assessedOn: string;
}

const holdingSchema = v.object({
  personId: v.pipe(v.string(), v.minLength(1, 'Choose the person.')),
  competenceId: v.pipe(v.string(), v.minLength(1, 'Choose the competence.')),
  level: v.picklist([0, 1, 2, 3], 'Choose the level held: none, 1 basic, 2 working or 3 expert.'),
  evidence: v.pipe(v.string(), v.trim(), v.maxLength(500, 'Keep the evidence reference under 500 characters.')),
  assessedOn: v.pipe(v.string(), v.trim(), v.check((s) => s === '' || isIsoDate(s), 'Enter the assessment date as YYYY-MM-DD, e.g. 2026-11-25.')),
});

/** A level held needs the date it was assessed, not in the future. */
export function validateHolding(input: HoldingInput, today: string): Validated<Omit<HoldingInput, 'level'> & { level: HeldLevel }> {
  const r = validateWith(holdingSchema, input);
  if (!r.ok) return r;
  if (r.value.level > 0 && !r.value.assessedOn) return { ok: false, errors: { assessedOn: 'Enter the date the level was assessed.' } };
  if (r.value.assessedOn > today) return { ok: false, errors: { assessedOn: 'The assessment date cannot be in the future.' } };
  return { ok: true, value: { ...r.value, level: r.value.level as HeldLevel } };
}

// ---------- status and gaps ----------

/** Competences a role requires (active ones), by name. */
export function competencesOf(roleId: string, competences: readonly Competence[]): Competence[] {
  return competences.filter((c) => !c.archived && c.required[roleId] !== undefined).sort((a, b) => a.name.localeCompare(b.name));
}

export type CellState = 'met' | 'below' | 'missing' | 'training-valid' | 'training-missing';

export interface CellStatus {
  state: CellState;
  required: Level;
  /** The level on record (0 when none). */
  held: HeldLevel;
  holding?: Holding;
  /** True when the person does not meet the requirement. */
  gap: boolean;
}

/** Is a competence proven by a training course rather than by an assessed level? */
export const isTrainingLinked = (c: Pick<Competence, 'kind' | 'courseId'>) => c.kind === 'training' && c.courseId !== '';

/**
 * One cell of the matrix: does this person meet what this role requires of this competence?
 * A training-linked competence is met only by a valid (not expired, not voided) completion of its course.
 */
export function cellStatus(required: Level, competence: Competence, holding: Holding | undefined, validCourses: ReadonlySet<string>): CellStatus {
  const held = holding?.level ?? 0;
  const base = { required, held, ...(holding ? { holding } : {}) };
  if (isTrainingLinked(competence)) {
    const ok = validCourses.has(competence.courseId);
    return { ...base, state: ok ? 'training-valid' : 'training-missing', gap: !ok };
  }
  if (held >= required) return { ...base, state: 'met', gap: false };
  return { ...base, state: held === 0 ? 'missing' : 'below', gap: true };
}

/** personId+competenceId → holding */
export function holdingIndex(holdings: readonly Holding[]): Map<string, Holding> {
  return new Map(holdings.map((h) => [holdingId(h.personId, h.competenceId), h]));
}

/** Hash route of the competency matrix of a role. */
export const roleMatrixHref = (roleId: string) => `#/competency?role=${encodeURIComponent(roleId)}`;

export interface CompetencyInput {
  people: Person[];
  roles: SecurityRole[];
  competences: Competence[];
  holdings: Holding[];
  /** Course ids a person holds a valid completion of today (training model `validCourseIds`). */
  validCourses: (personId: string) => Set<string>;
  today: string;
}

export interface MatrixRow {
  person: Person;
  role: SecurityRole;
  cells: Array<{ competence: Competence; status: CellStatus }>;
  gaps: number;
}

/**
 * The matrix of a role: one row per active holder (people who left, or are not
 * on this device, are left out), one cell per competence the role requires.
 */
export function roleMatrix(role: SecurityRole, input: Omit<CompetencyInput, 'roles'>): MatrixRow[] {
  if (role.archived) return [];
  const people = new Map(input.people.map((p) => [p.id, p]));
  const holdings = holdingIndex(input.holdings);
  const competences = competencesOf(role.id, input.competences);
  const rows: MatrixRow[] = [];
  for (const personId of role.holders) {
    const person = people.get(personId);
    if (!person || person.archived) continue;
    const valid = competences.some(isTrainingLinked) ? input.validCourses(personId) : new Set<string>();
    const cells = competences.map((competence) => ({ competence, status: cellStatus(competence.required[role.id]!, competence, holdings.get(holdingId(personId, competence.id)), valid) }));
    rows.push({ person, role, cells, gaps: cells.filter((c) => c.status.gap).length });
  }
  return rows.sort((a, b) => a.person.name.localeCompare(b.person.name));
}

/** The label a gap carries: "ISMS manager: Risk assessment (level 2) missing". */
export function gapLabel(role: Pick<SecurityRole, 'name'>, competence: Competence, required: Level): string {
  return isTrainingLinked(competence) ? `${role.name}: ${competence.name} (valid training) missing` : `${role.name}: ${competence.name} (level ${required}) missing`;
}

/**
 * Gaps for the dashboard: for each holder of an active security role, each
 * competence the role requires that they do not hold at the required level
 * (or, when proven by a training course, have no valid completion of).
 * Archived roles, competences and people have no gaps.
 */
export function competenceGaps(input: CompetencyInput): Gap[] {
  const gaps: Gap[] = [];
  for (const role of input.roles) {
    for (const row of roleMatrix(role, input)) {
      for (const { competence, status } of row.cells) {
        if (status.gap) gaps.push({ personId: row.person.id, kind: 'competence-missing', label: gapLabel(role, competence, status.required), href: roleMatrixHref(role.id) });
      }
    }
  }
  return gaps;
}

/** A status in a few words, for a badge next to the competence. */
export function statusBadge(status: CellStatus): string {
  switch (status.state) {
    case 'met':
      return `Level ${status.held}`;
    case 'below':
      return `Level ${status.held} of ${status.required}`;
    case 'missing':
      return 'Missing';
    case 'training-valid':
      return 'Trained';
    case 'training-missing':
      return 'Not trained';
  }
}

/** Short text of a cell, for the matrix and the CSV. */
export function cellText(status: CellStatus): string {
  switch (status.state) {
    case 'met':
      return `Level ${status.held}`;
    case 'below':
      return `Gap: level ${status.held} of ${status.required}`;
    case 'missing':
      return `Gap: needs level ${status.required}`;
    case 'training-valid':
      return 'Trained';
    case 'training-missing':
      return 'Gap: no valid training';
  }
}

/** Competences: live ones first, by name. */
export const readCompetences: Reader<Competence[]> = (src) => src.records('competency').filter(([, f]) => isCompetenceRecord(f)).map(([id, f]) => competenceFromFields(id, f)).sort((a, b) => Number(a.archived) - Number(b.archived) || a.name.localeCompare(b.name));

export const readHoldings: Reader<Holding[]> = (src) => src.records('competency').filter(([, f]) => isHoldingRecord(f)).map(([id, f]) => holdingFromFields(id, f));
