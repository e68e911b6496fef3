import { formatDate } from '../../domain/dates';
import { activeOn, personGaps, plural } from '../../evidence/format';
import type { RegisterPack } from '../../evidence/context';
import { agreementsCsv } from './export';
import { agreementGaps, agreementStatus, CONTRACT_TYPES, readAgreements } from './model';
import { scopedPeople } from '../people/model';
import { policyTitles } from '../policies/model';

/**
 * Evidence pack: agreements with security clauses (employment, contractor,
 * NDA, supplier), their status on the period's last day, and who lacks one.
 * External parties are listed when every team is in scope.
 */
export const pack: RegisterPack = {
  register: 'agreements',
  title: 'Agreements',
  requirements: ['agreements'],
  order: 60,
  build(ctx) {
    const asOf = ctx.asOf;
    const agreements = ctx.read(readAgreements).filter((a) => !a.archived && (a.partyPersonId ? ctx.personInScope(a.partyPersonId) : ctx.allTeams) && (!a.signedOn || a.signedOn <= ctx.period.to));
    const people = scopedPeople(ctx).filter((p) => activeOn(p, asOf));
    const gaps = personGaps(agreementGaps({ people, agreements: ctx.read(readAgreements), today: asOf }), ctx);
    const status = (s: string) => agreements.filter((a) => agreementStatus(a, asOf) === s).length;
    const covered = people.filter((p) => agreements.some((a) => a.partyPersonId === p.id && CONTRACT_TYPES.includes(a.type) && agreementStatus(a, asOf) === 'ok')).length;
    const noClauses = agreements.filter((a) => !a.securityClauses);
    if (agreements.length === 0) gaps.unshift('No agreements recorded');
    for (const a of noClauses) gaps.push(`${a.partyPersonId ? ctx.nameOf(a.partyPersonId) || 'Unknown person' : a.partyName}: agreement without security clauses`);
    return {
      title: 'Agreements',
      intro: [
        `On ${formatDate(asOf)}: ${covered} of ${plural(people.length, 'active person', 'active people')} have an employment or contractor agreement in force.`,
        `${plural(agreements.length, 'agreement')} listed: ${status('ok')} in force, ${status('expired')} expired, ${status('unsigned')} not signed; ${noClauses.length} without security clauses.`,
      ],
      tables: [
        {
          ...agreementsCsv(agreements, ctx.nameOf, policyTitles(ctx), asOf, ''),
          file: 'agreements',
          title: 'Agreements',
          pdf: { columns: [0, 2, 3, 4, 5, 6, 8], widths: [1.7, 1.7, 1, 1, 0.9, 0.7, 1.6] },
        },
      ],
      summary: [
        {
          requirement: 'agreements',
          figures: [`${covered} of ${people.length} people with an agreement in force`, `${status('expired')} expired, ${status('unsigned')} unsigned`],
          gaps,
          missing: agreements.length === 0,
        },
      ],
      records: agreements.map((a) => ({ ...a, status: agreementStatus(a, asOf) })),
    };
  },
};
