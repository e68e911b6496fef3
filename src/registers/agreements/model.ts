import type { Reader } from '../../evidence/context';
import * as v from 'valibot';
import { isIsoDate } from '../../domain/dates';
import type { Gap } from '../../domain/gaps';
import { validateWith, type Validated } from '../../domain/validation';
import type { Person } from '../people/model';

/**
 * Agreements that bind people and third parties to information security
 * (ISO 27001 A 5.4, A 6.2, A 6.6, A 5.20): employment and contractor
 * agreements, NDAs, supplier agreements.
 *
 * Storage, "agreements" document, records map: one field per key —
 * `partyPersonId`, `partyName`, `type`, `signedOn`, `expiresOn`,
 * `securityClauses`, `policyRefs`, `documentRef`, `notes`, `archived`, and the
 * referenced policies as one boolean per policy (`policy.<policyId>`). An
 * agreement is an editable record, never deleted: it is archived.
 */
export const AGREEMENT_TYPES = ['employment', 'contractor', 'nda', 'third-party', 'other'] as const;
export type AgreementType = (typeof AGREEMENT_TYPES)[number];

export const TYPE_LABELS: Record<AgreementType, string> = {
  employment: 'Employment contract',
  contractor: 'Contractor agreement',
  nda: 'NDA / confidentiality',
  'third-party': 'Third-party / supplier agreement',
  other: 'Other',
};

/** Types that count as a person's agreement to work for the organisation. */
export const CONTRACT_TYPES: readonly AgreementType[] = ['employment', 'contractor'];

export interface Agreement {
  id: string;
  /** Person of the workspace the agreement is with, or '' for an external party. */
  partyPersonId: string;
  /** External party (supplier, third party) when partyPersonId is ''. */
  partyName: string;
  type: AgreementType;
  /** ISO date it was signed; '' = not signed. */
  signedOn: string;
  /** ISO date it expires (last day in force); '' = no expiry. */
  expiresOn: string;
  /** Does it include information security clauses? */
  securityClauses: boolean;
  /** Ids of the policies (policies register) its security clauses reference. */
  policyIds: string[];
  /** Free-text policy references ("Acceptable use policy v3, Annex B"). */
  policyRefs: string;
  /** Where the signed document lives: file name, DMS id, link. */
  documentRef: string;
  notes: string;
  archived: boolean;
  createdAt: string;
  createdBy: string;
}

export type AgreementStatus = 'ok' | 'unsigned' | 'expired';

export const STATUS_LABELS: Record<AgreementStatus, string> = { ok: 'In force', unsigned: 'Not signed', expired: 'Expired' };

export const policyField = (policyId: string) => `policy.${policyId}`;

const isType = (s: unknown): s is AgreementType => typeof s === 'string' && (AGREEMENT_TYPES as readonly string[]).includes(s);

export function agreementFromFields(id: string, f: Record<string, unknown>): Agreement {
  const s = (k: string) => (typeof f[k] === 'string' ? (f[k] as string) : '');
  const policyIds = Object.entries(f)
    .filter(([k, val]) => k.startsWith('policy.') && val === true)
    .map(([k]) => k.slice('policy.'.length))
    .sort();
  return {
    id,
    partyPersonId: s('partyPersonId'),
    partyName: s('partyName'),
    type: isType(f['type']) ? f['type'] : 'other',
    signedOn: s('signedOn'),
    expiresOn: s('expiresOn'),
    securityClauses: f['securityClauses'] === true,
    policyIds,
    policyRefs: s('policyRefs'),
    documentRef: s('documentRef'),
    notes: s('notes'),
    archived: f['archived'] === true,
    createdAt: s('createdAt'),
    createdBy: s('createdBy'),
  };
}

export type AgreementInput = Pick<Agreement, 'partyPersonId' | 'partyName' | 'type' | 'signedOn' | 'expiresOn' | 'securityClauses' | 'policyIds' | 'policyRefs' | 'documentRef' | 'notes'>;

/** The stored fields of an agreement (policies as one boolean each). */
export function agreementFields(a: AgreementInput): Record<string, unknown> {
  const { policyIds, ...rest } = a;
  const fields: Record<string, unknown> = { ...rest };
  for (const p of policyIds) fields[policyField(p)] = true;
  return fields;
}

const optionalDate = (message: string) => v.pipe(v.string(), v.trim(), v.check((s) => s === '' || isIsoDate(s), message));

const agreementSchema = v.object({
  partyPersonId: v.string(),
  partyName: v.pipe(v.string(), v.trim(), v.maxLength(200, 'Keep the party’s name under 200 characters.')),
  type: v.picklist(AGREEMENT_TYPES, 'Choose the type of agreement.'),
  signedOn: optionalDate('Enter the date it was signed as YYYY-MM-DD, or leave it empty if not signed yet.'),
  expiresOn: optionalDate('Enter the expiry date as YYYY-MM-DD, or leave it empty if it does not expire.'),
  securityClauses: v.boolean(),
  policyIds: v.array(v.pipe(v.string(), v.minLength(1))),
  policyRefs: v.pipe(v.string(), v.trim(), v.maxLength(1000, 'Keep the policy references under 1,000 characters.')),
  documentRef: v.pipe(v.string(), v.trim(), v.maxLength(500, 'Keep the document reference under 500 characters.')),
  notes: v.pipe(v.string(), v.trim(), v.maxLength(4000, 'Keep the notes under 4,000 characters.')),
});

export const EXPIRY_BEFORE_SIGNED = 'The expiry date cannot be before the date it was signed.';

/**
 * Validates the agreement form. The party is a person of the workspace or an
 * external name (exactly one); a signature cannot be in the future and the
 * expiry cannot come before the signature.
 */
export function validateAgreement(input: AgreementInput, today: string): Validated<AgreementInput> {
  const r = validateWith(agreementSchema, input);
  if (!r.ok) return r;
  const a = r.value;
  const errors: Partial<Record<string, string>> = {};
  if (!a.partyPersonId && !a.partyName) errors['partyName'] = 'Choose the person, or enter the name of the external party.';
  if (a.signedOn && a.signedOn > today) errors['signedOn'] = 'The signed date cannot be in the future: leave it empty until it is signed.';
  if (a.signedOn && a.expiresOn && a.expiresOn < a.signedOn) errors['expiresOn'] = EXPIRY_BEFORE_SIGNED;
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    value: { ...a, partyName: a.partyPersonId ? '' : a.partyName, policyIds: a.securityClauses ? [...new Set(a.policyIds)].sort() : [] },
  };
}

/** Where an agreement stands today: not signed, past its expiry, or in force. The expiry day itself is still in force. */
export function agreementStatus(agreement: Pick<Agreement, 'signedOn' | 'expiresOn'>, today: string): AgreementStatus {
  if (!agreement.signedOn) return 'unsigned';
  if (agreement.expiresOn && agreement.expiresOn < today) return 'expired';
  return 'ok';
}

/** Who the agreement is with, for a person to read. */
export function partyLabel(a: Pick<Agreement, 'partyPersonId' | 'partyName'>, nameOf: (id: string) => string): string {
  return a.partyPersonId ? nameOf(a.partyPersonId) || 'Unknown person' : a.partyName;
}

export const agreementHref = (id: string) => `#/agreements/${encodeURIComponent(id)}`;
export const newAgreementHref = (personId: string) => `#/agreements/new?person=${encodeURIComponent(personId)}`;

/** Agreements of one kind group: a contract (employment or contractor), or one of the other types. */
const groupOf = (t: AgreementType) => (CONTRACT_TYPES.includes(t) ? 'contract' : t);

/**
 * Gaps for the dashboard, per active person:
 * - 'agreement-missing': no employment or contractor agreement on file (archived ones do not count);
 * - for each kind of agreement they have (contract, NDA, …) with none in force:
 *   'agreement-unsigned' if one awaits signature, else 'agreement-expired'.
 * An expired agreement replaced by one in force of the same kind is no gap.
 */
export function agreementGaps(input: { people: Person[]; agreements: Agreement[]; today: string }): Gap[] {
  const byPerson = new Map<string, Agreement[]>();
  for (const a of input.agreements) {
    if (a.archived || !a.partyPersonId) continue;
    const list = byPerson.get(a.partyPersonId);
    if (list) list.push(a);
    else byPerson.set(a.partyPersonId, [a]);
  }
  const gaps: Gap[] = [];
  for (const person of input.people) {
    if (person.archived) continue;
    const own = byPerson.get(person.id) ?? [];
    if (!own.some((a) => CONTRACT_TYPES.includes(a.type))) {
      gaps.push({ personId: person.id, kind: 'agreement-missing', label: 'No employment or contractor agreement on file', href: newAgreementHref(person.id) });
    }
    const groups = new Map<string, Agreement[]>();
    for (const a of own) groups.set(groupOf(a.type), [...(groups.get(groupOf(a.type)) ?? []), a]);
    for (const list of groups.values()) {
      const statuses = list.map((a) => ({ a, status: agreementStatus(a, input.today) }));
      if (statuses.some((x) => x.status === 'ok')) continue;
      const unsigned = statuses.find((x) => x.status === 'unsigned');
      if (unsigned) {
        gaps.push({ personId: person.id, kind: 'agreement-unsigned', label: `${TYPE_LABELS[unsigned.a.type]} not signed`, href: agreementHref(unsigned.a.id) });
        continue;
      }
      const latest = statuses.map((x) => x.a).sort((x, y) => y.expiresOn.localeCompare(x.expiresOn))[0]!;
      gaps.push({ personId: person.id, kind: 'agreement-expired', label: `${TYPE_LABELS[latest.type]} expired`, href: agreementHref(latest.id), due: latest.expiresOn });
    }
  }
  return gaps;
}

/** What the list filters on: a status, or "in force but without security clauses". */
export type AgreementFilter = AgreementStatus | 'no-clauses';

export function matchesFilter(a: Agreement, filter: AgreementFilter | '', today: string): boolean {
  if (!filter) return true;
  if (filter === 'no-clauses') return !a.securityClauses;
  return agreementStatus(a, today) === filter;
}

/** Agreements, by day signed (unsigned last). */
export const readAgreements: Reader<Agreement[]> = (src) => src.records('agreements').map(([id, f]) => agreementFromFields(id, f)).sort((a, b) => (a.signedOn || '9999').localeCompare(b.signedOn || '9999') || a.id.localeCompare(b.id));
