/**
 * The single forecasting methods (issue 16), each on a series of OBSERVED values only (the caller
 * has dropped unobserved periods), oldest first. Each returns the forecast for the next `horizon`
 * periods; the recursive ones also have a `…OneStep` form that returns the next forecast and, given
 * `out`, fills it with the one-step-ahead forecasts made before each of the LAST `out.length` values
 * (`out[out.length − 1]` is the forecast of the last value; NaN where none was made yet: before the
 * first value). The forecaster uses them to say how wrong a method was lately. Initialisations are written out once here, so the hand-computed tests can
 * follow them (forecasting/README.md explains the choices).
 */

/** The same value for every period ahead, never negative. */
export function flat(value: number, horizon: number): number[] {
  const v = value > 0 ? value : 0;
  return Array.from({ length: horizon }, () => v);
}

/** Naive: every period ahead is the last value (0 with no values). */
export function naive(values: ArrayLike<number>, horizon: number): number[] {
  return flat(values.length === 0 ? 0 : values[values.length - 1] ?? 0, horizon);
}

/** Seasonal naive: the value one season before; naive when the history is shorter than a season. */
export function seasonalNaive(values: ArrayLike<number>, seasonLength: number, horizon: number): number[] {
  const n = values.length;
  if (n < seasonLength) return naive(values, horizon);
  return Array.from({ length: horizon }, (_, h) => Math.max(0, values[n - seasonLength + (h % seasonLength)] ?? 0));
}

/** Moving average of the last `window` values (all of them when fewer). */
export function movingAverage(values: ArrayLike<number>, window: number, horizon: number): number[] {
  const from = Math.max(0, values.length - window);
  let sum = 0;
  for (let i = from; i < values.length; i++) sum += values[i] ?? 0;
  return flat(values.length === from ? 0 : sum / (values.length - from), horizon);
}

/**
 * Simple exponential smoothing. Level starts at the first value; the one-step forecast of value t is
 * the level after value t − 1: l₀ = y₀, fₜ = lₜ₋₁, lₜ = lₜ₋₁ + α(yₜ − lₜ₋₁). Returns the final level,
 * the forecast of every period ahead.
 */
export function sesOneStep(values: ArrayLike<number>, alpha: number, out?: Float64Array): number {
  if (values.length === 0) return 0;
  const offset = values.length - (out?.length ?? 0);
  let level = values[0] ?? 0;
  if (out && offset === 0) out[0] = Number.NaN;
  for (let t = 1; t < values.length; t++) {
    if (out && t >= offset) out[t - offset] = level;
    level += alpha * ((values[t] ?? 0) - level);
  }
  return level;
}

export function ses(values: ArrayLike<number>, alpha: number, horizon: number): number[] {
  return flat(sesOneStep(values, alpha), horizon);
}

/** Sum of squared one-step SES errors (values 1…n−1): the in-sample criterion for choosing α. */
export function sesSse(values: ArrayLike<number>, alpha: number): number {
  if (values.length === 0) return 0;
  let level = values[0] ?? 0;
  let sse = 0;
  for (let t = 1; t < values.length; t++) {
    const e = (values[t] ?? 0) - level;
    sse += e * e;
    level += alpha * e;
  }
  return sse;
}

/**
 * In-sample one-step SSE of SES for α = 0.1, 0.2, …, 0.9 in ONE pass: nine independent levels,
 * written out as locals so the nine recurrences run side by side instead of one after another
 * (each step of one recurrence waits for the previous; nine of them fill that wait). Same sums as
 * `sesSse` for each α, about five times faster; the forecaster spends most of its time here.
 */
function sesSseCoarseGrid(values: ArrayLike<number>): number[] {
  const first = values[0] ?? 0;
  let l1 = first, l2 = first, l3 = first, l4 = first, l5 = first, l6 = first, l7 = first, l8 = first, l9 = first; // prettier-ignore
  let s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0, s8 = 0, s9 = 0; // prettier-ignore
  for (let t = 1; t < values.length; t++) {
    const y = values[t] ?? 0;
    const e1 = y - l1, e2 = y - l2, e3 = y - l3, e4 = y - l4, e5 = y - l5, e6 = y - l6, e7 = y - l7, e8 = y - l8, e9 = y - l9; // prettier-ignore
    s1 += e1 * e1; s2 += e2 * e2; s3 += e3 * e3; s4 += e4 * e4; s5 += e5 * e5; s6 += e6 * e6; s7 += e7 * e7; s8 += e8 * e8; s9 += e9 * e9; // prettier-ignore
    l1 += 0.1 * e1; l2 += 0.2 * e2; l3 += 0.3 * e3; l4 += 0.4 * e4; l5 += 0.5 * e5; l6 += 0.6 * e6; l7 += 0.7 * e7; l8 += 0.8 * e8; l9 += 0.9 * e9; // prettier-ignore
  }
  return [s1, s2, s3, s4, s5, s6, s7, s8, s9];
}

/**
 * The α on the grid 0.05, 0.10, …, 0.95 with the least in-sample one-step SSE (`sesSse`), found
 * coarse to fine to save time: the best of 0.1, 0.2, …, 0.9, then the best of it and its two
 * neighbours 0.05 either side (the smaller α on a tie). That is the best of the whole grid whenever
 * the SSE falls and then rises along the grid, as it nearly always does.
 */
export function bestSesAlpha(values: ArrayLike<number>): number {
  const coarse = sesSseCoarseGrid(values);
  let k = 0;
  for (let i = 1; i < coarse.length; i++) if ((coarse[i] ?? 0) < (coarse[k] ?? 0)) k = i;
  let best = (k + 1) / 10;
  let bestSse = coarse[k] ?? 0;
  for (const alpha of [best - 0.05, best + 0.05]) {
    const sse = sesSse(values, alpha);
    if (sse < bestSse || (sse === bestSse && alpha < best)) {
      bestSse = sse;
      best = alpha;
    }
  }
  return best;
}

/**
 * Croston's method and its Syntetos–Boylan correction, with one smoothing constant α for both the
 * demand size z and the interval p. At the first demand: z = that demand, p = its position counted
 * from 1 (the periods it took to come). At each later demand, q periods after the previous one:
 * z ← z + α(y − z), p ← p + α(q − p). Forecast = z / p (Croston) or (1 − α/2) · z / p (SBA), updated
 * only when demand occurs; 0 before the first demand.
 */
export function crostonOneStep(values: ArrayLike<number>, alpha: number, bias: 'croston' | 'sba', out?: Float64Array): number {
  const factor = bias === 'sba' ? 1 - alpha / 2 : 1;
  let size = 0;
  let interval = 0;
  let sinceLast = 0;
  let started = false;
  let forecast = 0;
  const offset = values.length - (out?.length ?? 0);
  for (let t = 0; t < values.length; t++) {
    if (out && t >= offset) out[t - offset] = t === 0 ? Number.NaN : forecast;
    sinceLast++;
    const y = values[t] ?? 0;
    if (y > 0) {
      if (!started) {
        size = y;
        interval = sinceLast;
        started = true;
      } else {
        size += alpha * (y - size);
        interval += alpha * (sinceLast - interval);
      }
      sinceLast = 0;
      forecast = (factor * size) / interval;
    }
  }
  return forecast;
}

export function croston(values: ArrayLike<number>, alpha: number, horizon: number): number[] {
  return flat(crostonOneStep(values, alpha, 'croston'), horizon);
}

export function sba(values: ArrayLike<number>, alpha: number, horizon: number): number[] {
  return flat(crostonOneStep(values, alpha, 'sba'), horizon);
}

/**
 * Teunter–Syntetos–Babai: smooths the probability of demand d every period (β), and the demand size
 * z only when demand occurs (α), so the forecast d · z decays while an item does not sell. At the
 * first demand, at position i counted from 1: z = that demand, d = 1 / i (one demand in i periods).
 * Every later period: d ← d + β(1 − d) with demand, d ← d − βd without; z ← z + α(y − z) with demand.
 * 0 before the first demand.
 */
export function tsbOneStep(values: ArrayLike<number>, alpha: number, beta: number, out?: Float64Array): number {
  let size = 0;
  let probability = 0;
  let started = false;
  const offset = values.length - (out?.length ?? 0);
  for (let t = 0; t < values.length; t++) {
    if (out && t >= offset) out[t - offset] = t === 0 ? Number.NaN : probability * size;
    const y = values[t] ?? 0;
    if (!started) {
      if (y > 0) {
        size = y;
        probability = 1 / (t + 1);
        started = true;
      }
    } else if (y > 0) {
      probability += beta * (1 - probability);
      size += alpha * (y - size);
    } else probability -= beta * probability;
  }
  return probability * size;
}

export function tsb(values: ArrayLike<number>, alpha: number, beta: number, horizon: number): number[] {
  return flat(tsbOneStep(values, alpha, beta), horizon);
}

/**
 * Moving average's one-step form: the forecast made before value t is the mean of the (up to)
 * `window` values before it; the next forecast is `movingAverage`'s.
 */
export function movingAverageOneStep(values: ArrayLike<number>, window: number, out?: Float64Array): number {
  const offset = values.length - (out?.length ?? 0);
  let sum = 0;
  if (out && offset === 0 && values.length > 0) out[0] = Number.NaN;
  for (let t = 1; t <= values.length; t++) {
    sum += values[t - 1] ?? 0;
    if (t > window) sum -= values[t - 1 - window] ?? 0;
    if (out && t >= offset && t < values.length) out[t - offset] = sum / Math.min(t, window);
  }
  return values.length === 0 ? 0 : sum / Math.min(values.length, window);
}
