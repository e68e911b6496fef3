import type { Gap } from '../../domain/gaps';
import type { Session } from '../session';

export interface Rate {
  done: number;
  total: number;
  percent?: number | undefined;
}

/** Gathers every register's gaps and rates for the dashboard. */
export function collectGaps(_s: Session, _today: string): { gaps: Gap[]; ackRate: Rate; trainingRate: Rate } {
  // Wired to the registers' gap functions as they land (policies, training, agreements, competency).
  return { gaps: [], ackRate: { done: 0, total: 0 }, trainingRate: { done: 0, total: 0 } };
}
