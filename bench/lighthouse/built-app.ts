/**
 * What the first-load benches share (lighthouse, repeat-load, first-start-tasks): the built app they
 * measure, and a percentile.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let built: Promise<string> | undefined;

/**
 * The built app's folder: BENCH_LH_DIST when given (built there first if it holds no index.html),
 * else this checkout built into .tmp/bench-lighthouse/dist. Built once per process: run-all's
 * `firstload` runs the three benches on the same build, and each built it again.
 */
export function builtApp(): Promise<string> {
  built ??= (async () => {
    const given = process.env.BENCH_LH_DIST;
    const distDir = given ? path.resolve(repo, given) : path.join(repo, '.tmp/bench-lighthouse/dist');
    if (!given || !existsSync(path.join(distDir, 'index.html'))) {
      console.log(`building the app (vite build with the project config) into ${path.relative(repo, distDir)}`);
      await build({ root: repo, logLevel: 'warn', build: { outDir: distDir, emptyOutDir: true } });
    }
    return distDir;
  })();
  return built;
}

/** The p-th percentile of `xs` (nearest rank). */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}
