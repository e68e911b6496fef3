import type { Gap } from '../../domain/gaps';
import type { HealthEntry, Rate } from '../../ui/register';
import type { Session } from '../../ui/session';
import { DESCRIPTORS } from '../../ui/registry';

export type { Rate } from '../../ui/register';

export interface CollectedGaps {
  gaps: Gap[];
  ackRate: Rate;
  trainingRate: Rate;
}

/** What each register adds to Home (its descriptor's `health`), in Home's order. */
const HEALTH: readonly HealthEntry[] = DESCRIPTORS.flatMap((d) => (d.health ? [d.health] : [])).sort((a, b) => a.order - b.order);

const NOTHING: Rate = { done: 0, total: 0 };

/**
 * Asks every register for its gaps and rates. Each register owns its rules
 * (in its model.ts, contributed by its register.ts); the dashboard only rolls
 * the results up, naming none of them.
 */
export function collectGaps(s: Session, today: string, entries: readonly HealthEntry[] = HEALTH): CollectedGaps {
  const gaps = entries.flatMap((h) => h.gaps?.(s, today) ?? []);
  const rates = new Map(entries.flatMap((h) => (h.rate ? [[h.rate.key, h.rate.of(s, today)] as const] : [])));
  return { gaps, ackRate: rates.get('ack') ?? NOTHING, trainingRate: rates.get('training') ?? NOTHING };
}
