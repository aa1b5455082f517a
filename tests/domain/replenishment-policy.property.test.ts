/**
 * Properties of the reorder policy (issue 16), over arbitrary histories and forecasts: whole units,
 * never negative, reorder point ≤ order-up-to; a higher fill rate never lowers a level; a longer lead
 * time never lowers the reorder point.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Forecast } from '../../src/domain/forecasting/types.ts';
import { policyLevels } from '../../src/domain/replenishment/policy.ts';

type ForecastFound = Extract<Forecast, { kind: 'forecast' }>;

const forecastOf = (perPeriod: number[]): ForecastFound => ({ kind: 'forecast', method: 'tsb', demandClass: undefined, adi: undefined, cv2: undefined, perPeriod, profile: undefined, recentError: undefined });

/** Histories as the ledger gives them: units per period, some unobserved (stock-out days), often zero. */
const history = fc.array(fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: 40 }), weight: 2 }, { arbitrary: fc.constant(null), weight: 1 }), { maxLength: 400 });
const perPeriod = fc.array(fc.double({ min: 0, max: 50, noNaN: true }), { minLength: 1, maxLength: 30 });
const serviceLevel = fc.double({ min: 0.5, max: 0.999, noNaN: true });
const leadTime = fc.integer({ min: 0, max: 30 });

describe('policy levels', () => {
  it('are whole, never negative, and the reorder point is at most the order-up-to level', () => {
    fc.assert(
      fc.property(history, perPeriod, leadTime, fc.integer({ min: 1, max: 7 }), serviceLevel, (h, p, lead, review, level) => {
        const levels = policyLevels({ history: h, forecast: forecastOf(p), leadTimePeriods: lead, reviewPeriods: review, serviceLevel: level });
        expect(Number.isInteger(levels.reorderPoint)).toBe(true);
        expect(Number.isInteger(levels.orderUpTo)).toBe(true);
        expect(levels.reorderPoint).toBeGreaterThanOrEqual(0);
        expect(levels.reorderPoint).toBeLessThanOrEqual(levels.orderUpTo);
        expect(levels.leadTimeDemand).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('never come down when the fill rate asked for goes up', () => {
    fc.assert(
      fc.property(history, perPeriod, leadTime, serviceLevel, serviceLevel, (h, p, lead, a, b) => {
        const [lower, higher] = a <= b ? [a, b] : [b, a];
        const input = { history: h, forecast: forecastOf(p), leadTimePeriods: lead, reviewPeriods: 1 };
        const low = policyLevels({ ...input, serviceLevel: lower });
        const high = policyLevels({ ...input, serviceLevel: higher });
        expect(high.reorderPoint).toBeGreaterThanOrEqual(low.reorderPoint);
        expect(high.orderUpTo).toBeGreaterThanOrEqual(low.orderUpTo);
      }),
      { numRuns: 2000 },
    );
  });

  it('put the reorder point no lower when the lead time is longer', () => {
    fc.assert(
      fc.property(history, fc.double({ min: 0, max: 50, noNaN: true }), leadTime, leadTime, serviceLevel, (h, daily, a, b, level) => {
        const [shorter, longer] = a <= b ? [a, b] : [b, a];
        const input = { history: h, forecast: forecastOf([daily]), reviewPeriods: 1, serviceLevel: level };
        const short = policyLevels({ ...input, leadTimePeriods: shorter });
        const long = policyLevels({ ...input, leadTimePeriods: longer });
        expect(long.reorderPoint).toBeGreaterThanOrEqual(short.reorderPoint);
      }),
      { numRuns: 2000 },
    );
  });
});
