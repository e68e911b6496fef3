import { createMemo } from 'solid-js';
import { localIsoDate } from '../../domain/dates';
import { useSession } from '../../ui/session';
import { contributions } from '../../ui/slots';
import type { PolicyRowFacts } from './export';
import { audienceLabel, nextReviewPassed, type Policy } from './model';

/** What the list, detail and CSV show about each policy, computed once per change of the registers. */
export function usePolicyFacts() {
  const s = useSession();
  const today = localIsoDate();
  const roleName = (id: string) => s.roles.byId().get(id)?.name ?? '';
  const raters = contributions('policy-rate');
  const facts = createMemo(() => {
    // One rater per change of the registers (acknowledgements: over the people this device sees, as Home and the roster count them).
    const rate = raters[0]?.(s) ?? (() => ({ done: 0, total: 0 }));
    const map = new Map<string, PolicyRowFacts>();
    for (const p of s.policies.all()) {
      map.set(p.id, {
        current: s.policies.current(p.id),
        lastReview: s.policies.lastEvidencedReview(p.id),
        overdue: s.policies.reviewOverdue(p, today),
        nextReviewPassed: nextReviewPassed(p, today),
        appliesTo: audienceLabel(p.audience, roleName),
        rate: rate(p),
      });
    }
    return map;
  });
  const empty: PolicyRowFacts = { overdue: false, nextReviewPassed: false, appliesTo: '', rate: { done: 0, total: 0 } };
  return { today, roleName, facts: (p: Policy): PolicyRowFacts => facts().get(p.id) ?? empty };
}
