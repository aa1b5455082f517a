/**
 * The cashier's shift: X report (while open) and Z report (once closed), and the cash difference the
 * close posts to the journal.
 *
 * Which events belong to a shift
 * - `shift-opened`, `cash-moved`, `shift-closed` with the shift id; sales and returns whose optional
 *   `shiftId` names it. A sale synced after its shift closed still names it, so it is attached to it:
 *   the report is a projection of the events, so it simply updates (and so does the close's journal).
 * - A void counts in the shift it names, or else in its sale's shift; only a void that takes effect
 *   (`Books.isEffectiveVoid`) gives money back.
 * - The first `shift-opened` and the first `shift-closed` in ledger order count; repeats are ignored.
 *
 * Expected cash = float + cash sales − cash of voided sales − cash refunds + cash in − cash out.
 * Cash sales and refunds are the amounts that changed hands, i.e. after cash rounding.
 * Difference = counted − expected: positive means over, negative means short.
 *
 * Journal: the drawer is part of the Cash account (1000), so the float and `cash-moved` between the
 * drawer and the safe post nothing. At the close, a difference is real cash gained or lost: over
 * debits Cash and credits 5200 Cash over and short; short does the reverse.
 */
import type { EventOf, Minor, Tender } from './events.ts';
import type { Books } from './books/index.ts';
import { refundPaidOut } from './refunds.ts';

export interface ShiftReport {
  shiftId: string;
  /** X while the shift is open (mid-shift), Z once it is closed. */
  report: 'X' | 'Z';
  status: 'open' | 'closed';
  /** False while the `shift-opened` event has not arrived (the float counts as 0 until then). */
  opened: boolean;
  openedAt: string | undefined;
  closedAt: string | undefined;
  /** The `shift-closed` event that counts (the first in ledger order). */
  closeEventId: string | undefined;
  float: Minor;
  cashSales: Minor;
  cardSales: Minor;
  /** Money given back for voided sales of this shift. */
  cashVoids: Minor;
  cardVoids: Minor;
  cashRefunds: Minor;
  cardRefunds: Minor;
  /** Cash put into the drawer during the shift. */
  cashIn: Minor;
  /** Cash taken out of the drawer during the shift, as a positive amount. */
  cashOut: Minor;
  expectedCash: Minor;
  countedCash: Minor | undefined;
  /** Counted − expected: positive = over, negative = short; undefined while the shift is open. */
  difference: Minor | undefined;
  sales: number;
  voids: number;
  returns: number;
}

/** The shift's X or Z report; undefined when no event names the shift. */
export function shiftReport(books: Books, shiftId: string): ShiftReport | undefined {
  const events = books.eventsFor('shift', shiftId);
  if (events.length === 0) return undefined;
  let opened: EventOf<'shift-opened'> | undefined;
  let closed: EventOf<'shift-closed'> | undefined;
  const voids = new Set<EventOf<'sale-voided'>>();
  const totals = { cashSales: 0, cardSales: 0, cashVoids: 0, cardVoids: 0, cashRefunds: 0, cardRefunds: 0, cashIn: 0, cashOut: 0 };
  let sales = 0;
  let returns = 0;
  for (const event of events) {
    switch (event.kind) {
      case 'shift-opened':
        opened ??= event;
        break;
      case 'shift-closed':
        closed ??= event;
        break;
      case 'cash-moved':
        if (event.amount > 0) totals.cashIn += event.amount;
        else totals.cashOut -= event.amount;
        break;
      case 'sale': {
        sales++;
        const paid = byMethod(event.tenders);
        totals.cashSales += paid.cash;
        totals.cardSales += paid.card;
        for (const related of books.eventsFor('sale', event.id)) {
          if (related.kind === 'sale-voided' && related.shiftId === undefined) voids.add(related);
        }
        break;
      }
      case 'sale-voided':
        voids.add(event);
        break;
      case 'return': {
        returns++;
        const paid = refundPaidOut(event);
        if (event.refundMethod === 'cash') totals.cashRefunds += paid;
        else totals.cardRefunds += paid;
        break;
      }
      default:
        break;
    }
  }
  let voidCount = 0;
  for (const voidEvent of voids) {
    const sale = books.getEvent(voidEvent.saleId);
    if (sale?.kind !== 'sale' || !books.isEffectiveVoid(voidEvent)) continue;
    voidCount++;
    const paid = byMethod(sale.tenders);
    totals.cashVoids += paid.cash;
    totals.cardVoids += paid.card;
  }
  const float = opened?.float ?? 0;
  const expectedCash = float + totals.cashSales - totals.cashVoids - totals.cashRefunds + totals.cashIn - totals.cashOut;
  return {
    shiftId,
    report: closed ? 'Z' : 'X',
    status: closed ? 'closed' : 'open',
    opened: opened !== undefined,
    openedAt: opened?.recordedAt,
    closedAt: closed?.recordedAt,
    closeEventId: closed?.id,
    float,
    ...totals,
    expectedCash,
    countedCash: closed?.countedCash,
    difference: closed ? closed.countedCash - expectedCash : undefined,
    sales,
    voids: voidCount,
    returns,
  };
}

/** What a `shift-closed` event posts to Cash (over > 0, short < 0); undefined for a repeated close. */
export function closingDifference(books: Books, close: EventOf<'shift-closed'>): Minor | undefined {
  const report = shiftReport(books, close.shiftId);
  return report?.closeEventId === close.id ? report.difference : undefined;
}

function byMethod(tenders: readonly Tender[]): { cash: Minor; card: Minor } {
  let cash = 0;
  let card = 0;
  for (const tender of tenders) {
    if (tender.method === 'cash') cash += tender.amount;
    else card += tender.amount;
  }
  return { cash, card };
}
