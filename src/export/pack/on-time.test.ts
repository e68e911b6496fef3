import { describe, expect, it } from 'vitest';
import { pack as checklistsPack } from '../../registers/checklists/pack';
import { pack as duePack } from '../../registers/due/pack';
import { PackReads as PackContext } from './context';
import type { PackInput } from '../../evidence/types';

/** A workspace created on `created`: two teams whose people started long before, no checklist yet. */
function workspace(created: string, today: string): PackInput {
  return {
    organisation: 'Acme',
    generatedAt: `${today}T12:00:00.000Z`,
    generatedBy: 'Mia',
    today,
    period: { from: '2025-12-01', to: '2026-11-30' },
    scope: { teams: 'all' },
    registers: {
      people: {
        records: {
          ana: { name: 'Ana', team: 'Ops', startDate: '2024-03-01' },
          sol: { name: 'Sol', team: 'Sales', startDate: '2025-06-01' },
        },
        entries: {},
      },
      members: { records: { 'device.d1': { type: 'device', name: 'Mia', role: 'owner', joinedAt: `${created}T09:00:00.000Z`, removed: false } }, entries: {} },
    },
  };
}

describe('the pack counts checklists from the workspace’s creation', () => {
  it('the first pack of a workspace made today owes no checklist (7fb5941: "0 of 24")', () => {
    const section = checklistsPack.build(new PackContext(workspace('2026-12-06', '2026-12-06')));
    expect(section.summary[0]!.figures).toEqual(['Checklists signed on time: nothing to count yet']);
    expect(section.intro[0]).toBe('No checklist was due yet: the workspace was created on 6 Dec 2026, and a month counts once it has ended.');
  });

  it('a workspace created in September owes September to November, per team', () => {
    const section = checklistsPack.build(new PackContext(workspace('2026-09-14', '2026-12-06')));
    expect(section.summary[0]!.figures).toEqual(['Checklists signed on time: 0 of 6 (0%)']);
  });

  it('a workspace filled today from another one’s backup still owes the months its records go back to', () => {
    const input = workspace('2026-12-06', '2026-12-06');
    input.registers['checklists'] = { records: { c1: { team: 'Ops', month: '2026-09', createdAt: '2026-09-03T08:00:00.000Z', createdBy: 'Mia' } }, entries: {} };
    const section = checklistsPack.build(new PackContext(input));
    // September to November, two teams; the September checklist was never signed.
    expect(section.summary[0]!.figures).toEqual(['Checklists signed on time: 0 of 6 (0%)']);
  });

  it('the due section of a workspace made today lists this month’s checklists, not last month’s as overdue', () => {
    const section = duePack.build(new PackContext(workspace('2026-12-06', '2026-12-06')));
    const ids = (section.records as Array<{ id: string; status: string }>).map((d) => `${d.id}|${d.status}`);
    expect(ids).toEqual(['management-review|this-week', 'checklist:Ops:2026-12|this-month', 'checklist:Sales:2026-12|this-month']);
  });
});
