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
import { forecastSeries } from '../../src/domain/forecasting/index.ts';
import type { DemandSeries } from '../../src/domain/forecasting/types.ts';
import { policyLevels } from '../../src/domain/replenishment/policy.ts';

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
      lessStockThanStocky: policy.averageStock < tuned.averageStock && policy.pooledFillRate >= tuned.pooledFillRate - 0.0005,
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
  let high = 1;
  let atHigh = outcomeAt(high);
  while (atHigh.pooledFillRate < target && high < MAX_FACTOR) {
    low = high;
    high *= 2;
    atHigh = outcomeAt(high);
  }
  const reached = atHigh.pooledFillRate >= target;
  const aim = reached ? target : atHigh.pooledFillRate - 0.001;
  if (!reached) low = 0;
  for (let step = 0; step < 40 && high - low > 1e-4; step++) {
    const middle = (low + high) / 2;
    const atMiddle = outcomeAt(middle);
    if (atMiddle.pooledFillRate >= aim) {
      high = middle;
      atHigh = atMiddle;
    } else low = middle;
  }
  return { ...atHigh, factor: high, reached };
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
