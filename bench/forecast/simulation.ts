/**
 * Inventory simulation (issue 16): replay each series' last periods against the reorder policy and
 * against Stocky's rule tuned to the same fill rate, and report the fill rate and the stock held.
 *
 * Every period t of the replay, in this order:
 * 1. orders due at t arrive;
 * 2. review: the forecast and the levels are recomputed from the history before t (the series as
 *    recorded, with its own unobserved periods); when the inventory position (on hand + on order) is
 *    below the reorder point, order up to the order-up-to level; the order is due at t + lead time;
 * 3. demand of period t is served from stock; what stock cannot serve is LOST (not back-ordered);
 * 4. the stock held is what is on hand at the end of the period.
 * Each series starts with stock at its first order-up-to level and nothing on order.
 *
 * Stocky's rule (Shopify): a = average demand per day over the last 30 days (for monthly series, the
 * last period); reorder when the position is below a × lead time; order up to a × (lead time + 30 days).
 * "Tuned": both levels are scaled by one factor f, found by bisection so that Stocky's pooled fill
 * rate equals ours; then the stock each holds is compared at the same fill rate.
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { forecastSeries } from '../../src/domain/forecasting/index.ts';
import type { DemandSeries } from '../../src/domain/forecasting/types.ts';
import { policyLevels } from '../../src/domain/replenishment/policy.ts';
import { carpartsFile, generateMonthly } from './accuracy.ts';
import { parseSeriesCsv } from '../../src/server/cli/forecast-csv.ts';
import { seededRandom } from '../../tests/seeded-random.ts';

export interface SimulationOptions {
  /** Periods replayed at the end of each series. */
  replayPeriods: number;
  leadTimePeriods: number;
  /** Periods in 30 days: 30 for daily series, 1 for monthly ones (Stocky's "30 days of sales"). */
  periodsIn30Days: number;
  /** For the forecaster: 7 for daily series; undefined for monthly ones. */
  seasonLength: number | undefined;
  /** Fill rates aimed for, as fractions: [0.9, 0.95, 0.98]. */
  serviceLevels: number[];
}

export interface Outcome {
  /** Units served ÷ units demanded, over every series together. */
  pooledFillRate: number;
  /** The mean of each series' own fill rate, over the series with demand in the replay. */
  meanSeriesFillRate: number;
  /** Units on hand at the end of a period, averaged over every series and period. */
  averageStock: number;
  /** Orders placed per series over the replay, on average. */
  ordersPerSeries: number;
}

export interface LevelResult {
  serviceLevel: number;
  policy: Outcome;
  /** Stocky's rule scaled by `factor` to reach the policy's pooled fill rate, or as near as it gets. */
  stockyTuned: StockyTuned;
  /** Stocky's rule as it is (factor 1). */
  stockyPlain: Outcome;
  /** |policy fill − service level| ≤ 2 points. */
  fillWithin2Points: boolean;
  /**
   * The policy holds less stock than Stocky tuned to the same fill rate (or, where Stocky cannot reach
   * it, less stock than Stocky at the best fill rate it reaches, while serving more).
   */
  lessStockThanStocky: boolean;
}

export interface StockyTuned extends Outcome {
  factor: number;
  /** False when no factor reaches the policy's fill rate: then the factor where Stocky's fill rate stops rising. */
  reached: boolean;
  /**
   * Stocky's average stock at exactly the policy's fill rate: its rule rounds levels up to whole
   * units, so its fill rate moves in steps and the tuned factor lands a little above ours; this is
   * the stock read on the straight line between the factors either side of ours. Equal to
   * `averageStock` when not reached.
   */
  stockAtSameFill: number;
}

export interface SimulationResult {
  series: number;
  /** Series skipped: too short for the replay plus one period of history. */
  skipped: number;
  replayPeriods: number;
  leadTimePeriods: number;
  levels: LevelResult[];
  /** Wall time of the whole simulation and of the forecasts and levels in it. */
  milliseconds: { total: number; forecasts: number; policyLevels: number };
}

/** Order and level schedule of one series under one rule: the levels at each replayed period. */
interface Schedule {
  reorderPoint: Float64Array;
  orderUpTo: Float64Array;
}

interface Tally {
  demand: number;
  served: number;
  stockPeriods: number;
  stock: number;
  orders: number;
  seriesFillSum: number;
  seriesWithDemand: number;
  series: number;
}

export function simulatePolicies(all: readonly DemandSeries[], options: SimulationOptions): SimulationResult {
  const started = performance.now();
  const { replayPeriods: replay, leadTimePeriods: lead } = options;
  const usable = all.filter((series) => series.length > replay);
  let forecastMs = 0;
  let levelsMs = 0;

  // Levels per series: one schedule per service level, and Stocky's average per period.
  const demands: Float64Array[] = [];
  const policySchedules: Schedule[][] = options.serviceLevels.map(() => []);
  const stockyAverages: Float64Array[] = [];
  for (const series of usable) {
    const start = series.length - replay;
    const demand = new Float64Array(replay);
    const average = new Float64Array(replay);
    const schedules = options.serviceLevels.map(() => ({ reorderPoint: new Float64Array(replay), orderUpTo: new Float64Array(replay) }));
    for (let i = 0; i < replay; i++) {
      const t = start + i;
      demand[i] = series[t] ?? 0;
      const history = series.slice(0, t);
      average[i] = recentAverage(history, options.periodsIn30Days);
      const f0 = performance.now();
      const forecast = forecastSeries(history, { horizon: lead + 1, seasonLength: options.seasonLength });
      const f1 = performance.now();
      forecastMs += f1 - f0;
      if (forecast.kind !== 'forecast') continue; // no history: no levels, nothing ordered
      options.serviceLevels.forEach((serviceLevel, level) => {
        const levels = policyLevels({ history, forecast, leadTimePeriods: lead, reviewPeriods: 1, serviceLevel });
        schedules[level]!.reorderPoint[i] = levels.reorderPoint;
        schedules[level]!.orderUpTo[i] = levels.orderUpTo;
      });
      levelsMs += performance.now() - f1;
    }
    demands.push(demand);
    stockyAverages.push(average);
    schedules.forEach((schedule, level) => policySchedules[level]!.push(schedule));
  }

  const stockyAt = (factor: number): Schedule[] =>
    stockyAverages.map((average) => ({
      reorderPoint: average.map((a) => Math.ceil(factor * a * lead - 1e-9)),
      orderUpTo: average.map((a) => Math.ceil(factor * a * (lead + options.periodsIn30Days) - 1e-9)),
    }));
  const stockyPlain = outcomeOf(replayAll(demands, stockyAt(1), lead));

  const levels = options.serviceLevels.map((serviceLevel, level): LevelResult => {
    const policy = outcomeOf(replayAll(demands, policySchedules[level]!, lead));
    const tuned = tuneStocky(policy.pooledFillRate, (factor) => outcomeOf(replayAll(demands, stockyAt(factor), lead)));
    return {
      serviceLevel,
      policy,
      stockyTuned: tuned,
      stockyPlain,
      fillWithin2Points: Math.abs(policy.pooledFillRate - serviceLevel) <= 0.02,
      lessStockThanStocky: tuned.reached ? policy.averageStock < tuned.stockAtSameFill : policy.averageStock < tuned.averageStock && policy.pooledFillRate >= tuned.pooledFillRate,
    };
  });

  return {
    series: usable.length,
    skipped: all.length - usable.length,
    replayPeriods: replay,
    leadTimePeriods: lead,
    levels,
    milliseconds: { total: performance.now() - started, forecasts: forecastMs, policyLevels: levelsMs },
  };
}

/** Stocky's a: mean observed demand per period over the last `window` periods (0 with none observed). */
function recentAverage(history: DemandSeries, window: number): number {
  let sum = 0;
  let count = 0;
  for (let i = Math.max(0, history.length - window); i < history.length; i++) {
    const value = history[i];
    if (value === null || value === undefined) continue;
    sum += value;
    count++;
  }
  return count === 0 ? 0 : sum / count;
}

/**
 * The smallest factor whose pooled fill rate reaches `target` (bisection; the fill rate rises with the
 * factor). Where no factor reaches it (with monthly series a month without sales sets Stocky's average
 * to 0, and it orders nothing whatever the factor), the smallest factor within 0.1 point of the best
 * fill rate it can reach, with `reached: false`.
 */
function tuneStocky(target: number, outcomeAt: (factor: number) => Outcome): StockyTuned {
  let low = 0;
  let atLow = outcomeAt(low);
  let high = 1;
  let atHigh = outcomeAt(high);
  while (atHigh.pooledFillRate < target && high < MAX_FACTOR) {
    low = high;
    atLow = atHigh;
    high *= 2;
    atHigh = outcomeAt(high);
  }
  const reached = atHigh.pooledFillRate >= target;
  const aim = reached ? target : atHigh.pooledFillRate - 0.001;
  if (!reached) {
    low = 0;
    atLow = outcomeAt(low);
  }
  for (let step = 0; step < 40 && high - low > 1e-4; step++) {
    const middle = (low + high) / 2;
    const atMiddle = outcomeAt(middle);
    if (atMiddle.pooledFillRate >= aim) {
      high = middle;
      atHigh = atMiddle;
    } else {
      low = middle;
      atLow = atMiddle;
    }
  }
  const span = atHigh.pooledFillRate - atLow.pooledFillRate;
  const stockAtSameFill =
    reached && span > 0 ? atLow.averageStock + ((target - atLow.pooledFillRate) / span) * (atHigh.averageStock - atLow.averageStock) : atHigh.averageStock;
  return { ...atHigh, factor: high, reached, stockAtSameFill };
}

const MAX_FACTOR = 1024;

function replayAll(demands: readonly Float64Array[], schedules: readonly Schedule[], lead: number): Tally {
  const tally: Tally = { demand: 0, served: 0, stockPeriods: 0, stock: 0, orders: 0, seriesFillSum: 0, seriesWithDemand: 0, series: 0 };
  demands.forEach((demand, index) => replayOne(demand, schedules[index]!, lead, tally));
  return tally;
}

/** One series under one schedule, added to `tally`. */
function replayOne(demand: Float64Array, schedule: Schedule, lead: number, tally: Tally): void {
  const periods = demand.length;
  const due = new Float64Array(periods + lead + 1);
  let onHand = schedule.orderUpTo[0] ?? 0;
  let onOrder = 0;
  let demanded = 0;
  let served = 0;
  for (let t = 0; t < periods; t++) {
    onHand += due[t]!;
    onOrder -= due[t]!;
    const position = onHand + onOrder;
    if (position < schedule.reorderPoint[t]!) {
      const qty = schedule.orderUpTo[t]! - position;
      if (qty > 0) {
        tally.orders++;
        if (lead === 0) onHand += qty;
        else {
          due[t + lead] = due[t + lead]! + qty;
          onOrder += qty;
        }
      }
    }
    const sold = Math.min(onHand, demand[t]!);
    onHand -= sold;
    demanded += demand[t]!;
    served += sold;
    tally.stock += onHand;
    tally.stockPeriods++;
  }
  tally.demand += demanded;
  tally.served += served;
  tally.series++;
  if (demanded > 0) {
    tally.seriesFillSum += served / demanded;
    tally.seriesWithDemand++;
  }
}

function outcomeOf(tally: Tally): Outcome {
  return {
    pooledFillRate: tally.demand > 0 ? tally.served / tally.demand : 1,
    meanSeriesFillRate: tally.seriesWithDemand > 0 ? tally.seriesFillSum / tally.seriesWithDemand : 1,
    averageStock: tally.stockPeriods > 0 ? tally.stock / tally.stockPeriods : 0,
    ordersPerSeries: tally.series > 0 ? tally.orders / tally.series : 0,
  };
}

const SERVICE_LEVELS = [0.9, 0.95, 0.98];
const DAILY_SERIES = Number(process.env.BENCH_SIM_DAILY_SERIES ?? 400);
const DAILY_HISTORY = 400;
const DAILY_REPLAY = 365;


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
  const rand = seededRandom(seed);
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

export function printResult(title: string, result: SimulationResult): void {
  console.log(`\n${title}: ${result.series} series, last ${result.replayPeriods} periods, lead time ${result.leadTimePeriods}, lost sales`);
  console.log('level | fill (pooled / per-series) | avg stock | Stocky tuned: factor, fill, avg stock | ours/Stocky | within 2 pts | less stock');
  for (const level of result.levels) {
    const { policy, stockyTuned } = level;
    console.log(
      [
        percent(level.serviceLevel),
        `${percent(policy.pooledFillRate)} / ${percent(policy.meanSeriesFillRate)}`,
        policy.averageStock.toFixed(2),
        `${stockyTuned.factor.toFixed(3)}, ${percent(stockyTuned.pooledFillRate)}${stockyTuned.reached ? '' : ' (its best: never reaches ours)'}, ${stockyTuned.averageStock.toFixed(2)} (at our fill: ${stockyTuned.stockAtSameFill.toFixed(2)})`,
        (policy.averageStock / stockyTuned.stockAtSameFill).toFixed(3),
        level.fillWithin2Points ? 'PASS' : 'FAIL',
        level.lessStockThanStocky ? 'PASS' : 'FAIL',
      ].join(' | '),
    );
  }
  const plain = result.levels[0]!.stockyPlain;
  console.log(`Stocky as is (factor 1): fill ${percent(plain.pooledFillRate)}, avg stock ${plain.averageStock.toFixed(2)}`);
  console.log(`time: ${(result.milliseconds.total / 1000).toFixed(1)} s (forecasts ${(result.milliseconds.forecasts / 1000).toFixed(1)} s, levels ${(result.milliseconds.policyLevels / 1000).toFixed(1)} s)`);
}

export interface SimulationReport {
  startedAt: string;
  machine: { cpus: number; cpu: string | undefined; node: string; loadAtStart: number | undefined; loadAtEnd: number | undefined };
  salesLost: string;
  monthly: SimulationResult & { source: string };
  daily: SimulationResult & { generated: { series: number; historyDays: number; replayDays: number; kinds: DailyKind[]; seed: number }; byKind: Record<string, { serviceLevel: number; fill: number; averageStock: number; stockyTunedStock: number }[]> };
  policySpeed: ReturnType<typeof timePolicyLevels>;
}

/**
 * The whole simulation (monthly car parts when `../shared/forecast/` has them, generated daily
 * series), its tables printed as it goes; what forecast.bench.ts and simulation.bench.ts record.
 */
export function runSimulation(): SimulationReport {
  const startedAt = new Date().toISOString();
  const load = os.loadavg()[0];
  const csv = carpartsFile();
  const monthlyOptions: SimulationOptions = { replayPeriods: 24, leadTimePeriods: 1, periodsIn30Days: 1, seasonLength: undefined, serviceLevels: SERVICE_LEVELS };
  let monthly: SimulationResult & { source: string };
  if (existsSync(csv)) {
    const parsed = parseSeriesCsv(readFileSync(csv, 'utf8'));
    if (!parsed.ok) throw new Error(`${csv}: ${parsed.message}`);
    monthly = { source: csv, ...simulatePolicies(parsed.series.map((s) => s.values), monthlyOptions) };
    printResult(`Monthly car parts (${csv})`, monthly);
  } else {
    const source = `GENERATED: ${csv} is absent, so 1,200 monthly series (51 months, seed 16) were generated instead`;
    console.log(`\n${source}.`);
    monthly = { source, ...simulatePolicies(generateMonthly(1200, 51, 16).map((s) => s.values), monthlyOptions) };
    printResult('Monthly generated series (seeded)', monthly);
  }
  const daily = generateDailySeries(DAILY_SERIES);
  const dailyOptions: SimulationOptions = { replayPeriods: DAILY_REPLAY, leadTimePeriods: 7, periodsIn30Days: 30, seasonLength: 7, serviceLevels: SERVICE_LEVELS };
  const dailyResult = simulatePolicies(daily.map((d) => d.series), dailyOptions);
  printResult(`Daily generated series (seeded; ${KINDS.join(', ')})`, dailyResult);
  const byKind = Object.fromEntries(
    KINDS.map((kind) => [
      kind,
      simulatePolicies(daily.filter((d) => d.kind === kind).map((d) => d.series), dailyOptions).levels.map((level) => ({
        serviceLevel: level.serviceLevel,
        fill: level.policy.pooledFillRate,
        averageStock: level.policy.averageStock,
        stockyTunedStock: level.stockyTuned.stockAtSameFill,
      })),
    ]),
  );
  console.log('\nDaily by kind (pooled fill, avg stock ours vs Stocky tuned):');
  for (const [kind, levels] of Object.entries(byKind)) {
    console.log(`  ${kind}: ${levels.map((l) => `${percent(l.serviceLevel)} → ${percent(l.fill)}, ${l.averageStock.toFixed(1)} vs ${l.stockyTunedStock.toFixed(1)}`).join('; ')}`);
  }
  const speed = timePolicyLevels(daily.map((d) => d.series));
  console.log(`\npolicyLevels on 365 days of history: best ${speed.bestMicrosecondsPerCall.toFixed(1)} µs per call, median ${speed.medianMicrosecondsPerCall.toFixed(1)} µs (${speed.callsPerRound} calls a round, load ${os.loadavg()[0]!.toFixed(1)})`);
  return {
    startedAt,
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, loadAtStart: load, loadAtEnd: os.loadavg()[0] },
    salesLost: 'Unmet demand is lost (lost sales), not back-ordered.',
    monthly,
    daily: { generated: { series: DAILY_SERIES, historyDays: DAILY_HISTORY, replayDays: DAILY_REPLAY, kinds: KINDS, seed: 16 }, ...dailyResult, byKind },
    policySpeed: speed,
  };
}
