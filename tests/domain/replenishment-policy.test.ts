/**
 * The reorder policy (issue 16) against values worked out by hand: the arithmetic is in the comments.
 * Notation: μL, μR = expected demand over the lead time and over one review period (from the
 * forecast); φ = variance ÷ mean of span demand, from the history; allowed = (1 − fill rate) × μR,
 * the units a review period may lose; short(y) = E[(D_{L+R} − y)⁺] − E[(D_L − y)⁺], D gamma with mean
 * μ and variance φμ. The levels' midpoint is found in half units h: the smallest h with
 * short(h/2 + ½ + (L + R) × allowed) ≤ allowed (½: demand in whole units; (L + R) × allowed: lost
 * sales are not reordered). gap = round(μR), or one more when h − round(μR) is odd;
 * reorderPoint = (h − gap) / 2, orderUpTo = reorderPoint + gap.
 */
import { describe, expect, it } from 'vitest';
import type { Forecast } from '../../src/domain/forecasting/types.ts';
import { expectedExcess } from '../../src/domain/replenishment/demand-distribution.ts';
import { dispersionIndex } from '../../src/domain/replenishment/demand-variability.ts';
import { policyLevels } from '../../src/domain/replenishment/policy.ts';

type ForecastFound = Extract<Forecast, { kind: 'forecast' }>;

function flatForecast(perPeriod: number, horizon = 8): ForecastFound {
  return { kind: 'forecast', method: 'moving-average', demandClass: undefined, adi: undefined, cv2: undefined, perPeriod: Array.from({ length: horizon }, () => perPeriod), profile: undefined, recentError: undefined };
}

/** [0, 0, 0, 4] ten times: a sale of 4 every fourth period (ADI 4: intermittent), 1 a period on average. */
const EVERY_FOURTH = Array.from({ length: 10 }, () => [0, 0, 0, 4]).flat();

describe('expected demand above a level, demand gamma-distributed', () => {
  it('is μ·e^(−y/μ) when the variance is μ² (exponential)', () => {
    // mean 2, variance 4: shape 1, scale 2. y = 3: 2·e^(−1.5) = 2 × 0.22313016 = 0.44626032.
    expect(expectedExcess({ mean: 2, variance: 4 }, 3)).toBeCloseTo(0.44626032, 7);
  });

  it('is θ·e^(−y/θ)·(2 + y/θ) with shape 2 (Erlang)', () => {
    // mean 4, variance 8: shape 2, scale θ = 2. E[(D − y)⁺] = μ·Q(3, x) − y·Q(2, x) with x = y/θ,
    // Q(2, x) = e^(−x)(1 + x), Q(3, x) = e^(−x)(1 + x + x²/2), which simplifies to θ·e^(−x)(2 + x).
    // y = 5: x = 2.5, 2 × e^(−2.5) × 4.5 = 9 × 0.08208500 = 0.73876500.
    expect(expectedExcess({ mean: 4, variance: 8 }, 5)).toBeCloseTo(0.738765, 6);
  });

  it('is the mean less the level, or 0, when demand does not vary; the mean less the level below 0', () => {
    expect(expectedExcess({ mean: 40, variance: 0 }, 39.5)).toBe(0.5);
    expect(expectedExcess({ mean: 40, variance: 0 }, 41)).toBe(0);
    expect(expectedExcess({ mean: 3, variance: 6 }, 0)).toBe(3);
  });
});

describe('the spread of demand over a span, from the history', () => {
  it('is 0 for a series that never varies', () => {
    expect(dispersionIndex(Array.from({ length: 365 }, () => 5), 8)).toBe(0);
  });

  it('reads an intermittent series from the errors of a moving-average forecast of each span', () => {
    // Mean demand per period m = 40 / 40 = 1. φ(span) = mean squared error / (span × m), the largest over spans 1 … span.
    // Span 1, window 4: periods 4 … 39 (36) have a whole window before them, which always holds one
    // sale of 4: forecast 1. 9 of them are 4s (error 3), 27 are 0s (error −1): MSE (9×9 + 27×1) / 36 = 3; φ(1) = 3.
    // Span 2, window 8: spans start at 8 … 38 (31). Any 8 periods hold two 4s: forecast 2 × 8/8 = 2.
    // Every span holds [0,0], [0,4] or [4,0]: errors ±2, MSE 4; φ(2) = 4 / 2 = 2. Used for span 2: max(3, 2) = 3.
    expect(dispersionIndex(EVERY_FOURTH, 1)).toBe(3);
    expect(dispersionIndex(EVERY_FOURTH, 2)).toBe(3);
  });

  it('does not count a weekday pattern the forecast follows as spread', () => {
    // Eight weeks of [2, 2, 2, 2, 2, 10, 10]. With a season of 7, a day is forecast from the same
    // weekday of the 4 weeks before: always right, φ(1) = 0. Without one, from the 4 days before:
    // Saturday after Mon–Fri is forecast 2 and sells 10, so single days look spread out.
    const weeks = Array.from({ length: 8 }, () => [2, 2, 2, 2, 2, 10, 10]).flat();
    expect(dispersionIndex(weeks, 1, 7)).toBe(0);
    expect(dispersionIndex(weeks, 1)).toBeGreaterThan(1);
  });

  it('takes demand as Poisson (φ = 1) with no history', () => {
    expect(dispersionIndex([], 8)).toBe(1);
    expect(dispersionIndex([null, null], 8)).toBe(1);
  });
});

describe('reorder point and order-up-to level', () => {
  it('for a steady series: 5 a day, lead time 7 days, fill rate 98 %', () => {
    // μL = 35, μR = 5, φ = 0 (no variation): demand is exactly its mean. allowed = 0.02 × 5 = 0.1;
    // y = h/2 + 0.5 + 8 × 0.1 = h/2 + 1.3; short(y) = max(0, 40 − y) − max(0, 35 − y).
    // h = 77: y = 39.8, short 0.2 > 0.1. h = 78: y = 40.3, short 0 ≤ 0.1: the smallest.
    // 78 − 5 = 73 is odd: gap 6. Reorder point (78 − 6) / 2 = 36, order-up-to 42; safety stock 36 − 35 = 1.
    const levels = policyLevels({ history: Array.from({ length: 365 }, () => 5), forecast: flatForecast(5), leadTimePeriods: 7, reviewPeriods: 1, serviceLevel: 0.98 });
    expect(levels).toEqual({ reorderPoint: 36, orderUpTo: 42, leadTimeDemand: 35, safetyStock: 1 });
  });

  it('for an intermittent series: 4 every fourth period, a forecast of 3 a period, lead time 1, fill rate 95 %', () => {
    // φ = 3 (above): the variance is 3 × the forecast demand. μL = 3: variance 9, shape 1, scale 3:
    // E[(D_L − y)⁺] = 3e^(−y/3). μL+R = 6: variance 18, shape 2, scale θ = 3: θe^(−y/θ)(2 + y/θ) = e^(−y/3)(6 + y).
    // short(y) = e^(−y/3)(3 + y). allowed = 0.05 × 3 = 0.15; y = h/2 + 0.5 + 2 × 0.15 = h/2 + 0.8.
    // h = 26: y = 13.8, e^(−4.6) × 16.8 = 0.0100518 × 16.8 = 0.16887 > 0.15.
    // h = 27: y = 14.3, e^(−4.76667) × 17.3 = 0.0085087 × 17.3 = 0.14720 ≤ 0.15: the smallest.
    // 27 − 3 = 24 is even: gap 3. Reorder point (27 − 3) / 2 = 12, order-up-to 15; safety stock 12 − 3 = 9.
    const levels = policyLevels({ history: EVERY_FOURTH, forecast: flatForecast(3), leadTimePeriods: 1, reviewPeriods: 1, serviceLevel: 0.95 });
    expect(levels).toEqual({ reorderPoint: 12, orderUpTo: 15, leadTimeDemand: 3, safetyStock: 9 });
  });

  it('with no history to read the spread from: Poisson demand', () => {
    // φ = 1. μL = 1: shape 1, scale 1: E[(D_L − y)⁺] = e^(−y). μL+R = 2: shape 2, scale 1:
    // e^(−y)(2 + y). short(y) = e^(−y)(1 + y). allowed = 0.1 × 1; y = h/2 + 0.5 + 2 × 0.1 = h/2 + 0.7.
    // h = 6: y = 3.7, e^(−3.7) × 4.7 = 0.0247235 × 4.7 = 0.11620 > 0.1.
    // h = 7: y = 4.2, e^(−4.2) × 5.2 = 0.0149956 × 5.2 = 0.07798 ≤ 0.1: the smallest.
    // 7 − 1 = 6 is even: gap 1. Reorder point (7 − 1) / 2 = 3, order-up-to 4; safety stock 3 − 1 = 2.
    const levels = policyLevels({ history: [], forecast: flatForecast(1), leadTimePeriods: 1, reviewPeriods: 1, serviceLevel: 0.9 });
    expect(levels).toEqual({ reorderPoint: 3, orderUpTo: 4, leadTimeDemand: 1, safetyStock: 2 });
  });

  it('is 0 / 0 for zero demand, and for a forecast of zero after past sales', () => {
    const none = { reorderPoint: 0, orderUpTo: 0, leadTimeDemand: 0, safetyStock: 0 };
    expect(policyLevels({ history: Array.from({ length: 365 }, () => 0), forecast: flatForecast(0), leadTimePeriods: 7, reviewPeriods: 1, serviceLevel: 0.95 })).toEqual(none);
    expect(policyLevels({ history: EVERY_FOURTH, forecast: flatForecast(0), leadTimePeriods: 7, reviewPeriods: 1, serviceLevel: 0.99 })).toEqual(none);
  });

  it('sums a weekly-profiled forecast over the lead time, and repeats its last day past the horizon', () => {
    // Lead time 3 over [1, 2, 3, 4]: 1 + 2 + 3 = 6. Lead time 6 over the same horizon of 4: 1 + 2 + 3 + 4 + 4 + 4 = 18.
    const forecast: ForecastFound = { ...flatForecast(0), perPeriod: [1, 2, 3, 4] };
    expect(policyLevels({ history: [], forecast, leadTimePeriods: 3, reviewPeriods: 1, serviceLevel: 0.95 }).leadTimeDemand).toBe(6);
    expect(policyLevels({ history: [], forecast, leadTimePeriods: 6, reviewPeriods: 1, serviceLevel: 0.95 }).leadTimeDemand).toBe(18);
  });
});
