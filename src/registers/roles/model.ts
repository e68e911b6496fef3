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
