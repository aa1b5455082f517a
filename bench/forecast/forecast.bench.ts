/**
 * Forecast benchmark (issue 16): `npm run bench:forecast`, or `npx tsx bench/forecast/forecast.bench.ts`,
 * or `run()` from another script. Writes bench/results/forecast.json and prints tables.
 *
 * 1. Accuracy (accuracy.ts): mean RMSSE of the forecaster and of the simple methods, last periods
 *    held out, on carparts (monthly; generated monthly series when the file is absent, and the output
 *    says so) and on generated daily series with stock-outs.
 * 2. Speed: forecastSeries on 20,000 generated daily series of 365 days with a 28-day horizon and
 *    the weekly profile test, as the app's worker runs it; wall and CPU time per series, median of
 *    `BENCH_FORECAST_RUNS` runs (default 3). Target ≤ 40 µs per series (20,000 in < 0.8 s, leaving
 *    the rest of the 2 s for reorder points and suggestions), judged on CPU time.
 * Means go to bench/results/forecast.json, every series' RMSSE by every method to
 * bench/results/forecast-per-series.csv.
 * 3. Inventory simulation (simulation.ts): fill rate and average stock at 90, 95 and 98 % against
 *    Stocky's rule tuned to the same fill rate, monthly (carparts or generated) and generated daily.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { forecastSeries } from '../../src/domain/forecasting/index.ts';
import { runSimulation, type SimulationReport } from './simulation.ts';
import { dailyAccuracy, generateDaily, monthlyAccuracy, type AccuracyResult } from './accuracy.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

export interface ForecastBenchResult {
  date: string;
  machine: { cpus: number; cpuModel: string; node: string; platform: string; totalMemGb: number; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  /** Means and counts; the RMSSE of every series by every method is in forecast-per-series.csv. */
  accuracy: { monthly: Omit<AccuracyResult, 'perSeries'>; daily: Omit<AccuracyResult, 'perSeries'> };
  speed: {
    series: number;
    days: number;
    horizon: number;
    runs: { ms: number; cpuMs: number; loadAverage: number[] }[];
    /** Median run, per series. `pass` is judged on the CPU time (wall time on a loaded machine counts other processes). */
    wallUsPerSeries: number;
    cpuUsPerSeries: number;
    targetUsPerSeries: number;
    pass: boolean;
  };
  simulation?: SimulationReport;
}

function machine(): Omit<ForecastBenchResult['machine'], 'loadAverageAtEnd'> {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    totalMemGb: Math.round(os.totalmem() / 2 ** 30),
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

function speed(): ForecastBenchResult['speed'] {
  const count = 20_000;
  const days = 365;
  const horizon = 28;
  const series = generateDaily(count, days, 7, 0).map((s) => s.values);
  const runCount = Number(process.env.BENCH_FORECAST_RUNS ?? 3);
  forecastSeries(series[0] ?? [], { horizon, seasonLength: 7 }); // warm-up
  for (let i = 0; i < 2000; i++) forecastSeries(series[i] ?? [], { horizon, seasonLength: 7 });
  const runs: ForecastBenchResult['speed']['runs'] = [];
  let checksum = 0;
  for (let r = 0; r < runCount; r++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    for (const s of series) {
      const f = forecastSeries(s, { horizon, seasonLength: 7 });
      if (f.kind === 'forecast') checksum += f.perPeriod[0] ?? 0;
    }
    const ms = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    runs.push({ ms: Math.round(ms), cpuMs: Math.round((cpu.user + cpu.system) / 1000), loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100) });
  }
  if (!Number.isFinite(checksum)) throw new Error('A forecast was not a number.');
  const sorted = [...runs].sort((a, b) => a.ms - b.ms);
  const median = sorted[Math.floor(sorted.length / 2)] ?? { ms: 0, cpuMs: 0 };
  const wallUsPerSeries = Math.round((median.ms * 1000 * 10) / count) / 10;
  const cpuUsPerSeries = Math.round((median.cpuMs * 1000 * 10) / count) / 10;
  // Judged on CPU time: on this shared 2-core machine the wall time mostly measures the other
  // processes (see the load average recorded with each run); the worker's own cost is the CPU time.
  return { series: count, days, horizon, runs, wallUsPerSeries, cpuUsPerSeries, targetUsPerSeries: 40, pass: cpuUsPerSeries <= 40 };
}

function printAccuracy(result: AccuracyResult): void {
  console.log(`\n${result.dataset}: ${result.source}`);
  if (result.generated) console.log('  (These are GENERATED series, not real data.)');
  console.log(`  ${result.scored} series scored, ${result.skippedScaleZero} skipped (scale 0), last ${result.holdout} periods held out`);
  for (const [method, value] of Object.entries(result.meanRmsse).sort((a, b) => a[1] - b[1])) console.log(`  ${method.padEnd(24)} ${value.toFixed(4)}`);
  console.log(`  forecaster beats every simple method: ${result.beatsEverySimpleMethod ? 'yes' : 'NO'}`);
  for (const [cls, v] of Object.entries(result.forecasterByClass)) console.log(`    ${cls.padEnd(28)} ${String(v.series).padStart(5)} series  forecaster ${v.meanRmsse.toFixed(4)}  moving average ${v.baselineMa.toFixed(4)}`);
}

function withoutPerSeries(result: AccuracyResult): Omit<AccuracyResult, 'perSeries'> {
  const { perSeries: _perSeries, ...rest } = result;
  return rest;
}

/** RMSSE per series and method: dataset, id, then one column per method (the forecaster first). */
function perSeriesCsv(results: AccuracyResult[]): string {
  const methods = [...new Set(results.flatMap((r) => Object.keys(r.meanRmsse)))];
  const lines = [['dataset', 'id', ...methods].join(',')];
  for (const result of results) for (const { id, rmsse } of result.perSeries) lines.push([result.dataset, id, ...methods.map((m) => (rmsse[m] === undefined ? '' : String(rmsse[m])))].join(','));
  return `${lines.join('\n')}\n`;
}

export async function run(): Promise<ForecastBenchResult> {
  const start = machine();
  const monthly = monthlyAccuracy();
  printAccuracy(monthly);
  const daily = dailyAccuracy();
  printAccuracy(daily);
  const speedResult = speed();
  console.log(`\nspeed: ${speedResult.series} daily series of ${speedResult.days} days, horizon ${speedResult.horizon}: ${speedResult.wallUsPerSeries} µs wall, ${speedResult.cpuUsPerSeries} µs CPU per series (target ≤ ${speedResult.targetUsPerSeries} µs)`);
  console.log(`  runs: ${speedResult.runs.map((r) => `${r.ms} ms (load ${r.loadAverage[0]})`).join(', ')}`);

  const result: ForecastBenchResult = {
    date: new Date().toISOString(),
    machine: { ...start, loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100) },
    accuracy: { monthly: withoutPerSeries(monthly), daily: withoutPerSeries(daily) },
    speed: speedResult,
  };

  // The inventory simulation prints its own tables and goes into the same results file.
  result.simulation = runSimulation();

  const resultsDir = path.join(repoRoot, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, 'forecast.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(path.join(resultsDir, 'forecast-per-series.csv'), perSeriesCsv([monthly, daily]));
  console.log('\nwrote bench/results/forecast.json and bench/results/forecast-per-series.csv');
  return result;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  run().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
