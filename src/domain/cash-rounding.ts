/**
 * Cash rounding for currencies whose smallest coin is larger than the minor unit (Swiss francs are
 * paid in 5 rappen steps, Swedish kronor in whole kronor). Card payments are not rounded; only the
 * cash part of a payment or refund is, and the difference posts to 5200 Cash over and short.
 *
 * A sale or return carries the rounding it applied (`cashRounding`, signed minor units), so the money
 * that changed hands is recorded exactly and a report never has to re-derive it.
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

/**
 * The smallest coin in everyday use, in minor units, where it is larger than the minor unit and
 * cash payments are rounded by law or custom. Currencies not listed are paid to the minor unit.
 * Euro countries differ (Finland, the Netherlands, Belgium, Ireland, Italy round to 5 cents), so a
 * store sets its own step in Settings; this table is only the default.
 */
const DEFAULT_CASH_STEP: Readonly<Record<string, Minor>> = { CHF: 5, SEK: 100, NOK: 100, DKK: 50, CAD: 5, AUD: 5, NZD: 10 };

/** The steps a store can choose from (minor units); 1 means no rounding. */
export const CASH_STEP_CHOICES: readonly Minor[] = [1, 5, 10, 50, 100];

/** The largest step supported, so no event can carry a rounding of more than half of it. */
const LARGEST_CASH_STEP = 100;

/** |cashRounding| can never exceed this: half of the largest step. */
export const MAX_CASH_ROUNDING: Minor = LARGEST_CASH_STEP / 2;

export function defaultCashStep(currency: string): Minor {
  return DEFAULT_CASH_STEP[currency] ?? 1;
}

/** A cash amount due, rounded to the drawer's coins: `due` is what the customer hands over (or gets). */
export interface RoundedCash {
  due: Minor;
  /** due − exact amount: negative when the customer pays less than the exact amount. */
  rounding: Minor;
}

export function roundCashDue(exact: Minor, step: Minor): RoundedCash {
  if (step <= 1) return { due: exact, rounding: 0 };
  const due = cashRounding(exact, step);
  return { due, rounding: due - exact };
}
