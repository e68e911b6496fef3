import { chainEntry, type LogHead } from '../../domain/evidence-log';
import { canonicalJson } from '../../domain/signoff';
import { briefingFromFields, briefingSnapshot } from '../../registers/briefings/model';
import { checklistFromFields, checklistSnapshot, serializeItems, STANDARD_ITEMS } from '../../registers/checklists/model';
import { DEFAULT_ROLES } from '../../registers/roles/model';
import type { PackInput, RawRegister } from '../../evidence/types';

/*
 * A small workspace as plain data, for the pack's unit tests: people with
 * names from several scripts (and one that looks like a spreadsheet formula),
 * a published policy and acknowledgements, a course and completions, signed
 * checklists and minutes, an agreement, a review, a resource approval and a
 * disciplinary process with sealed entries. Evidence entries carry chain
 * links, as the stores write them.
 */

export const TODAY = '2026-11-25';
export const PERIOD = { from: '2025-11-26', to: '2026-11-25' } as const;

export const PEOPLE = {
  zoe: { name: 'Zoë Ångström', team: 'Ops' },
  lukasz: { name: 'Łukasz Żółkiewski', team: 'Ops' },
  li: { name: '李小龍', team: 'Sales' },
  eq: { name: '=HYPERLINK("x")', team: 'Sales' },
  ada: { name: 'Ada Lovelace, "Countess"', team: 'Ops' },
} as const;

type Key = keyof typeof PEOPLE;

/** A fresh register map with helpers to add records and chained entries. */
function registers() {
  const regs: Record<string, RawRegister> = {};
  const heads = new Map<string, LogHead>();
  const reg = (name: string) => (regs[name] ??= { records: {}, entries: {} });
  return {
    regs,
    record(name: string, id: string, fields: Record<string, unknown>) {
      reg(name).records[id] = fields;
    },
    entry(name: string, entry: { id: string; deviceId?: string }) {
      const device = entry.deviceId ?? 'device-a';
      const key = `${name}\u0000${device}`;
      const chained = chainEntry(entry, device, heads.get(key));
      heads.set(key, { seq: chained.chain.seq, hash: chained.chain.hash });
      reg(name).entries[entry.id] = chained;
    },
  };
}

export function fixtureInput(overrides: Partial<PackInput> = {}): PackInput {
  const r = registers();
  r.record('settings', 'org', { name: 'Acmé Ltd' });
  for (const [key, p] of Object.entries(PEOPLE)) {
    r.record('people', `p-${key}`, { name: p.name, email: '', team: p.team, jobTitle: key === 'zoe' ? 'Ops manager' : 'Engineer', startDate: '2024-01-10', managerId: key === 'zoe' ? '' : 'p-zoe', archived: false });
  }
  // Left the company: not in any figure.
  r.record('people', 'p-gone', { name: 'Gone Person', email: '', team: 'Ops', jobTitle: '', startDate: '2020-01-01', managerId: '', archived: true });

  for (const role of DEFAULT_ROLES) r.record('roles', `role-${role.key}`, { name: role.name, responsibilities: role.responsibilities, archived: false });
  r.record('roles', 'role-isms-manager', { name: 'ISMS manager', responsibilities: 'Runs the ISMS.', archived: false, 'holder.p-zoe': true });
  r.record('roles', 'activity-x', { type: 'activity', name: 'Approve the policy', position: 0, archived: false, 'raci.role-ceo': 'A', 'raci.role-isms-manager': 'R' });

  // One policy, published once; Zoë and 李 acknowledged it, Łukasz did not.
  r.record('policies', 'pol-aup', { title: 'Acceptable use', ownerId: 'p-zoe', everyone: true, nextReviewDate: '2027-06-01', archived: false, createdAt: '2026-01-01T09:00:00.000Z', createdBy: 'Zoë' });
  const sha = 'a'.repeat(64);
  r.entry('policies', { id: 'pub-1', kind: 'publication', policyId: 'pol-aup', version: '1.0', text: 'Be careful.', textSha256: sha, approvedBy: 'CEO', approvedOn: '2026-01-05', publishedAt: '2026-01-05T10:00:00.000Z', byName: 'Zoë', deviceId: 'device-a' } as never);
  const ack = (id: string, who: Key, at: string) =>
    r.entry('acknowledgements', { id, kind: 'acknowledgement', personId: `p-${who}`, policyId: 'pol-aup', version: '1.0', textSha256: sha, typedName: PEOPLE[who].name, at, deviceId: 'device-a', byName: 'Zoë' } as never);
  ack('ack-1', 'zoe', '2026-02-01T10:00:00.000Z');
  ack('ack-2', 'li', '2026-03-01T10:00:00.000Z');
  ack('ack-3', 'eq', '2026-03-02T10:00:00.000Z');
  ack('ack-4', 'ada', '2026-03-03T10:00:00.000Z');
  // Before the period: kept as a hash-only link.
  ack('ack-old', 'zoe', '2025-01-01T10:00:00.000Z');

  r.record('training', 'course-aw', { title: 'Annual security awareness', renewalMonths: 12, everyone: true, provider: 'In-house', archived: false, createdAt: '2025-01-01T00:00:00.000Z', createdBy: 'Zoë' });
  const done = (id: string, who: Key, on: string) =>
    r.entry('training', { id, kind: 'completion', personId: `p-${who}`, courseId: 'course-aw', completedOn: on, provider: 'In-house', evidence: `Cert ${id}`, expiresOn: `${Number(on.slice(0, 4)) + 1}${on.slice(4)}`, source: '', byName: 'Zoë', at: `${on}T12:00:00.000Z`, deviceId: 'device-a' } as never);
  done('tc-1', 'zoe', '2026-06-01');
  done('tc-2', 'lukasz', '2026-06-01');
  done('tc-3', 'li', '2026-07-01');

  // A signed, complete checklist for Ops in October 2026.
  const items = serializeItems(STANDARD_ITEMS);
  const checklistFields: Record<string, unknown> = { team: 'Ops', month: '2026-10', items, createdAt: '2026-10-02T08:00:00.000Z', createdBy: 'Zoë' };
  for (const item of STANDARD_ITEMS) checklistFields[`item.${item.key}.status`] = 'done';
  checklistFields['item.brief.note'] = '=cmd|calc';
  r.record('checklists', 'cl-ops-oct', checklistFields);
  r.entry('checklists', { id: 'so-1', recordId: 'cl-ops-oct', kind: 'signoff', byName: 'Zoë Ångström', at: '2026-10-20T15:00:00.000Z', deviceId: 'device-a', note: '', snapshot: checklistSnapshot(checklistFromFields('cl-ops-oct', checklistFields)) } as never);

  const briefingFields: Record<string, unknown> = { date: '2026-10-15', team: 'Ops', notes: 'Discussed phishing, screen locks\nand the speak-up channel.', 'attendee.p-zoe': true, 'attendee.p-lukasz': true, 'topic.Phishing': true, createdAt: '2026-10-15T09:00:00.000Z', createdBy: 'Zoë' };
  r.record('briefings', 'br-1', briefingFields);
  r.entry('briefings', { id: 'so-2', recordId: 'br-1', kind: 'signoff', byName: 'Zoë Ångström', at: '2026-10-15T10:00:00.000Z', deviceId: 'device-b', note: '', snapshot: briefingSnapshot(briefingFromFields('br-1', briefingFields)) } as never);

  r.record('agreements', 'ag-1', { partyPersonId: 'p-zoe', partyName: '', type: 'employment', signedOn: '2024-01-05', expiresOn: '', securityClauses: true, policyRefs: '', documentRef: 'HR-1', notes: '', archived: false, createdAt: '2024-01-05T00:00:00.000Z', createdBy: 'HR' });

  r.record('reviews', 'rev-1', { date: '2026-10-01', periodFrom: '2026-07-01', periodTo: '2026-09-30', chairId: 'p-zoe', 'attendee.p-zoe': true, changes: 'None', auditFindings: '', incidents: '', createdAt: '2026-10-01T09:00:00.000Z', createdBy: 'Zoë' });

  r.record('resources', 'res-1', { kind: 'tool', description: 'Password manager', amount: 1200, currency: 'GBP', control: 'A 5.17', reviewId: 'rev-1', archived: false, createdAt: '2026-10-01T09:00:00.000Z', createdBy: 'Zoë' });
  r.entry('resources', { id: 'ap-1', kind: 'approval', recordId: 'res-1', approvedBy: 'p-zoe', approvedOn: '2026-10-01', byName: 'Zoë', at: '2026-10-01T09:05:00.000Z', deviceId: 'device-a' } as never);

  r.record('disciplinary', 'tier-1', { type: 'tier', name: 'Accidental error', appliesWhen: 'A first mistake.', consequence: 'Coaching.', order: 1, archived: false, createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'Zoë' });
  r.record('disciplinary', 'officer.p-zoe', { type: 'officer', personId: 'p-zoe', designated: true, byName: 'Zoë', at: '2026-01-01T00:00:00.000Z', deviceId: 'device-a' });
  // Sealed: the pack must never show what is inside.
  const secret = { id: 'd-1', kind: 'entry', personId: 'p-lukasz', date: '2026-05-01', policyId: 'pol-aup', policy: 'Acceptable use', tierId: 'tier-1', tierName: 'Accidental error', facts: 'SECRET FACTS about Łukasz', outcome: 'Coaching given to Łukasz', decidedById: 'p-zoe', evidence: '', byName: 'Zoë', at: '2026-05-01T10:00:00.000Z', deviceId: 'device-a' };
  r.entry('disciplinary', { id: 'd-1', kind: 'sealed', codec: 'plaintext-base64-v1', sealed: Buffer.from(canonicalJson(secret)).toString('base64'), deviceId: 'device-a' } as never);

  return {
    organisation: 'Acmé Ltd',
    generatedAt: '2026-11-25T14:30:00.000Z',
    generatedBy: 'Zoë Ångström',
    today: TODAY,
    period: { ...PERIOD },
    scope: { teams: 'all' },
    registers: r.regs,
    ...overrides,
  };
}

/** The sealed disciplinary entry of the fixture, as an officer's device would have opened it. */
export const OPENED_DISCIPLINARY = [
  { id: 'd-1', kind: 'entry', personId: 'p-lukasz', date: '2026-05-01', policyId: 'pol-aup', policy: 'Acceptable use', tierId: 'tier-1', tierName: 'Accidental error', facts: 'SECRET FACTS about Łukasz', outcome: 'Coaching given to Łukasz', decidedById: 'p-zoe', evidence: '', byName: 'Zoë', at: '2026-05-01T10:00:00.000Z', deviceId: 'device-a' },
];
