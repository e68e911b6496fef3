import { plural } from '../../evidence/format';
import type { RegisterPack } from '../../evidence/context';
import type { DisciplinaryAccess, } from '../../evidence/types';
import { processCsv, redactedLogCsv } from './export';
import { disciplinarySummary, entryFromJson, type LogEntry, logState, type Officer, officerFromFields, officerIds, REDACTED_COLUMNS, sortTiers, TIER_TYPE, tierFromFields } from './model';
import { readPeopleById } from '../people/model';

/** Why the pack could not read the log here, and what to do: in plain words for the summary line. */
function unreadWhy(access: DisciplinaryAccess | undefined, sealed: number): string {
  if (access && !access.officer) return 'the person exporting is not a designated disciplinary officer. Export the pack from a designated officer\'s device (see More → Disciplinary → Officers).';
  if (access && access.waitingForKey >= sealed) return 'this officer\'s device does not hold the log\'s key yet. Open More → Disciplinary on another officer\'s device so it shares the key, then export again.';
  if (access && access.unreadable) return `${plural(access.unreadable, 'entry', 'entries')} could not be opened (damaged). Export from another officer's device.`;
  return 'the log could not be opened on this device. Export the pack from a designated officer\'s device.';
}

/**
 * Evidence pack, REDACTED only: the documented tiered process, who the
 * officers are, and from the confidential log nothing but counts per tier and
 * redacted rows (entry id, date, tier, policy, outcome; names scrubbed).
 *
 * The log's entries are sealed. The pack never opens them: it uses the
 * entries the exporting device opened (`input.disciplinaryOpened`: an
 * officer's device opens the log for the export, client.ts), and otherwise
 * says on the summary line why the log was not read and what to do. Its entries go into the evidence log as hashes only.
 */
export const pack: RegisterPack = {
  register: 'disciplinary',
  title: 'Disciplinary process',
  requirements: ['disciplinary'],
  order: 80,
  build(ctx) {
    const records = ctx.records('disciplinary');
    const tiers = sortTiers(records.filter(([, f]) => f['type'] === TIER_TYPE).map(([id, f]) => tierFromFields(id, f)));
    const active = tiers.filter((t) => !t.archived);
    const officers = officerIds(
      records.map(([, f]) => officerFromFields(f)).filter((o): o is Officer => !!o),
      (id) => ctx.read(readPeopleById).get(id)?.archived === false,
    );
    const sealed = ctx.entries('disciplinary').length;
    const opened = ctx.input.disciplinaryOpened?.map((e) => entryFromJson(JSON.stringify(e))).filter((e): e is LogEntry => !!e);
    const tierName = (id: string) => tiers.find((t) => t.id === id)?.name;

    const intro = [
      active.length ? `Documented process: ${plural(active.length, 'tier')} (${active.map((t) => t.name).join(', ')}).` : 'No documented disciplinary process yet.',
      officers.length ? `${plural(officers.length, 'designated officer')}: ${officers.map((id) => ctx.nameOf(id) || 'Unknown person').join(', ')}.` : 'No officer designated to keep the confidential log.',
    ];
    const figures = [active.length ? `Process documented: ${plural(active.length, 'tier')}` : 'No process documented', `${plural(officers.length, 'officer')} designated`];
    const gaps: string[] = [];
    if (!active.length) gaps.push('No documented tiered process: add the tiers under Disciplinary');
    if (!officers.length) gaps.push('No designated officer for the confidential log');

    const tables = [{ ...processCsv(active, ''), file: 'disciplinary-process', title: 'Documented process', pdf: { columns: [0, 1, 2, 3], widths: [0.5, 1.6, 3, 3] } }];
    let redacted: Array<Record<string, string>> = [];
    let counts: Record<string, number> | undefined;
    if (opened) {
      const current = logState(opened).current.filter((e) => ctx.inPeriod(e.date) && ctx.personInScope(e.personId));
      const summary = disciplinarySummary(current, ctx.period, tiers);
      counts = summary.byTier;
      const csv = redactedLogCsv(current, ctx.allNames, tierName, '');
      redacted = csv.rows.map((row) => Object.fromEntries(REDACTED_COLUMNS.map((c, i) => [c, String(row[i] ?? '')])));
      tables.push({ ...csv, file: 'disciplinary-log-redacted', title: 'Confidential log, redacted (no names, no facts)', pdf: { columns: [0, 1, 2, 3, 4], widths: [1.3, 0.9, 1.4, 1.6, 3] } });
      const perTier = Object.entries(summary.byTier).sort(([a], [b]) => a.localeCompare(b)).map(([t, n]) => `${t} ${n}`);
      intro.push(`Confidential log: ${plural(summary.count, 'decision')} standing in the period${perTier.length ? ` (${perTier.join(', ')})` : ''}. Names, facts and who decided are left out.`);
      figures.push(`${plural(summary.count, 'decision')} in the period${perTier.length ? `: ${perTier.join(', ')}` : ''}`);
    } else if (sealed) {
      const why = unreadWhy(ctx.input.disciplinaryAccess, sealed);
      intro.push(`Confidential log: ${plural(sealed, 'sealed entry', 'sealed entries')}, NOT counted in this pack: ${why}`);
      figures.push(`Log NOT read: ${plural(sealed, 'sealed entry', 'sealed entries')} not counted`);
      gaps.push(`Confidential log not read on the exporting device, so its decisions are not counted: ${why}`);
    } else {
      intro.push('Confidential log: no entries.');
      figures.push('Log: no entries');
    }
    if (opened && ctx.input.disciplinaryAccess) {
      const { waitingForKey, unreadable } = ctx.input.disciplinaryAccess;
      const left = waitingForKey + unreadable;
      if (left) {
        const what = [waitingForKey ? `${waitingForKey} waiting for the key on this device (open More → Disciplinary → Officers on another officer's device to share it)` : '', unreadable ? `${unreadable} that could not be opened (damaged)` : ''].filter(Boolean).join('; ');
        intro.push(`${plural(left, 'sealed entry', 'sealed entries')} not counted: ${what}.`);
        figures.push(`${plural(left, 'sealed entry', 'sealed entries')} not counted`);
        gaps.push(`Confidential log: ${plural(left, 'sealed entry', 'sealed entries')} not counted: ${what}`);
      }
    }
    return {
      title: 'Disciplinary process',
      intro,
      tables,
      summary: [{ requirement: 'disciplinary', figures, gaps, missing: active.length === 0 }],
      records: [...tiers, { officers: officers.length, sealedEntries: sealed, ...(counts ? { decisionsByTier: counts } : {}) }, ...redacted],
    };
  },
  // Sealed entries: hashes only, never their (sealed) content.
  includeEntry: () => false,
};
