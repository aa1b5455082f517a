/**
 * PLACEHOLDER (issue 16 contract commit): the forecaster's entry point with a stand-in method, so the
 * planner and the screen can be built against it while the real methods are written. Replaced whole.
 */
import type { DemandSeries, Forecast, ForecastOptions } from './types.ts';

export type * from './types.ts';

export function forecastSeries(series: DemandSeries, options: ForecastOptions): Forecast {
  const observed = series.filter((v): v is number => v !== null);
  if (observed.length === 0) return { kind: 'none', reason: 'No sales history here yet: nothing to forecast from.' };
  const recent = observed.slice(-28);
  const mean = recent.reduce((a, b) => a + b, 0) / recent.length;
  return { kind: 'forecast', method: 'moving-average', demandClass: undefined, adi: undefined, cv2: undefined, perPeriod: Array.from({ length: options.horizon }, () => mean), profile: undefined, recentError: undefined };
}
