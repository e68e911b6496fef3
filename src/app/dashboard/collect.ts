import { acknowledgementRate, policyGaps } from '../../registers/acknowledgements/model';
import { agreementGaps } from '../../registers/agreements/model';
import { competenceGaps } from '../../registers/competency/model';
import { competencyInput } from '../../registers/competency/link';
import { trainingCompletionRate, trainingGaps } from '../../registers/training/model';
import type { Gap } from '../../domain/gaps';
import type { Session } from '../../ui/session';

export interface Rate {
  done: number;
  total: number;
  percent?: number | undefined;
}

export interface CollectedGaps {
  gaps: Gap[];
  ackRate: Rate;
  trainingRate: Rate;
}

/**
 * Asks every register for its gaps and rates. Each register owns its rules
 * (in its model.ts); the dashboard only rolls the results up.
 */
export function collectGaps(s: Session, today: string): CollectedGaps {
  // Member roles: staff see their own gaps, managers their team's (src/domain/permissions.ts).
  const people = s.access.visiblePeople();
  const visible = s.access.visibleIds();
  const rolesByPerson = s.roles.byPerson();
  const policyInput = { people, policies: s.policies.all(), publications: s.policies.publications(), acks: s.acknowledgements.all(), rolesByPerson, today };
  const completions = s.training.completions();
  const trainingInput = { people, courses: s.training.courses(), completions, rolesByPerson, today };
  const gaps = [
    ...policyGaps(policyInput),
    ...trainingGaps(trainingInput),
    ...agreementGaps({ people, agreements: s.agreements.all(), today }),
    ...competenceGaps(competencyInput(s, today)).filter((g) => visible.has(g.personId)),
  ];
  return { gaps, ackRate: acknowledgementRate(policyInput), trainingRate: trainingCompletionRate(trainingInput) };
}
