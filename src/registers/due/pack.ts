import { formatDate } from '../../domain/dates';
import { plural } from '../../evidence/format';
import type { RegisterPack } from '../../evidence/context';
import { latestReview, readReviews } from '../reviews/model';
import { dutiesCsv } from './export';
import { due, dueActionsOf } from './model';
import { readAgreements } from '../agreements/model';
import { readBriefings } from '../briefings/model';
import { readChecklistEntries, readChecklists, readWorkspaceCreated } from '../checklists/model';
import { readPeople } from '../people/model';
import { readPolicies, readPolicyReviews, readPublications } from '../policies/model';
import { readCompletions, readCourses } from '../training/model';

/** Evidence pack: what was overdue or due within 30 days on the day of the export, for the teams in scope. */
export const pack: RegisterPack = {
  register: 'due',
  title: 'Due and overdue',
  requirements: [],
  order: 130,
  build(ctx) {
    const today = ctx.input.today;
    const held = ctx.read(readReviews).filter((r) => !r.archived && r.date <= today);
    const last = latestReview(held);
    const duties = due({
      today,
      people: ctx.read(readPeople),
      checklists: ctx.read(readChecklists),
      checklistEntries: ctx.read(readChecklistEntries),
      policies: ctx.read(readPolicies),
      publications: ctx.read(readPublications),
      policyReviews: ctx.read(readPolicyReviews),
      courses: ctx.read(readCourses),
      completions: ctx.read(readCompletions),
      rolesByPerson: ctx.rolesByPerson,
      agreements: ctx.read(readAgreements),
      managementReview: last ? { lastReviewDate: last.date } : {},
      actions: dueActionsOf({ briefings: ctx.read(readBriefings), reviews: ctx.read(readReviews), checklists: ctx.read(readChecklists), people: ctx.read(readPeople) }),
      workspaceCreated: ctx.read(readWorkspaceCreated),
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
