/**
 * Demand over a number of periods as a gamma distribution, and the units it is expected to exceed a
 * stock level by (the loss function), for the fill-rate safety stock in `policy.ts`.
 *
 * Why gamma: demand over a lead time is never negative and, for the slow and intermittent items a
 * small shop mostly sells, strongly skewed (most weeks nothing, now and then a lot). A normal
 * distribution puts stock against negative demand and under-covers the long right tail; the gamma
 * has the same two moments, no mass below zero, and a tail that grows with the variance.
 */

/** Mean and variance of demand summed over some periods, in stock units. */
export interface DemandMoments {
  mean: number;
  variance: number;
}

/**
 * E[(D − level)⁺]: the units by which demand D over the periods is expected to exceed `level`.
 * D ~ gamma with the given mean and variance; a variance of 0 means demand is exactly the mean.
 */
export function expectedExcess(demand: DemandMoments, level: number): number {
  const { mean, variance } = demand;
  if (mean <= 0) return 0;
  if (level <= 0) return mean - level;
  if (variance <= 0) return Math.max(0, mean - level);
  // Shape k and scale θ with kθ = mean, kθ² = variance. For x = level/θ, the textbook identity
  // E[(D − S)⁺] = mean·Q(k+1, x) − S·Q(k, x), Q the upper regularized incomplete gamma function.
  const scale = variance / mean;
  const shape = mean / scale;
  const x = level / scale;
  return Math.max(0, mean * upperGamma(shape + 1, x) - level * upperGamma(shape, x));
}

/** ln Γ(a) for a > 0 (Lanczos, g = 7, 9 terms: about 15 significant digits). */
function logGamma(a: number): number {
  if (a < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * a)) - logGamma(1 - a);
  const z = a - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

const EPSILON = 1e-12;
const MAX_TERMS = 500;

/** Q(a, x) = Γ(a, x) / Γ(a), the upper regularized incomplete gamma function (a > 0, x ≥ 0). */
export function upperGamma(a: number, x: number): number {
  if (x <= 0) return 1;
  const logPrefix = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    // The series for P(a, x) converges quickly below a + 1.
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < MAX_TERMS; n++) {
      term *= x / (a + n);
      sum += term;
      if (term < sum * EPSILON) break;
    }
    return Math.max(0, 1 - sum * Math.exp(logPrefix));
  }
  // The continued fraction for Q(a, x) converges quickly above a + 1 (modified Lentz).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let n = 1; n < MAX_TERMS; n++) {
    const an = -n * (n - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return Math.min(1, Math.exp(logPrefix) * h);
}
