/**
 * The books computed from the ledger: stock, cost and COGS per product × location (books.ts explains
 * the parts). Import from here; the files of this folder are its inside.
 */
export { Books, type ApplyResult, type BooksOptions } from './books.ts';
export type { EventScope } from './scopes.ts';
export type { EntryOutcome, InTransit, Movement, SaleLineCost, StockActivity, StockAsAt, StockEntryVisitor, Valuation } from './stock-queries.ts';
export type { ValuationMethod } from '../cost-position.ts';
export type { EntryRole } from '../entry-table.ts';
