/**
 * Questions the screens and the commands both ask of the books: this device's open shift, a sale by
 * its receipt number, what a returned line refunds. Pure reads of a `Books`.
 */
import type { Books } from '../domain/books/index.ts';
import type { EventOf, Minor, StockUnit, TenderMethod } from '../domain/events.ts';
import { compareEvents } from '../domain/order.ts';
import { divideRounded } from '../domain/money.ts';

export { deviceCode, receiptCounterOf, receiptNumber } from '../domain/receipt-numbers.ts';

/**
 * The cashier's shift open on this device: the latest `shift-opened` recorded by this device whose
 * shift has no `shift-closed` yet. Sales, refunds and cash moves of this device belong to it.
 *
 * On a store with staff (issue 17), cashiers sharing a till each have a drawer count of their own:
 * with `actorId` (the signed-in member) only a shift that member opened on this device counts.
 * Without staff, or with nobody signed in, the device's shift as before.
 */
export function openShiftOf(books: Books, deviceId: string, actorId?: string): EventOf<'shift-opened'> | undefined {
  const byActor = actorId !== undefined && books.staff().hasStaff;
  let latest: EventOf<'shift-opened'> | undefined;
  for (const shiftId of books.idsOf('shift')) {
    const events = books.eventsFor('shift', shiftId);
    if (events.some((e) => e.kind === 'shift-closed')) continue;
    const opened = events.find(
      (e): e is EventOf<'shift-opened'> => e.kind === 'shift-opened' && e.deviceId === deviceId && (!byActor || e.userId === actorId),
    );
    if (opened && (latest === undefined || compareEvents(opened, latest) > 0)) latest = opened;
  }
  return latest;
}

/** A receipt number as people type or scan it: without spaces or a leading '#', in capitals. */
export function normalizeReceiptNo(text: string): string {
  return text.trim().replace(/^#/, '').toUpperCase();
}

/**
 * The sale with this receipt number (typed or scanned), from the books' receipt index; undefined
 * when no sale on this device has it. Two tills whose ids end alike could print the same number: the
 * first in ledger order is the one found.
 */
export function saleByReceiptNo(books: Books, receiptNo: string): EventOf<'sale'> | undefined {
  for (const event of books.eventsFor('receipt', normalizeReceiptNo(receiptNo))) if (event.kind === 'sale') return event;
  return undefined;
}

/** The share of a sale line's gross and tax for `qty` of its `line.qty` units, rounded half away from zero. */
export function refundFor(line: { qty: number; gross: Minor; tax: Minor }, qty: number): { refund: Minor; tax: Minor } {
  return { refund: divideRounded(line.gross * qty, line.qty), tax: divideRounded(line.tax * qty, line.qty) };
}

/** The tax part of a refund that includes tax at `rateBp`: refund × rate / (1 + rate). */
export function taxIncludedIn(refund: Minor, rateBp: number): Minor {
  return divideRounded(refund * rateBp, 10_000 + rateBp);
}

/** How a sale was paid, for "refund to the original tender": card when any card paid part of it. */
export function originalTender(sale: EventOf<'sale'>): TenderMethod {
  return sale.tenders.some((t) => t.method === 'card' && t.amount > 0) ? 'card' : 'cash';
}

/** A quantity as people read it: "3" for pieces, "250 g" / "500 ml" for weighed and measured products. */
export function qtyWithUnit(qty: number, unit: StockUnit): string {
  return unit === 'each' ? String(qty) : `${qty} ${unit === 'kg' ? 'g' : 'ml'}`;
}
