import { describe, expect, it } from 'vitest';
import type { Gap } from '../../domain/gaps';
import type { HealthEntry } from '../../ui/register';
import type { Session } from '../../ui/session';
import { DESCRIPTORS } from '../../ui/registry';
import { collectGaps } from './collect';

const gap = (personId: string, label: string): Gap => ({ personId, kind: 'policy-unacknowledged', label, href: '#/policies' });

describe('Home collects what the registers declare (descriptor `health`), naming none of them', () => {
  it('rolls up the gaps in the registers’ order and takes the rates by key', () => {
    const s = {} as Session;
    const entries: HealthEntry[] = [
      { order: 20, gaps: () => [gap('p2', 'late')], rate: { key: 'training', of: () => ({ done: 1, total: 2, percent: 50 }) } },
      { order: 10, gaps: (_s: Session, today: string) => [gap('p1', `due ${today}`)], rate: { key: 'ack', of: () => ({ done: 3, total: 4, percent: 75 }) } },
      { order: 30, gaps: () => [] },
    ].sort((a, b) => a.order - b.order);
    const got = collectGaps(s, '2026-12-07', entries);
    expect(got.gaps.map((g) => g.label)).toEqual(['due 2026-12-07', 'late']);
    expect(got.ackRate).toEqual({ done: 3, total: 4, percent: 75 });
    expect(got.trainingRate).toEqual({ done: 1, total: 2, percent: 50 });
    // A register that gives no rate: nothing to count, not an error.
    expect(collectGaps(s, '2026-12-07', []).ackRate).toEqual({ done: 0, total: 0 });
  });

  it('is fed by the registers that own the rules: policies acknowledged, training, agreements, competency', () => {
    const owners = DESCRIPTORS.filter((d) => d.health).sort((a, b) => a.health!.order - b.health!.order).map((d) => d.name);
    expect(owners).toEqual(['acknowledgements', 'training', 'agreements', 'competency']);
    expect(DESCRIPTORS.flatMap((d) => (d.health?.rate ? [d.health.rate.key] : [])).sort()).toEqual(['ack', 'training']);
  });
});
