/**
 * Forecast accuracy (issue 16): the forecaster against the simple methods on the same series.
 *
 * Each series' last `holdout` periods are held out and forecast from the rest. RMSSE per series =
 * sqrt(mean squared error over the held-out periods / mean squared one-step naive error over the
 * training part's observed values) (shared/forecast/README.md); series with scale 0 are skipped and
 * counted. The simple methods are computed here, on the observed values of the training part:
 * naive, seasonal naive, SES (α from 0.05…0.95 by in-sample one-step SSE, the full grid), moving
 * average (12 periods, and 28 on daily series), Croston and SBA (α 0.1), TSB (α 0.1, β 0.1), and all zeros.
 *
 * Two data sets:
 * - monthly: /work/shared/forecast/carparts-monthly.csv, read at run time from `../shared/forecast/`
 *   next to the repository (never copied in); when absent, generated monthly series (seeded), and
 *   the output says so.
 * - daily: generated, always (seeded): 420 days per series, a 28-day holdout, with stock-out spells
 *   (null days) and leading nulls for items that came later, smooth, intermittent, lumpy, weekly
 *   patterned, closed-on-Sunday and stopped-selling items.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { crostonOneStep, forecastSeries, movingAverage, sesSse, sesOneStep, tsbOneStep, type DemandSeries } from '../../src/domain/forecasting/index.ts';
import { parseSeriesCsv } from '../../src/server/cli/forecast-csv.ts';
import { seededRandom } from '../../tests/seeded-random.ts';
import { sharedDataSet } from '../../tests/shared-data.ts';

export interface NamedSeries {
  id: string;
  values: DemandSeries;
}

export interface AccuracyResult {
  dataset: string;
  source: string;
  generated: boolean;
  series: number;
  periods: string;
  holdout: number;
  scored: number;
  skippedScaleZero: number;
  /** Mean RMSSE per method; `forecaster` is forecastSeries. */
  meanRmsse: Record<string, number>;
  /** Mean RMSSE of the forecaster by the demand class it found on the training part. */
  forecasterByClass: Record<string, { series: number; meanRmsse: number; baselineMa: number }>;
  forecasterMethods: Record<string, number>;
  beatsEverySimpleMethod: boolean;
  /** RMSSE per series, rounded to 4 places, in input order (scored series only). */
  perSeries: { id: string; rmsse: Record<string, number> }[];
}


function poisson(random: () => number, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(random)));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

type Kind = 'smooth' | 'intermittent' | 'lumpy' | 'weekly' | 'closed-sunday' | 'stopped' | 'new' | 'seasonal-monthly';

/** One day's or month's expected demand and the demand drawn, per kind. */
function draw(random: () => number, kind: Kind, rate: number, period: number, weekday: number[]): number {
  switch (kind) {
    case 'lumpy':
      return random() < rate ? 1 + Math.floor(-Math.log(1 - random()) * 6) : 0;
    case 'intermittent':
      return random() < rate ? 1 + poisson(random, 0.5) : 0;
    case 'weekly':
    case 'closed-sunday':
    case 'new':
      return poisson(random, rate * (weekday[period % 7] ?? 1));
    case 'seasonal-monthly':
      return poisson(random, rate * (1 + 0.5 * Math.sin((2 * Math.PI * period) / 12)));
    default:
      return poisson(random, rate);
  }
}

/** Generated daily series: `count` of them, `days` long, seeded. */
export function generateDaily(count: number, days: number, seed: number, holdout: number): NamedSeries[] {
  const random = seededRandom(seed);
  const kinds: Kind[] = ['smooth', 'intermittent', 'lumpy', 'weekly', 'closed-sunday', 'stopped', 'new'];
  return Array.from({ length: count }, (_, s) => {
    const kind = kinds[s % kinds.length] ?? 'smooth';
    const rate =
      kind === 'intermittent' ? 0.05 + random() * 0.3 : kind === 'lumpy' ? 0.03 + random() * 0.15 : kind === 'stopped' ? 0.5 + random() * 3 : 0.5 + random() * 12;
    // A weekday profile: Saturday strong, Monday weak; Sunday closed for 'closed-sunday'.
    const weekday = [1, 0.6, 0.8, 0.9, 1.1, 1.6, kind === 'closed-sunday' ? 0 : 1.0].map((f) => (kind === 'weekly' || kind === 'closed-sunday' || kind === 'new' ? f : 1));
    const startAt = kind === 'new' ? Math.floor(days * (0.3 + random() * 0.4)) : 0;
    const stopAt = kind === 'stopped' ? Math.floor(days * (0.4 + random() * 0.4)) : days;
    const values: (number | null)[] = [];
    let outUntil = -1;
    for (let d = 0; d < days; d++) {
      const demand = d < stopAt ? draw(random, kind, rate, d, weekday) : 0;
      if (d < startAt) {
        values.push(null);
        continue;
      }
      // Stock-outs in the training part: a spell of 2–10 empty-shelf days now and then (null).
      if (d < days - holdout && outUntil < d && random() < 0.01) outUntil = d + 2 + Math.floor(random() * 9);
      values.push(d <= outUntil && d < days - holdout ? null : demand);
    }
    return { id: `daily-${kind}-${s}`, values };
  });
}

/** Generated monthly series for when carparts is absent: intermittent, lumpy, smooth and seasonal. */
export function generateMonthly(count: number, months: number, seed: number): NamedSeries[] {
  const random = seededRandom(seed);
  const kinds: Kind[] = ['intermittent', 'intermittent', 'lumpy', 'smooth', 'seasonal-monthly', 'stopped'];
  return Array.from({ length: count }, (_, s) => {
    const kind = kinds[s % kinds.length] ?? 'smooth';
    const rate = kind === 'intermittent' ? 0.1 + random() * 0.5 : kind === 'lumpy' ? 0.1 + random() * 0.4 : 1 + random() * 20;
    const stopAt = kind === 'stopped' ? Math.floor(months * (0.4 + random() * 0.5)) : months;
    const values = Array.from({ length: months }, (_, m) => (m < stopAt ? draw(random, kind, rate, m, []) : 0));
    return { id: `monthly-${kind}-${s}`, values };
  });
}

/** The simple methods, on the training part with its unobserved periods. */
function simpleForecasts(train: DemandSeries, horizon: number, seasonLength: number, maWindow: number): Record<string, number[]> {
  const observed = train.filter((v): v is number => v !== null);
  const flat = (v: number) => Array.from({ length: horizon }, () => Math.max(0, v));
  const last = observed[observed.length - 1] ?? 0;
  // Seasonal naive: the same position one season back (further back past unobserved periods).
  const seasonal = Array.from({ length: horizon }, (_, h) => {
    for (let back = train.length + (h % seasonLength) - seasonLength; back >= 0; back -= seasonLength) {
      const v = train[back];
      if (v !== null && v !== undefined) return v;
    }
    return last;
  });
  let bestAlpha = 0.05;
  let bestSse = Number.POSITIVE_INFINITY;
  for (let k = 1; k <= 19; k++) {
    const sse = sesSse(observed, k * 0.05);
    if (sse < bestSse) {
      bestSse = sse;
      bestAlpha = k * 0.05;
    }
  }
  return {
    naive: flat(last),
    'seasonal naive': seasonal,
    ses: flat(sesOneStep(observed, bestAlpha)),
    'moving average (12)': movingAverage(observed, 12, horizon),
    ...(maWindow === 12 ? {} : { [`moving average (${maWindow})`]: movingAverage(observed, maWindow, horizon) }),
    croston: flat(crostonOneStep(observed, 0.1, 'croston')),
    sba: flat(crostonOneStep(observed, 0.1, 'sba')),
    tsb: flat(tsbOneStep(observed, 0.1, 0.1)),
    zero: flat(0),
  };
}

export function evaluate(
  dataset: string,
  source: string,
  generated: boolean,
  all: NamedSeries[],
  options: { holdout: number; seasonLength: number; forecasterSeasonLength: number | undefined; maWindow: number },
): AccuracyResult {
  const { holdout } = options;
  const sums: Record<string, number> = {};
  const byClass: Record<string, { series: number; sum: number; ma: number }> = {};
  const methods: Record<string, number> = {};
  const perSeries: AccuracyResult['perSeries'] = [];
  let skipped = 0;
  const maName = `moving average (${options.maWindow})`;
  for (const { id, values } of all) {
    const train = values.slice(0, -holdout);
    const test = values.slice(-holdout);
    const observed = train.filter((v): v is number => v !== null);
    let scale = 0;
    for (let t = 1; t < observed.length; t++) scale += ((observed[t] ?? 0) - (observed[t - 1] ?? 0)) ** 2;
    scale /= Math.max(1, observed.length - 1);
    if (!(scale > 0)) {
      skipped++;
      continue;
    }
    const forecast = forecastSeries(train, { horizon: holdout, seasonLength: options.forecasterSeasonLength });
    const forecasts = { forecaster: forecast.kind === 'forecast' ? forecast.perPeriod : new Array<number>(holdout).fill(0), ...simpleForecasts(train, holdout, options.seasonLength, options.maWindow) };
    const rmsse: Record<string, number> = {};
    for (const [name, predicted] of Object.entries(forecasts)) {
      let squared = 0;
      for (let h = 0; h < holdout; h++) squared += ((test[h] ?? 0) - (predicted[h] ?? 0)) ** 2;
      const score = Math.sqrt(squared / holdout / scale);
      rmsse[name] = Math.round(score * 1e4) / 1e4;
      sums[name] = (sums[name] ?? 0) + score;
    }
    const cls = forecast.kind === 'forecast' ? (forecast.demandClass ?? 'unclassified (< 2 demands)') : 'none';
    const entry = (byClass[cls] ??= { series: 0, sum: 0, ma: 0 });
    entry.series++;
    entry.sum += rmsse.forecaster ?? 0;
    entry.ma += rmsse[maName] ?? 0;
    const method = forecast.kind === 'forecast' ? forecast.method : 'none';
    methods[method] = (methods[method] ?? 0) + 1;
    perSeries.push({ id, rmsse });
  }
  const scored = perSeries.length;
  const meanRmsse = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, Math.round((v / scored) * 1e4) / 1e4]));
  const mine = meanRmsse.forecaster ?? Number.POSITIVE_INFINITY;
  return {
    dataset,
    source,
    generated,
    series: all.length,
    periods: `${all[0]?.values.length ?? 0} per series`,
    holdout,
    scored,
    skippedScaleZero: skipped,
    meanRmsse,
    forecasterByClass: Object.fromEntries(
      Object.entries(byClass).map(([k, v]) => [k, { series: v.series, meanRmsse: Math.round((v.sum / v.series) * 1e4) / 1e4, baselineMa: Math.round((v.ma / v.series) * 1e4) / 1e4 }]),
    ),
    forecasterMethods: methods,
    beatsEverySimpleMethod: Object.entries(meanRmsse).every(([k, v]) => k === 'forecaster' || mine < v),
    perSeries,
  };
}

/** Where the monthly car-parts series are read at run time ($PERPETUA_SHARED_DIR or ../shared; never copied into the repository). */
export function carpartsFile(): string {
  return path.join(sharedDataSet('forecast').path, 'carparts-monthly.csv');
}

/** The monthly comparison: carparts when it is there, generated series otherwise. */
export function monthlyAccuracy(): AccuracyResult {
  const file = carpartsFile();
  const options = { holdout: 12, seasonLength: 12, forecasterSeasonLength: undefined, maWindow: 12 };
  if (existsSync(file)) {
    const parsed = parseSeriesCsv(readFileSync(file, 'utf8'));
    if (!parsed.ok) throw new Error(`${file}: ${parsed.message}`);
    return evaluate('carparts-monthly', file, false, parsed.series, options);
  }
  const source = `GENERATED: ${file} is absent, so 1,200 monthly series (51 months; intermittent, lumpy, smooth, seasonal, stopped) were generated with seed 16`;
  return evaluate('generated-monthly', source, true, generateMonthly(1200, 51, 16), options);
}

/** The daily comparison, always on generated series (the shop's own days are not in the repository). */
export function dailyAccuracy(): AccuracyResult {
  const holdout = 28;
  const source =
    'GENERATED: 1,400 daily series of 420 days (smooth, intermittent, lumpy, weekly, closed on Sundays, stopped selling, new), stock-out spells as null days, seed 16';
  return evaluate('generated-daily', source, true, generateDaily(1400, 420, 16, holdout), { holdout, seasonLength: 7, forecasterSeasonLength: 7, maWindow: 28 });
}
