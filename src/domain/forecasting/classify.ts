/**
 * Syntetos–Boylan demand classes (issue 16). On the observed values only:
 * - ADI = observed periods / periods with demand. ADI ≥ 1.32 is intermittent (demand in fewer than
 *   about 3 periods in 4); ADI < 1.32 is not. The exact value 1.32 counts as intermittent.
 * - CV² = (standard deviation / mean)² of the non-zero demand sizes, the population standard deviation
 *   (divided by their count). CV² ≥ 0.49 is variable in size; the exact value 0.49 counts as variable.
 * smooth: ADI < 1.32, CV² < 0.49; erratic: ADI < 1.32, CV² ≥ 0.49; intermittent: ADI ≥ 1.32,
 * CV² < 0.49; lumpy: ADI ≥ 1.32, CV² ≥ 0.49. Undefined with fewer than two periods with demand (no
 * interval between demands has been seen, and one size has no spread).
 */
import type { DemandClass } from './types.ts';

export const ADI_CUT = 1.32;
export const CV2_CUT = 0.49;

export interface Classification {
  demandClass: DemandClass | undefined;
  adi: number | undefined;
  cv2: number | undefined;
  /** Observed periods with demand. */
  demandPeriods: number;
}

export function classOf(adi: number, cv2: number): DemandClass {
  const intermittent = adi >= ADI_CUT;
  const variable = cv2 >= CV2_CUT;
  if (intermittent) return variable ? 'lumpy' : 'intermittent';
  return variable ? 'erratic' : 'smooth';
}

export function classify(values: ArrayLike<number>): Classification {
  let count = 0;
  let sum = 0;
  let sumSq = 0;
  for (let t = 0; t < values.length; t++) {
    const y = values[t] ?? 0;
    if (y > 0) {
      count++;
      sum += y;
      sumSq += y * y;
    }
  }
  if (count < 2) return { demandClass: undefined, adi: undefined, cv2: undefined, demandPeriods: count };
  const mean = sum / count;
  const variance = Math.max(0, sumSq / count - mean * mean);
  const adi = values.length / count;
  const cv2 = variance / (mean * mean);
  return { demandClass: classOf(adi, cv2), adi, cv2, demandPeriods: count };
}
