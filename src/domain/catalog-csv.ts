/**
 * Reads a product list exported from a spreadsheet or another till (CSV) into product snapshots.
 * Every row is checked and every problem is reported with its line number; nothing is half-read.
 *
 * Columns (header row required, any order, case-insensitive): name, sku, barcode, price, cost, tax,
 * unit. `barcode` may hold several codes separated by "|" or spaces; `price` and `cost` are in the
 * currency's major units ("2.49"); `cost` is optional (0); `tax` is a percentage ("7", "19.5");
 * `unit` is each (default), kg or l, with price and cost then per kg / per litre. Optional for the
 * Sell grid: `category` (a name of at most 40 characters, e.g. "Bakery") and `favourite` (yes / no,
 * also true / false, 1 / 0, x; empty is no).
 *
 * Optional reorder levels (issue 15): `reorder_point` and `order_up_to`, in the product's unit
 * (pieces; kilograms or litres with up to 3 decimals for kg and l products, stored in grams and
 * millilitres), empty for none; order up to at least the reorder point. They are for the importing
 * device's location, or for the location a `location` column names (its name or id; the importer
 * checks it names one of the store's locations, since this file does not know them).
 *
 * Optional for replenishment (issue 16): `supplier` (who the product is usually bought from, at most
 * 80 characters), `pack_size` (what one pack from the supplier holds) and `min_order_qty` (the least
 * the supplier sells), both in the product's unit like the reorder levels, at least one stock unit;
 * empty for none.
 */
import type { ProductSnapshot, StockUnit } from './events.ts';
import { MAX_CATEGORY, MAX_SUPPLIER, QTY_PER_PRICE_UNIT } from './events.ts';
import { parseMoney } from './money.ts';
import { reorderLevelProblem } from './reorder-levels.ts';

export interface CsvProblem {
  line: number;
  message: string;
}

/** A row's reorder levels, in stock units, for the location it names ('' for the importing device's). */
export interface CsvReorderLevels {
  line: number;
  productId: string;
  /** The `location` column as written (a location's name or id), '' when absent or empty. */
  location: string;
  reorderPoint: number | null;
  orderUpTo: number | null;
}

export interface CatalogCsvResult {
  products: ProductSnapshot[];
  problems: CsvProblem[];
  /** Rows with a reorder point or an order-up-to level (issue 15). */
  reorderLevels: CsvReorderLevels[];
}

/** The CSV columns of the reorder levels, as an export writes them. */
export const REORDER_COLUMNS = ['reorder_point', 'order_up_to', 'location'] as const;

/** Stock units as the CSV and forms write them in the product's unit: 12; 2500 g → "2.5" (kg). */
export function formatUnitQty(qty: number, unit: StockUnit): string {
  return unit === 'each' ? String(qty) : String(qty / QTY_PER_PRICE_UNIT[unit]);
}

/** A quantity in the product's unit ("12"; "2.5" kg) as stock units; null for an empty cell, undefined when it is not one. */
export function parseUnitQty(text: string, unit: StockUnit): number | null | undefined {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') return null;
  const pattern = unit === 'each' ? /^\d{1,9}$/ : /^\d{1,6}(\.\d{1,3})?$/;
  return pattern.test(trimmed) ? Math.round(Number(trimmed) * QTY_PER_PRICE_UNIT[unit]) : undefined;
}

/** What a pack size or minimum order is, in the unit the CSV and forms write it: the words of every refusal. */
export function packQtyWords(unit: StockUnit): string {
  return unit === 'each' ? 'a whole number of pieces, 1 or more' : `a number of ${unit === 'kg' ? 'kilograms' : 'litres'} above 0 with up to 3 decimals`;
}

const REQUIRED = ['name', 'sku', 'price'] as const;
const UNITS: readonly StockUnit[] = ['each', 'kg', 'l'];
const FAVOURITE_YES = ['yes', 'y', 'true', '1', 'x'];
const FAVOURITE_NO = ['', 'no', 'n', 'false', '0'];

/** Splits one CSV line; fields may be quoted, with "" for a quote inside. */
export function splitCsvLine(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === delimiter) {
      fields.push(field.trim());
      field = '';
    } else field += char;
  }
  fields.push(field.trim());
  return fields;
}

/** The product id for a SKU, so importing the same list twice names the same products. */
export function productIdForSku(sku: string): string {
  return `sku-${sku.toUpperCase()}`;
}

export function parseCatalogCsv(text: string, currency: string): CatalogCsvResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerLine = lines[0] ?? '';
  const delimiter = headerLine.split(';').length > headerLine.split(',').length ? ';' : ',';
  const header = splitCsvLine(headerLine, delimiter).map((h) => h.toLowerCase());
  const missing = REQUIRED.filter((column) => !header.includes(column));
  if (missing.length > 0) {
    return { products: [], problems: [{ line: 1, message: `The header row lacks the column(s) ${missing.join(', ')}.` }], reorderLevels: [] };
  }
  const column = (fields: string[], name: string) => {
    const index = header.indexOf(name);
    return index < 0 ? '' : (fields[index] ?? '');
  };
  const products: ProductSnapshot[] = [];
  const problems: CsvProblem[] = [];
  const reorderLevels: CsvReorderLevels[] = [];
  const seenSkus = new Map<string, number>();
  lines.slice(1).forEach((raw, i) => {
    const line = i + 2;
    if (raw.trim() === '') return;
    const fields = splitCsvLine(raw, delimiter);
    const rowProblems: string[] = [];
    const name = column(fields, 'name');
    const sku = column(fields, 'sku').toUpperCase();
    if (name === '') rowProblems.push('the name is empty');
    if (sku === '') rowProblems.push('the SKU is empty');
    const earlier = seenSkus.get(sku);
    if (sku !== '' && earlier !== undefined) rowProblems.push(`the SKU ${sku} is already on line ${earlier}`);
    const unitText = (column(fields, 'unit') || 'each').toLowerCase();
    const unit = UNITS.find((u) => u === unitText);
    if (!unit) rowProblems.push(`the unit "${unitText}" is not each, kg or l`);
    const price = parseMoney(column(fields, 'price'), currency);
    if (!price.ok) rowProblems.push(`price: ${price.error}`);
    const costText = column(fields, 'cost');
    const cost = costText === '' ? { ok: true as const, value: 0 } : parseMoney(costText, currency);
    if (!cost.ok) rowProblems.push(`cost: ${cost.error}`);
    const taxText = column(fields, 'tax').replace('%', '').replace(',', '.').trim() || '0';
    const taxPercent = Number(taxText);
    const taxRateBp = Math.round(taxPercent * 100);
    if (!/^\d{1,3}(\.\d{1,2})?$/.test(taxText) || taxRateBp > 10_000) rowProblems.push(`the tax "${taxText}" is not a percentage such as 7 or 19.5`);
    const barcodes = column(fields, 'barcode').split(/[|\s]+/).filter(Boolean);
    const category = column(fields, 'category');
    if (category.length > MAX_CATEGORY) rowProblems.push(`the category is longer than ${MAX_CATEGORY} characters`);
    const favouriteText = column(fields, 'favourite').toLowerCase();
    const favourite = FAVOURITE_YES.includes(favouriteText);
    if (!favourite && !FAVOURITE_NO.includes(favouriteText)) rowProblems.push(`the favourite "${favouriteText}" is not yes or no`);
    const levelText = { reorderPoint: column(fields, 'reorder_point'), orderUpTo: column(fields, 'order_up_to') };
    const reorderPoint = unit ? parseUnitQty(levelText.reorderPoint, unit) : null;
    const orderUpTo = unit ? parseUnitQty(levelText.orderUpTo, unit) : null;
    const what = unit === 'each' || !unit ? 'a whole number of pieces' : `a number of ${unit === 'kg' ? 'kilograms' : 'litres'} with up to 3 decimals`;
    if (reorderPoint === undefined) rowProblems.push(`the reorder point "${levelText.reorderPoint}" is not ${what}`);
    if (orderUpTo === undefined) rowProblems.push(`the order-up-to level "${levelText.orderUpTo}" is not ${what}`);
    const levelProblem = reorderPoint !== undefined && orderUpTo !== undefined ? reorderLevelProblem(reorderPoint, orderUpTo) : undefined;
    if (levelProblem) rowProblems.push(`order up to ${levelText.orderUpTo} is below the reorder point ${levelText.reorderPoint}`);
    const supplier = column(fields, 'supplier');
    if (supplier.length > MAX_SUPPLIER) rowProblems.push(`the supplier is longer than ${MAX_SUPPLIER} characters`);
    const packText = { packSize: column(fields, 'pack_size'), minOrderQty: column(fields, 'min_order_qty') };
    const packSize = unit ? parseUnitQty(packText.packSize, unit) : null;
    const minOrderQty = unit ? parseUnitQty(packText.minOrderQty, unit) : null;
    // A pack holds something: at least one piece, gram or millilitre.
    const packWhat = packQtyWords(unit ?? 'each');
    if (packSize === undefined || packSize === 0) rowProblems.push(`the pack size "${packText.packSize}" is not ${packWhat}`);
    if (minOrderQty === undefined || minOrderQty === 0) rowProblems.push(`the minimum order "${packText.minOrderQty}" is not ${packWhat}`);
    if (rowProblems.length > 0 || !unit || !price.ok || !cost.ok || reorderPoint === undefined || orderUpTo === undefined || packSize === undefined || minOrderQty === undefined) {
      problems.push({ line, message: `${rowProblems.join('; ')}.` });
      return;
    }
    seenSkus.set(sku, line);
    products.push({
      id: productIdForSku(sku),
      name,
      sku,
      barcodes,
      price: price.value,
      cost: cost.value / QTY_PER_PRICE_UNIT[unit],
      currency,
      taxRateBp,
      unit,
      active: true,
      // Only when given, so a list without these columns makes the same products as before.
      ...(category === '' ? {} : { category }),
      ...(favourite ? { favourite } : {}),
      ...(supplier === '' ? {} : { supplier }),
      ...(packSize === null ? {} : { packSize }),
      ...(minOrderQty === null ? {} : { minOrderQty }),
    });
    if (reorderPoint !== null || orderUpTo !== null) {
      reorderLevels.push({ line, productId: productIdForSku(sku), location: column(fields, 'location'), reorderPoint, orderUpTo });
    }
  });
  return { products, problems, reorderLevels };
}
