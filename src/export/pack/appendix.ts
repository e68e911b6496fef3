import type { PackContext } from '../../evidence/context';
import { plural } from '../../evidence/format';
import { MUTED, type PdfCell, type PdfLayout } from '../../evidence/pdf/pdf';
import { readPeople } from '../../registers/people/model';

/*
 * The appendix that names every gap of the summary, grouped by team and then
 * person, so nothing is cut to "… and n more". Hooks write gaps as
 * "Name: what is missing" (format.ts personGaps) or "Team: …"; the longest
 * known name that prefixes a gap says whose it is.
 */

export const APPENDIX_TITLE = 'Appendix: every gap, by team and person';
export const ORGANISATION = 'Whole organisation';

export interface GapLine {
  requirement: string;
  text: string;
}

export interface GapGroup {
  team: string;
  people: Array<{ name: string; gaps: Array<{ requirement: string; text: string }> }>;
  /** Gaps of the team itself (a missing briefing, a late checklist). */
  own: GapLine[];
}

export function groupGaps(lines: readonly GapLine[], ctx: PackContext): GapGroup[] {
  const people = [...ctx.read(readPeople)].sort((a, b) => b.name.length - a.name.length);
  const teams = [...new Set([...ctx.read(readPeople).map((p) => p.team), ...ctx.scopeTeams])].filter(Boolean).sort((a, b) => b.length - a.length);
  const groups = new Map<string, GapGroup>();
  const group = (team: string) => groups.get(team) ?? groups.set(team, { team, people: [], own: [] }).get(team)!;
  for (const line of lines) {
    const person = people.find((p) => p.name && line.text.startsWith(`${p.name}: `));
    if (person) {
      const g = group(person.team || ORGANISATION);
      const text = line.text.slice(person.name.length + 2);
      const entry = g.people.find((x) => x.name === person.name) ?? (g.people.push({ name: person.name, gaps: [] }), g.people.at(-1)!);
      entry.gaps.push({ requirement: line.requirement, text });
      continue;
    }
    const team = teams.find((t) => line.text.startsWith(`${t}: `) || line.text.startsWith(`${t}, `));
    group(team ?? ORGANISATION).own.push(line);
  }
  const list = [...groups.values()].sort((a, b) => Number(b.team === ORGANISATION) - Number(a.team === ORGANISATION) || a.team.localeCompare(b.team));
  for (const g of list) g.people.sort((a, b) => a.name.localeCompare(b.name));
  return list;
}

/** Gaps by requirement, in the order first seen. */
function byRequirement(lines: readonly GapLine[]): Array<[string, string[]]> {
  const map = new Map<string, string[]>();
  for (const l of lines) map.set(l.requirement, [...(map.get(l.requirement) ?? []), l.text]);
  return [...map];
}

/** Draws the appendix; returns how many gaps it named. */
export function drawGapAppendix(pdf: PdfLayout, lines: readonly GapLine[], ctx: PackContext): number {
  pdf.heading(APPENDIX_TITLE, 1);
  if (lines.length === 0) {
    pdf.text('No gap was found in the period.');
    return 0;
  }
  const groups = groupGaps(lines, ctx);
  const named = groups.reduce((n, g) => n + g.people.length, 0);
  pdf.text(`Every gap of the summary, ${plural(lines.length, 'gap')} in all: ${plural(named, 'person', 'people')} named, in ${plural(groups.length, 'group')}. A gap reported by two sections (for example a new hire's missing training) is listed under each requirement.`);
  for (const g of groups) {
    const count = g.own.length + g.people.reduce((n, p) => n + p.gaps.length, 0);
    pdf.heading(`${g.team} (${plural(count, 'gap')})`, 2);
    // One row per person and requirement, its gaps run together: compact, and still every gap named.
    const rows: PdfCell[][] = [
      ...byRequirement(g.own).map(([req, texts]): PdfCell[] => [{ text: g.team === ORGANISATION ? '—' : 'The team', color: MUTED }, req, texts.join('; ')]),
      ...g.people.flatMap((p) => byRequirement(p.gaps).map(([req, texts], i): PdfCell[] => [i === 0 ? { text: p.name, bold: true } : { text: p.name, color: MUTED }, req, texts.join('; ')])),
    ];
    pdf.table({ columns: ['Person', 'Requirement', 'Gaps'], widths: [1.5, 1.8, 4.5], size: 7.5, rows });
  }
  return lines.length;
}
