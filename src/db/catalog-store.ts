/**
 * Writes to the stored catalog (`catalogChunks`, see db.ts): products defined or changed one at a
 * time (the owner creating a product while receiving, products pulled from other devices) go into
 * the chunk that already holds them, or else into the last chunk while it has room, then into new
 * chunks. A bulk import writes whole new chunks itself (catalog-import.ts).
 */
import type { ProductSnapshot } from '../domain/events.ts';
import type { CatalogIndex } from './catalog.ts';
import { CATALOG_CHUNK_SIZE, type CatalogChunk, type PerpetuaDb } from './db.ts';

/**
 * Stores `products` (each replacing a stored product of the same id) in one transaction, or in the
 * caller's when it includes `catalogChunks`. Where each product lives is taken from `catalog` once it
 * is loaded, else read from the chunks. Returns product id → chunk id for the caller's index.
 */
export async function storeProducts(db: PerpetuaDb, products: readonly ProductSnapshot[], catalog?: CatalogIndex): Promise<Map<string, number>> {
  const latest = new Map<string, ProductSnapshot>();
  for (const product of products) latest.set(product.id, product);
  return db.transaction('rw', db.catalogChunks, async () => {
    const placed = new Map<string, number>();
    if (latest.size === 0) return placed;
    const chunkOf = catalog?.loaded ? (id: string) => catalog.chunkOf(id) : await readChunkMap(db);
    const byChunk = new Map<number, ProductSnapshot[]>();
    const fresh: ProductSnapshot[] = [];
    for (const product of latest.values()) {
      const chunk = chunkOf(product.id);
      if (chunk === undefined) fresh.push(product);
      else byChunk.set(chunk, [...(byChunk.get(chunk) ?? []), product]);
    }
    // Replace products in place, re-reading their chunks inside this transaction (another tab may
    // have changed them since the index was filled).
    const changed = new Map<number, CatalogChunk>();
    const keys = [...byChunk.keys()];
    const stored = keys.length > 0 ? await db.catalogChunks.bulkGet(keys) : [];
    stored.forEach((chunk, k) => {
      const updates = byChunk.get(keys[k] as number) ?? [];
      if (!chunk) return void fresh.push(...updates);
      const at = new Map(chunk.products.map((p, i) => [p.id, i]));
      const next = { id: chunk.id, products: [...chunk.products] };
      for (const product of updates) {
        const i = at.get(product.id);
        if (i === undefined) {
          fresh.push(product);
          continue;
        }
        next.products[i] = product;
        placed.set(product.id, chunk.id);
      }
      changed.set(chunk.id, next);
    });
    // New products: fill the last chunk, then open new ones.
    if (fresh.length > 0) {
      const lastStored = await db.catalogChunks.toCollection().last();
      let last = lastStored ? (changed.get(lastStored.id) ?? { id: lastStored.id, products: [...lastStored.products] }) : undefined;
      for (const product of fresh) {
        if (!last || last.products.length >= CATALOG_CHUNK_SIZE) last = { id: (last?.id ?? 0) + 1, products: [] };
        last.products.push(product);
        changed.set(last.id, last);
        placed.set(product.id, last.id);
      }
    }
    await db.catalogChunks.bulkPut([...changed.values()]);
    return placed;
  });
}

/** Every stored product id → its chunk, read from the chunks (when no loaded index knows). */
async function readChunkMap(db: PerpetuaDb): Promise<(id: string) => number | undefined> {
  const where = new Map<string, number>();
  await db.catalogChunks.each((chunk) => {
    for (const product of chunk.products) where.set(product.id, chunk.id);
  });
  return (id) => where.get(id);
}

/**
 * A product this device has just defined or changed: in the in-memory index at once (scannable, and
 * priced so on Sell), then stored in its chunk. The event is the truth: should the write fail, the
 * projection stores the product on its next refresh.
 */
export async function putProduct(db: PerpetuaDb, catalog: CatalogIndex, product: ProductSnapshot): Promise<void> {
  catalog.put(product);
  const placed = await storeProducts(db, [product], catalog);
  catalog.put(product, placed.get(product.id));
}
