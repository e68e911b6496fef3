import type { Reader, Source } from '../../evidence/context';
import * as v from 'valibot';
import { validateWith, type Validated } from '../../domain/validation';

/** A security role of ISO 27001 (A 5.2 / A 5.4): who holds it and what it is responsible for. */
export interface SecurityRole {
  id: string;
  name: string;
  responsibilities: string;
  /** Person ids holding the role. */
  holders: string[];
  archived: boolean;
}

/** Storage: one field per holder ("holder.<personId>": true/false) so two devices assigning people both keep theirs. */
export const holderField = (personId: string) => `holder.${personId}`;

export function roleFromFields(id: string, f: Record<string, unknown>): SecurityRole {
  const holders = Object.entries(f)
    .filter(([k, val]) => k.startsWith('holder.') && val === true)
    .map(([k]) => k.slice('holder.'.length))
    .sort();
  return {
    id,
    name: typeof f['name'] === 'string' ? f['name'] : '',
    responsibilities: typeof f['responsibilities'] === 'string' ? f['responsibilities'] : '',
    holders,
    archived: f['archived'] === true,
  };
}

/** The security roles a workspace starts with: editable, and removable by archiving. */
export const DEFAULT_ROLES: ReadonlyArray<{ key: string; name: string; responsibilities: string }> = [
  { key: 'ceo', name: 'CEO', responsibilities: 'Accountable for information security; approves the policy and provides resources.' },
  { key: 'leadership', name: 'Leadership team', responsibilities: 'Leads by example, requires staff to apply security policies, reviews security performance.' },
  { key: 'isms-manager', name: 'ISMS manager', responsibilities: 'Runs the ISMS day to day: policies, risk assessment, training, internal audit, reporting to management.' },
  { key: 'review-team', name: 'Management review team', responsibilities: 'Reviews the ISMS quarterly (Clause 9.3): inputs, KPIs, decisions and actions.' },
  { key: 'supplier-manager', name: 'Supplier manager', responsibilities: 'Ensures supplier agreements include security requirements and are reviewed.' },
  { key: 'bc-manager', name: 'Business continuity manager', responsibilities: 'Plans, tests and maintains business continuity and ICT readiness.' },
  { key: 'information-owners', name: 'Information owners', responsibilities: 'Classify their information, approve access and review it periodically.' },
  { key: 'incident-management', name: 'Incident management', responsibilities: 'Receives, assesses and responds to security events and incidents; reports lessons learnt.' },
];

export type RoleInput = Pick<SecurityRole, 'name' | 'responsibilities'>;

const roleSchema = v.object({
  name: v.pipe(v.string(), v.trim(), v.minLength(1, 'Enter the role’s name.'), v.maxLength(80, 'Keep the name under 80 characters.')),
  responsibilities: v.pipe(v.string(), v.trim(), v.maxLength(4000, 'Keep the responsibilities under 4,000 characters.')),
});

export function validateRole(input: RoleInput, existing: readonly SecurityRole[], selfId?: string): Validated<RoleInput> {
  const result = validateWith(roleSchema, input);
  if (!result.ok) return result;
  const clash = existing.find((r) => !r.archived && r.id !== selfId && r.name.toLowerCase() === result.value.name.toLowerCase());
  return clash ? { ok: false, errors: { name: `There is already a role called ${clash.name}.` } } : result;
}

/** personId → ids of the (active) roles they hold. */
export function rolesByPerson(roles: readonly SecurityRole[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const r of roles) {
    if (r.archived) continue;
    for (const p of r.holders) map.set(p, [...(map.get(p) ?? []), r.id]);
  }
  return map;
}

// ---------- RACI ----------

/**
 * The roles document holds two kinds of record: security roles (no `type`
 * field, as the seeded defaults were written) and RACI activities
 * (`type: 'activity'`). A RACI cell is one field of the activity,
 * "raci.<roleId>": 'R' | 'A' | 'C' | 'I' | '' (cleared), so two devices setting
 * different cells of the same activity both keep theirs.
 */
export const ACTIVITY_TYPE = 'activity';

export const RACI_VALUES = ['R', 'A', 'C', 'I'] as const;
export type RaciValue = (typeof RACI_VALUES)[number];

export const RACI_LABELS: Record<RaciValue, string> = {
  R: 'Responsible',
  A: 'Accountable',
  C: 'Consulted',
  I: 'Informed',
};

export const raciField = (roleId: string) => `raci.${roleId}`;

export const isRaciValue = (value: unknown): value is RaciValue => typeof value === 'string' && (RACI_VALUES as readonly string[]).includes(value);

/** Is this stored record a RACI activity (rather than a security role)? */
export const isActivityRecord = (f: Record<string, unknown>) => f['type'] === ACTIVITY_TYPE;

/** A security activity: one row of the RACI matrix. */
export interface RaciActivity {
  id: string;
  name: string;
  /** Order in the matrix (lower first); ties sort by name. */
  position: number;
  /** roleId → letter; roles without a letter are absent. */
  raci: Record<string, RaciValue>;
  archived: boolean;
}

export function activityFromFields(id: string, f: Record<string, unknown>): RaciActivity {
  const raci: Record<string, RaciValue> = {};
  for (const [k, val] of Object.entries(f)) if (k.startsWith('raci.') && isRaciValue(val)) raci[k.slice('raci.'.length)] = val;
  return {
    id,
    name: typeof f['name'] === 'string' ? f['name'] : '',
    position: typeof f['position'] === 'number' && Number.isFinite(f['position']) ? f['position'] : 0,
    raci,
    archived: f['archived'] === true,
  };
}

export const byPosition = (a: RaciActivity, b: RaciActivity) => a.position - b.position || a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

export type ActivityInput = Pick<RaciActivity, 'name'>;

const activitySchema = v.object({
  name: v.pipe(v.string(), v.trim(), v.minLength(1, 'Enter the activity, e.g. “Run the risk assessment”.'), v.maxLength(160, 'Keep the activity under 160 characters.')),
});

export function validateActivity(input: ActivityInput, existing: readonly RaciActivity[], selfId?: string): Validated<ActivityInput> {
  const result = validateWith(activitySchema, input);
  if (!result.ok) return result;
  const clash = existing.find((a) => !a.archived && a.id !== selfId && a.name.toLowerCase() === result.value.name.toLowerCase());
  return clash ? { ok: false, errors: { name: `“${clash.name}” is already in the matrix.` } } : result;
}

/** Validates one RACI cell value: a letter, or '' to clear the cell. */
export function validateRaciValue(value: unknown): string | undefined {
  return value === '' || isRaciValue(value) ? undefined : 'Choose R, A, C, I or nothing.';
}

export interface AccountableCheck {
  /** Active roles marked A on this activity. */
  accountable: string[];
  /** Why the row is not right, for a person to read; undefined when exactly one role is accountable. */
  warning?: string;
}

/**
 * ISO practice (and RACI's own rule): exactly one role is Accountable for each
 * activity. Only active roles count: an archived role's letter is ignored.
 * A warning, never a block: a matrix being filled in is often incomplete.
 */
export function accountableCheck(activity: Pick<RaciActivity, 'raci'>, roles: readonly SecurityRole[]): AccountableCheck {
  const accountable = roles.filter((r) => !r.archived && activity.raci[r.id] === 'A').map((r) => r.id);
  if (accountable.length === 1) return { accountable };
  if (accountable.length === 0) return { accountable, warning: 'No role is accountable (A): choose exactly one.' };
  const names = roles.filter((r) => accountable.includes(r.id)).map((r) => r.name);
  return { accountable, warning: `${accountable.length} roles are accountable (${names.join(', ')}): only one should be.` };
}

/** The activities a workspace can start its matrix with, with suggested letters for the default roles. */
export const STANDARD_ACTIVITIES: ReadonlyArray<{ key: string; name: string; raci: Readonly<Record<string, RaciValue>> }> = [
  { key: 'approve-policy', name: 'Approve the information security policy', raci: { 'role-ceo': 'A', 'role-isms-manager': 'R', 'role-leadership': 'C', 'role-information-owners': 'I' } },
  { key: 'risk-assessment', name: 'Run the risk assessment', raci: { 'role-ceo': 'A', 'role-isms-manager': 'R', 'role-information-owners': 'C', 'role-leadership': 'I' } },
  { key: 'brief-teams', name: 'Brief teams monthly', raci: { 'role-leadership': 'A', 'role-isms-manager': 'C', 'role-ceo': 'I' } },
  { key: 'supplier-agreements', name: 'Review supplier agreements', raci: { 'role-supplier-manager': 'R', 'role-leadership': 'A', 'role-isms-manager': 'C' } },
  { key: 'incidents', name: 'Respond to incidents', raci: { 'role-incident-management': 'R', 'role-isms-manager': 'A', 'role-information-owners': 'C', 'role-ceo': 'I' } },
  { key: 'management-review', name: 'Run the management review', raci: { 'role-review-team': 'R', 'role-ceo': 'A', 'role-isms-manager': 'C', 'role-leadership': 'I' } },
  { key: 'awareness-training', name: 'Deliver awareness training', raci: { 'role-isms-manager': 'R', 'role-leadership': 'A', 'role-information-owners': 'I' } },
  { key: 'business-continuity', name: 'Maintain business continuity plans', raci: { 'role-bc-manager': 'R', 'role-ceo': 'A', 'role-isms-manager': 'C', 'role-leadership': 'I' } },
];

export const standardActivityId = (key: string) => `activity-${key}`;

/** Security roles, by name. */
export const readRoles: Reader<SecurityRole[]> = (src) => src.records('roles').filter(([, f]) => !isActivityRecord(f)).map(([id, f]) => roleFromFields(id, f)).sort((a, b) => a.name.localeCompare(b.name));

/** RACI activities, in their order. */
export const readActivities: Reader<RaciActivity[]> = (src) => src.records('roles').filter(([, f]) => isActivityRecord(f)).map(([id, f]) => activityFromFields(id, f)).sort(byPosition);

export const readRolesByPerson: Reader<Map<string, string[]>> = (src) => rolesByPerson(src.read(readRoles));

/** A role's name by id ('' when unknown). */
export const roleNames = (src: Source) => (roleId: string): string => src.read(readRoles).find((r) => r.id === roleId)?.name ?? '';
