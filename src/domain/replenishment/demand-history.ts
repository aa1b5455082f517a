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
 * - The plan's own day is not over, so it has not ended anywhere yet: it is a stock-out day only when
 *   its shelf has been empty all day so far: it opened at ≤ 0 and nothing that came in since (a
 *   delivery, a transfer in, a count, a return) left more than 0. Only what comes in counts, so what
 *   the plan itself suggests (sending a location's surplus elsewhere; an order, which moves no stock
 *   yet) cannot change the day. Read by where it stands now, a location just emptied by a suggested
 *   transfer lost the day's observed zero, its forecast rose, and the next plan asked to refill what
 *   it had just sent away.
 * - The window is the last `HISTORY_DAYS` days up to the plan's date. The series starts on the first
 *   day the product moved at that location, or on the window's first day when it had moved before.
 *   Entries dated after the plan's date (a device clock ahead) count for the stock only.
 */
import type { Books } from '../books/index.ts';
import { localDateOf, type StoreClock } from '../calendar.ts';
import type { LedgerEvent } from '../events.ts';
import type { DemandHistory } from './types.ts';

/** A recordedAt the clock cannot read: the entry counts for no day. */
const INVALID = -1;

/** A year of days: enough for a weekly profile and for an item sold once a year to be seen. */
export const HISTORY_DAYS = 365;

/**
 * Business days (days since 1970-01-01) of `recordedAt` instants, remembered per instant (a sale with
 * a hundred lines is one instant read a hundred times) and per stock entry's row. Rows are read in
 * the order they were made, where an event's lines sit side by side: its day is worked out once, and
 * the rows' days then come from one small array instead of each entry's event, a scattered memory
 * read that was most of a year's read for 20,000 series. A row's event never changes, so a row's day
 * holds for as long as the books live.
 */
export class BusinessDays {
  private readonly days = new Map<string, number>();
  private rowDays = new Int32Array(0);
  /** Rows whose day is in `rowDays`: 0 … filled − 1. */
  private filled = 0;

  constructor(readonly clock: StoreClock) {}

  /** The business day of entry `row`; NaN when its event's time cannot be read. */
  ofEntry(books: Books, row: number): number {
    if (row >= this.filled) this.fill(books);
    const day = this.rowDays[row] as number;
    return day === INVALID ? Number.NaN : day;
  }

  private fill(books: Books): void {
    const rows = books.entryRows();
    if (rows > this.rowDays.length) {
      const grown = new Int32Array(Math.max(rows, this.rowDays.length * 2));
      grown.set(this.rowDays.subarray(0, this.filled));
      this.rowDays = grown;
    }
    let previous: LedgerEvent | undefined;
    let day = INVALID;
    for (let row = this.filled; row < rows; row++) {
      const event = books.eventOfEntry(row);
      if (event !== previous) {
        previous = event;
        const read = this.of(event.recordedAt);
        day = Number.isNaN(read) ? INVALID : read;
      }
      this.rowDays[row] = day;
    }
    this.filled = rows;
  }

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
 * Reads daily demand for the `HISTORY_DAYS` up to `asOfDay` (a day number). One reader serves every
 * series of a plan: its two day-by-day buffers are reused, so reading 20,000 series allocates only
 * what each series keeps.
 */
export class DemandReader {
  private readonly windowStart: number;
  private readonly demand: number[] = new Array<number>(HISTORY_DAYS).fill(0);
  /** Where each day ended, NaN for a day without entries. */
  private readonly endedAt: number[] = new Array<number>(HISTORY_DAYS).fill(Number.NaN);

  constructor(
    private readonly books: Books,
    private readonly days: BusinessDays,
    private readonly asOfDay: number,
  ) {
    this.windowStart = asOfDay - HISTORY_DAYS + 1;
  }

  /** One product × location's history, or undefined when the product never moved there by then. */
  read(productId: string, locationId: string): DemandHistory | undefined {
    const { books, days, asOfDay, windowStart, demand, endedAt } = this;
    let openingQty = 0;
    let firstDay = Number.POSITIVE_INFINITY;
    let restockedToday = false;
    books.forEachStockEntry(productId, locationId, (row, line, role, qty, qtyAfter) => {
      const day = days.ofEntry(books, row);
      if (!(day <= asOfDay)) return;
      if (day < firstDay) firstDay = day;
      if (day === asOfDay && qty > 0 && qtyAfter > 0) restockedToday = true;
      if (day < windowStart) {
        openingQty = qtyAfter;
        return;
      }
      const index = day - windowStart;
      endedAt[index] = qtyAfter;
      // A sale line's entry took out exactly the units sold (the hot path: no look into the event).
      if (role === 'sale') demand[index] = (demand[index] as number) - qty;
      else if (role === 'void' || role === 'return-restock' || role === 'return-write-off') {
        const taken = takenBack(books, days, books.eventOfEntry(row), line, locationId);
        const at = taken?.day === undefined ? index : taken.day - windowStart;
        if (taken && at >= 0 && at < HISTORY_DAYS) demand[at] = (demand[at] as number) - taken.qty;
      }
    });
    if (firstDay === Number.POSITIVE_INFINITY) return undefined;

    const start = Math.max(firstDay, windowStart) - windowStart;
    const series: (number | null)[] = new Array<number | null>(HISTORY_DAYS - start);
    const stockOutDays: number[] = [];
    let onHand = openingQty;
    for (let i = start; i < HISTORY_DAYS; i++) {
      const opened = onHand;
      const ended = endedAt[i] as number;
      if (!Number.isNaN(ended)) onHand = ended;
      const units = wholeUnits(demand[i] as number);
      const today = i === HISTORY_DAYS - 1;
      if (today ? opened <= 0 && !restockedToday : onHand <= 0) {
        stockOutDays.push(i - start);
        series[i - start] = units > 0 ? units : null;
      } else {
        series[i - start] = units;
      }
    }
    demand.fill(0);
    endedAt.fill(Number.NaN);
    return { productId, locationId, firstDay: localDateOf(windowStart + start), days: series, stockOutDays };
  }
}

/**
 * A day's demand, never below 0, as a small integer where it is one: stock units are whole, and V8
 * keeps small integers in the array itself instead of a heap number per day (7 million of them for
 * 20,000 series).
 */
function wholeUnits(units: number): number {
  if (units <= 0) return 0;
  return units <= 0x3fffffff && Number.isInteger(units) ? units | 0 : units;
}

/**
 * Units a void or a return takes back from demand, and on which day when not the entry's own (the
 * sale's); undefined for a void that does not count.
 */
function takenBack(books: Books, days: BusinessDays, event: LedgerEvent, line: number, locationId: string): { qty: number; day: number | undefined } | undefined {
  if (event.kind === 'sale-voided') {
    // The void's entry carries the sale's line index: take the line back on the sale's own day.
    const sale = books.getEvent(event.saleId);
    if (sale?.kind !== 'sale' || !books.isEffectiveVoid(event)) return undefined;
    return { qty: sale.lines[line]?.qty ?? 0, day: days.of(sale.recordedAt) };
  }
  if (event.kind !== 'return') return undefined;
  const qty = event.lines[line]?.qty ?? 0;
  const sale = event.saleId === undefined ? undefined : books.getEvent(event.saleId);
  const againstSale = sale?.kind === 'sale' && sale.locationId === locationId;
  return { qty, day: againstSale ? days.of(sale.recordedAt) : undefined };
}
