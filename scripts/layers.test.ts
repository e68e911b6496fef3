import { describe, expect, it } from 'vitest';
import { arrowsUp, backArrows, floorOf, namersOf, readShape } from './layers';

// scripts/layers.ts asks `import.meta.main` (Node 24, Bun) whether it runs as a script; Node 20's types lack it.
declare global {
  interface ImportMeta {
    main?: boolean;
  }
}

/*
 * The shape of src/ stays layered (docs/ARCHITECTURE.md, "Layers"): no circle
 * of files, no folder importing a folder above it, and a register named by no
 * production file outside its folder but the ones listed here.
 */
const shape = readShape();

/** Arrows up still allowed, each with its reason. Empty is the goal; a new arrow fails the test. */
const ALLOWED_UP: Readonly<Record<string, string>> = {};

/** Registers others read by name (their models are the vocabulary of several registers), and who may name them. */
const SHARED_REGISTERS = new Set(['people', 'members', 'policies', 'training', 'roles', 'checklists', 'briefings', 'reviews', 'agreements', 'acknowledgements', 'competency', 'due', 'disciplinary', 'speakup']);

describe('the shape of src/', () => {
  it('has no circle of files', () => {
    expect(shape.circles.map((c) => c.join(' ↔ '))).toEqual([]);
  });

  it('has no circle of folders either (app and export, on one floor, do not import each other both ways)', () => {
    expect(backArrows(shape).map((a) => `${a.from} → ${a.to} (${a.files.join(', ')})`)).toEqual([]);
  });

  it('puts every folder on a floor', () => {
    expect(shape.folders.filter((f) => floorOf(f) < 0)).toEqual([]);
  });

  it('has no folder importing a folder above it, nor two registers importing each other', () => {
    const up = arrowsUp(shape).map((a) => `${a.from} → ${a.to}`);
    expect(up.filter((a) => !(a in ALLOWED_UP)), 'arrows up (scripts/layers.ts prints them with their files)').toEqual([]);
    expect(up.length).toBeLessThanOrEqual(15);
  });

  it('names a plain register in no production file outside its folder', () => {
    const plain = shape.folders.filter((f) => f.startsWith('registers/')).map((f) => f.slice('registers/'.length)).filter((r) => !SHARED_REGISTERS.has(r));
    expect(plain).toContain('resources');
    for (const r of plain) expect(namersOf(shape, r), r).toEqual([]);
  });

  it('keeps the evidence library on domain alone, and the collectors naming no register', () => {
    expect(shape.arrows.filter((a) => a.from === 'evidence' && a.to !== 'domain').map((a) => `${a.to} (${a.files.join(', ')})`)).toEqual([]);
    const registers = shape.folders.filter((f) => f.startsWith('registers/')).map((f) => f.slice('registers/'.length));
    const collectors = ['export/pack/context.ts', 'app/dashboard/collect.ts', 'registers/due/collect.ts', 'app/session.tsx', 'ui/registry.ts', 'ui/descriptors.ts', 'ui/slots.tsx', 'app/sections.ts'];
    expect(registers.flatMap((r) => namersOf(shape, r).filter((f) => collectors.includes(f)).map((f) => `${f} names ${r}`))).toEqual([]);
  });

  // Where two registers are related, one reads the other: members filters people, competency reads roles,
  // acknowledgements are of policies, resources link to reviews, Due and the review read what is due.
  it.each([
    ['people', 'members'],
    ['roles', 'competency'],
    ['reviews', 'resources'],
    ['policies', 'acknowledgements'],
    ['reviews', 'due'],
  ])('registers/%s imports nothing of registers/%s', (from, to) => {
    expect(shape.arrows.find((a) => a.from === `registers/${from}` && a.to === `registers/${to}`)?.files ?? []).toEqual([]);
  });

  it('sees a circle and an arrow up when there is one (the check can fail)', () => {
    const imports = new Map([
      ['domain/a.ts', new Set(['registers/x/model.ts'])],
      ['registers/x/model.ts', new Set(['domain/a.ts'])],
    ]);
    const made = { ...shape, imports, files: [...imports.keys()], folders: ['domain', 'registers/x'], arrows: [{ from: 'domain', to: 'registers/x', files: ['domain/a.ts'] }, { from: 'registers/x', to: 'domain', files: ['registers/x/model.ts'] }] };
    expect(arrowsUp(made).map((a) => `${a.from} → ${a.to}`)).toEqual(['domain → registers/x']);
    expect(namersOf(made, 'x')).toEqual(['domain/a.ts']);
  });
});
