/**
 * Money is an integer number of minor units (cents, pence…) of one currency. Floats appear only as
 * intermediate rates (unit costs, tax fractions) and are rounded back to minor units by
 * `roundHalfAwayFromZero` at the moment a money amount is produced.
 */
import type { Minor } from './events.ts';

/** Rounds to the nearest integer; exact halves go away from zero (2.5 → 3, −2.5 → −3). */
export function roundHalfAwayFromZero(x: number): number {
  // The small epsilon absorbs binary noise such as 1.005 * 100 = 100.49999999999999.
  const magnitude = Math.floor(Math.abs(x) + 0.5 + 1e-9);
  return x < 0 ? -magnitude : magnitude;
}

/** Integer division of `numerator / denominator`, rounded half away from zero, exact for integers. */
export function divideRounded(numerator: number, denominator: number): number {
  if (denominator === 0) throw new RangeError('Division by zero');
  const sign = Math.sign(numerator) * Math.sign(denominator);
  const n = Math.abs(numerator);
  const d = Math.abs(denominator);
  const quotient = Math.floor(n / d);
  const remainder = n - quotient * d;
  const rounded = remainder * 2 >= d ? quotient + 1 : quotient;
  return sign < 0 ? -rounded : rounded;
}

export function isMinor(value: unknown): value is Minor {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/**
 * Intl formatters, made once per currency (and locale) and kept: making one costs far more than using
 * it, and a screen of figures formats hundreds of amounts (on a slow phone, each a long task, issue 19).
 */
const digitsByCurrency = new Map<string, number>();
const moneyFormats = new Map<string, Intl.NumberFormat>();

/** Digits after the decimal point for a currency (JPY 0, EUR 2, KWD 3). */
export function currencyDigits(currency: string): number {
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsByCurrency.set(currency, digits);
  }
  return digits;
}

export function formatMoney(amount: Minor, currency: string, locale?: string): string {
  const digits = currencyDigits(currency);
  const key = `${currency}|${locale ?? ''}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits });
    moneyFormats.set(key, format);
  }
  return format.format(amount / 10 ** digits);
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Parses what a person typed as a money amount ("12", "12.5", "12,50") into minor units.
 * Refuses anything else rather than guessing: a wrong price is worse than a question.
 */
export function parseMoney(text: string, currency: string): ParseResult<Minor> {
  const digits = currencyDigits(currency);
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') return { ok: false, error: 'Enter an amount.' };
  const pattern = digits === 0 ? /^\d{1,9}$/ : new RegExp(`^\\d{1,9}(\\.\\d{1,${digits}})?$`);
  if (!pattern.test(trimmed)) {
    return {
      ok: false,
      error:
        digits === 0
          ? `"${text}" is not an amount: use whole ${currency} only.`
          : `"${text}" is not an amount: use digits with at most ${digits} decimals, like 12.50.`,
    };
  }
  const [whole, fraction = ''] = trimmed.split('.');
  const value = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return { ok: true, value };
}

/**
 * Splits `total` into integer shares proportional to `weights`, so that the shares add up to
 * `total` exactly (largest remainder; ties go to the earlier weight).
 */
export function allocateProportionally(total: Minor, weights: readonly number[]): Minor[] {
  const weightSum = weights.reduce((sum, w) => sum + w, 0);
  if (weights.length === 0) return [];
  if (weightSum === 0) return weights.map((_, i) => (i === 0 ? total : 0));
  const sign = Math.sign(total);
  const magnitude = Math.abs(total);
  const exact = weights.map((w) => (magnitude * w) / weightSum);
  const shares = exact.map((x) => Math.floor(x));
  let left = magnitude - shares.reduce((sum, s) => sum + s, 0);
  const byRemainder = exact
    .map((x, i) => ({ i, remainder: x - Math.floor(x) }))
    .sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    shares[i] = (shares[i] ?? 0) + 1;
    left--;
  }
  return shares.map((s) => s * sign || 0);
}
