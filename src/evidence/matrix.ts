import { BAD, WARN } from './colours';
import type { PackTable } from './types';

/*
 * Person × policy and person × course matrices: every person's standing with
 * its date in one compact table, so the PDF stands alone (the long logs stay
 * in the CSVs). Drawn in bands of ten columns with the person repeated. The
 * registers fill them (acknowledgements, training); this is their shape.
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

export const byTeamThenName = (a: { team: string; name: string }, b: { team: string; name: string }) => a.team.localeCompare(b.team) || a.name.localeCompare(b.name);

/** How the PDF draws a matrix of `n` columns after the person and team: in bands, with a legend. */
export function matrixPdf(n: number, legend: string): PackTable['pdf'] {
  return { columns: Array.from({ length: n + 2 }, (_, i) => i), widths: [1.6, 0.7, ...Array.from({ length: n }, () => 1)], band: { fixed: 2, per: PER_BAND }, size: 6.2, style: styleOf, note: legend };
}
