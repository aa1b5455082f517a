/**
 * Inventory simulation benchmark (issue 16), runnable alone: `npx tsx bench/forecast/simulation.bench.ts`.
 * Writes bench/results/forecast-simulation.json and prints a table; bench/forecast/forecast.bench.ts
 * runs the same `runSimulation`. What is simulated and how: bench/forecast/simulation.ts.
 *
 * - Monthly: the real car-parts series in ../shared/forecast/carparts-monthly.csv (read there at run
 *   time, never copied into the repository): the last 24 months replayed, lead time 1 month. Without
 *   the file (or $PERPETUA_SHARED_DIR's) generated monthly series are replayed instead, and the output
 *   and the results say so.
 * - Daily: generated series (seeded, the same every run): smooth, weekly-patterned, intermittent and
 *   lumpy demand, some with a change of level and some with stock-out days (unobserved) in their
 *   history; 400 days of history, then the last 365 days replayed with a lead time of 7 days.
 * Fill rates aimed for: 90, 95 and 98 %. Policy speed: `policyLevels` on 365 days of history.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runSimulation } from './simulation.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const report = runSimulation();
  mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(path.join(ROOT, 'bench/results/forecast-simulation.json'), JSON.stringify(report, null, 2) + '\n');
}
