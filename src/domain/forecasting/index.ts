/**
 * The demand forecaster (issue 16): one series of units per period in, the expected units in each of
 * the next periods out. Pure and allocation-light: the app runs it on 20,000 daily series in a
 * worker. How the method is chosen, and why, is in forecasting/README.md; in short:
 *
 * 1. Unobserved periods (null) are dropped: every method sees only the observed ones, in order.
 * 2. No observed period: no forecast, with a sentence saying so. Observed but never sold: 0.
 * 3. Daily series (season length 7): a weekly profile where the history shows one (profile.ts);
 *    demand is divided by its weekday's factor before the level is forecast, and multiplied back.
 * 4. Demand sizes far above the usual (more than mean + 2 standard deviations of the non-zero sizes,
 *    with at least 3 of them) are capped at that bound: one bulk order should not set the level.
 * 5. The level: the median of three forecasts, for every demand class: simple exponential smoothing
 *    (α chosen on a grid by in-sample one-step error), TSB (which decays an item that stopped
 *    selling) and the moving average over the memory window. The Syntetos–Boylan class is computed
 *    and reported; on both benchmarks, SES alone for smooth and erratic series did worse than the
 *    median (forecasting/README.md has the figures), so the class does not change the method.
 */
import { ScratchFloats, ScratchInts } from '../scratch.ts';
import { classify } from './classify.ts';
import { bestSesAlpha, movingAverageOneStep, sesOneStep, tsbOneStep } from './methods.ts';
import { WEEK, weeklyProfile } from './profile.ts';
import type { DemandSeries, Forecast, ForecastOptions } from './types.ts';

export type * from './types.ts';
export { ADI_CUT, CV2_CUT, classOf, classify, type Classification } from './classify.ts';
export {
  bestSesAlpha,
  croston,
  crostonOneStep,
  flat,
  movingAverage,
  movingAverageOneStep,
  naive,
  sba,
  seasonalNaive,
  ses,
  sesOneStep,
  sesSse,
  tsb,
  tsbOneStep,
} from './methods.ts';
export { weeklyProfile, type WeeklyProfileTest } from './profile.ts';

/**
 * The memory of the methods, in periods: the moving average's window, TSB's α = β = 2 / (window + 1)
 * (the smoothing constant whose average age of data equals that window's), and how many recent
 * periods `recentError` covers. 28 days (four weeks) for daily series, 12 otherwise (a year of months).
 */
export function memoryOf(seasonLength: number | undefined): number {
  return seasonLength === WEEK ? 4 * WEEK : 12;
}

/** Sizes above mean + CAP_SD standard deviations of the non-zero sizes are capped there. */
export const CAP_SD = 2;
const CAP_MIN_DEMANDS = 3;

const NONE_REASON = 'There is no sales history here yet (no period with the item on sale has been recorded), so there is nothing to forecast from.';

function medianOfThree(a: number, b: number, c: number): number {
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}

/** forecastSeries' working arrays (scratch.ts): filled before they are read, never kept or returned. */
const scratch = { values: new ScratchFloats(), positions: new ScratchInts(), level: new ScratchFloats(), capped: new ScratchFloats() };

/** Caps outlying demand sizes (see step 4 above): the same array when none is above the cap, else a capped copy. */
function capOutliers(values: Float64Array): Float64Array {
  let count = 0;
  let sum = 0;
  let sumSq = 0;
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const y = values[i] ?? 0;
    if (y > 0) {
      count++;
      sum += y;
      sumSq += y * y;
      if (y > max) max = y;
    }
  }
  if (count < CAP_MIN_DEMANDS) return values;
  const mean = sum / count;
  const cap = mean + CAP_SD * Math.sqrt(Math.max(0, sumSq / count - mean * mean));
  if (max <= cap) return values;
  const capped = scratch.capped.take(values.length);
  for (let i = 0; i < values.length; i++) capped[i] = Math.min(values[i] ?? 0, cap);
  return capped;
}

export function forecastSeries(series: DemandSeries, options: ForecastOptions): Forecast {
  const horizon = Number.isFinite(options.horizon) ? Math.max(0, Math.floor(options.horizon)) : 0;
  let n = 0;
  for (const v of series) if (v !== null && Number.isFinite(v)) n++;
  if (n === 0) return { kind: 'none', reason: NONE_REASON };

  // Observed values (a negative day, more returned than sold, is no demand) and where they were.
  const profiled = options.seasonLength === WEEK;
  const values = scratch.values.take(n);
  const positions = profiled ? scratch.positions.take(n) : undefined;
  for (let p = 0, i = 0; p < series.length; p++) {
    const v = series[p];
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    values[i] = v > 0 ? v : 0;
    if (positions) positions[i] = p;
    i++;
  }

  const { demandClass, adi, cv2, demandPeriods } = classify(values);
  const memory = memoryOf(options.seasonLength);
  // recentError covers the last `memory` observed periods: index `recentFrom` on.
  const recentFrom = Math.max(1, n - memory);
  if (demandPeriods === 0) {
    return {
      kind: 'forecast',
      method: 'zero',
      demandClass,
      adi,
      cv2,
      perPeriod: new Array<number>(horizon).fill(0),
      profile: undefined,
      recentError: recentErrorOf(values, recentFrom, () => 0, memory),
      note: `Nothing sold in the ${n} ${n === 1 ? 'period' : 'periods'} on record, so the forecast is 0.`,
    };
  }

  // Weekly profile, then the level series: observed values divided by their weekday's factor
  // (closed weekdays, factor 0, say nothing about the level and are left out).
  const factors = positions ? weeklyProfile(values, positions).factors : undefined;
  const factorAt = (position: number): number => (factors ? (factors[position % WEEK] ?? 0) : 1);
  const positionOf = (i: number): number => (positions ? (positions[i] ?? 0) : i);
  let level: Float64Array;
  let recentLevelFrom = recentFrom; // the level index of the first open period in the recent window
  if (factors) {
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (i === recentFrom) recentLevelFrom = m;
      if (factorAt(positionOf(i)) > 0) m++;
    }
    if (recentFrom >= n) recentLevelFrom = m;
    level = scratch.level.take(m);
    for (let i = 0, j = 0; i < n; i++) {
      const factor = factorAt(positionOf(i));
      if (factor > 0) level[j++] = (values[i] ?? 0) / factor;
    }
  } else level = values;
  level = capOutliers(level);

  // The level forecast: the median of SES, TSB and the moving average (README: why), and the
  // one-step forecasts of the level over the recent window, made the same way.
  const m = level.length;
  const recentLevel = new Float64Array(Math.max(0, m - recentLevelFrom));
  const sesRecent = new Float64Array(recentLevel.length);
  const tsbRecent = new Float64Array(recentLevel.length);
  const smoothing = 2 / (memory + 1);
  const sesNext = sesOneStep(level, bestSesAlpha(level), sesRecent);
  const tsbNext = tsbOneStep(level, smoothing, smoothing, tsbRecent);
  const maNext = movingAverageOneStep(level, memory, recentLevel);
  for (let k = 0; k < recentLevel.length; k++) recentLevel[k] = medianOfThree(sesRecent[k] ?? 0, tsbRecent[k] ?? 0, recentLevel[k] ?? 0);
  let next = medianOfThree(sesNext, tsbNext, maNext);
  if (!(next > 0)) next = 0;

  // One-step forecasts in the units of the observed values: the level's times the weekday's factor;
  // a closed weekday is forecast 0.
  let j = recentLevelFrom;
  const oneStep = (i: number): number => {
    const factor = factorAt(positionOf(i));
    return factor > 0 ? (recentLevel[j++ - recentLevelFrom] ?? 0) * factor : 0;
  };

  const perPeriod = new Array<number>(horizon);
  for (let h = 0; h < horizon; h++) perPeriod[h] = next * factorAt(series.length + h);
  const profile = factors ? Array.from({ length: WEEK }, (_, h) => factorAt(series.length + h)) : undefined;
  return { kind: 'forecast', method: 'combination', demandClass, adi, cv2, perPeriod, profile, recentError: recentErrorOf(values, recentFrom, oneStep, memory) };
}

/**
 * One-step MAE and RMSSE over the last `periods` observed periods (fewer where the history is
 * shorter; undefined below half of them). The methods' parameters and the profile were chosen on the
 * whole history, so this is an in-sample figure: how closely the method followed the recent weeks.
 * The RMSSE scale is the mean squared difference between consecutive observed values over the whole
 * history (the naive method's one-step error); undefined where that is 0.
 */
function recentErrorOf(
  values: Float64Array,
  from: number,
  oneStep: (i: number) => number,
  periods: number,
): { periods: number; mae: number; rmsse: number | undefined } | undefined {
  const n = values.length;
  const count = n - from;
  if (count < periods / 2) return undefined;
  let absolute = 0;
  let squared = 0;
  for (let i = from; i < n; i++) {
    const f = oneStep(i); // called in order: the forecaster's oneStep walks its window once
    const e = (values[i] ?? 0) - (Number.isNaN(f) ? 0 : f);
    absolute += Math.abs(e);
    squared += e * e;
  }
  let scale = 0;
  for (let i = 1; i < n; i++) {
    const d = (values[i] ?? 0) - (values[i - 1] ?? 0);
    scale += d * d;
  }
  scale /= n - 1;
  return { periods: count, mae: absolute / count, rmsse: scale > 0 ? Math.sqrt(squared / count / scale) : undefined };
}
