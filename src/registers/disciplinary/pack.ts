import { plural } from '../../export/pack/format';
import type { RegisterPack } from '../../export/pack/types';
import { processCsv, redactedLogCsv } from './export';
import { disciplinarySummary, entryFromJson, type LogEntry, logState, type Officer, officerFromFields, officerIds, REDACTED_COLUMNS, sortTiers, TIER_TYPE, tierFromFields } from './model';

/**
 * Evidence pack, REDACTED only: the documented tiered process, who the
 * officers are, and from the confidential log nothing but counts per tier and
 * redacted rows (entry id, date, tier, policy, outcome; names scrubbed).
 *
 * The log's entries are sealed. The pack never opens them: it uses the
 * entries this device already opened (`input.disciplinaryOpened`, an
 * officer's device that unlocked the log), and otherwise reports the log as
 * unreadable here. Its entries go into the evidence log as hashes only.
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
      (id) => ctx.peopleById.get(id)?.archived === false,
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
    } else {
      intro.push(
        sealed
          ? `Confidential log: ${plural(sealed, 'sealed entry', 'sealed entries')}, not opened on this device, so the pack cannot count them per tier. To include counts and redacted rows, export from a designated officer's device after opening More → Disciplinary.`
          : 'Confidential log: no entries.',
      );
      figures.push(sealed ? `Log: ${plural(sealed, 'sealed entry', 'sealed entries')} (not readable on this device)` : 'Log: no entries');
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
