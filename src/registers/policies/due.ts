import { DEFAULT_SCHEDULE, type Duty, dueStatus, nextPolicyReview } from '../../domain/schedules';
import type { Person } from '../people/model';
import { lastEvidencedReview, type Policy, type Publication, type Review } from './model';

/* What is due of the policies: their reviews (src/registers/due/ gathers it from the descriptor). */

export const policyReviewHref = (policyId: string) => `#/policies/${encodeURIComponent(policyId)}?do=review`;

/**
 * One duty per active policy: review by the earlier of its next review date and
 * 12 months after its last evidenced review or approval. The owner acts; the
 * duty belongs to the owner's team.
 */
export function policyReviewDuties(input: {
  people: readonly Person[];
  policies: readonly Policy[];
  publications: readonly Publication[];
  reviews: readonly Review[];
  today: string;
  everyMonths?: number;
}): Duty[] {
  const byId = new Map(input.people.map((p) => [p.id, p]));
  const duties: Duty[] = [];
  for (const policy of input.policies) {
    if (policy.archived) continue;
    const due = nextPolicyReview(policy.nextReviewDate, lastEvidencedReview(policy.id, input.publications, input.reviews), input.everyMonths ?? DEFAULT_SCHEDULE.policyReviewEveryMonths);
    if (!due) continue;
    const owner = byId.get(policy.ownerId);
    duties.push({
      id: `policy:${policy.id}`,
      kind: 'policy-review',
      title: `Review ${policy.title || 'untitled policy'}`,
      due,
      ...(policy.ownerId ? { personId: policy.ownerId } : {}),
      ...(owner && !owner.archived && owner.team ? { team: owner.team } : {}),
      href: policyReviewHref(policy.id),
      status: dueStatus(due, input.today),
    });
  }
  return duties;
}
