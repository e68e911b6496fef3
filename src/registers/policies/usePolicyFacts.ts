import { createMemo } from 'solid-js';
import { localIsoDate } from '../../domain/dates';
import { useSession } from '../../ui/session';
import { policyRate } from '../acknowledgements/model';
import type { PolicyRowFacts } from './export';
import { audienceLabel, nextReviewPassed, type Policy } from './model';

/** What the list, detail and CSV show about each policy, computed once per change of the registers. */
export function usePolicyFacts() {
  const s = useSession();
  const today = localIsoDate();
  const roleName = (id: string) => s.roles.byId().get(id)?.name ?? '';
  const facts = createMemo(() => {
    // Rates over the people this device sees (managers: their teams), as Home and the roster count them.
    const input = { people: s.access.visiblePeople(), publications: s.policies.publications(), acks: s.acknowledgements.all(), rolesByPerson: s.roles.byPerson() };
    const map = new Map<string, PolicyRowFacts>();
    for (const p of s.policies.all()) {
      map.set(p.id, {
        current: s.policies.current(p.id),
        lastReview: s.policies.lastEvidencedReview(p.id),
        overdue: s.policies.reviewOverdue(p, today),
        nextReviewPassed: nextReviewPassed(p, today),
        appliesTo: audienceLabel(p.audience, roleName),
        rate: policyRate(p, input),
      });
    }
    return map;
  });
  const empty: PolicyRowFacts = { overdue: false, nextReviewPassed: false, appliesTo: '', rate: { done: 0, total: 0 } };
  return { today, roleName, facts: (p: Policy): PolicyRowFacts => facts().get(p.id) ?? empty };
}
