/**
 * The import rules of DEVELOPERS.md, checked on the source itself: dependencies point inward,
 * `src/domain` imports nothing outside itself, no two modules import each other, and no file takes
 * part in an import cycle. Every relative import counts: static `import … from`, `import type`,
 * `export … from`, side-effect imports and dynamic `import('…')`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const SOURCE_DIRS = ['src', 'sw'];
/** The top-level modules; a file belongs to the first whose folder contains it. */
const MODULES = ['src/domain', 'src/app', 'src/db', 'src/sync', 'src/scanner', 'src/ui', 'src/server', 'sw'];

/**
 * Import cycles that are known and left alone for now, each with the reason. Keep it empty: an entry
 * belongs here only while another change is rewriting the files involved. Written as the files of the
 * cycle, sorted, joined by ' ↔ '.
 */
const ALLOWED_CYCLES: readonly string[] = [];

type Graph = Map<string, Set<string>>;

describe('the import graph of src/ and sw/', () => {
  const graph = importGraph();

  it('sees the files and their imports', () => {
    // A parser that found nothing would pass every rule below.
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get('src/domain/index.ts')).toContain('src/domain/books/index.ts');
    expect(graph.get('src/db/load-validation.ts')).toContain('src/domain/validate.ts'); // a dynamic import()
  });

  it('has no import cycle between files', () => {
    const cycles = findCycles(graph)
      .map((cycle) => cycle.join(' → '))
      .filter((cycle) => !ALLOWED_CYCLES.includes(cycleKey(cycle.split(' → '))));
    expect(cycles, 'import cycles (each listed as a path back to its start)').toEqual([]);
  });

  it('keeps src/domain free of imports from outside it', () => {
    const outward: string[] = [];
    for (const [file, imports] of graph) {
      if (!file.startsWith('src/domain/')) continue;
      for (const target of imports) if (!target.startsWith('src/domain/')) outward.push(`${file} → ${target}`);
    }
    expect(outward).toEqual([]);
  });

  it('has no two top-level modules importing each other', () => {
    const modules: Graph = new Map();
    for (const [file, imports] of graph) {
      const from = moduleOf(file);
      for (const target of imports) {
        const to = moduleOf(target);
        if (from !== to) addEdge(modules, from, to);
      }
    }
    const cycles = findCycles(modules).map((cycle) => cycle.join(' → '));
    expect(cycles, 'modules that import each other').toEqual([]);
  });
});

describe('findCycles', () => {
  it('finds a cycle and names its files in order', () => {
    const graph = graphOf({ a: ['b'], b: ['c'], c: ['a'], d: ['a'] });
    expect(findCycles(graph)).toEqual([['a', 'b', 'c', 'a']]);
  });

  it('finds two modules importing each other, and a file importing itself', () => {
    const graph = graphOf({ ui: ['db'], db: ['ui', 'domain'], domain: [], self: ['self'] });
    expect(findCycles(graph)).toEqual([
      ['db', 'ui', 'db'],
      ['self', 'self'],
    ]);
  });

  it('finds nothing in a graph without cycles, however it branches', () => {
    const graph = graphOf({ a: ['b', 'c'], b: ['d'], c: ['d'], d: [] });
    expect(findCycles(graph)).toEqual([]);
  });

  it('reports one cycle per knot, so each is named once', () => {
    const graph = graphOf({ a: ['b'], b: ['a', 'c'], c: ['a'] });
    expect(findCycles(graph)).toHaveLength(1);
  });
});

describe('relativeImports', () => {
  it('reads static, type, re-export, side-effect and dynamic imports, and skips comments and packages', () => {
    const source = [
      "import { a } from './a.ts';",
      "import type { B } from '../b.ts';",
      "export { c } from './c.ts';",
      "export * from './d.ts';",
      "import './e.css';",
      "import { z } from 'zod';",
      "// import { no } from './commented.ts';",
      "const lazy = await import('./lazy.ts');",
      'import {',
      '  multi,',
      "} from './multi.ts';",
    ].join('\n');
    expect(relativeImports(source).sort()).toEqual(['../b.ts', './a.ts', './c.ts', './d.ts', './e.css', './lazy.ts', './multi.ts']);
  });
});

// ---- the graph ----------------------------------------------------------------------------------

/** File → the source files it imports, both as paths relative to the repository root. */
function importGraph(): Graph {
  const files = SOURCE_DIRS.flatMap((dir) => sourceFiles(path.join(ROOT, dir)));
  const known = new Set(files.map((file) => path.relative(ROOT, file)));
  const graph: Graph = new Map();
  for (const file of files) {
    const from = path.relative(ROOT, file);
    graph.set(from, new Set());
    for (const specifier of relativeImports(readFileSync(file, 'utf8'))) {
      const target = resolve(path.dirname(from), specifier, known);
      if (target !== undefined) addEdge(graph, from, target);
    }
  }
  return graph;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** The relative specifiers a file imports (packages and absolute URLs are not part of the graph). */
function relativeImports(source: string): string[] {
  const { importedFiles } = ts.preProcessFile(source, true, true);
  return importedFiles.map((file) => file.fileName).filter((name) => name.startsWith('./') || name.startsWith('../'));
}

/** The source file a specifier names, or undefined for a non-source file (CSS, a worker URL, …). */
function resolve(fromDir: string, specifier: string, known: Set<string>): string | undefined {
  const target = path.posix.normalize(path.posix.join(fromDir, specifier.replace(/\?.*$/, '')));
  const candidates = [target, `${target}.ts`, `${target}.tsx`, `${target}/index.ts`, `${target}/index.tsx`];
  return candidates.find((candidate) => known.has(candidate));
}

function moduleOf(file: string): string {
  return MODULES.find((module) => file === module || file.startsWith(`${module}/`)) ?? path.posix.dirname(file);
}

function addEdge(graph: Graph, from: string, to: string): void {
  let targets = graph.get(from);
  if (targets === undefined) graph.set(from, (targets = new Set()));
  targets.add(to);
  if (!graph.has(to)) graph.set(to, new Set());
}

function graphOf(edges: Record<string, string[]>): Graph {
  const graph: Graph = new Map();
  for (const [from, targets] of Object.entries(edges)) {
    if (!graph.has(from)) graph.set(from, new Set());
    for (const to of targets) addEdge(graph, from, to);
  }
  return graph;
}

// ---- cycles -------------------------------------------------------------------------------------

/**
 * One cycle per strongly connected component that has one (Tarjan's algorithm), each written as a
 * path from its alphabetically first node back to itself, shortest first; sorted by that first node.
 */
function findCycles(graph: Graph): string[][] {
  const cycles: string[][] = [];
  for (const component of stronglyConnectedComponents(graph)) {
    const start = [...component].sort()[0] as string;
    const selfLoop = graph.get(start)?.has(start) ?? false;
    if (component.size === 1 && !selfLoop) continue;
    cycles.push(selfLoop ? [start, start] : shortestCycleThrough(graph, start, component));
  }
  return cycles.sort((a, b) => (a[0] as string).localeCompare(b[0] as string));
}

function stronglyConnectedComponents(graph: Graph): Set<string>[] {
  let counter = 0;
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: Set<string>[] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    lowLink.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of [...(graph.get(node) ?? [])].sort()) {
      if (!index.has(next)) {
        visit(next);
        lowLink.set(node, Math.min(lowLink.get(node) as number, lowLink.get(next) as number));
      } else if (onStack.has(next)) {
        lowLink.set(node, Math.min(lowLink.get(node) as number, index.get(next) as number));
      }
    }
    if (lowLink.get(node) === index.get(node)) {
      const component = new Set<string>();
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.add(member);
      } while (member !== node);
      components.push(component);
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return components;
}

/** Breadth-first inside the component, so the cycle named is a shortest one through `start`. */
function shortestCycleThrough(graph: Graph, start: string, component: Set<string>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i] as string;
    for (const next of [...(graph.get(node) ?? [])].sort()) {
      if (!component.has(next)) continue;
      if (next === start) {
        const cycle = [start];
        for (let at: string | undefined = node; at !== undefined && at !== start; at = previous.get(at)) cycle.splice(1, 0, at);
        return [...cycle, start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

/** The allow-list key of a cycle: its distinct files, sorted. */
function cycleKey(cycle: string[]): string {
  return [...new Set(cycle)].sort().join(' ↔ ');
}
