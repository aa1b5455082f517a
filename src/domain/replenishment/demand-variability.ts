/**
 * How much demand over a span of periods varies, read from the history: the dispersion index
 * (variance ÷ mean) of demand summed over `span` consecutive observed periods.
 *
 * Why sums over the span and not one period's variance × span: a weekly pattern makes single days
 * vary a lot while weeks hardly do, and demand that comes in bursts makes spans vary more than
 * independent days would. Measuring the span itself sees both.
 *
 * Why variance ÷ mean: it carries over to a forecast whose level differs from the history's. An item
 * whose sales are fading keeps its burstiness but at a smaller scale, so its safety stock shrinks
 * with its forecast instead of staying sized for the old sales.
 */
import type { DemandSeries } from '../forecasting/types.ts';
import { ScratchFloats, ScratchInts } from '../scratch.ts';

/** At most this many recent periods are read: a year of days, every period of a monthly series. */
export const HISTORY_READ = 365;
/** Fewer spans than this of a length, and that length and longer ones are not measured. */
const MIN_SPANS = 8;
/** Below two observed periods nothing is known of the spread: demand is taken as Poisson (variance = mean). */
const POISSON = 1;

/** Spans longer than this are not measured. */
export const LONGEST_SPAN_MEASURED = 32;

/**
 * Variance ÷ mean of demand over `span` periods (span ≥ 1), from the last `HISTORY_READ` periods:
 * the variance of demand over the span divided by the history's mean demand over as many periods.
 *
 * The variance is that of the ERRORS of a plain forecast of each span: each span's demand against
 * `span` × the mean of the observed periods among the `4 × span` before it (a moving average), or,
 * for spans no longer than `seasonLength` when the forecast follows a seasonal profile, among the
 * same span of the 4 seasons before (a seasonal moving average). Not
 * the variance about the history's overall mean: a level that drifts or steps over the year would
 * count as randomness, while a forecast follows it. The moving average's own estimation error is in
 * these errors too, as it is in any forecast's.
 *
 * A longer span never gets a smaller index: the one used for `span` is the largest measured over
 * spans of 1, 2, 4, 8 … periods up to `span`. Demand over a longer lead time is then a gamma with the
 * same or a larger scale and a larger shape, never less likely to exceed a level, so a longer lead
 * time never lowers the reorder point. Spans are measured while there are at least `MIN_SPANS` of
 * them (at least 2 for single periods) and up to `LONGEST_SPAN_MEASURED`: past the longest one
 * measured, the index stays (the variance grows in proportion to the span, as for independent periods).
 * Unobserved periods (null) break a span and are left out of the averages. Nothing measurable, or no
 * demand at all: 1 (Poisson).
 */
export function dispersionIndex(history: DemandSeries, span: number, seasonLength?: number): number {
  // The last HISTORY_READ periods, read in place (no copy: this runs for every series of a plan).
  const start = Math.max(0, history.length - HISTORY_READ);
  const length = history.length - start;
  const wanted = Math.max(1, Math.round(span));
  const season = seasonLength !== undefined && seasonLength > 1 ? Math.round(seasonLength) : undefined;
  const prefix = prefixSums(history, start);
  const periods = prefix.observed[length]!;
  const perPeriod = periods > 0 ? prefix.sums[length]! / periods : 0;
  if (perPeriod <= 0) return POISSON;
  const seasonal = season === undefined ? undefined : seasonalSums(prefix, season);
  let dispersion = -1;
  // Spans of 1, 2, 4, 8 … periods: the set grows with `span`, so the largest index over it never
  // shrinks as the span grows, at a pass over the history per doubling rather than per period.
  for (let spanLength = 1; spanLength <= Math.min(wanted, LONGEST_SPAN_MEASURED); spanLength *= 2) {
    const bySeason = season !== undefined && spanLength <= season;
    const errors = spanErrors(length, prefix, spanLength, bySeason ? season : undefined, bySeason ? seasonal : undefined);
    if (errors.count < (spanLength === 1 ? 2 : MIN_SPANS)) break;
    dispersion = Math.max(dispersion, errors.meanSquaredError / (spanLength * perPeriod));
  }
  return dispersion < 0 ? POISSON : dispersion;
}

interface PrefixSums {
  /** sums[i]: observed demand in periods 0 … i − 1; observed[i]: how many of them were observed. */
  sums: Float64Array;
  observed: Int32Array;
}

/** Prefix sums of `history` from `start` on, in reused working arrays (scratch.ts). */
function prefixSums(history: DemandSeries, start: number): PrefixSums {
  const length = history.length - start;
  const sums = scratch.sums.take(length + 1);
  const observed = scratch.observed.take(length + 1);
  sums[0] = 0;
  observed[0] = 0;
  for (let i = 0; i < length; i++) {
    const value = history[start + i];
    const seen = value !== null && value !== undefined;
    sums[i + 1] = sums[i]! + (seen ? value : 0);
    observed[i + 1] = observed[i]! + (seen ? 1 : 0);
  }
  return { sums, observed };
}

/** dispersionIndex's working arrays: filled before they are read, never kept or returned. */
const scratch = { sums: new ScratchFloats(), observed: new ScratchInts(), seasonalSums: new ScratchFloats(), seasonalObserved: new ScratchInts() };

interface SpanErrors {
  /** Spans that had a forecast. */
  count: number;
  meanSquaredError: number;
}

/**
 * For each i ≥ 4 × season, the prefix sums at i − season, i − 2 × season, … i − 4 × season added up:
 * the difference at two points is then what the same span of the 4 seasons before held.
 */
function seasonalSums({ sums, observed }: PrefixSums, season: number): PrefixSums {
  const seasonalDemand = scratch.seasonalSums.take(sums.length).fill(0);
  const seasonalObserved = scratch.seasonalObserved.take(sums.length).fill(0);
  for (let i = SPANS_AVERAGED * season; i < sums.length; i++) {
    for (let back = season; back <= SPANS_AVERAGED * season; back += season) {
      seasonalDemand[i]! += sums[i - back]!;
      seasonalObserved[i]! += observed[i - back]!;
    }
  }
  return { sums: seasonalDemand, observed: seasonalObserved };
}

/** Seasons averaged for a seasonal forecast, and spans averaged for a plain one. */
const SPANS_AVERAGED = 4;

/**
 * Errors of a moving-average forecast of every `span` consecutive observed periods: the mean of the
 * observed periods in the `4 × span` periods before it, or, with a season no shorter than the span,
 * in the same span of each of the 4 seasons before (so a weekday pattern the forecast follows is not
 * counted as an error).
 */
function spanErrors(length: number, { sums, observed }: PrefixSums, span: number, season: number | undefined, seasonal: PrefixSums | undefined): SpanErrors {
  const reach = SPANS_AVERAGED * (season ?? span);
  const source = seasonal ?? { sums, observed };
  let count = 0;
  let squaredErrors = 0;
  // A span [from, from + span) counts when all its periods are observed and what its forecast reads
  // lies inside the history, with at least one observed period.
  for (let from = reach; from + span <= length; from++) {
    const to = from + span;
    if (observed[to]! - observed[from]! !== span) continue;
    const start = seasonal ? from : from - reach;
    const end = seasonal ? to : from;
    const before = source.sums[end]! - source.sums[start]!;
    const seenBefore = source.observed[end]! - source.observed[start]!;
    if (seenBefore === 0) continue;
    count++;
    squaredErrors += (sums[to]! - sums[from]! - (span * before) / seenBefore) ** 2;
  }
  return { count, meanSquaredError: count > 0 ? squaredErrors / count : 0 };
}
