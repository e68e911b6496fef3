import type { CsvValue } from '../../evidence/csv';
import type { PackContext } from '../../evidence/context';
import { activeOn } from '../../evidence/format';
import { byTeamThenName, matrixPdf, NOT_ACKNOWLEDGED, NOT_APPLICABLE } from '../../evidence/matrix';
import type { PackTable } from '../../evidence/types';
import { type Person, scopedPeople } from '../people/model';
import { currentPublication, type Policy, type Publication, readPolicies, readPublications } from '../policies/model';
import { type Acknowledgement, ackRoster, readAcks, type RosterRow } from './model';

/*
 * Where each person stands on the period's last day on the policies, computed
 * once per pack and shared by the acknowledgements section, its matrix and the
 * new hires' section (so the figures cannot disagree).
 */

export interface PolicyStanding {
  policy: Policy;
  current: Publication;
  roster: RosterRow[];
}

export interface AckStanding {
  people: Person[];
  /** Acknowledgements made by the period's last day. */
  acks: Acknowledgement[];
  publications: Publication[];
  /** Live policies with a published version, in title order. */
  policies: PolicyStanding[];
  /** personId → policyId → roster row (only pairs the policy applies to). */
  byPerson: Map<string, Map<string, RosterRow>>;
}

export function ackStanding(ctx: PackContext): AckStanding {
  return ctx.memo('standing:acks', () => {
    const asOf = ctx.asOf;
    const people = scopedPeople(ctx).filter((p) => activeOn(p, asOf));
    const acks = ctx.read(readAcks).filter((a) => ctx.dayOf(a.at) <= asOf);
    const publications = ctx.read(readPublications).filter((p) => ctx.dayOf(p.publishedAt) <= asOf);
    const policies: PolicyStanding[] = [];
    const byPerson = new Map<string, Map<string, RosterRow>>();
    for (const policy of ctx.read(readPolicies)) {
      const current = currentPublication(policy.id, publications);
      if (!current || policy.archived) continue;
      const roster = ackRoster(policy, current, people, acks, ctx.rolesByPerson);
      policies.push({ policy, current, roster });
      for (const row of roster) {
        const own = byPerson.get(row.person.id) ?? new Map<string, RosterRow>();
        own.set(policy.id, row);
        byPerson.set(row.person.id, own);
      }
    }
    return { people, acks, publications, policies, byPerson };
  });
}

/** Every active person × every published policy that applies to them: the day they acknowledged the current version. */
export function ackMatrix(ctx: PackContext): PackTable {
  const st = ackStanding(ctx);
  const people = st.people.filter((p) => st.byPerson.has(p.id)).sort(byTeamThenName);
  const rows: CsvValue[][] = people.map((p) => {
    const own = st.byPerson.get(p.id)!;
    return [
      p.name,
      p.team,
      ...st.policies.map(({ policy }) => {
        const r = own.get(policy.id);
        if (!r) return NOT_APPLICABLE;
        if (r.status === 'current') return ctx.dayOf(r.ack!.at);
        if (r.status === 'stale') return `Old v${r.ack?.version ?? '?'} ${r.ack ? ctx.dayOf(r.ack.at) : ''}`.trim();
        return NOT_ACKNOWLEDGED;
      }),
    ];
  });
  return {
    file: 'acknowledgements-matrix',
    title: 'Every person × policy: day the current version was acknowledged',
    columns: ['Person', 'Team', ...st.policies.map(({ policy, current }) => `${policy.title} v${current.version}`)],
    rows,
    pdf: matrixPdf(st.policies.length, `A date: the current version acknowledged that day. "${NOT_ACKNOWLEDGED}": not acknowledged. "Old v…": only an earlier version acknowledged. "${NOT_APPLICABLE}": the policy does not apply to them. Typed names, signatures and text hashes of each acknowledgement are in csv/acknowledgements-log.csv.`),
  };
}
