import { type Agreement, agreementStatus, CONTRACT_TYPES } from './model';

/* The agreements' KPI for a management review: apart from the model so that Home's path does not carry it. */

/** Contracts (employment or contractor) replace each other; other kinds only replace their own kind. */
const kindGroup = (a: Agreement) => (CONTRACT_TYPES.includes(a.type) ? 'contract' : a.type);
const partyKey = (a: Agreement) => (a.partyPersonId ? `p:${a.partyPersonId}` : `n:${a.partyName.trim().toLowerCase()}`);

/** Agreements expired at period end and not replaced by one in force (the rule: src/registers/reviews/kpis.ts `KpiInput`). */
export function expiredAgreements(input: { people: ReadonlyArray<{ id: string; archived: boolean }>; agreements: readonly Agreement[] }, to: string): number {
  const left = new Set(input.people.filter((p) => p.archived).map((p) => p.id));
  const live = input.agreements.filter((a) => !a.archived && !(a.partyPersonId && left.has(a.partyPersonId)));
  const inForce = new Set(live.filter((a) => a.signedOn && a.signedOn <= to && agreementStatus(a, to) === 'ok').map((a) => `${partyKey(a)}\u0000${kindGroup(a)}`));
  return live.filter((a) => agreementStatus(a, to) === 'expired' && !inForce.has(`${partyKey(a)}\u0000${kindGroup(a)}`)).length;
}

