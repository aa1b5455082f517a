/**
 * The catalog in memory: a barcode → product map answers a scan in microseconds, where an IndexedDB
 * index lookup costs about half a millisecond at the median and several at p99. It is filled from
 * the chunk records of the `catalogChunks` table (db.ts) and remembers which chunk holds each
 * product, so an edit rewrites just that chunk (catalog-store.ts).
 */
import type { ProductSnapshot } from '../domain/events.ts';
import { barcodeKey } from '../domain/gtin.ts';
import { sellGroups, type SellGroups } from '../domain/sell-groups.ts';
import type { CatalogChunk, PerpetuaDb } from './db.ts';

/** Barcodes are keyed by their GTIN-14 so UPC-A, EAN-13 and UPC-E prints of one code all match. */
export { barcodeKey };

export class CatalogIndex {
  private readonly byBarcode = new Map<string, ProductSnapshot>();
  private readonly byId = new Map<string, ProductSnapshot>();
  private readonly bySku = new Map<string, ProductSnapshot>();
  /** Product id → the id of the chunk record that stores it. */
  private readonly chunkOfId = new Map<string, number>();
  private searchable: { product: ProductSnapshot; haystack: string }[] = [];
  /** The Sell grid's favourites and categories, built on first ask after a change. */
  private groups: SellGroups | undefined;
  /** False while a large catalog is still being read at start; lookups then go to IndexedDB. */
  loaded: boolean;

  constructor(products?: Iterable<ProductSnapshot>) {
    this.loaded = products !== undefined;
    for (const product of products ?? []) this.put(product);
  }

  /** Fills the index once the catalog's chunks have been read, keeping products put meanwhile. */
  fill(chunks: Iterable<CatalogChunk>): void {
    for (const chunk of chunks) {
      for (const product of chunk.products) {
        if (!this.byId.has(product.id)) this.put(product, chunk.id);
        else if (!this.chunkOfId.has(product.id)) this.chunkOfId.set(product.id, chunk.id);
      }
    }
    this.loaded = true;
  }

  /** The chunk record holding the product, when known. */
  chunkOf(productId: string): number | undefined {
    return this.chunkOfId.get(productId);
  }

  /** The first `count` products, without copying the whole catalog. */
  first(count: number): ProductSnapshot[] {
    const found: ProductSnapshot[] = [];
    for (const product of this.byId.values()) {
      if (found.length >= count) break;
      found.push(product);
    }
    return found;
  }

  /** Adds or replaces a product; `chunk` is where it is stored, when the caller knows. */
  put(product: ProductSnapshot, chunk?: number): void {
    if (chunk !== undefined) this.chunkOfId.set(product.id, chunk);
    const previous = this.byId.get(product.id);
    if (previous) for (const code of previous.barcodes) this.byBarcode.delete(barcodeKey(code));
    this.byId.set(product.id, product);
    this.bySku.set(product.sku.toUpperCase(), product);
    for (const code of product.barcodes) this.byBarcode.set(barcodeKey(code), product);
    this.searchable = [];
    this.groups = undefined;
  }

  /** Favourites and categories for the Sell grid's chips (domain/sell-groups.ts), kept until a product changes. */
  sellGroups(): SellGroups {
    this.groups ??= sellGroups(this.byId.values());
    return this.groups;
  }

  get size(): number {
    return this.byId.size;
  }

  get(productId: string): ProductSnapshot | undefined {
    return this.byId.get(productId);
  }

  byCode(code: string): ProductSnapshot | undefined {
    return this.byBarcode.get(barcodeKey(code)) ?? this.bySku.get(code.trim().toUpperCase());
  }

  all(): ProductSnapshot[] {
    return [...this.byId.values()];
  }

  /** Every word typed must appear in the name, SKU or a barcode; exact codes come first. */
  search(text: string, limit = 30): ProductSnapshot[] {
    const words = text.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) return [];
    const exact = this.byCode(text);
    const found: ProductSnapshot[] = exact ? [exact] : [];
    if (this.searchable.length === 0) {
      this.searchable = [...this.byId.values()].map((product) => ({
        product,
        haystack: `${product.name} ${product.sku} ${product.barcodes.join(' ')}`.toLowerCase(),
      }));
    }
    for (const { product, haystack } of this.searchable) {
      if (found.length >= limit) break;
      if (product !== exact && words.every((w) => haystack.includes(w))) found.push(product);
    }
    return found;
  }
}

export async function loadCatalog(db: PerpetuaDb): Promise<CatalogIndex> {
  const catalog = new CatalogIndex();
  catalog.fill(await db.catalogChunks.toArray());
  return catalog;
}

/**
 * The first `count` products in catalog order, reading only the first chunk(s): what the Sell screen
 * shows before the whole catalog is in memory.
 */
export async function firstProducts(db: PerpetuaDb, count: number): Promise<ProductSnapshot[]> {
  const found: ProductSnapshot[] = [];
  await db.catalogChunks
    .toCollection()
    .until(() => found.length >= count)
    .each((chunk) => {
      for (const product of chunk.products) if (found.length < count) found.push(product);
    });
  return found;
}
