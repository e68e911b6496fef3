import { describe, expect, it } from 'vitest';
import { PackReads } from '../../export/pack/context';
import { fixtureInput } from '../../export/pack/test-fixture';
import { pack } from './pack';

/** The policies table of the pack: title → [Acknowledged, Acknowledged %]. */
function ackColumns(ctx: PackReads): Record<string, unknown[]> {
  const t = pack.build(ctx).tables.find((x) => x.file === 'policies')!;
  const at = (name: string) => t.columns.indexOf(name);
  return Object.fromEntries(t.rows.map((r) => [r[0], [r[at('Acknowledged')], r[at('Acknowledged %')]]]));
}

describe('the policies in the pack: the rate that acknowledgements provide', () => {
  it('is provided by name, made once per pack', () => {
    const ctx = new PackReads(fixtureInput());
    const rate = ctx.provided('policy-rate');
    expect(rate).toBeTypeOf('function');
    expect(ctx.provided('policy-rate')).toBe(rate);
  });

  it('counts the people in scope who acknowledged the current version by the period’s end', () => {
    // Zoë, 李, Eq and Ada of five acknowledged version 1.0 (as the acknowledgements section counts them).
    expect(ackColumns(new PackReads(fixtureInput()))).toEqual({ 'Acceptable use': ['4 of 5', 80] });
    // One team: Sales' two both acknowledged; in Ops, Łukasz has not.
    expect(ackColumns(new PackReads(fixtureInput({ scope: { teams: ['Sales'] } })))).toEqual({ 'Acceptable use': ['2 of 2', 100] });
    expect(ackColumns(new PackReads(fixtureInput({ scope: { teams: ['Ops'] } })))).toEqual({ 'Acceptable use': ['2 of 3', 67] });
    // Counted on the period's last day: by the end of January only Zoë's earlier acknowledgement of 1.0.
    expect(ackColumns(new PackReads(fixtureInput({ period: { from: '2026-01-01', to: '2026-01-31' } })))).toEqual({ 'Acceptable use': ['1 of 5', 20] });
  });
});
