/**
 * Sales tax on one line, rounded per line, half away from zero.
 *
 * The rule (documented in the README and pinned by tests):
 * - Tax-inclusive prices: the line's gross amount is what the shelf says; the tax inside it is
 *   gross × rate / (1 + rate), rounded to the minor unit; net = gross − tax.
 * - Tax-exclusive prices: the tax is net × rate, rounded to the minor unit; gross = net + tax.
 * Rounding per line (not per unit, not per receipt) matches what the receipt prints, so every printed
 * line adds up to the printed total.
 */
import type { Minor } from './events.ts';
import { divideRounded } from './money.ts';

export const BASIS_POINTS = 10_000;

export interface TaxedAmount {
  net: Minor;
  tax: Minor;
  gross: Minor;
}

export function taxFromInclusive(gross: Minor, rateBp: number): TaxedAmount {
  const tax = divideRounded(gross * rateBp, BASIS_POINTS + rateBp);
  return { net: gross - tax, tax, gross };
}

export function taxOnExclusive(net: Minor, rateBp: number): TaxedAmount {
  const tax = divideRounded(net * rateBp, BASIS_POINTS);
  return { net, tax, gross: net + tax };
}

export function applyTax(amount: Minor, rateBp: number, pricesIncludeTax: boolean): TaxedAmount {
  return pricesIncludeTax ? taxFromInclusive(amount, rateBp) : taxOnExclusive(amount, rateBp);
}

/** "20 %", "7.5 %" for display. */
export function formatRate(rateBp: number): string {
  return `${(rateBp / 100).toString()} %`;
}
