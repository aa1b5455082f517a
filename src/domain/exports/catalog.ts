/**
 * The catalog: the products as the ledger defines them, and the catalog as a CSV that the import
 * (catalog-csv.ts) reads back into the very same products.
 *
 * The columns come from one list, `CATALOG_COLUMNS`: a column the import learns (say `reorder_point`)
 * is one more entry here. Only active products are written: the import makes every product it reads
 * active, so a stopped product would come back selling.
 */
import { applyCatalogEvent } from '../catalog-events.ts';
import { compareEvents } from '../order.ts';
import { QTY_PER_PRICE_UNIT, type LedgerEvent, type ProductSnapshot } from '../events.ts';
import { roundHalfAwayFromZero } from '../money.ts';
import { formatMinorUnits, formatPercentBp, toCsv, type CsvFile } from './csv.ts';
import { formatUnitQty } from '../catalog-csv.ts';
import { reorderKey, type ReorderLevel } from '../reorder-levels.ts';

/** The products the events define, each as its latest definition and changes in ledger order make it. */
export function catalogOf(events: readonly LedgerEvent[]): ProductSnapshot[] {
  const products = new Map<string, ProductSnapshot>();
  for (const event of [...events].sort(compareEvents)) applyCatalogEvent(products, event);
  return [...products.values()].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
}

interface CatalogColumn {
  /** The import's column name (catalog-csv.ts). */
  name: string;
  value(product: ProductSnapshot, currency: string, reorder?: CatalogReorderLevels): string;
}

/**
 * The reorder levels a catalog file carries: those at one location (the import reads one row per
 * SKU, so one location a file), named in the `location` column the import reads back.
 */
export interface CatalogReorderLevels {
  locationId: string;
  locationName: string;
  levels: ReadonlyMap<string, ReorderLevel>;
}

const levelOf = (p: ProductSnapshot, reorder: CatalogReorderLevels | undefined): ReorderLevel | undefined => reorder?.levels.get(reorderKey(p.id, reorder.locationId));
const qtyOrEmpty = (qty: number | undefined, p: ProductSnapshot): string => (qty === undefined ? '' : formatUnitQty(qty, p.unit));

/** The export's columns, in order: each is one the import reads. */
export const CATALOG_COLUMNS: readonly CatalogColumn[] = [
  { name: 'name', value: (p) => p.name },
  { name: 'sku', value: (p) => p.sku },
  { name: 'barcode', value: (p) => p.barcodes.join('|') },
  { name: 'price', value: (p, currency) => formatMinorUnits(p.price, currency) },
  // The books keep the cost per stock unit (per gram for kg); the file has it per price unit, like the price.
  { name: 'cost', value: (p, currency) => formatMinorUnits(roundHalfAwayFromZero(p.cost * QTY_PER_PRICE_UNIT[p.unit]), currency) },
  { name: 'tax', value: (p) => formatPercentBp(p.taxRateBp) },
  { name: 'unit', value: (p) => p.unit },
  { name: 'category', value: (p) => p.category ?? '' },
  { name: 'favourite', value: (p) => (p.favourite ? 'yes' : '') },
];

/** Written when the file carries a location's reorder levels (quantities in the product's unit). */
export const CATALOG_REORDER_COLUMNS: readonly CatalogColumn[] = [
  { name: 'reorder_point', value: (p, _c, reorder) => qtyOrEmpty(levelOf(p, reorder)?.reorderPoint, p) },
  { name: 'order_up_to', value: (p, _c, reorder) => qtyOrEmpty(levelOf(p, reorder)?.orderUpTo, p) },
  { name: 'location', value: (p, _c, reorder) => (levelOf(p, reorder) && reorder ? reorder.locationName : '') },
];

/**
 * Written when a product in the file has a supplier, pack size or minimum order (issue 16): pack and
 * minimum order in the product's unit, as the import reads them; empty where the product has none.
 */
export const CATALOG_SUPPLY_COLUMNS: readonly CatalogColumn[] = [
  { name: 'supplier', value: (p) => p.supplier ?? '' },
  { name: 'pack_size', value: (p) => qtyOrEmpty(p.packSize, p) },
  { name: 'min_order_qty', value: (p) => qtyOrEmpty(p.minOrderQty, p) },
];

const hasSupply = (p: ProductSnapshot): boolean => (p.supplier !== undefined && p.supplier !== '') || p.packSize !== undefined || p.minOrderQty !== undefined;

/**
 * The active products as the import's CSV; with `reorder`, that location's reorder levels too. A
 * store that set no supplier, pack or minimum order gets the file it got before issue 16.
 */
export function catalogCsv(products: readonly ProductSnapshot[], currency: string, reorder?: CatalogReorderLevels): CsvFile {
  const active = products.filter((p) => p.active);
  const columns = [...CATALOG_COLUMNS, ...(active.some(hasSupply) ? CATALOG_SUPPLY_COLUMNS : []), ...(reorder ? CATALOG_REORDER_COLUMNS : [])];
  const rows = active.map((p) => columns.map((column) => column.value(p, currency, reorder)));
  return { filename: 'catalog.csv', text: toCsv(columns.map((c) => c.name), rows), rows: rows.length };
}
