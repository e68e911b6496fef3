import { createRoot, createSignal } from 'solid-js';
import { describe, expect, it } from 'vitest';
import { DESCRIPTORS } from '../../ui/registry';
import { dueStatus, type Duty } from '../../domain/schedules';
import type { DueEntry } from '../../ui/register';
import { createDue, type DueSession } from './collect';

const duty = (id: string, due: string, today: string): Duty => ({ id, kind: 'policy-review', title: id, due, href: '#/', status: dueStatus(due, today) });

describe('Due gathers what the registers declare (descriptor `due`), naming none of them', () => {
  it('merges every register’s duties and schedules their open actions, soonest first, as today moves', () => {
    const s = {} as DueSession;
    const entries: DueEntry[] = [
      { duties: (_s, today) => [duty('b', '2026-12-20', today)] },
      { duties: (_s, today) => [duty('a', '2026-12-10', today)], actions: () => [{ id: 'x', text: 'Fix the lock', due: '2026-12-01', ownerId: 'p1', href: '#/x', source: 'Ops briefing' }] },
    ];
    createRoot((dispose) => {
      const [today, setToday] = createSignal('2026-12-05');
      const due = createDue(s, today, entries);
      expect(due().map((d) => [d.title, d.status])).toEqual([['Fix the lock', 'overdue'], ['a', dueStatus('2026-12-10', '2026-12-05')], ['b', dueStatus('2026-12-20', '2026-12-05')]]);
      setToday('2026-12-15');
      expect(due().find((d) => d.title === 'a')?.status).toBe('overdue');
      dispose();
    });
  });

  it('is fed by the registers that own the rules', () => {
    expect(DESCRIPTORS.filter((d) => d.due?.duties).map((d) => d.name)).toEqual(['agreements', 'checklists', 'policies', 'reviews', 'training']);
    expect(DESCRIPTORS.filter((d) => d.due?.actions).map((d) => d.name)).toEqual(['briefings', 'checklists', 'reviews']);
  });
});
