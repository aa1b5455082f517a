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
import type { EventOf, LedgerEvent, Minor } from './events.ts';
import { refundPaidOut, refundTotal } from './refunds.ts';

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

/**
 * Running sums of sales, returns and voids: what `salesSummary` and the owner's figures
 * (sales-analytics.ts) are made of, so both follow the rules above. Adding an event with sign −1
 * takes it back out (a void that arrives after its sale).
 */
export interface SalesTally {
  sales: number;
  voids: number;
  voidedGross: Minor;
  grossSales: Minor;
  /** The sales' net, excl. tax. */
  salesNet: Minor;
  salesTax: Minor;
  discounts: Minor;
  /** The sales' cash and card tenders (cash as applied to the sale: change excluded, rounding included). */
  cashTaken: Minor;
  cardTaken: Minor;
  returns: number;
  refunds: Minor;
  refundedTax: Minor;
  /** What the returns paid back, per method (cash after rounding). */
  cashRefunded: Minor;
  cardRefunded: Minor;
  salesCogs: Minor;
  returnedCost: Minor;
  /** Sales and returns whose cost is not known: while any is, COGS is unknown. */
  unknownCosts: number;
}

export function emptyTally(): SalesTally {
  return {
    sales: 0,
    voids: 0,
    voidedGross: 0,
    grossSales: 0,
    salesNet: 0,
    salesTax: 0,
    discounts: 0,
    cashTaken: 0,
    cardTaken: 0,
    returns: 0,
    refunds: 0,
    refundedTax: 0,
    cashRefunded: 0,
    cardRefunded: 0,
    salesCogs: 0,
    returnedCost: 0,
    unknownCosts: 0,
  };
}

/** A sale that stands, with its COGS (undefined: not known). */
export function tallySale(tally: SalesTally, sale: EventOf<'sale'>, cogs: Minor | undefined, sign: 1 | -1): void {
  tally.sales += sign;
  tally.grossSales += sign * sale.totals.gross;
  tally.salesNet += sign * sale.totals.net;
  tally.salesTax += sign * sale.totals.tax;
  tally.discounts += sign * sale.totals.discount;
  for (const tender of sale.tenders) {
    if (tender.method === 'cash') tally.cashTaken += sign * tender.amount;
    else tally.cardTaken += sign * tender.amount;
  }
  if (cogs === undefined) tally.unknownCosts += sign;
  else tally.salesCogs += sign * cogs;
}

/** A voided sale: counted, in no other figure. */
export function tallyVoid(tally: SalesTally, sale: EventOf<'sale'>, sign: 1 | -1): void {
  tally.voids += sign;
  tally.voidedGross += sign * sale.totals.gross;
}

/** A return, with the cost of the goods it took back (undefined: not known). */
export function tallyReturn(tally: SalesTally, returned: EventOf<'return'>, cost: Minor | undefined, sign: 1 | -1): void {
  tally.returns += sign;
  tally.refunds += sign * refundTotal(returned.lines);
  tally.refundedTax += sign * returned.lines.reduce((sum, line) => sum + line.tax, 0);
  if (returned.refundMethod === 'cash') tally.cashRefunded += sign * refundPaidOut(returned);
  else tally.cardRefunded += sign * refundPaidOut(returned);
  if (cost === undefined) tally.unknownCosts += sign;
  else tally.returnedCost += sign * cost;
}

/** Adds `from` into `into`, field by field. */
export function addTally(into: SalesTally, from: Readonly<SalesTally>): void {
  for (const key of Object.keys(into) as (keyof SalesTally)[]) into[key] += from[key];
}

/** The summary a tally comes to. */
export function summaryOfTally(tally: Readonly<SalesTally>): SalesSummary {
  const netRevenue = tally.salesNet - (tally.refunds - tally.refundedTax);
  const cogs = tally.unknownCosts === 0 ? tally.salesCogs - tally.returnedCost : undefined;
  return {
    sales: tally.sales,
    voids: tally.voids,
    voidedGross: tally.voidedGross,
    grossSales: tally.grossSales,
    returns: tally.returns,
    refunds: tally.refunds,
    netSales: tally.grossSales - tally.refunds,
    netRevenue,
    cogs,
    margin: cogs === undefined ? undefined : netRevenue - cogs,
  };
}

/** The summary of `events`, the ledger's events of the period (any order, any kinds). */
export function salesSummary(events: readonly LedgerEvent[], costs?: SalesCosts): SalesSummary {
  const voided = new Set<string>();
  for (const event of events) if (event.kind === 'sale-voided') voided.add(event.saleId);
  const tally = emptyTally();
  for (const event of events) {
    if (event.kind === 'sale') {
      if (voided.has(event.id)) tallyVoid(tally, event, 1);
      else tallySale(tally, event, costs?.saleCogs(event.id), 1);
    } else if (event.kind === 'return') {
      tallyReturn(tally, event, costs?.returnedCost(event.id), 1);
    }
  }
  const summary = summaryOfTally(tally);
  // Without costs there is no COGS, even for a period without sales.
  return costs ? summary : { ...summary, cogs: undefined, margin: undefined };
}

/** Costs line by line, for figures per product (sales-analytics.ts). */
export interface SalesLineCosts extends SalesCosts {
  /** The COGS of each line of the sale, in the sale's line order. */
  saleLineCogs(saleId: string): readonly Minor[] | undefined;
  /** The cost of the goods a return took back, per product. */
  returnedCostByProduct(returnId: string): readonly { productId: string; cost: Minor }[] | undefined;
}

/**
 * The costs as the books have them. With `since` (an HLC bound), the sale lines stamped from then on
 * are read in one walk over the streams the first time one is asked for (`Books.saleLineCogsSince`),
 * not searched line by line: the owner's first build of two months. Later sales are searched.
 */
export function salesCostsOf(books: Books, since?: string): SalesLineCosts {
  let window: Map<string, number[]> | undefined;
  const fromWindow = (saleId: string): Minor[] | undefined => {
    if (since === undefined) return undefined;
    window ??= books.saleLineCogsSince(since);
    const lines = window.get(saleId);
    const sale = lines && books.getEvent(saleId);
    // A line without an entry costs 0, as `saleCogs` says.
    return sale?.kind === 'sale' ? sale.lines.map((_, i) => lines?.[i] ?? 0) : undefined;
  };
  const returnedCostByProduct = (returnId: string): { productId: string; cost: Minor }[] | undefined => {
    if (books.getEvent(returnId)?.kind !== 'return') return undefined;
    const costs: { productId: string; cost: Minor }[] = [];
    for (const outcome of books.entryOutcomesOf(returnId)) {
      if (outcome.role === 'return-restock' || outcome.role === 'return-write-off') costs.push({ productId: outcome.productId, cost: outcome.amount });
    }
    return costs;
  };
  return {
    saleCogs(saleId) {
      return books.saleCogs(saleId)?.reduce((sum, line) => sum + line.cogs, 0);
    },
    saleLineCogs(saleId) {
      return fromWindow(saleId) ?? books.saleCogs(saleId)?.map((line) => line.cogs);
    },
    returnedCost(returnId) {
      return returnedCostByProduct(returnId)?.reduce((sum, line) => sum + line.cost, 0);
    },
    returnedCostByProduct,
  };
}
