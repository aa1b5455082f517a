/**
 * Cash rounding for currencies whose smallest coin is larger than the minor unit (Swiss francs are
 * paid in 5 rappen steps, Swedish kronor in whole kronor). Card payments are not rounded; only the
 * cash amount due is.
 */
import type { Minor } from './events.ts';
import { divideRounded } from './money.ts';

/**
 * Rounds `amount` (minor units) to the nearest multiple of `increment` (minor units, e.g. 5 for CHF
 * 0.05); exact halves go away from zero, like every other rounding in Perpetua.
 * Examples: cashRounding(1232, 5) = 1230, cashRounding(1233, 5) = 1235, cashRounding(-1233, 5) = -1235.
 */
export function cashRounding(amount: Minor, increment: Minor): Minor {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`Cash rounding needs a whole number of minor units, got ${amount}`);
  if (!Number.isSafeInteger(increment) || increment < 1) {
    throw new RangeError(`Cash rounding needs a positive whole increment in minor units (such as 5), got ${increment}`);
  }
  return divideRounded(amount, increment) * increment || 0;
}
