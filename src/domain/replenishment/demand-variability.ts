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

/** At most this many recent periods are read: a year of days, every period of a monthly series. */
export const HISTORY_READ = 365;
/** Fewer spans than this, and the spread is read from single periods instead. */
const MIN_SPANS = 8;
/** Below two observed periods nothing is known of the spread: demand is taken as Poisson (variance = mean). */
const POISSON = 1;

/**
 * Variance ÷ mean of demand over `span` periods (span ≥ 1), from the last `HISTORY_READ` periods.
 *
 * The variance is that of the ERRORS of a plain forecast of each span: each span's demand against
 * `span` × the mean of the observed periods among the `4 × span` before it (a moving average). Not the variance
 * about the history's overall mean: a level that drifts or steps over the year would count as
 * randomness, while a forecast follows it. The moving average's own estimation error is in these
 * errors too, as it is in any forecast's.
 *
 * Unobserved periods (null) break a span and are left out of the averages. With fewer than
 * `MIN_SPANS` spans that have a forecast, the same is done for single periods; with fewer than two
 * observed periods, or no demand at all, 1 (Poisson).
 */
export function dispersionIndex(history: DemandSeries, span: number): number {
  const start = Math.max(0, history.length - HISTORY_READ);
  const whole = Math.max(1, Math.round(span));
  const values = history.slice(start);
  const spans = spanErrors(values, whole);
  if (spans.count >= MIN_SPANS && spans.mean > 0) return spans.meanSquaredError / spans.mean;
  const single = spanErrors(values, 1);
  if (single.count >= 2 && single.mean > 0) return single.meanSquaredError / single.mean;
  return POISSON;
}

interface SpanErrors {
  /** Spans that had a forecast. */
  count: number;
  /** Mean demand over those spans. */
  mean: number;
  meanSquaredError: number;
}

/** Errors of a moving-average forecast of every `span` consecutive observed periods. */
function spanErrors(values: DemandSeries, span: number): SpanErrors {
  const window = 4 * span;
  // Prefix sums of observed demand and of observed periods, for the moving averages.
  const sums = new Float64Array(values.length + 1);
  const observed = new Int32Array(values.length + 1);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    const seen = value !== null && value !== undefined;
    sums[i + 1] = sums[i]! + (seen ? value : 0);
    observed[i + 1] = observed[i]! + (seen ? 1 : 0);
  }
  let count = 0;
  let demand = 0;
  let squaredErrors = 0;
  // A span [from, from + span) counts when all its periods are observed and a whole window precedes
  // it, with at least one observed period in it.
  for (let from = window; from + span <= values.length; from++) {
    const to = from + span;
    if (observed[to]! - observed[from]! !== span) continue;
    const back = from - window;
    const seenBefore = observed[from]! - observed[back]!;
    if (seenBefore === 0) continue;
    const actual = sums[to]! - sums[from]!;
    const forecast = (span * (sums[from]! - sums[back]!)) / seenBefore;
    count++;
    demand += actual;
    squaredErrors += (actual - forecast) ** 2;
  }
  return { count, mean: count > 0 ? demand / count : 0, meanSquaredError: count > 0 ? squaredErrors / count : 0 };
}
