/**
 * Reading a product list exported from Shopify (product CSV) or Square (item library CSV) into the
 * import's own layout (catalog-csv.ts), which then checks every row as for any list: a file with a
 * bad row is refused whole, with the line the row starts on in the original file.
 *
 * Mapped columns (anything else is listed as ignored):
 * - Shopify, the 2024 export and the older one: Title, Handle / URL handle, Variant SKU / SKU,
 *   Variant Barcode / Barcode, Variant Price / Price, Cost per item, Variant Taxable / Charge tax,
 *   Option1 Value (a variant's name beside the title, unless "Default Title"), Type (the category), Vendor
 *   (the supplier, issue 16). A variant row carries only its handle: its title, type and vendor are the
 *   first row's. Image-only rows (no SKU, no price) are skipped.
 *   Shopify gives "taxable yes / no", not a rate: a taxable product gets `taxableRateBp`.
 * - Square: Item Name, Variation Name (beside the name unless "Regular"), SKU, GTIN, Price, Default
 *   Unit Cost, Category, Default Vendor Name / Vendor Name (the supplier, issue 16), and the tax columns
 *   "Tax - <name> (<rate>%)" whose Y adds that rate.
 */
import { parseCatalogCsv, type CatalogCsvResult } from '../catalog-csv.ts';
import { formatPercentBp, parseCsv, toCsv } from './csv.ts';

export type CatalogLayout = 'perpetua' | 'shopify' | 'square';

export interface ForeignCatalogResult extends CatalogCsvResult {
  layout: CatalogLayout;
  /** Columns of the file the import did not read, as written in its header. */
  ignoredColumns: string[];
}

const lower = (s: string) => s.trim().toLowerCase();

interface Mapped {
  /** The original line of each mapped record. */
  lines: number[];
  rows: string[][];
  used: Set<number>;
}

const NATIVE_HEADER = ['name', 'sku', 'barcode', 'price', 'cost', 'tax', 'category', 'supplier'];

export function detectCatalogLayout(header: readonly string[]): CatalogLayout {
  const names = new Set(header.map(lower));
  if ((names.has('handle') || names.has('url handle')) && names.has('title')) return 'shopify';
  if (names.has('item name') && (names.has('variation name') || names.has('token'))) return 'square';
  return 'perpetua';
}

/** Reads a catalog CSV in the import's own layout, Shopify's or Square's. */
export function parseAnyCatalogCsv(text: string, currency: string, options: { taxableRateBp: number }): ForeignCatalogResult {
  const records = parseCsv(text.replace(/^\uFEFF/, ''));
  const header = records[0]?.fields ?? [];
  const layout = detectCatalogLayout(header);
  if (layout === 'perpetua') return { ...parseCatalogCsv(text, currency), layout, ignoredColumns: [] };
  const index = (...names: string[]) => header.findIndex((h) => names.includes(lower(h)));
  const mapped: Mapped = { lines: [], rows: [], used: new Set() };
  const use = (...names: string[]) => {
    const i = index(...names);
    if (i >= 0) mapped.used.add(i);
    return i;
  };
  const field = (fields: string[], i: number) => (i >= 0 ? (fields[i] ?? '').trim() : '');
  if (layout === 'shopify') {
    const handle = use('handle', 'url handle');
    const title = use('title');
    const sku = use('variant sku', 'sku');
    const barcode = use('variant barcode', 'barcode');
    const price = use('variant price', 'price');
    const cost = use('cost per item');
    const taxable = use('variant taxable', 'charge tax');
    const option = use('option1 value');
    const category = use('type');
    const vendor = use('vendor');
    // A variant row carries only its handle: the title, type and vendor are the product's first row's.
    const titles = new Map<string, string>();
    const types = new Map<string, string>();
    const vendors = new Map<string, string>();
    for (const record of records.slice(1)) {
      const f = record.fields;
      const key = field(f, handle);
      if (field(f, title) !== '') titles.set(key, field(f, title));
      if (field(f, category) !== '') types.set(key, field(f, category));
      if (field(f, vendor) !== '') vendors.set(key, field(f, vendor));
      if (field(f, sku) === '' && field(f, price) === '') continue;
      const variant = field(f, option);
      const base = titles.get(key) ?? '';
      const name = variant === '' || lower(variant) === 'default title' ? base : `${base} ${variant}`.trim();
      const isTaxable = !['false', 'no', 'n'].includes(lower(field(f, taxable)));
      mapped.lines.push(record.line);
      mapped.rows.push([name, field(f, sku), field(f, barcode), field(f, price), field(f, cost), formatPercentBp(isTaxable ? options.taxableRateBp : 0), types.get(key) ?? '', vendors.get(key) ?? '']);
    }
  } else {
    const name = use('item name');
    const variation = use('variation name');
    const sku = use('sku');
    const gtin = use('gtin');
    const price = use('price');
    const cost = use('default unit cost');
    const category = use('category');
    const vendor = use('default vendor name', 'vendor name');
    const taxes = header.flatMap((h, i) => {
      const match = /^tax\s*-\s*.*\((\d{1,3}(?:\.\d{1,3})?)%\)\s*$/i.exec(h.trim());
      if (!match) return [];
      mapped.used.add(i);
      return [{ i, bp: Math.round(Number(match[1]) * 100) }];
    });
    for (const record of records.slice(1)) {
      const f = record.fields;
      const variant = field(f, variation);
      const fullName = variant === '' || lower(variant) === 'regular' ? field(f, name) : `${field(f, name)} ${variant}`;
      const bp = taxes.reduce((sum, t) => sum + (['y', 'yes', 'true'].includes(lower(field(f, t.i))) ? t.bp : 0), 0);
      mapped.lines.push(record.line);
      mapped.rows.push([fullName, field(f, sku), field(f, gtin), field(f, price).replace(/^[$€£]/, ''), field(f, cost).replace(/^[$€£]/, ''), formatPercentBp(bp), field(f, category), field(f, vendor)]);
    }
  }
  const native = parseCatalogCsv(toCsv(NATIVE_HEADER, mapped.rows), currency);
  // The native text has one line per mapped record, after its header: line n + 2 is record n.
  const problems = native.problems.map((p) => ({ line: p.line >= 2 ? (mapped.lines[p.line - 2] ?? p.line) : p.line, message: p.message.replace(/on line (\d+)/, (_, n: string) => `on line ${mapped.lines[Number(n) - 2] ?? n}`) }));
  const ignoredColumns = header.filter((h, i) => !mapped.used.has(i) && h.trim() !== '');
  // Shopify and Square files carry no reorder levels: those are set in Perpetua.
  return { products: problems.length > 0 ? [] : native.products, problems, reorderLevels: [], layout, ignoredColumns };
}
