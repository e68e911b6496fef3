import { formatDate } from '../../domain/dates';
import { plural } from '../../export/pack/format';
import type { RegisterPack } from '../../export/pack/types';
import { latestReview } from '../reviews/model';
import { dutiesCsv } from './export';
import { due, dueActionsOf } from './model';

/** Evidence pack: what was overdue or due within 30 days on the day of the export, for the teams in scope. */
export const pack: RegisterPack = {
  register: 'due',
  title: 'Due and overdue',
  requirements: [],
  order: 130,
  build(ctx) {
    const today = ctx.input.today;
    const held = ctx.reviews.filter((r) => !r.archived && r.date <= today);
    const last = latestReview(held);
    const duties = due({
      today,
      people: ctx.people,
      checklists: ctx.checklists,
      checklistEntries: ctx.checklistEntries,
      policies: ctx.policies,
      publications: ctx.publications,
      policyReviews: ctx.policyReviews,
      courses: ctx.courses,
      completions: ctx.completions,
      rolesByPerson: ctx.rolesByPerson,
      agreements: ctx.agreements,
      managementReview: last ? { lastReviewDate: last.date } : {},
      actions: dueActionsOf({ briefings: ctx.briefings, reviews: ctx.reviews, checklists: ctx.checklists, people: ctx.people }),
      workspaceCreated: ctx.workspaceCreated,
    }).filter((d) => d.status !== 'done' && d.status !== 'later' && (!d.team || ctx.teamInScope(d.team)) && (!d.personId || ctx.personInScope(d.personId)));
    const overdue = duties.filter((d) => d.status === 'overdue').length;
    return {
      title: 'Due and overdue',
      intro: [`On ${formatDate(today)}, the day of the export: ${plural(overdue, 'duty', 'duties')} overdue, ${duties.length - overdue} due within 30 days.`],
      tables: [{ ...dutiesCsv(duties, ctx.nameOf, today, ''), file: 'due', title: 'Overdue and due within 30 days', pdf: { columns: [0, 1, 2, 3, 5, 6], widths: [1, 1, 1.2, 3, 1, 1.4], limit: 300 } }],
      summary: [],
      records: duties,
    };
  },
};
