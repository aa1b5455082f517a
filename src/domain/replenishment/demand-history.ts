/**
 * Demand history (issue 16, item 1): a product × location's units demanded per business day in the
 * store's time zone, read from its stock entries in the books.
 *
 * - Demand is sales minus returns. A sale whose void is effective (`books.isEffectiveVoid`) is left
 *   out altogether: it never was demand.
 * - A return counts against the day of the sale it refers to, when that sale is known and was made at
 *   the same location (the units came back, so that day's demand was smaller); otherwise (no receipt,
 *   a sale elsewhere or before the window) on the return's own day. A day that comes out negative is
 *   read as 0: a returned unit is not negative demand.
 * - A stock-out day is a day that ended at on hand ≤ 0: the last entry of the day in ledger order
 *   says where it ended, and a day without entries ends where the day before did. A stock-out day
 *   with no demand is `null` (an empty shelf sells nothing; that is not zero demand).
 * - The window is the last `HISTORY_DAYS` days up to the plan's date. The series starts on the first
 *   day the product moved at that location, or on the window's first day when it had moved before.
 *   Entries dated after the plan's date (a device clock ahead) count for the stock only.
 */
import type { Books, EntryRole } from '../books/index.ts';
import { localDateOf, type StoreClock } from '../calendar.ts';
import type { LedgerEvent } from '../events.ts';
import type { DemandHistory } from './types.ts';

/** A year of days: enough for a weekly profile and for an item sold once a year to be seen. */
export const HISTORY_DAYS = 365;

/**
 * Business days (days since 1970-01-01) of `recordedAt` instants, remembered per instant: a sale with
 * a hundred lines is one instant read a hundred times.
 */
export class BusinessDays {
  private readonly days = new Map<string, number>();

  constructor(readonly clock: StoreClock) {}

  of(recordedAt: string): number {
    let day = this.days.get(recordedAt);
    if (day === undefined) {
      day = this.clock.of(recordedAt)?.day ?? Number.NaN;
      this.days.set(recordedAt, day);
    }
    return day;
  }
}

/**
 * One product × location's daily demand for the `HISTORY_DAYS` up to `asOfDay` (a day number), or
 * undefined when the product never moved there by then.
 */
export function demandHistory(books: Books, productId: string, locationId: string, asOfDay: number, days: BusinessDays): DemandHistory | undefined {
  const windowStart = asOfDay - HISTORY_DAYS + 1;
  const length = HISTORY_DAYS;
  const demand = new Float64Array(length);
  /** Where each day ended, NaN for a day without entries. */
  const endedAt = new Float64Array(length).fill(Number.NaN);
  let openingQty = 0;
  let firstDay = Number.POSITIVE_INFINITY;
  let moved = false;

  books.forEachStockEntry(productId, locationId, (event, line, role, _qty, qtyAfter) => {
    const day = days.of(event.recordedAt);
    if (!(day <= asOfDay)) return;
    moved = true;
    if (day < firstDay) firstDay = day;
    if (day < windowStart) {
      openingQty = qtyAfter;
      return;
    }
    const index = day - windowStart;
    endedAt[index] = qtyAfter;
    const units = demandOf(books, days, event, line, role, locationId);
    if (units === undefined) return;
    const at = units.day === undefined ? index : units.day - windowStart;
    if (at >= 0 && at < length) demand[at] = (demand[at] ?? 0) + units.qty;
  });
  if (!moved) return undefined;

  const start = Math.max(firstDay, windowStart) - windowStart;
  const series: (number | null)[] = [];
  const stockOutDays: number[] = [];
  let onHand = openingQty;
  for (let i = start; i < length; i++) {
    const ended = endedAt[i] as number;
    if (!Number.isNaN(ended)) onHand = ended;
    const units = Math.max(0, demand[i] as number);
    if (onHand <= 0) {
      stockOutDays.push(i - start);
      series.push(units > 0 ? units : null);
    } else {
      series.push(units);
    }
  }
  return { productId, locationId, firstDay: localDateOf(windowStart + start), days: series, stockOutDays };
}

/**
 * The demand an entry adds (a sale line) or takes away (a return, a void), and on which day when it is
 * not the entry's own; undefined for entries that are not demand (receipts, counts, transfers).
 */
function demandOf(books: Books, days: BusinessDays, event: LedgerEvent, line: number, role: EntryRole, locationId: string): { qty: number; day: number | undefined } | undefined {
  switch (role) {
    case 'sale': {
      const sale = event as Extract<LedgerEvent, { kind: 'sale' }>;
      return { qty: sale.lines[line]?.qty ?? 0, day: undefined };
    }
    case 'void': {
      // The void's entry carries the sale's line index: take the line back on the sale's own day.
      const voided = event as Extract<LedgerEvent, { kind: 'sale-voided' }>;
      const sale = books.getEvent(voided.saleId);
      if (sale?.kind !== 'sale' || !books.isEffectiveVoid(voided)) return undefined;
      return { qty: -(sale.lines[line]?.qty ?? 0), day: days.of(sale.recordedAt) };
    }
    case 'return-restock':
    case 'return-write-off': {
      const returned = event as Extract<LedgerEvent, { kind: 'return' }>;
      const qty = returned.lines[line]?.qty ?? 0;
      const sale = returned.saleId === undefined ? undefined : books.getEvent(returned.saleId);
      const againstSale = sale?.kind === 'sale' && sale.locationId === locationId;
      return { qty: -qty, day: againstSale ? days.of(sale.recordedAt) : undefined };
    }
    default:
      return undefined;
  }
}
