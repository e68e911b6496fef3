import { formatDate } from '../../domain/dates';
import { agreementStatus, CONTRACT_TYPES, readAgreements, TYPE_LABELS } from '../../registers/agreements/model';
import type { Agreement } from '../../registers/agreements/model';
import type { Person } from '../../registers/people/model';
import type { PackContext } from '../../evidence/context';
import { plural } from '../../evidence/format';
import { OK, BAD } from '../../evidence/pdf/pdf';
import { ackStanding } from '../../registers/acknowledgements/standing';
import { trainingStanding } from '../../registers/training/standing';
import type { RegisterPack } from '../../evidence/context';
import { scopedPeople } from '../../registers/people/model';

/*
 * New hires, executives included: for everyone who started in the period,
 * their agreement (signed, in date, with security clauses), each policy
 * acknowledged at its current version, and initial training done, with every
 * gap named. Figures come from the same standing as the policy and training
 * sections (standing.ts).
 */

export interface NewHireRow {
  person: Person;
  agreement: string;
  policies: string;
  training: string;
  gaps: string[];
}

/** The contract that counts: in force with clauses, else in force, else the latest signed, else any. */
function bestContract(own: readonly Agreement[], asOf: string): Agreement | undefined {
  const rank = (a: Agreement) => (agreementStatus(a, asOf) === 'ok' ? (a.securityClauses ? 0 : 1) : a.signedOn ? 2 : 3);
  return [...own].sort((a, b) => rank(a) - rank(b) || b.signedOn.localeCompare(a.signedOn))[0];
}

const listed = (xs: readonly string[]) => xs.join(', ');

export function newHireRows(ctx: PackContext): NewHireRow[] {
  const asOf = ctx.asOf;
  const acks = ackStanding(ctx);
  const training = trainingStanding(ctx);
  const hires = scopedPeople(ctx).filter((p) => !p.archived && p.startDate && ctx.inPeriod(p.startDate) && p.startDate <= asOf);
  return hires
    .sort((a, b) => a.startDate.localeCompare(b.startDate) || a.name.localeCompare(b.name))
    .map((person) => {
      const gaps: string[] = [];
      const own = ctx.read(readAgreements).filter((a) => !a.archived && a.partyPersonId === person.id && CONTRACT_TYPES.includes(a.type));
      const contract = bestContract(own, asOf);
      let agreement: string;
      if (!contract) {
        agreement = 'None on file';
        gaps.push('No employment or contractor agreement on file');
      } else {
        const status = agreementStatus(contract, asOf);
        const kind = TYPE_LABELS[contract.type];
        agreement = `${kind}, ${contract.signedOn ? `signed ${formatDate(contract.signedOn)}` : 'not signed'}${contract.expiresOn ? `, ${status === 'expired' ? 'expired' : 'expires'} ${formatDate(contract.expiresOn)}` : ''}; ${contract.securityClauses ? 'security clauses' : 'NO security clauses'}`;
        if (status === 'unsigned') gaps.push(`${kind} not signed`);
        if (status === 'expired') gaps.push(`${kind} expired on ${formatDate(contract.expiresOn)}`);
        if (!contract.securityClauses) gaps.push(`${kind} without security clauses`);
      }

      const mine = acks.byPerson.get(person.id);
      const due = acks.policies.filter(({ policy }) => mine?.has(policy.id));
      const missing = due.filter(({ policy }) => mine!.get(policy.id)!.status === 'missing');
      const stale = due.filter(({ policy }) => mine!.get(policy.id)!.status === 'stale');
      const done = due.length - missing.length - stale.length;
      const policies = due.length ? `${done} of ${due.length} at the current version` : 'No policy applies';
      if (due.length && done === 0 && stale.length === 0) gaps.push(`No policy acknowledged (0 of ${due.length}): ${listed(missing.map((p) => `${p.policy.title} v${p.current.version}`))}`);
      else if (missing.length) gaps.push(`Not acknowledged: ${listed(missing.map((p) => `${p.policy.title} v${p.current.version}`))}`);
      if (stale.length) gaps.push(`Only an earlier version acknowledged: ${listed(stale.map((p) => `${p.policy.title} (current v${p.current.version})`))}`);

      const cells = [...(training.byPerson.get(person.id)?.values() ?? [])];
      const notDone = cells.filter((c) => !c.completion);
      const expired = cells.filter((c) => c.status === 'expired');
      const valid = cells.length - notDone.length - expired.length;
      const trainingText = cells.length ? `${valid} of ${cells.length} courses done` : 'No course required';
      if (cells.length && notDone.length === cells.length) gaps.push(`No initial training done (0 of ${cells.length}): ${listed(notDone.map((c) => c.course.title))}`);
      else if (notDone.length) gaps.push(`Training not done: ${listed(notDone.map((c) => c.course.title))}`);
      if (expired.length) gaps.push(`Training expired: ${listed(expired.map((c) => `${c.course.title} (${formatDate(c.completion!.expiresOn)})`))}`);
      return { person, agreement, policies, training: trainingText, gaps };
    });
}

export const NEW_HIRES_TITLE = 'New hires';

export const newHiresPack: RegisterPack = {
  register: 'new-hires',
  title: NEW_HIRES_TITLE,
  requirements: ['new-hires'],
  order: 15,
  build(ctx) {
    const rows = newHireRows(ctx);
    const withGaps = rows.filter((r) => r.gaps.length);
    const bare = rows.filter((r) => r.gaps.some((g) => g.startsWith('No policy acknowledged')) && r.gaps.some((g) => g.startsWith('No initial training')));
    const who = (r: NewHireRow) => `${r.person.name} (${r.person.jobTitle || 'no job title'}, ${r.person.team || 'no team'})`;
    const intro = rows.length
      ? [
          `${plural(rows.length, 'person', 'people')} started in the period, executives included: ${rows.length - withGaps.length} with a signed agreement with security clauses in date, every policy acknowledged at its current version and initial training done; ${withGaps.length} with gaps, named below.`,
          ...(bare.length ? [`Neither a policy acknowledged nor any training done: ${bare.map(who).join('; ')}.`] : []),
        ]
      : ['Nobody in the teams in scope started in the period (by the start date in People).'];
    const gaps = withGaps.flatMap((r) => r.gaps.map((g) => `${r.person.name}: ${g}`));
    return {
      title: NEW_HIRES_TITLE,
      intro,
      tables: [
        {
          file: 'new-hires',
          title: 'Everyone who started in the period',
          columns: ['Person', 'Job title', 'Team', 'Started', 'Agreement', 'Policies', 'Initial training', 'Gaps', 'Person id'],
          rows: rows.map((r) => [r.person.name, r.person.jobTitle, r.person.team, r.person.startDate, r.agreement, r.policies, r.training, r.gaps.length ? r.gaps.map((g) => `• ${g}`).join('\n') : 'None', r.person.id]),
          pdf: { columns: [0, 1, 3, 4, 5, 6, 7], widths: [1.25, 1.05, 1.05, 1.75, 0.95, 0.85, 2.85], size: 7.5, style: (v, col) => (col === 7 ? (v === 'None' ? { color: OK, bold: true } : { color: BAD }) : col === 0 ? { bold: true } : undefined) },
        },
      ],
      summary: [
        {
          requirement: 'new-hires',
          figures: [rows.length ? `${rows.length - withGaps.length} of ${plural(rows.length, 'new hire')} with everything in place` : 'Nobody started in the period'],
          gaps,
        },
      ],
      records: rows.map((r) => ({ personId: r.person.id, name: r.person.name, jobTitle: r.person.jobTitle, team: r.person.team, startDate: r.person.startDate, agreement: r.agreement, policies: r.policies, training: r.training, gaps: r.gaps })),
    };
  },
  includeEntry: () => false,
};
