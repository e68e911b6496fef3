import { plural } from '../../evidence/format';
import type { PackContext } from '../../evidence/context';
import type { RegisterPack } from '../../evidence/context';
import type { RawRegister, } from '../../evidence/types';
import { CONFIG_RECORD, configFromFields, processSections, speakupCounts, type SpeakupRow, speakupSummary } from './model';

/**
 * Evidence pack: the speak-up channel's documented process (recipients,
 * timelines, non-retaliation) and counts of reports received and closed —
 * never content, never anything about a reporter.
 *
 * The speak-up room is not a register, so its input comes as a RawRegister
 * built by `speakupPackRegister(session.speakup.kpiRows())`: its entries are
 * `{ receivedOn, closedOn? }` rows and nothing else.
 */
export function speakupPackRegister(rows: readonly SpeakupRow[]): RawRegister {
  return { records: {}, entries: Object.fromEntries(rows.map((r, i) => [`report-${i + 1}`, { receivedOn: r.receivedOn, ...(r.closedOn ? { closedOn: r.closedOn } : {}) }])) };
}

const isRow = (x: unknown): x is SpeakupRow => !!x && typeof x === 'object' && typeof (x as SpeakupRow).receivedOn === 'string';

/** The rows of the pack input: for other hooks (e.g. the management review's KPIs). */
export const speakupRowsOf = (ctx: PackContext): SpeakupRow[] => ctx.entries('speakup').filter(isRow);

export const pack: RegisterPack = {
  register: 'speakup',
  title: 'Speak-up channel',
  requirements: ['speakup'],
  order: 75,
  build(ctx) {
    const settings = Object.fromEntries(ctx.records('settings'));
    const config = configFromFields(settings[CONFIG_RECORD]);
    const names = config.recipients.map((id) => ctx.nameOf(id) || 'Unknown person');
    const rows = speakupRowsOf(ctx);
    const counts = speakupCounts(rows, ctx.period);
    const openAtEnd = rows.filter((r) => r.receivedOn <= ctx.period.to && !(r.closedOn && r.closedOn <= ctx.period.to)).length;
    const sections = processSections({ ...config, orgName: ctx.input.organisation, recipients: names, linkOn: config.publicLink });
    const gaps: string[] = [];
    if (!names.length) gaps.push('No recipients designated for speak-up reports: choose them under Speak up → Settings');
    return {
      title: 'Speak-up channel',
      intro: [
        names.length ? `Reports are encrypted on the reporter’s device to ${plural(names.length, 'recipient')}: ${names.join(', ')}.` : 'No recipients are designated yet.',
        `Acknowledgement within ${plural(config.ackDays, 'day')}, feedback within ${plural(config.feedbackMonths, 'month')}. ${config.publicLink ? 'A public link lets people outside the workspace report.' : 'Only workspace members can report (no public link).'}`,
        `In the period: ${plural(counts.received, 'report')} received, ${plural(counts.closed, 'report')} closed, ${plural(openAtEnd, 'report')} open at its end. Counts only: reports are end-to-end encrypted and never exported.`,
      ],
      tables: [
        {
          file: 'speakup-process',
          title: 'Documented process',
          columns: ['section', 'text'],
          rows: sections.flatMap((s) => s.paragraphs.map((p) => [s.heading, p])),
          pdf: { columns: [0, 1], widths: [1.2, 4] },
        },
        {
          file: 'speakup-counts',
          title: 'Reports per quarter (counts only)',
          columns: ['quarter', 'from', 'to', 'received', 'closed', 'open at end'],
          rows: speakupSummary(rows).map((q) => [q.period, q.from, q.to, q.received, q.closed, q.openAtEnd]),
          pdf: { columns: [0, 3, 4, 5] },
        },
      ],
      summary: [
        {
          requirement: 'speakup',
          figures: [names.length ? `${plural(names.length, 'recipient')} designated` : 'No recipients designated', `${counts.received} received, ${counts.closed} closed in the period`],
          gaps,
          missing: !names.length && rows.length === 0,
        },
      ],
      records: [{ recipients: names, ackDays: config.ackDays, feedbackMonths: config.feedbackMonths, publicLink: config.publicLink, received: counts.received, closed: counts.closed, openAtEnd }],
    };
  },
  // The rows carry no timestamps and no content; they are counted above, not listed.
  includeEntry: () => false,
};
