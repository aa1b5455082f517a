/**
 * The weekly profile of a daily series (issue 16): whether demand differs by weekday, and by how much.
 *
 * Decision rule: a one-way analysis of variance of the observed days grouped by weekday (position in
 * the series modulo 7), at the 1 % level. It needs at least 4 observed days of every weekday (four
 * weeks) and 20 residual degrees of freedom; with less, no profile is applied. A flat series with
 * noise passes the test about once in a hundred; a shop whose Saturdays sell double passes it within
 * a few weeks. Only season length 7 is profiled (the F table below is for 6 numerator degrees of
 * freedom); other lengths are ignored.
 *
 * Factors: each weekday's mean over the mean of the seven weekday means, so they average 1. A
 * weekday that never sold (a closed day) has factor 0.
 */

export const WEEK = 7;
const MIN_PER_WEEKDAY = 4;

/**
 * Upper 1 % points of F(6, df2) for df2 = 20, 30, 40, 60, 120, ∞ (standard tables). The test uses
 * the entry for the largest tabled df2 not above the actual one, which errs towards "no profile".
 */
const F_CRITICAL_1PCT: readonly (readonly [number, number])[] = [
  [120, 2.96],
  [60, 3.12],
  [40, 3.29],
  [30, 3.47],
  [20, 3.87],
];
const F_CRITICAL_1PCT_INFINITE = 2.8;
const INFINITE_DF = 1000;

export interface WeeklyProfileTest {
  /** F statistic, or undefined when there are too few observed days to test. */
  f: number | undefined;
  critical: number | undefined;
  /** Factors by position modulo 7 (index 0 = the series' first period's weekday), when significant. */
  factors: number[] | undefined;
}

function criticalValue(df2: number): number | undefined {
  if (df2 >= INFINITE_DF) return F_CRITICAL_1PCT_INFINITE;
  for (const [df, value] of F_CRITICAL_1PCT) if (df2 >= df) return value;
  return undefined;
}

/** `values[i]` observed at series position `positions[i]`. */
export function weeklyProfile(values: ArrayLike<number>, positions: ArrayLike<number>): WeeklyProfileTest {
  const count = new Float64Array(WEEK);
  const sum = new Float64Array(WEEK);
  const n = values.length;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const g = (positions[i] ?? 0) % WEEK;
    const y = values[i] ?? 0;
    count[g] = (count[g] ?? 0) + 1;
    sum[g] = (sum[g] ?? 0) + y;
    total += y;
  }
  const df2 = n - WEEK;
  const critical = criticalValue(df2);
  if (critical === undefined || count.some((c) => c < MIN_PER_WEEKDAY) || total === 0) return { f: undefined, critical, factors: undefined };
  const means = new Float64Array(WEEK);
  for (let g = 0; g < WEEK; g++) means[g] = (sum[g] ?? 0) / (count[g] ?? 1);
  const grand = total / n;
  let between = 0;
  for (let g = 0; g < WEEK; g++) {
    const d = (means[g] ?? 0) - grand;
    between += (count[g] ?? 0) * d * d;
  }
  let within = 0;
  for (let i = 0; i < n; i++) {
    const e = (values[i] ?? 0) - (means[(positions[i] ?? 0) % WEEK] ?? 0);
    within += e * e;
  }
  const f = within === 0 ? (between > 0 ? Number.POSITIVE_INFINITY : 0) : between / (WEEK - 1) / (within / df2);
  if (!(f > critical)) return { f, critical, factors: undefined };
  const meanOfMeans = means.reduce((a, b) => a + b, 0) / WEEK;
  return { f, critical, factors: Array.from(means, (m) => m / meanOfMeans) };
}
