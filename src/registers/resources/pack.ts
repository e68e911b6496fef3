import { formatDate } from '../../domain/dates';
import { plural } from '../../evidence/format';
import type { RegisterPack } from '../../evidence/context';
import { resourcesCsv } from './export';
import { formatHours, readResources, totals } from './model';
import { readReviews } from '../reviews/model';

/** Evidence pack: budget, staff time, tools and training hours approved in the period, by whom, when, at which review. */
export const pack: RegisterPack = {
  register: 'resources',
  title: 'Resources',
  requirements: ['resources'],
  order: 100,
  build(ctx) {
    const live = ctx.read(readResources).filter((r) => !r.archived);
    const approved = live.filter((r) => r.approvedOn && ctx.inPeriod(r.approvedOn));
    const unapproved = live.filter((r) => !r.approval && ctx.inPeriod(r.createdAt || ctx.period.to));
    const t = totals(approved);
    const money = t.money.map((m) => `${m.total.toFixed(2)} ${m.currency}`);
    const amounts = [...money, ...(t.hours ? [formatHours(t.hours)] : [])].join(', ') || 'nothing';
    const reviewLabel = (id: string) => {
      const r = ctx.read(readReviews).find((x) => x.id === id);
      return r ? `Review of ${formatDate(r.date)}` : 'Unknown review';
    };
    const gaps = unapproved.map((r) => `${r.description}: no approval recorded`);
    if (!approved.length) gaps.unshift('No resources approved in the period');
    return {
      title: 'Resources',
      intro: approved.length
        ? [`${plural(approved.length, 'approval')} in the period: ${amounts}.`]
        : ['No budget, staff time, tools or training hours were approved in the period. Record approvals under Resources.'],
      tables: [{ ...resourcesCsv(approved, ctx.nameOf, reviewLabel, ''), file: 'resources', title: 'Approvals in the period', pdf: { columns: [0, 1, 2, 3, 4, 5, 6, 7, 8], widths: [1, 1, 2.4, 0.9, 0.7, 0.6, 1.4, 1.3, 1.3] } }],
      summary: [{ requirement: 'resources', figures: [approved.length ? `${plural(approved.length, 'approval')}: ${amounts}` : 'No approvals in the period'], gaps, missing: approved.length === 0 }],
      records: approved,
    };
  },
  // Approvals are the whole organisation's: those of the period are in full whatever the teams.
  includeEntry(entry, ctx) {
    const e = entry as { approvedOn?: unknown; at?: unknown };
    const when = typeof e.approvedOn === 'string' ? e.approvedOn : e.at;
    return typeof when === 'string' && ctx.inPeriod(when);
  },
};
