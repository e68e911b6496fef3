import { addMonths, formatDate } from '../../domain/dates';
import { plural } from '../../evidence/format';
import type { RegisterPack } from '../../evidence/context';
import { type PolicyRowFacts, policiesCsv } from './export';
import { audienceLabel, lastEvidencedReview, nextReviewPassed, type Policy, policyTitles, readPolicies, readPolicyReviews, readPublications, reviewOverdue } from './model';
import { roleNames } from '../roles/model';

declare module '../../evidence/context' {
  interface PackProvisions {
    /** How many of the people in scope a policy applies to have done what it asks, on the pack's day: the list's "Acknowledged" columns. */
    'policy-rate': (p: Policy) => { done: number; total: number; percent?: number | undefined };
  }
}

/**
 * Evidence pack: the policy list with owner, current version, approval and
 * review status, the version history (text SHA-256) and the evidenced reviews.
 * Review status is judged on the period's last day.
 */
export const pack: RegisterPack = {
  register: 'policies',
  title: 'Policies',
  requirements: ['policies'],
  order: 40,
  build(ctx) {
    const asOf = ctx.asOf;
    const publications = ctx.read(readPublications).filter((p) => ctx.dayOf(p.publishedAt) <= asOf);
    const reviews = ctx.read(readPolicyReviews).filter((r) => r.reviewedOn <= asOf);
    const policies = ctx.read(readPolicies);
    const live = policies.filter((p) => !p.archived);
    const current = new Map<string, (typeof publications)[number]>();
    for (const p of publications) current.set(p.policyId, p);
    // Counted by whichever register provides it (acknowledgements); none: nobody counted.
    const rate = ctx.provided('policy-rate') ?? (() => ({ done: 0, total: 0 }));
    const computed = new Map<string, PolicyRowFacts>();
    const facts = (p: (typeof policies)[number]): PolicyRowFacts => computed.get(p.id) ?? computed.set(p.id, factsOf(p)).get(p.id)!;
    const factsOf = (p: (typeof policies)[number]): PolicyRowFacts => ({
      current: current.get(p.id),
      lastReview: lastEvidencedReview(p.id, publications, reviews),
      overdue: reviewOverdue(p, publications, reviews, asOf),
      nextReviewPassed: nextReviewPassed(p, asOf),
      appliesTo: audienceLabel(p.audience, roleNames(ctx)),
      rate: rate(p),
    });
    const gaps: string[] = [];
    for (const p of live) {
      const f = facts(p);
      if (!f.current) gaps.push(`${p.title}: no version published`);
      else if (f.overdue) gaps.push(`${p.title}: no review or approval in the 12 months to ${formatDate(asOf)}${f.lastReview ? ` (last ${formatDate(f.lastReview)})` : ''}`);
      if (f.nextReviewPassed) gaps.push(`${p.title}: next review date ${formatDate(p.nextReviewDate)} has passed`);
      if (!p.ownerId) gaps.push(`${p.title}: no owner`);
    }
    const published = live.filter((p) => current.has(p.id));
    const inDate = published.filter((p) => !facts(p).overdue);
    const versionRows = publications.map((v) => [policyTitles(ctx)(v.policyId) || v.policyId, v.version, v.approvedBy, v.approvedOn, v.publishedAt, v.byName, v.textSha256, v.id]);
    const reviewRows = reviews
      .slice()
      .sort((a, b) => a.reviewedOn.localeCompare(b.reviewedOn))
      .map((r) => [policyTitles(ctx)(r.policyId) || r.policyId, r.reviewedOn, r.reviewedBy, r.outcome, r.nextReviewDate, r.byName, r.at, r.id]);
    return {
      title: 'Policies',
      intro: live.length
        ? [
            `${plural(live.length, 'policy', 'policies')} in force, ${published.length} published; ${inDate.length} with a review or approval in the 12 months to ${formatDate(asOf)} (since ${formatDate(addMonths(asOf, -12))}).`,
            'Each version is kept with the SHA-256 of its exact text, so an acknowledgement can be matched to the text the person read.',
          ]
        : ['No policies yet. Add them under Policies, publish a version, and ask people to acknowledge it.'],
      tables: [
        { ...policiesCsv(policies, facts, ctx.nameOf, ''), file: 'policies', title: 'Policies', pdf: { columns: [0, 1, 2, 4, 6, 7, 8, 10], widths: [2, 1.3, 0.7, 1, 1, 1, 1.4, 1] } },
        { file: 'policy-versions', title: 'Published versions', columns: ['Policy', 'Version', 'Approved by', 'Approved on', 'Published at', 'Published by', 'SHA-256 of text', 'Entry id'], rows: versionRows, pdf: { columns: [0, 1, 2, 3, 6], widths: [1.8, 0.6, 1.2, 1, 3.4] } },
        { file: 'policy-reviews', title: 'Evidenced reviews', columns: ['Policy', 'Reviewed on', 'Reviewed by', 'Outcome', 'Next review', 'Recorded by', 'Recorded at', 'Entry id'], rows: reviewRows, pdf: { columns: [0, 1, 2, 3, 4], widths: [1.8, 1, 1.2, 3, 1] } },
      ],
      summary: [
        {
          requirement: 'policies',
          figures: live.length ? [`${published.length} of ${plural(live.length, 'policy', 'policies')} published, ${inDate.length} reviewed in the last 12 months`] : ['No policies'],
          gaps: live.length ? gaps : ['No policies recorded'],
          missing: published.length === 0,
        },
      ],
      records: policies.map((p) => ({ ...p, current: current.get(p.id)?.version ?? null, lastReview: facts(p).lastReview ?? null })),
    };
  },
  // Policies are the whole organisation's: versions and reviews of the period are in full whatever the teams.
  includeEntry(entry, ctx) {
    const e = entry as { kind?: unknown; publishedAt?: unknown; reviewedOn?: unknown; at?: unknown };
    const when = e.kind === 'publication' ? e.publishedAt : e.kind === 'review' ? e.reviewedOn : e.at;
    return typeof when === 'string' && ctx.inPeriod(when);
  },
};
