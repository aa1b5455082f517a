/**
 * The text of quantity and money inputs on the operation screens: reading what a person typed (with
 * errors that are sentences) and writing stored amounts back as text, per piece / kg / litre.
 */
import type { StockUnit } from '../domain/events.ts';
import { QTY_PER_PRICE_UNIT } from '../domain/events.ts';
import { currencyDigits, parseMoney, type ParseResult } from '../domain/money.ts';

/** "g" / "ml" after a quantity of a weighed product, nothing for pieces. */
export function qtyUnitLabel(unit: StockUnit): string {
  return unit === 'each' ? '' : unit === 'kg' ? 'g' : 'ml';
}

export function qtyWithUnit(qty: number, unit: StockUnit): string {
  const label = qtyUnitLabel(unit);
  return label ? `${qty} ${label}` : String(qty);
}

/** What the person typed as a quantity of stock units: a whole number from `min` (1 unless told). */
export function parseQty(text: string, min = 1): ParseResult<number> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, error: `Enter a quantity${min === 0 ? ' (0 if none)' : ''}.` };
  if (!/^\d{1,9}$/.test(trimmed)) return { ok: false, error: `"${text}" is not a quantity: use a whole number from ${min}.` };
  const qty = Number(trimmed);
  if (qty < min) return { ok: false, error: `${qty} is not a quantity to record: use a whole number from ${min}, or remove the line.` };
  return { ok: true, value: qty };
}

/** Minor units as the text of a money input ("1.19" for 119 EUR cents). */
export function moneyInputText(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  return (minor / 10 ** digits).toFixed(digits);
}

/** A unit cost (per stock unit) as typed per piece, per kg or per litre. */
export function costInputText(unitCost: number, unit: StockUnit, currency: string): string {
  return moneyInputText(Math.round(unitCost * QTY_PER_PRICE_UNIT[unit]), currency);
}

/** Parses a unit cost typed per piece / kg / litre into minor units per stock unit. */
export function parseUnitCost(text: string, unit: StockUnit, currency: string): ParseResult<number> {
  const parsed = parseMoney(text, currency);
  if (!parsed.ok) return parsed;
  return { ok: true, value: parsed.value / QTY_PER_PRICE_UNIT[unit] };
}

export function costLabel(unit: StockUnit): string {
  return unit === 'each' ? 'Unit cost' : `Cost per ${unit}`;
}
