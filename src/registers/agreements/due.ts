import { isIsoDate } from '../../domain/dates';
import { type Duty, dueStatus } from '../../domain/schedules';
import type { Person } from '../people/model';
import { type Agreement, agreementHref, CONTRACT_TYPES, TYPE_LABELS } from './model';

/* What is due of the agreements: renewals (src/registers/due/ gathers it from the descriptor). */

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
