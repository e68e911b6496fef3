import { formatDate, formatInstant } from '../../domain/dates';
import { activeOn, personGaps, plural, rateText } from '../../evidence/format';
import type { PackContext, RegisterPack } from '../../evidence/context';
import type { Policy, Publication } from '../policies/model';
import { acknowledgementsCsv } from './export';
import { ackMatrix, ackStanding } from './standing';
import { acknowledgementRate, type PolicyGapInput, policyGaps, policyRate, readAcks } from './model';
import { readPeopleById, scopedPeople } from '../people/model';
import { policyTitles, readPolicies, readPublications } from '../policies/model';

/** What is due on the pack's day: the people in scope and active, versions published and acknowledgements made by then. */
const dueInput = (ctx: PackContext): PolicyGapInput =>
  ctx.memo('acknowledgements:due', () => {
    const asOf = ctx.asOf;
    return {
      people: scopedPeople(ctx).filter((p) => activeOn(p, asOf)),
      policies: ctx.read(readPolicies),
      publications: ctx.read(readPublications).filter((p) => ctx.dayOf(p.publishedAt) <= asOf),
      acks: ctx.read(readAcks).filter((a) => ctx.dayOf(a.at) <= asOf),
      rolesByPerson: ctx.rolesByPerson,
      today: asOf,
    };
  });

/**
 * Evidence pack: who acknowledged the current version of each policy (on the
 * period's last day), and every acknowledgement recorded in the period with
 * its typed name, signature and the SHA-256 of the text read.
 */
export const pack: RegisterPack = {
  register: 'acknowledgements',
  title: 'Policy acknowledgements',
  requirements: ['policies'],
  order: 45,
  build(ctx) {
    const asOf = ctx.asOf;
    const input = dueInput(ctx);
    const rate = acknowledgementRate(input);
    const gaps = personGaps(policyGaps(input), ctx);
    const rosterColumns = acknowledgementsCsv({ title: '' } as Policy, { version: '' } as Publication, [], '').columns;
    const perPolicy: Array<Array<string | number>> = [];
    const rosterRows = ackStanding(ctx).policies.flatMap(({ policy, current, roster }) => {
      const done = roster.filter((r) => r.status === 'current').length;
      perPolicy.push([policy.title, current.version, roster.length, done, roster.length - done, roster.length ? `${Math.round((done / roster.length) * 100)}%` : '—']);
      return acknowledgementsCsv(policy, current, roster, '').rows;
    });
    const inPeriod = ctx.read(readAcks).filter((a) => ctx.inPeriod(a.at) && ctx.personInScope(a.personId));
    const logRows = inPeriod.map((a) => [ctx.nameOf(a.personId) || 'Unknown person', ctx.read(readPeopleById).get(a.personId)?.team ?? '', policyTitles(ctx)(a.policyId) || a.policyId, a.version, a.at, a.typedName, a.signature ? 'Yes' : 'No', a.textSha256, a.deviceId, a.byName ?? '', a.id]);
    return {
      title: 'Policy acknowledgements',
      intro: [
        `Acknowledgement rate on ${formatDate(asOf)}: ${rateText(rate)} of the (person, policy) pairs due were acknowledged at the current version and text.`,
        `${plural(inPeriod.length, 'acknowledgement')} recorded in the period.`,
      ],
      tables: [
        { file: '', title: 'Per policy: the current version', columns: ['Policy', 'Version', 'Applies to', 'Acknowledged', 'Not yet', 'Rate'], rows: perPolicy, pdf: { columns: [0, 1, 2, 3, 4, 5], widths: [2.6, 0.8, 0.9, 1.1, 0.9, 0.7] } },
        ackMatrix(ctx),
        // The matrix above shows every pair; the roster keeps the detail per row in the CSV.
        { file: 'acknowledgements', title: 'Current versions: who has acknowledged', columns: rosterColumns, rows: rosterRows },
        {
          file: 'acknowledgements-log',
          title: 'Acknowledgements recorded in the period',
          columns: ['Person', 'Team', 'Policy', 'Version', 'Acknowledged at', 'Typed name', 'Drawn signature', 'SHA-256 of text read', 'Device', 'Device user', 'Acknowledgement id'],
          rows: logRows,
          pdf: { columns: [0, 2, 3, 4, 5, 6], widths: [1.6, 1.8, 0.6, 1.6, 1.6, 0.7], limit: 60 },
        },
      ],
      signatures: {
        title: 'Drawn signatures in the period, with the SHA-256 of the text signed',
        items: inPeriod
          .filter((a) => a.signature)
          .map((a) => ({
            png: a.signature!,
            caption: [`${ctx.nameOf(a.personId) || 'Unknown person'} (typed name: ${a.typedName})`, `${policyTitles(ctx)(a.policyId) || a.policyId} v${a.version}, ${formatInstant(a.at)}`, `SHA-256 of the text signed: ${a.textSha256}`, `Acknowledgement ${a.id}, device ${a.deviceId}`],
          })),
      },
      summary: [
        {
          requirement: 'policies',
          figures: [`Acknowledged: ${rateText(rate)}`],
          gaps,
          missing: rate.total === 0,
        },
      ],
      records: inPeriod.map(({ signature, ...a }) => ({ ...a, drawnSignature: !!signature })),
    };
  },
  provides: {
    // The policies' list counts, per policy, what this section counts over all of them.
    'policy-rate': (ctx) => {
      const input = dueInput(ctx);
      return (p) => policyRate(p, input);
    },
  },
  includeEntry(entry, ctx) {
    const e = entry as { at?: unknown; personId?: unknown };
    return typeof e.at === 'string' && ctx.inPeriod(e.at) && (typeof e.personId !== 'string' || ctx.personInScope(e.personId));
  },
};
