import type { CsvValue } from '../csv';
import { BAD, WARN } from './pdf';
import type { PackContext } from './context';
import { ackStanding, trainingStanding } from './standing';
import type { PackTable } from './types';

/*
 * Person × policy and person × course matrices: every person's standing with
 * its date in one compact table, so the PDF stands alone (the long logs stay
 * in the CSVs). Drawn in bands of ten columns with the person repeated.
 */

const PER_BAND = 10;
export const NOT_ACKNOWLEDGED = 'Missing';
export const NOT_APPLICABLE = 'n/a';

/** Red for what is missing or expired, amber for an old version or one expiring soon. */
function styleOf(value: unknown) {
  const v = String(value ?? '');
  if (v.startsWith(NOT_ACKNOWLEDGED) || v.startsWith('Expired')) return { color: BAD, bold: true };
  if (v.startsWith('Old') || v.startsWith('Expiring')) return { color: WARN };
  return undefined;
}

const byTeamThenName = (a: { team: string; name: string }, b: { team: string; name: string }) => a.team.localeCompare(b.team) || a.name.localeCompare(b.name);

function matrixPdf(n: number, legend: string): PackTable['pdf'] {
  return { columns: Array.from({ length: n + 2 }, (_, i) => i), widths: [1.6, 0.7, ...Array.from({ length: n }, () => 1)], band: { fixed: 2, per: PER_BAND }, size: 6.2, style: styleOf, note: legend };
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

/** Every active person × every active course they must do: their latest completion and whether it still counts. */
export function trainingMatrix(ctx: PackContext): PackTable {
  const st = trainingStanding(ctx);
  const people = st.input.people.filter((p) => st.byPerson.has(p.id)).sort(byTeamThenName);
  const rows: CsvValue[][] = people.map((p) => {
    const own = st.byPerson.get(p.id)!;
    return [
      p.name,
      p.team,
      ...st.courses.map((course) => {
        const c = own.get(course.id);
        if (!c) return NOT_APPLICABLE;
        if (!c.completion) return NOT_ACKNOWLEDGED;
        const on = c.completion.completedOn;
        return c.status === 'expired' ? `Expired ${c.completion.expiresOn}` : c.status === 'expiring' ? `Expiring ${c.completion.expiresOn}` : on;
      }),
    ];
  });
  return {
    file: 'training-by-person',
    title: 'Every person × course: day of the completion that counts',
    columns: ['Person', 'Team', ...st.courses.map((c) => c.title)],
    rows,
    pdf: matrixPdf(st.courses.length, `A date: completed that day, still valid. "${NOT_ACKNOWLEDGED}": never done. "Expired …" / "Expiring …": the day it stops counting. "${NOT_APPLICABLE}": not required of them. Every completion with its evidence is in csv/training-log.csv.`),
  };
}
