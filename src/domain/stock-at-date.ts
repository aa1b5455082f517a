/**
 * Stock at a date (issue 15, item 3): quantity, unit cost and value per product × location as at
 * any past moment, exact from the ledger, by the store's valuation method (FIFO or moving average).
 *
 * "As at T" means after every event whose HLC wall time is at or before T: the HLC is the ledger's
 * order, so the answer is the books of exactly those events (`Books.fromEvents` of them gives the
 * same figures; tests/domain/stock-at-date.property.test.ts). `recordedAt` is not used: it is one
 * device's clock, and an event recorded "before" T by a slow clock may sort after events that
 * happened later. A late event (an offline device's old sale) counts from its own moment on once it
 * has arrived, so a report as at a past date can change when late events arrive: that is the
 * ledger being completed, not rewritten.
 *
 * The bound: every HLC of wall time `ms` is `<15 digits>-<6 base-36 digits>-<device>`; the string
 * `<15 digits of ms>-~` sorts after all of them ('~' is above every base-36 digit) and before any
 * stamp of a later millisecond, so "stamped at or before the bound" is "wall time ≤ ms".
 */
import type { Books } from './books/index.ts';
import { QTY_PER_PRICE_UNIT, type ProductSnapshot } from './events.ts';
import { divideRounded } from './money.ts';

export interface StockAtDateRow {
  productId: string;
  locationId: string;
  /** In stock units (pieces, grams, millilitres), as the books count them. */
  qty: number;
  /** Whole minor units, the stream's share of the Inventory account as at the moment. */
  value: number;
  /**
   * Value per unit on hand, per the product's price unit (piece, kg, litre), rounded to whole minor
   * units; undefined when nothing (or less than nothing) is on hand.
   */
  unitCost: number | undefined;
}

const WALL_DIGITS = 15;

/** The HLC bound of an instant: every stamp at or before `epochMs` sorts at or before it. */
export function hlcBoundOf(epochMs: number): string {
  return `${String(Math.max(0, Math.floor(epochMs))).padStart(WALL_DIGITS, '0')}-~`;
}

/**
 * Stock and value of every product × location that held something (or owed stock, or had value) at
 * `epochMs`; rows with nothing on hand and no value are left out.
 */
export function stockAtDate(books: Books, epochMs: number, products?: ReadonlyMap<string, ProductSnapshot>): StockAtDateRow[] {
  return books.stockAsAt(hlcBoundOf(epochMs)).filter((row) => row.qty !== 0 || row.value !== 0).map((row) => {
    const perPriceUnit = QTY_PER_PRICE_UNIT[products?.get(row.productId)?.unit ?? 'each'];
    return {
      ...row,
      unitCost: row.qty > 0 ? divideRounded(row.value * perPriceUnit, row.qty) : undefined,
    };
  });
}

/** The total value as at a moment (the Inventory account then, without goods in transit). */
export function stockValueAtDate(rows: readonly StockAtDateRow[]): number {
  return rows.reduce((sum, row) => sum + row.value, 0);
}
