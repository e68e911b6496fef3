/**
 * The shape of src/: which folder imports which, whether files import each
 * other in a circle, and whether a folder imports a folder above it.
 *
 *   npm run layers          prints the table (arrows, circles, arrows running up)
 *
 * test/arch/layers.test.ts runs the same checks and fails on a circle of files
 * or an arrow up. Imports are read with oxc (Vite's `parseSync`): static
 * imports (type-only included: they couple folders too), re-exports and
 * `import()`. `import.meta.glob` is not an import: it is how the app collects
 * the register descriptors without naming them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseSync } from 'vite';

/** Floors, lowest first. A folder may import its own floor or a lower one (registers: see `REGISTER_FLOORS`). */
export const FLOORS: ReadonlyArray<readonly string[]> = [
  ['domain'],
  ['crypto', 'evidence'],
  ['store'],
  ['sync'],
  ['ui', 'attachments'],
  ['registers/*'],
  ['app', 'export'],
  ['main.tsx'],
];

export interface Arrow {
  from: string;
  to: string;
  /** Files of `from` that import a file of `to`. */
  files: string[];
}

export interface Shape {
  files: string[];
  /** file → files it imports (relative to the root, production files only). */
  imports: Map<string, Set<string>>;
  folders: string[];
  arrows: Arrow[];
  /** Circles of files: each a strongly connected set of two or more files (or one importing itself). */
  circles: string[][];
}

const isProduction = (f: string) => /\.(ts|tsx)$/.test(f) && !/\.test\.tsx?$/.test(f) && !/test-fixture\.ts$/.test(f) && !f.endsWith('.d.ts');

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (isProduction(p)) out.push(p);
  }
  return out;
}

function resolveImport(fromFile: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(fromFile), spec.replace(/\?.*$/, ''));
  for (const c of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) {
    try {
      if (statSync(c).isFile()) return c;
    } catch {
      /* not this candidate */
    }
  }
  return undefined;
}

/** The folder a file belongs to: `registers/<name>`, else its first folder under src/ (a file at the top is its own). */
export function folderOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] === 'registers' && parts.length > 2) return `registers/${parts[1]}`;
  return parts.length > 1 ? parts[0]! : file;
}

export function readShape(root = resolve(import.meta.dirname, '../src')): Shape {
  const abs = walk(root);
  const files = abs.map((f) => relative(root, f));
  const imports = new Map<string, Set<string>>();
  for (const f of abs) {
    const code = readFileSync(f, 'utf8');
    const { module: m } = parseSync(f, code);
    const specs = [
      ...m.staticImports.map((i) => i.moduleRequest.value),
      ...m.staticExports.flatMap((e) => e.entries.map((x) => x.moduleRequest?.value).filter((v): v is string => !!v)),
      ...m.dynamicImports.map((d) => code.slice(d.moduleRequest.start, d.moduleRequest.end).replace(/^['"`]|['"`]$/g, '')),
    ];
    const to = new Set<string>();
    for (const s of specs) {
      const r = resolveImport(f, s);
      if (r && isProduction(r)) to.add(relative(root, r));
    }
    imports.set(relative(root, f), to);
  }
  const byPair = new Map<string, Arrow>();
  for (const [from, tos] of imports) {
    for (const to of tos) {
      const a = folderOf(from);
      const b = folderOf(to);
      if (a === b) continue;
      const key = `${a}→${b}`;
      const arrow = byPair.get(key) ?? { from: a, to: b, files: [] };
      if (!arrow.files.includes(from)) arrow.files.push(from);
      byPair.set(key, arrow);
    }
  }
  const folders = [...new Set(files.map(folderOf))].sort();
  return { files, imports, folders, arrows: [...byPair.values()].sort((x, y) => x.from.localeCompare(y.from) || x.to.localeCompare(y.to)), circles: stronglyConnected(imports) };
}

/** Tarjan's strongly connected components, keeping those that form a circle. */
function stronglyConnected(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || graph.get(v)?.has(v)) out.push(comp.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

/** The floor of a folder in `FLOORS`, or -1 when no floor names it. */
export function floorOf(folder: string): number {
  return FLOORS.findIndex((names) => names.some((n) => n === folder || (n.endsWith('/*') && folder.startsWith(n.slice(0, -1)))));
}

/**
 * Arrows that run up: from a folder to one on a higher floor, or, between two
 * registers, an arrow that is part of a circle of register folders (registers
 * may use each other, e.g. People, but never both ways round).
 */
export function arrowsUp(shape: Shape): Arrow[] {
  const up = shape.arrows.filter((a) => floorOf(a.to) > floorOf(a.from) || floorOf(a.from) < 0 || floorOf(a.to) < 0);
  const registerGraph = new Map<string, Set<string>>();
  for (const a of shape.arrows) if (a.from.startsWith('registers/') && a.to.startsWith('registers/')) registerGraph.set(a.from, (registerGraph.get(a.from) ?? new Set()).add(a.to));
  for (const circle of stronglyConnected(registerGraph)) {
    const inCircle = new Set(circle);
    up.push(...shape.arrows.filter((a) => inCircle.has(a.from) && inCircle.has(a.to)));
  }
  return up;
}

/**
 * How many arrows run back up in the best order found for the folders as they
 * are (the measure of the issue "Registers as plug-ins": 51 of 158 before it):
 * a greedy minimal feedback arc set (Eades, Lin and Smyth) over the folder graph.
 */
export function backArrows(shape: Shape): Arrow[] {
  const nodes = new Set(shape.folders);
  const out = new Map<string, Set<string>>();
  const inn = new Map<string, Set<string>>();
  for (const n of nodes) (out.set(n, new Set()), inn.set(n, new Set()));
  for (const a of shape.arrows) (out.get(a.from)!.add(a.to), inn.get(a.to)!.add(a.from));
  const left: string[] = [];
  const right: string[] = [];
  const remove = (n: string) => {
    nodes.delete(n);
    for (const m of out.get(n)!) inn.get(m)!.delete(n);
    for (const m of inn.get(n)!) out.get(m)!.delete(n);
  };
  while (nodes.size) {
    let changed = true;
    while (changed) {
      changed = false;
      for (const n of [...nodes]) {
        if (out.get(n)!.size === 0) (right.unshift(n), remove(n), (changed = true));
        else if (inn.get(n)!.size === 0) (left.push(n), remove(n), (changed = true));
      }
    }
    if (!nodes.size) break;
    const best = [...nodes].sort((a, b) => out.get(b)!.size - inn.get(b)!.size - (out.get(a)!.size - inn.get(a)!.size) || a.localeCompare(b))[0]!;
    left.push(best);
    remove(best);
  }
  const order = new Map([...left, ...right].map((n, i) => [n, i]));
  return shape.arrows.filter((a) => order.get(a.from)! > order.get(a.to)!);
}

/** Production files outside a register's folder that import a file inside it. */
export function namersOf(shape: Shape, register: string): string[] {
  const folder = `registers/${register}`;
  return [...shape.imports].filter(([from, tos]) => folderOf(from) !== folder && [...tos].some((t) => folderOf(t) === folder)).map(([from]) => from).sort();
}

if ((import.meta as ImportMeta & { main?: boolean }).main || process.argv[1]?.endsWith('layers.ts')) {
  const shape = readShape();
  const up = arrowsUp(shape);
  const back = backArrows(shape);
  console.log(`files ${shape.files.length}, folders ${shape.folders.length}, arrows ${shape.arrows.length}`);
  console.log(`circles of files: ${shape.circles.length}`);
  for (const c of shape.circles) console.log(`  ${c.join(' ↔ ')}`);
  console.log(`arrows up (FLOORS): ${up.length}`);
  for (const a of up) console.log(`  ${a.from} → ${a.to}   (${a.files.join(', ')})`);
  console.log(`arrows running back up in the best order found: ${back.length} of ${shape.arrows.length}`);
  const registers = shape.folders.filter((f) => f.startsWith('registers/')).map((f) => f.slice(10));
  console.log('production files outside a register naming it:');
  for (const r of registers) console.log(`  ${r.padEnd(17)} ${namersOf(shape, r).length}  ${namersOf(shape, r).join(', ')}`);
}
