/**
 * Sales for a range, by day and by product, by the Sales screen's rules (sales-summary.ts): a voided
 * sale is left out, a return counts on the day it was recorded (whichever sale it returns). A day is
 * the business day of the event's `recordedAt` in the store's time zone. Quantities are in the
 * product's unit (kg and litres with three decimals), money from minor units.
 */
import type { Books } from '../books/index.ts';
import { QTY_PER_PRICE_UNIT, type LedgerEvent, type ProductSnapshot, type StockUnit } from '../events.ts';
import { salesCostsOf, salesSummary, type SalesSummary } from '../sales-summary.ts';
import { businessDateOf, type BusinessDate } from './dates.ts';
import { formatMinorUnits, toCsv, type CsvFile } from './csv.ts';
import type { ExportRange } from './journal-csv.ts';

export const SALES_BY_DAY_HEADER = ['Date', 'Sales', 'Voided', 'Returns', 'Gross Sales', 'Refunds', 'Net Sales', 'Tax', 'Net Revenue', 'Cost of Goods', 'Margin'] as const;
export const SALES_BY_PRODUCT_HEADER = ['Product', 'SKU', 'Unit', 'Sold', 'Returned', 'Net Quantity', 'Gross Sales', 'Refunds', 'Net Sales', 'Net Revenue'] as const;

/** The events of the range, each with its business date. */
export function eventsInRange(books: Books, range: ExportRange): { date: BusinessDate; event: LedgerEvent }[] {
  return books
    .events()
    .map((event) => ({ date: businessDateOf(event.recordedAt, range.timeZone), event }))
    .filter(({ date }) => date >= range.from && date <= range.to);
}

/** A quantity in stock units shown in the product's unit: 1250 g → "1.250". */
export function formatStockQty(qty: number, unit: StockUnit): string {
  const per = QTY_PER_PRICE_UNIT[unit];
  if (per === 1 || !Number.isSafeInteger(qty)) return String(qty / per);
  const sign = qty < 0 ? '-' : '';
  const digits = String(Math.abs(qty)).padStart(4, '0');
  return `${sign}${digits.slice(0, -3)}.${digits.slice(-3)}`;
}

/** The summary of each day of the range that had a sale, a void or a return. */
export function salesByDay(books: Books, range: ExportRange): { date: BusinessDate; summary: SalesSummary }[] {
  const byDate = new Map<BusinessDate, LedgerEvent[]>();
  for (const { date, event } of eventsInRange(books, range)) {
    if (event.kind !== 'sale' && event.kind !== 'sale-voided' && event.kind !== 'return') continue;
    byDate.set(date, [...(byDate.get(date) ?? []), event]);
  }
  const costs = salesCostsOf(books);
  return [...byDate.keys()].sort().map((date) => ({ date, summary: salesSummary(byDate.get(date) ?? [], costs) }));
}

export function salesByDayCsv(books: Books, range: ExportRange): CsvFile {
  const money = (amount: number | undefined) => (amount === undefined ? '' : formatMinorUnits(amount, range.currency));
  const rows = salesByDay(books, range).map(({ date, summary: s }) => [
    date,
    String(s.sales),
    String(s.voids),
    String(s.returns),
    money(s.grossSales),
    money(s.refunds),
    money(s.netSales),
    money(s.netSales - s.netRevenue),
    money(s.netRevenue),
    money(s.cogs),
    money(s.margin),
  ]);
  return { filename: `sales-by-day-${range.from}-to-${range.to}.csv`, text: toCsv(SALES_BY_DAY_HEADER, rows), rows: rows.length };
}

export interface ProductSales {
  productId: string;
  name: string;
  sku: string;
  unit: StockUnit;
  sold: number;
  returned: number;
  grossSales: number;
  refunds: number;
  /** Excl. tax: the lines' net minus the refunds' net. */
  netRevenue: number;
}

/** Per product: what the range's standing sales sold and its returns took back. */
export function salesByProduct(books: Books, range: ExportRange, products: ReadonlyMap<string, ProductSnapshot>): ProductSales[] {
  const events = eventsInRange(books, range).map(({ event }) => event);
  const voided = new Set(events.flatMap((e) => (e.kind === 'sale-voided' ? [e.saleId] : [])));
  const rows = new Map<string, ProductSales>();
  const row = (productId: string, name: string, sku: string, unit: StockUnit): ProductSales => {
    let found = rows.get(productId);
    if (!found) {
      const product = products.get(productId);
      found = { productId, name: product?.name ?? name, sku: product?.sku ?? sku, unit: product?.unit ?? unit, sold: 0, returned: 0, grossSales: 0, refunds: 0, netRevenue: 0 };
      rows.set(productId, found);
    }
    return found;
  };
  for (const event of events) {
    if (event.kind === 'sale' && !voided.has(event.id)) {
      for (const line of event.lines) {
        const r = row(line.productId, line.name, line.sku, line.unit);
        r.sold += line.qty;
        r.grossSales += line.gross;
        r.netRevenue += line.net;
      }
    } else if (event.kind === 'return') {
      for (const line of event.lines) {
        const r = row(line.productId, line.productId, line.productId, 'each');
        r.returned += line.qty;
        r.refunds += line.refund;
        r.netRevenue -= line.refund - line.tax;
      }
    }
  }
  return [...rows.values()].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
}

export function salesByProductCsv(books: Books, range: ExportRange, products: ReadonlyMap<string, ProductSnapshot>): CsvFile {
  const money = (amount: number) => formatMinorUnits(amount, range.currency);
  const rows = salesByProduct(books, range, products).map((r) => [
    r.name,
    r.sku,
    r.unit,
    formatStockQty(r.sold, r.unit),
    formatStockQty(r.returned, r.unit),
    formatStockQty(r.sold - r.returned, r.unit),
    money(r.grossSales),
    money(r.refunds),
    money(r.grossSales - r.refunds),
    money(r.netRevenue),
  ]);
  return { filename: `sales-by-product-${range.from}-to-${range.to}.csv`, text: toCsv(SALES_BY_PRODUCT_HEADER, rows), rows: rows.length };
}
