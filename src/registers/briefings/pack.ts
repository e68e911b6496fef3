import { SIGN_OFF_WORDS } from '../../domain/signoff';
import { plural } from '../../evidence/format';
import type { RegisterPack } from '../../evidence/context';
import { briefingsCsv } from './export';
import { briefingStatus, readBriefings } from './model';
import { scopedPeople } from '../people/model';

/** Evidence pack: briefing minutes in the period: who was present, topics, actions, the manager's sign-off. */
export const pack: RegisterPack = {
  register: 'briefings',
  title: 'Briefing minutes',
  requirements: ['checklists'],
  order: 120,
  build(ctx) {
    const briefings = ctx.read(readBriefings).filter((b) => ctx.inPeriod(b.date) && ctx.teamInScope(b.team));
    const signed = (b: (typeof briefings)[number]) => briefingStatus(b, ctx.historyOf('briefings', b.id));
    const teams = scopedPeople(ctx).filter((p) => !p.archived).map((p) => p.team);
    const briefed = new Set(briefings.map((b) => b.team));
    const unbriefed = [...new Set(teams)].filter((t) => !briefed.has(t)).sort((a, b) => a.localeCompare(b));
    const unsigned = briefings.filter((b) => signed(b).state !== 'signed');
    const attendance = briefings.reduce((n, b) => n + b.attendees.length, 0);
    const gaps = [
      ...(briefings.length === 0 ? ['No briefing recorded in the period'] : []),
      ...unbriefed.map((t) => `${t}: no briefing recorded in the period`),
      ...unsigned.map((b) => `${b.team}, ${b.date}: minutes ${SIGN_OFF_WORDS[signed(b).state].toLowerCase()}`),
    ];
    return {
      title: 'Briefing minutes',
      intro: [`${plural(briefings.length, 'briefing')} recorded in the period, ${briefings.length - unsigned.length} signed off; ${plural(attendance, 'attendance')} in all.`],
      tables: [{ ...briefingsCsv(briefings, ctx.nameOf, signed, ''), file: 'briefings', title: 'Briefings in the period', pdf: { columns: [0, 1, 4, 5, 6, 2, 7, 8], widths: [1.05, 0.7, 0.9, 2.1, 1.3, 2.3, 0.7, 0.9], size: 7, limit: 300 } }],
      summary: [{ requirement: 'checklists', figures: [`${plural(briefings.length, 'briefing')} recorded, ${briefings.length - unsigned.length} signed off`], gaps, missing: briefings.length === 0 }],
      records: briefings.map((b) => ({ ...b, signOff: signed(b).state, signOffLabel: SIGN_OFF_WORDS[signed(b).state] })),
    };
  },
  includeEntry(entry, ctx) {
    const e = entry as { recordId?: unknown };
    const b = typeof e.recordId === 'string' ? ctx.read(readBriefings).find((x) => x.id === e.recordId) : undefined;
    return !!b && ctx.inPeriod(b.date) && ctx.teamInScope(b.team);
  },
};
