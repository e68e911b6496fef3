import { describe, expect, it } from 'vitest';
import { arrowsUp, folderOf, namersOf, readShape } from '../../scripts/layers';

// scripts/layers.ts asks `import.meta.main` (Node 24, Bun) whether it runs as a script; Node 20's types lack it.
declare global {
  interface ImportMeta {
    main?: boolean;
  }
}

/*
 * Issue 16, items 3 and 4, as the import shape of src/ shows them
 * (`node --import tsx scripts/layers.ts`): the evidence library sits just
 * above domain, registers never reach into export, the pack's context and
 * Home's collector name no register, Due and Reviews do not lean on each other.
 */
const shape = readShape();
const registers = [...new Set(shape.folders.filter((f) => f.startsWith('registers/')))].map((f) => f.slice('registers/'.length));
const arrow = (from: string, to: string) => shape.arrows.find((a) => a.from === from && a.to === to);

describe('the evidence library and the registers around it', () => {
  it('evidence imports nothing but domain', () => {
    expect(shape.arrows.filter((a) => a.from === 'evidence' && a.to !== 'domain').map((a) => `${a.to} (${a.files.join(', ')})`)).toEqual([]);
  });

  it('no register imports export, and domain imports no register', () => {
    const bad = arrowsUp(shape).filter((a) => (a.from.startsWith('registers/') && a.to === 'export') || (a.from === 'domain' && a.to.startsWith('registers/')));
    // Settings, which holds the backup of every register, is the app's (src/app/SettingsScreen.tsx).
    expect(bad.map((a) => `${a.from} → ${a.to} (${a.files.join(', ')})`)).toEqual([]);
  });

  it('the pack context and Home’s collector name no register', () => {
    const namers = registers.flatMap((r) => namersOf(shape, r));
    expect(namers.filter((f) => f.endsWith('export/pack/context.ts') || f.endsWith('app/dashboard/collect.ts'))).toEqual([]);
  });

  it('due and reviews do not import each other both ways, and no files of evidence or export form a circle', () => {
    expect(arrow('registers/due', 'registers/reviews') && arrow('registers/reviews', 'registers/due')).toBeFalsy();
    expect(shape.circles.filter((c) => c.some((f) => ['evidence', 'export'].includes(folderOf(f))))).toEqual([]);
  });
});
