import { formatDate, formatInstant } from '../../domain/dates';
import { doneLabel } from '../../domain/follow-up';
import type { SignOffState } from '../../domain/signoff';
import { MUTED, PdfLayout } from '../../evidence/pdf/pdf';
import type { Briefing } from './model';

export interface MinutesPdfInput {
  organisation: string;
  briefing: Briefing;
  /** Person id → name ('' when not in People). */
  nameOf: (personId: string) => string;
  signOff: SignOffState;
  /** ISO timestamp of the export, and who made it. */
  generatedAt: string;
  generatedBy: string;
}

/** "Signed off by Zoë on 15 Oct 2026 10:00", "Not signed off", or changed since. */
export function signOffLine(state: SignOffState): string {
  if (state.state === 'unsigned') return 'Not signed off';
  const who = `${state.entry.byName} on ${formatInstant(state.entry.at)}`;
  return state.state === 'signed' ? `Signed off by ${who}` : `Changed since the sign-off by ${who}: needs a new sign-off`;
}

/**
 * One briefing's minutes as a one-page A4 PDF, to attach to an email: team,
 * date, who was present, topics, notes, actions and the manager's sign-off.
 * Pure (pdf-lib only): no DOM. Set in the pack's embedded fonts, so names print exactly.
 */
export async function briefingMinutesPdf(input: MinutesPdfInput): Promise<Uint8Array> {
  const b = input.briefing;
  const who = (id: string) => input.nameOf(id) || 'Unknown person';
  const present = b.attendees.map(who).sort((x, y) => x.localeCompare(y));
  const actionOwners = b.actions.map((a) => (a.ownerId ? who(a.ownerId) : ''));
  const sample = [input.organisation, b.team, ...present, ...b.topics, b.notes, ...b.actions.map((a) => a.text), ...actionOwners, signOffLine(input.signOff), input.generatedBy].join('\n');
  const pdf = await PdfLayout.create({ title: `${input.organisation}: ${b.team} briefing minutes, ${b.date}`, author: input.generatedBy, subject: 'Briefing minutes (ISO/IEC 27001:2022 A 5.4)', createdAt: input.generatedAt, sample });
  pdf.text(`${input.organisation} · Briefing minutes · ISO/IEC 27001:2022 A 5.4`, { size: 9, color: MUTED, after: 6 });
  pdf.heading(`${b.team} briefing, ${formatDate(b.date)}`, 1);
  pdf.keyValues(
    [
      ['Date', formatDate(b.date)],
      ['Team', b.team],
      [`Present (${present.length})`, present.join(', ') || 'Nobody marked present'],
      ['Topics covered', b.topics.join(', ') || 'None recorded'],
      ['Sign-off', signOffLine(input.signOff)],
    ],
    { labelWidth: 120, size: 10 },
  );
  pdf.heading('Notes', 2);
  pdf.text(b.notes.trim() || 'No notes.', { size: 9.5, ...(b.notes.trim() ? {} : { color: MUTED }) });
  pdf.heading('Actions', 2);
  if (b.actions.length) {
    pdf.table({
      columns: ['Action', 'Owner', 'Due', 'Done'],
      widths: [3.4, 1.6, 1.1, 1.8],
      size: 9,
      rows: b.actions.map((a) => [a.text, a.ownerId ? who(a.ownerId) : '', a.due ? formatDate(a.due) : '', a.done ? doneLabel(a) : 'No']),
    });
  } else pdf.text('No actions.', { color: MUTED });
  pdf.space(6);
  pdf.text(`Exported from Muster on ${formatInstant(input.generatedAt)} by ${input.generatedBy || 'unknown'}. Briefing id ${b.id}.`, { size: 8, color: MUTED });
  return pdf.save(`${input.organisation} · ${b.team} briefing minutes · ${formatDate(b.date)}`);
}
