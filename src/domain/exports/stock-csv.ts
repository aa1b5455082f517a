/** Stock valuation as at a moment (stock-at-date.ts) as CSV: product, SKU, location, quantity, unit cost, value. */
import type { Books } from '../books/index.ts';
import type { ProductSnapshot } from '../events.ts';
import { stockAtDate } from '../stock-at-date.ts';
import { formatMinorUnits, toCsv, type CsvFile } from './csv.ts';
import { formatStockQty } from './sales-csv.ts';

export const STOCK_VALUATION_HEADER = ['Product', 'SKU', 'Location', 'Quantity', 'Unit', 'Unit Cost', 'Value'] as const;

/** `at` is the instant (ms); `label` names it in the file name (e.g. the date-time typed). */
export function stockValuationCsv(books: Books, at: number, products: ReadonlyMap<string, ProductSnapshot>, currency: string, label: string): CsvFile {
  const locations = new Map(books.locations().map((l) => [l.id, l.name]));
  const rows = stockAtDate(books, at, products).map((row) => {
    const product = products.get(row.productId);
    const unit = product?.unit ?? 'each';
    return [
      product?.name ?? row.productId,
      product?.sku ?? '',
      locations.get(row.locationId) ?? row.locationId,
      formatStockQty(row.qty, unit),
      unit,
      row.unitCost === undefined ? '' : formatMinorUnits(row.unitCost, currency),
      formatMinorUnits(row.value, currency),
    ];
  });
  return { filename: `stock-valuation-at-${label.replace(/[^0-9A-Za-z-]/g, '-')}.csv`, text: toCsv(STOCK_VALUATION_HEADER, rows), rows: rows.length };
}
