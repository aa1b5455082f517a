/**
 * Inventory simulation benchmark (issue 16): `npx tsx bench/forecast/simulation.bench.ts`.
 * Writes bench/results/forecast-simulation.json and prints a table.
 *
 * - Monthly: the real car-parts series in ../shared/forecast/carparts-monthly.csv (read there at run
 *   time, never copied into the repository): the last 24 months replayed, lead time 1 month. Without
 *   the file this part is skipped, and the output and the results say so.
 * - Daily: generated series (seeded, the same every run): smooth, weekly-patterned, intermittent and
 *   lumpy demand, some with a change of level and some with stock-out days (unobserved) in their
 *   history; 400 days of history, then the last 365 days replayed with a lead time of 7 days.
 * Fill rates aimed for: 90, 95 and 98 %. Policy speed: `policyLevels` on 365 days of history.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { forecastSeries } from '../../src/domain/forecasting/index.ts';
import type { DemandSeries } from '../../src/domain/forecasting/types.ts';
import { policyLevels } from '../../src/domain/replenishment/policy.ts';
import { simulatePolicies, type SimulationResult } from './simulation.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CARPARTS_CSV = path.resolve(ROOT, '../shared/forecast/carparts-monthly.csv');
const SERVICE_LEVELS = [0.9, 0.95, 0.98];
const DAILY_SERIES = Number(process.env.BENCH_SIM_DAILY_SERIES ?? 400);
const DAILY_HISTORY = 400;
const DAILY_REPLAY = 365;

/** Series of a CSV in the forecast:csv layout (id, then one column per period; empty = no data yet). */
export function readSeriesCsv(text: string): number[][] | DemandSeries[] {
  const rows = text.trim().split(/\r?\n/).slice(1);
  return rows.map((row) => row.split(',').slice(1).map((cell) => (cell.trim() === '' ? null : Number(cell))));
}

/** A small seeded generator (mulberry32): the same series every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function poisson(rand: () => number, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(rand)));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rand();
  while (p > limit) {
    k++;
    p *= rand();
  }
  return k;
}

function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** Gamma-Poisson (negative binomial) with the given mean and shape: heavier-tailed sizes. */
function negativeBinomial(rand: () => number, mean: number, shape: number): number {
  return poisson(rand, gamma(rand, shape) * (mean / shape));
}

function gamma(rand: () => number, shape: number): number {
  if (shape < 1) return gamma(rand, shape + 1) * Math.pow(rand(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(rand);
    const v = Math.pow(1 + c * x, 3);
    if (v > 0 && Math.log(1 - rand()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

export type DailyKind = 'smooth' | 'weekly' | 'intermittent' | 'lumpy';
const KINDS: DailyKind[] = ['smooth', 'weekly', 'intermittent', 'lumpy'];

/** Daily demand series: DAILY_HISTORY days of history (with some stock-out days as null) then DAILY_REPLAY days. */
export function generateDailySeries(count: number, seed = 16): { kind: DailyKind; series: DemandSeries }[] {
  const rand = random(seed);
  const days = DAILY_HISTORY + DAILY_REPLAY;
  return Array.from({ length: count }, (_, index) => {
    const kind = KINDS[index % KINDS.length]!;
    const weekly = kind === 'weekly' ? [0.6, 0.8, 0.9, 1, 1.2, 1.7, 0.8] : [1, 1, 1, 1, 1, 1, 1];
    // A level that drifts a little, and sometimes changes once (a product taking off or fading).
    let level = kind === 'smooth' || kind === 'weekly' ? Math.exp(Math.log(2) + rand() * Math.log(20)) : 1;
    const chance = kind === 'intermittent' ? 0.04 + rand() * 0.3 : 0.02 + rand() * 0.15;
    const sizeMean = kind === 'intermittent' ? 1 + rand() * 2 : 3 + rand() * 10;
    const changeDay = rand() < 0.25 ? Math.floor(DAILY_HISTORY / 2 + rand() * days * 0.6) : -1;
    const changeBy = 0.5 + rand() * 1.3;
    const values: (number | null)[] = [];
    for (let day = 0; day < days; day++) {
      if (day === changeDay) level *= changeBy;
      level *= Math.exp(normal(rand) * 0.01);
      const weekday = weekly[day % 7]!;
      let demand: number;
      if (kind === 'smooth' || kind === 'weekly') demand = poisson(rand, level * weekday);
      else if (rand() < Math.min(0.9, chance * level)) {
        demand = kind === 'intermittent' ? 1 + poisson(rand, sizeMean - 1) : 1 + negativeBinomial(rand, sizeMean, 0.8);
      } else demand = 0;
      values.push(demand);
    }
    // Stock-outs in the history: about a third of the series had runs of empty-shelf days, unobserved.
    if (rand() < 0.35) {
      const runs = 1 + Math.floor(rand() * 3);
      for (let run = 0; run < runs; run++) {
        const from = Math.floor(rand() * (DAILY_HISTORY - 20));
        const length = 3 + Math.floor(rand() * 10);
        for (let day = from; day < from + length; day++) values[day] = null;
      }
    }
    return { kind, series: values };
  });
}

/**
 * Microseconds per `policyLevels` call on 365 days of daily history, lead time 7: the best and the
 * median of 7 rounds over every series (the best is the least disturbed by other work on the machine).
 */
export function timePolicyLevels(series: readonly DemandSeries[]): { bestMicrosecondsPerCall: number; medianMicrosecondsPerCall: number; callsPerRound: number } {
  const inputs = series.map((values) => {
    const history = values.slice(-365);
    const forecast = forecastSeries(history, { horizon: 8, seasonLength: 7 });
    return forecast.kind === 'forecast' ? { history, forecast } : undefined;
  });
  const ready = inputs.filter((input) => input !== undefined);
  let sink = 0;
  const run = () => {
    for (const { history, forecast } of ready) sink += policyLevels({ history, forecast, leadTimePeriods: 7, reviewPeriods: 1, serviceLevel: 0.95 }).orderUpTo;
  };
  run(); // warm up
  const rounds: number[] = [];
  for (let round = 0; round < 7; round++) {
    const started = performance.now();
    run();
    rounds.push(((performance.now() - started) * 1000) / ready.length);
  }
  if (sink < 0) console.log(sink);
  rounds.sort((a, b) => a - b);
  return { bestMicrosecondsPerCall: rounds[0]!, medianMicrosecondsPerCall: rounds[3]!, callsPerRound: ready.length };
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)} %`;
}

function printResult(title: string, result: SimulationResult): void {
  console.log(`\n${title}: ${result.series} series, last ${result.replayPeriods} periods, lead time ${result.leadTimePeriods}, lost sales`);
  console.log('level | fill (pooled / per-series) | avg stock | Stocky tuned: factor, fill, avg stock | ours/Stocky | within 2 pts | less stock');
  for (const level of result.levels) {
    const { policy, stockyTuned } = level;
    console.log(
      [
        percent(level.serviceLevel),
        `${percent(policy.pooledFillRate)} / ${percent(policy.meanSeriesFillRate)}`,
        policy.averageStock.toFixed(2),
        `${stockyTuned.factor.toFixed(3)}, ${percent(stockyTuned.pooledFillRate)}${stockyTuned.reached ? '' : ' (its best: never reaches ours)'}, ${stockyTuned.averageStock.toFixed(2)}`,
        (policy.averageStock / stockyTuned.averageStock).toFixed(3),
        level.fillWithin2Points ? 'PASS' : 'FAIL',
        level.lessStockThanStocky ? 'PASS' : 'FAIL',
      ].join(' | '),
    );
  }
  const plain = result.levels[0]!.stockyPlain;
  console.log(`Stocky as is (factor 1): fill ${percent(plain.pooledFillRate)}, avg stock ${plain.averageStock.toFixed(2)}`);
  console.log(`time: ${(result.milliseconds.total / 1000).toFixed(1)} s (forecasts ${(result.milliseconds.forecasts / 1000).toFixed(1)} s, levels ${(result.milliseconds.policyLevels / 1000).toFixed(1)} s)`);
}

export function runSimulationBench(): void {
  const startedAt = new Date().toISOString();
  const load = os.loadavg()[0];
  const monthlyFound = existsSync(CARPARTS_CSV);
  let monthly: SimulationResult | undefined;
  if (monthlyFound) {
    const series = readSeriesCsv(readFileSync(CARPARTS_CSV, 'utf8')) as DemandSeries[];
    monthly = simulatePolicies(series, { replayPeriods: 24, leadTimePeriods: 1, periodsIn30Days: 1, seasonLength: undefined, serviceLevels: SERVICE_LEVELS });
    printResult('Monthly car parts (../shared/forecast/carparts-monthly.csv)', monthly);
  } else {
    console.log(`\n${CARPARTS_CSV} is absent: the monthly part is skipped; generated daily series only.`);
  }
  const daily = generateDailySeries(DAILY_SERIES);
  const dailyResult = simulatePolicies(
    daily.map((d) => d.series),
    { replayPeriods: DAILY_REPLAY, leadTimePeriods: 7, periodsIn30Days: 30, seasonLength: 7, serviceLevels: SERVICE_LEVELS },
  );
  printResult(`Daily generated series (seeded; ${KINDS.join(', ')})`, dailyResult);
  const byKind = Object.fromEntries(
    KINDS.map((kind) => [
      kind,
      simulatePolicies(
        daily.filter((d) => d.kind === kind).map((d) => d.series),
        { replayPeriods: DAILY_REPLAY, leadTimePeriods: 7, periodsIn30Days: 30, seasonLength: 7, serviceLevels: SERVICE_LEVELS },
      ).levels.map((level) => ({ serviceLevel: level.serviceLevel, fill: level.policy.pooledFillRate, averageStock: level.policy.averageStock, stockyTunedStock: level.stockyTuned.averageStock })),
    ]),
  );
  console.log('\nDaily by kind (pooled fill, avg stock ours vs Stocky tuned):');
  for (const [kind, levels] of Object.entries(byKind)) {
    console.log(`  ${kind}: ${levels.map((l) => `${percent(l.serviceLevel)} → ${percent(l.fill)}, ${l.averageStock.toFixed(1)} vs ${l.stockyTunedStock.toFixed(1)}`).join('; ')}`);
  }
  const speed = timePolicyLevels(daily.map((d) => d.series));
  console.log(`\npolicyLevels on 365 days of history: best ${speed.bestMicrosecondsPerCall.toFixed(1)} µs per call, median ${speed.medianMicrosecondsPerCall.toFixed(1)} µs (${speed.callsPerRound} calls a round, load ${os.loadavg()[0]!.toFixed(1)})`);

  const result = {
    startedAt,
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, loadAtStart: load, loadAtEnd: os.loadavg()[0] },
    salesLost: 'Unmet demand is lost (lost sales), not back-ordered.',
    monthly: monthly ?? { skipped: `${path.relative(ROOT, CARPARTS_CSV)} is absent: generated daily series only.` },
    daily: { generated: { series: DAILY_SERIES, historyDays: DAILY_HISTORY, replayDays: DAILY_REPLAY, kinds: KINDS, seed: 16 }, ...dailyResult, byKind },
    policySpeed: speed,
  };
  mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(path.join(ROOT, 'bench/results/forecast-simulation.json'), JSON.stringify(result, null, 2) + '\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runSimulationBench();
