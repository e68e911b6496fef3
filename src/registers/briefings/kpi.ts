import { openBy } from '../../domain/kpis';
import type { Briefing } from './model';

/* The briefings' KPI for a management review: apart from the model so that Home's path does not carry it. */


/** Briefing actions open at the end of `to` and due by then (the rule: src/registers/reviews/kpis.ts `KpiInput`). */
export function openBriefingActions(briefings: readonly Briefing[], to: string): number {
  let n = 0;
  for (const b of briefings) for (const a of b.actions) if (openBy(a, b.date, to)) n += 1;
  return n;
}
