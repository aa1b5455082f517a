/**
 * A period's sales (the Sales screen's "today"), net of returns and voids (issue 14, item 3).
 *
 * - **Voids** cancel their sale: a voided sale of the period is left out of every figure (counted in
 *   `voids`). Only a sale's first void counts (`Books.isEffectiveVoid`); for "is it voided" any
 *   void says so. A void always follows its sale, so a period that holds a sale holds its void.
 * - **Returns** recorded in the period are taken off, whichever sale they return (an earlier day's
 *   too: the money left the till in this period). The refund is shown on its own line, incl. tax and
 *   before cash rounding, like the sales' gross.
 * - **Net revenue** is excl. tax: the sales' net minus the refunds' net (refund − its tax), as the
 *   journal posts them (4000 Revenue, 4100 Returns).
 * - **Cost of goods sold** is the sales' COGS minus the cost of the returned goods, whether they
 *   went back on the shelf or were written off (the journal credits COGS with it either way; the
 *   write-off's cost is shrinkage). Margin = net revenue − COGS.
 *
 * Cash in the drawer is the shift report's (shifts.ts): it already takes voids and refunds off the
 * expected cash, with cash rounding, per tender.
 */
import type { Books } from './books/index.ts';
import type { LedgerEvent, Minor } from './events.ts';
import { refundTotal } from './refunds.ts';

/** What the sales and returns cost; undefined while not known (the books still folding). */
export interface SalesCosts {
  /** The COGS of the sale's lines. */
  saleCogs(saleId: string): Minor | undefined;
  /** The cost of the goods a return took back (restocked or written off). */
  returnedCost(returnId: string): Minor | undefined;
}

export interface SalesSummary {
  /** Sales of the period that stand (not voided). */
  sales: number;
  /** Sales of the period that were voided: in no figure below. */
  voids: number;
  /** What the voided sales had taken, incl. tax. */
  voidedGross: Minor;
  /** What the sales that stand took, incl. tax, before cash rounding. */
  grossSales: Minor;
  /** Returns recorded in the period. */
  returns: number;
  /** What they refunded, incl. tax, before cash rounding. */
  refunds: Minor;
  /** Gross sales − refunds, incl. tax. */
  netSales: Minor;
  /** Excl. tax: the sales' net − the refunds' net. */
  netRevenue: Minor;
  /** The sales' COGS − the returned goods' cost; undefined while any of them is unknown. */
  cogs: Minor | undefined;
  /** Net revenue − COGS; undefined with COGS. */
  margin: Minor | undefined;
}

/** The summary of `events`, the ledger's events of the period (any order, any kinds). */
export function salesSummary(events: readonly LedgerEvent[], costs?: SalesCosts): SalesSummary {
  const voided = new Set<string>();
  for (const event of events) if (event.kind === 'sale-voided') voided.add(event.saleId);
  let sales = 0;
  let voids = 0;
  let voidedGross = 0;
  let grossSales = 0;
  let netOfSales = 0;
  let returns = 0;
  let refunds = 0;
  let refundedTax = 0;
  let cogs: Minor | undefined = costs ? 0 : undefined;
  const addCost = (amount: Minor | undefined, sign: 1 | -1): void => {
    cogs = cogs === undefined || amount === undefined ? undefined : cogs + sign * amount;
  };
  for (const event of events) {
    if (event.kind === 'sale') {
      if (voided.has(event.id)) {
        voids++;
        voidedGross += event.totals.gross;
        continue;
      }
      sales++;
      grossSales += event.totals.gross;
      netOfSales += event.totals.net;
      addCost(costs?.saleCogs(event.id), 1);
    } else if (event.kind === 'return') {
      returns++;
      refunds += refundTotal(event.lines);
      refundedTax += event.lines.reduce((sum, line) => sum + line.tax, 0);
      addCost(costs?.returnedCost(event.id), -1);
    }
  }
  const netRevenue = netOfSales - (refunds - refundedTax);
  return {
    sales,
    voids,
    voidedGross,
    grossSales,
    returns,
    refunds,
    netSales: grossSales - refunds,
    netRevenue,
    cogs,
    margin: cogs === undefined ? undefined : netRevenue - cogs,
  };
}

/** The costs as the books have them. */
export function salesCostsOf(books: Books): SalesCosts {
  return {
    saleCogs(saleId) {
      return books.saleCogs(saleId)?.reduce((sum, line) => sum + line.cogs, 0);
    },
    returnedCost(returnId) {
      if (books.getEvent(returnId)?.kind !== 'return') return undefined;
      let cost = 0;
      for (const outcome of books.entryOutcomesOf(returnId)) {
        if (outcome.role === 'return-restock' || outcome.role === 'return-write-off') cost += outcome.amount;
      }
      return cost;
    },
  };
}
