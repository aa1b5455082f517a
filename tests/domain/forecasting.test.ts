import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ADI_CUT,
  CV2_CUT,
  bestSesAlpha,
  classOf,
  classify,
  croston,
  crostonOneStep,
  forecastSeries,
  memoryOf,
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
  weeklyProfile,
  type DemandSeries,
  type Forecast,
} from '../../src/domain/forecasting/index.ts';
import { seededRandom } from '../seeded-random.ts';

type Made = Extract<Forecast, { kind: 'forecast' }>;
function made(forecast: Forecast): Made {
  if (forecast.kind !== 'forecast') throw new Error(`expected a forecast, got none: ${forecast.reason}`);
  return forecast;
}

function poisson(random: () => number, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}

describe('single methods, against hand-computed values', () => {
  it('SES: level from the first value, one step behind', () => {
    // y = 2, 4, 1; α = 0.5. l₀ = 2. f₁ = 2, l₁ = 2 + 0.5·(4 − 2) = 3. f₂ = 3, l₂ = 3 + 0.5·(1 − 3) = 2.
    expect(ses([2, 4, 1], 0.5, 2)).toEqual([2, 2]);
    const out = new Float64Array(3);
    expect(sesOneStep([2, 4, 1], 0.5, out)).toBe(2);
    expect(Array.from(out)).toEqual([Number.NaN, 2, 3]);
    // In-sample SSE: (4 − 2)² + (1 − 3)² = 4 + 4 = 8.
    expect(sesSse([2, 4, 1], 0.5)).toBe(8);
    // Only the last two one-step forecasts when `out` holds two.
    const tail = new Float64Array(2);
    sesOneStep([2, 4, 1], 0.5, tail);
    expect(Array.from(tail)).toEqual([2, 3]);
  });

  it('SES α: the least in-sample SSE on the 0.05 grid', () => {
    // A step 0,0,0,0,10,10,10,10: the larger α follows the step fastest; SSE falls all the way to
    // α = 0.95: SSE(α) = 100·Σ_{k≥0}(1 − α)^{2k} over the 4 steps after it, smallest at α = 0.95.
    expect(bestSesAlpha([0, 0, 0, 0, 10, 10, 10, 10])).toBeCloseTo(0.95, 10);
    // Pure noise around a level: 1, then 0, 2, 0, 2, …: with a small α the level stays near 1 and
    // every error is about ±1; a large α chases each swing (errors near ±2). α = 0.05 wins.
    const alternating = [1, ...Array.from({ length: 40 }, (_, t) => (t % 2) * 2)];
    expect(bestSesAlpha(alternating)).toBeCloseTo(0.05, 10);
  });

  it('SES α found coarse to fine is the best of the whole 0.05 grid on realistic series', () => {
    const random = seededRandom(5);
    for (let s = 0; s < 200; s++) {
      const rate = 0.2 + random() * 8;
      const series = Array.from({ length: 60 + Math.floor(random() * 300) }, (_, t) => poisson(random, rate * (1 + (s % 3) * 0.005 * t)));
      const grid = Array.from({ length: 19 }, (_, k) => sesSse(series, (k + 1) * 0.05));
      expect(sesSse(series, bestSesAlpha(series))).toBeCloseTo(Math.min(...grid), 9);
    }
  });

  it("Croston and SBA: size and interval smoothed at each demand", () => {
    // y = 0, 3, 0, 0, 6, 0; α = 0.5.
    // First demand at position 2 (counted from 1): z = 3, p = 2 → 3 / 2 = 1.5.
    // Next demand 3 periods later: z = 3 + 0.5·(6 − 3) = 4.5, p = 2 + 0.5·(3 − 2) = 2.5 → 4.5 / 2.5 = 1.8.
    // SBA: (1 − 0.5/2)·1.8 = 0.75·1.8 = 1.35.
    const y = [0, 3, 0, 0, 6, 0];
    expect(croston(y, 0.5, 3)).toEqual([1.8, 1.8, 1.8]);
    expect(sba(y, 0.5, 1)[0]).toBeCloseTo(1.35, 12);
    // One-step forecasts: NaN before the first value, 0 until the first demand, then 1.5 until the
    // second demand is seen, then 1.8.
    const out = new Float64Array(6);
    crostonOneStep(y, 0.5, 'croston', out);
    expect(Array.from(out)).toEqual([Number.NaN, 0, 1.5, 1.5, 1.5, 1.8]);
  });

  it('TSB: probability smoothed every period, size at each demand', () => {
    // y = 0, 3, 0, 0, 6, 0; α = β = 0.5.
    // First demand at position 2: z = 3, d = 1/2.            forecast 1.5
    // y = 0: d = 0.5 − 0.5·0.5 = 0.25.                         0.75
    // y = 0: d = 0.125.                                        0.375
    // y = 6: d = 0.125 + 0.5·(1 − 0.125) = 0.5625; z = 3 + 0.5·3 = 4.5.   2.53125
    // y = 0: d = 0.28125.                              forecast 0.28125·4.5 = 1.265625
    const y = [0, 3, 0, 0, 6, 0];
    expect(tsb(y, 0.5, 0.5, 2)).toEqual([1.265625, 1.265625]);
    const out = new Float64Array(6);
    expect(tsbOneStep(y, 0.5, 0.5, out)).toBe(1.265625);
    expect(Array.from(out)).toEqual([Number.NaN, 0, 1.5, 0.75, 0.375, 2.53125]);
  });

  it('TSB decays the forecast of an item that stopped selling; Croston does not', () => {
    const selling = Array.from({ length: 30 }, () => 2);
    const stopped = (zeros: number) => [...selling, ...Array.from({ length: zeros }, () => 0)];
    // After the last sale: d = 1 then ×(1 − β) per zero period: 2·0.9^k with β = 0.1 (z stays 2).
    expect(tsb(stopped(10), 0.1, 0.1, 1)[0]).toBeCloseTo(2 * 0.9 ** 10, 12);
    expect(tsb(stopped(30), 0.1, 0.1, 1)[0]).toBeLessThan(tsb(stopped(10), 0.1, 0.1, 1)[0] ?? 0);
    expect(croston(stopped(30), 0.1, 1)).toEqual(croston(selling, 0.1, 1));
  });

  it('moving average, naive and seasonal naive', () => {
    // Last 3 of 1, 2, 3, 4: (2 + 3 + 4) / 3 = 3; fewer values than the window: all of them.
    expect(movingAverage([1, 2, 3, 4], 3, 2)).toEqual([3, 3]);
    expect(movingAverage([1, 2], 12, 1)).toEqual([1.5]);
    const out = new Float64Array(4);
    // Before value t: mean of up to 3 values before it: —, 1, (1+2)/2, (1+2+3)/3.
    expect(movingAverageOneStep([1, 2, 3, 4], 3, out)).toBe(3);
    expect(Array.from(out)).toEqual([Number.NaN, 1, 1.5, 2]);
    expect(naive([4, 0, 7], 2)).toEqual([7, 7]);
    expect(seasonalNaive([1, 2, 3, 4, 5], 3, 4)).toEqual([3, 4, 5, 3]);
  });
});

describe('Syntetos–Boylan classes at the cuts', () => {
  it('ADI ≥ 1.32 is intermittent, below is not; CV² ≥ 0.49 is variable, below is not', () => {
    expect(ADI_CUT).toBe(1.32);
    expect(CV2_CUT).toBe(0.49);
    // 33 periods, 25 with demand 5: ADI = 33/25 = 1.32 exactly, CV² = 0 → intermittent.
    const at = [...Array.from({ length: 25 }, () => 5), ...Array.from({ length: 8 }, () => 0)];
    expect(classify(at)).toMatchObject({ adi: 1.32, cv2: 0, demandClass: 'intermittent' });
    // 32 periods, 25 with demand: ADI = 1.28 → smooth.
    expect(classify(at.slice(0, 32))).toMatchObject({ adi: 1.28, demandClass: 'smooth' });
    // Sizes 3, 17: mean 10, population sd 7, CV² = 49/100 = 0.49 exactly → erratic (every period sells).
    expect(classify([3, 17, 3, 17])).toMatchObject({ adi: 1, cv2: 0.49, demandClass: 'erratic' });
    // Sizes 4, 16: sd 6, CV² = 0.36 → smooth.
    expect(classify([4, 16, 4, 16])).toMatchObject({ cv2: 0.36, demandClass: 'smooth' });
    // Both at the cut: ADI = 4/2 = 2, CV² = 0.49 → lumpy.
    expect(classify([3, 0, 17, 0])).toMatchObject({ adi: 2, cv2: 0.49, demandClass: 'lumpy' });
    expect(classOf(1.32, 0.49)).toBe('lumpy');
    expect(classOf(1.3199, 0.49)).toBe('erratic');
    expect(classOf(1.32, 0.4899)).toBe('intermittent');
    expect(classOf(1.3199, 0.4899)).toBe('smooth');
  });

  it('fewer than two demands: no class', () => {
    expect(classify([0, 0, 4, 0])).toEqual({ demandClass: undefined, adi: undefined, cv2: undefined, demandPeriods: 1 });
  });
});

describe('forecastSeries', () => {
  it('no observed period: no forecast, with a sentence for the owner', () => {
    for (const series of [[], [null, null, null]] as DemandSeries[]) {
      const forecast = forecastSeries(series, { horizon: 7, seasonLength: 7 });
      expect(forecast.kind).toBe('none');
      if (forecast.kind === 'none') expect(forecast.reason).toMatch(/nothing to forecast/);
    }
  });

  it('a product with no sales: a forecast of 0, said plainly', () => {
    const forecast = made(forecastSeries([null, 0, 0, null, 0, 0], { horizon: 3 }));
    expect(forecast.method).toBe('zero');
    expect(forecast.perPeriod).toEqual([0, 0, 0]);
    expect(forecast.note).toBe('Nothing sold in the 4 periods on record, so the forecast is 0.');
  });

  it('a constant seller: its level, and no recent error while the history is short', () => {
    // SES, TSB (d = 1 from the first period, z = 5) and the moving average all give 5.
    const forecast = made(forecastSeries([5, 5, 5, 5], { horizon: 2 }));
    expect(forecast).toMatchObject({ method: 'combination', demandClass: 'smooth', adi: 1, cv2: 0, perPeriod: [5, 5], profile: undefined });
    // 3 one-step forecasts < half of the 12-month window.
    expect(forecast.recentError).toBeUndefined();
    // A horizon that is not a whole number of periods: rounded down; not a number at all: none.
    expect(made(forecastSeries([5, 5], { horizon: 2.7 })).perPeriod).toEqual([5, 5]);
    expect(made(forecastSeries([5, 5], { horizon: Number.NaN })).perPeriod).toEqual([]);
  });

  it('recent error: one-step MAE and RMSSE over the last 12 (monthly) observed periods', () => {
    // 39 periods of 5, then 8. Every one-step forecast in the last 12 is 5 (the 8 comes last).
    // Errors: eleven 0s and one 3. MAE = 3 / 12 = 0.25.
    // Scale: consecutive differences, one of 3 among 39: 9 / 39. RMSSE = √((9/12) / (9/39)) = √(39/12).
    const series = [...Array.from({ length: 39 }, () => 5), 8];
    const { recentError } = made(forecastSeries(series, { horizon: 1 }));
    expect(recentError?.periods).toBe(12);
    expect(recentError?.mae).toBeCloseTo(0.25, 12);
    expect(recentError?.rmsse).toBeCloseTo(Math.sqrt(39 / 12), 12);
    expect(memoryOf(7)).toBe(28);
    expect(memoryOf(undefined)).toBe(12);
  });

  it('is the median of SES (best α), TSB (α = β = 2/13) and the 12-period moving average on monthly data', () => {
    const series = [0, 2, 0, 1, 0, 0, 3, 1, 0, 0, 2, 0, 0, 1, 1, 0, 0, 2, 0, 0];
    const three = [ses(series, bestSesAlpha(series), 1)[0], tsb(series, 2 / 13, 2 / 13, 1)[0], movingAverage(series, 12, 1)[0]].map((v) => v ?? Number.NaN).sort((a, b) => a - b);
    expect(made(forecastSeries(series, { horizon: 1 })).perPeriod[0]).toBeCloseTo(three[1] ?? Number.NaN, 12);
  });

  it('caps a one-off bulk order at mean + 2 sd of the sizes', () => {
    // Sizes: eleven 1s and one 100 (mean 9.25, sd ≈ 27.4): the 100 counts as 9.25 + 2·27.4 ≈ 64.
    const withBulk = [1, 1, 1, 1, 1, 1, 100, 1, 1, 1, 1, 1];
    const capped = made(forecastSeries(withBulk, { horizon: 1 })).perPeriod[0] ?? 0;
    const mean = (11 + 100) / 12;
    const sd = Math.sqrt((11 + 100 * 100) / 12 - mean * mean);
    const cap = mean + 2 * sd;
    const byHand = [...withBulk.slice(0, 6), cap, ...withBulk.slice(7)];
    const three = [ses(byHand, bestSesAlpha(byHand), 1)[0], tsb(byHand, 2 / 13, 2 / 13, 1)[0], movingAverage(byHand, 12, 1)[0]].map((v) => v ?? 0).sort((a, b) => a - b);
    expect(capped).toBeCloseTo(three[1] ?? Number.NaN, 12);
    expect(capped).toBeLessThan(movingAverage(withBulk, 12, 1)[0] ?? 0);
  });

  it('skips unobserved periods instead of reading them as zero', () => {
    const observed = [3, 4, 2, 5, 3, 4, 6, 2, 3, 4, 5, 3, 4, 2];
    const withGaps: DemandSeries = [null, null, 3, 4, null, 2, 5, 3, null, null, null, 4, 6, 2, 3, 4, 5, null, 3, 4, 2];
    const asZeros = withGaps.map((v) => v ?? 0);
    const a = made(forecastSeries(observed, { horizon: 5 }));
    const b = made(forecastSeries(withGaps, { horizon: 5 }));
    expect(b.perPeriod).toEqual(a.perPeriod);
    expect(b.adi).toBe(1);
    expect(made(forecastSeries(asZeros, { horizon: 5 })).perPeriod[0]).toBeLessThan(a.perPeriod[0] ?? 0);
  });

  it('a product sold once a year: intermittent, a forecast near 0, never negative', () => {
    const days = Array.from({ length: 3 * 365 }, (_, d) => (d % 365 === 100 ? 1 : 0));
    const forecast = made(forecastSeries(days, { horizon: 28, seasonLength: 7 }));
    expect(forecast.demandClass).toBe('intermittent');
    expect(forecast.adi).toBe(365);
    for (const v of forecast.perPeriod) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1 / 30);
    }
    // Sold once in all the history: no class, but still a small forecast from that one sale.
    const once = made(forecastSeries([0, 0, 0, 1, 0, 0, 0, 0, 0, 0], { horizon: 1 }));
    expect(once.demandClass).toBeUndefined();
    expect(once.perPeriod[0]).toBeGreaterThan(0);
    expect(once.perPeriod[0]).toBeLessThan(0.2);
  });

  it('a product that stopped selling: the forecast decays towards 0 day by day', () => {
    const selling = Array.from({ length: 120 }, (_, d) => 2 + (d % 3));
    const after = (zeros: number) => made(forecastSeries([...selling, ...Array.from({ length: zeros }, () => 0)], { horizon: 1, seasonLength: 7 })).perPeriod[0] ?? 0;
    const levels = [0, 5, 10, 20, 40, 60].map(after);
    for (let i = 1; i < levels.length; i++) expect(levels[i]).toBeLessThan(levels[i - 1] ?? 0);
    expect(levels[0]).toBeGreaterThan(2.5);
    expect(levels[levels.length - 1]).toBeLessThan(0.01);
  });

  it('never forecasts a negative or non-finite number (property)', () => {
    const cell = fc.oneof(fc.constant(null), fc.nat(1000), fc.double({ min: -50, max: 5000, noNaN: true }), fc.constant(0));
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 200 }), fc.integer({ min: 0, max: 60 }), fc.constantFrom(7, undefined), (series, horizon, seasonLength) => {
        const forecast = forecastSeries(series, { horizon, seasonLength });
        if (forecast.kind === 'none') return series.every((v) => v === null);
        expect(forecast.perPeriod).toHaveLength(horizon);
        for (const v of forecast.perPeriod) expect(Number.isFinite(v) && v >= 0).toBe(true);
        if (forecast.profile) expect(forecast.profile.reduce((a, b) => a + b, 0) / 7).toBeCloseTo(1, 9);
        if (forecast.recentError) expect(forecast.recentError.mae).toBeGreaterThanOrEqual(0);
        return true;
      }),
      { numRuns: 300 },
    );
  });
});

describe('weekly profile', () => {
  it('a pattern repeated exactly: factors are weekday means over their mean (hand-computed)', () => {
    // Four weeks of 1, 2, …, 7: no spread within a weekday, so F is infinite. Means 1…7, their mean 4:
    // factors 1/4, 2/4, …, 7/4.
    const values = Array.from({ length: 28 }, (_, d) => (d % 7) + 1);
    const test = weeklyProfile(values, values.map((_, d) => d));
    expect(test.f).toBe(Number.POSITIVE_INFINITY);
    expect(test.factors).toEqual([0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75]);
    // Three weeks are too few to test (fewer than 4 of each weekday).
    expect(weeklyProfile(values.slice(0, 21), values.slice(0, 21).map((_, d) => d))).toEqual({ f: undefined, critical: undefined, factors: undefined });
  });

  it('the profile is aligned with the forecast: profile[k] is the factor of perPeriod[k]', () => {
    // 30 days of the same pattern: the next day is position 30, 30 mod 7 = 2, the third weekday (factor 0.75).
    const days = Array.from({ length: 30 }, (_, d) => 4 * ((d % 7) + 1));
    const forecast = made(forecastSeries(days, { horizon: 8, seasonLength: 7 }));
    expect(forecast.profile?.[0]).toBeCloseTo(0.75, 12);
    expect(forecast.profile?.[6]).toBeCloseTo(0.5, 12); // position 36, 36 mod 7 = 1
    const level = (forecast.perPeriod[0] ?? 0) / 0.75;
    forecast.perPeriod.forEach((v, h) => expect(v).toBeCloseTo(level * (forecast.profile?.[h % 7] ?? 0), 9));
  });

  it('found on a weekly-patterned daily series (with stock-out days), not on flat noisy ones', () => {
    const weekday = [1, 0.7, 0.8, 0.9, 1.1, 1.9, 0.6];
    for (const seed of [1, 2, 3]) {
      const random = seededRandom(seed);
      const days: DemandSeries = Array.from({ length: 16 * 7 }, (_, d) => (random() < 0.05 ? null : poisson(random, 5 * (weekday[d % 7] ?? 1))));
      const forecast = made(forecastSeries(days, { horizon: 7, seasonLength: 7 }));
      expect(forecast.profile, `seed ${seed}`).toBeDefined();
      // The strongest weekday (position 5 mod 7) gets the largest factor: forecast day 16·7 + h ≡ h.
      const strongest = forecast.perPeriod.indexOf(Math.max(...forecast.perPeriod));
      expect(strongest).toBe(5);
    }
    for (const seed of [11, 12, 13, 14, 15]) {
      const random = seededRandom(seed);
      const flat: DemandSeries = Array.from({ length: 16 * 7 }, () => (random() < 0.05 ? null : poisson(random, 5)));
      expect(made(forecastSeries(flat, { horizon: 7, seasonLength: 7 })).profile, `seed ${seed}`).toBeUndefined();
    }
    // Without a season length, no profile is looked for.
    const patterned = Array.from({ length: 56 }, (_, d) => (d % 7 === 5 ? 10 : 2));
    expect(made(forecastSeries(patterned, { horizon: 7 })).profile).toBeUndefined();
  });

  it('a closed weekday (never sells) is forecast 0', () => {
    const random = seededRandom(7);
    const days = Array.from({ length: 10 * 7 }, (_, d) => (d % 7 === 6 ? 0 : poisson(random, 6)));
    const forecast = made(forecastSeries(days, { horizon: 14, seasonLength: 7 }));
    expect(forecast.profile).toBeDefined();
    // Day 70 + h is closed when (70 + h) mod 7 = 6, i.e. h = 6 and 13.
    expect(forecast.perPeriod[6]).toBe(0);
    expect(forecast.perPeriod[13]).toBe(0);
    expect(forecast.perPeriod[0]).toBeGreaterThan(4);
    // Daily: the recent error covers the last 28 observed days; closed days were forecast 0 and
    // sold 0, so they add no error.
    expect(forecast.recentError?.periods).toBe(28);
    expect(forecast.recentError?.rmsse).toBeGreaterThan(0);
  });
});
