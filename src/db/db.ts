/**
 * The device's local database. The ledger (`events`) is the truth; `stock` is a cache of the
 * on-hand projection kept in the same transactions as the events that change it; `outbox` lists the
 * device's own events the server has not acknowledged yet; `catalogChunks` is the catalog (the
 * products the ledger defines), read once at start into the in-memory index (catalog.ts).
 */
import Dexie, { type EntityTable, type Transaction } from 'dexie';
import type { LedgerEvent, ProductSnapshot } from '../domain/events.ts';
import type { Cart } from '../domain/cart.ts';

export const DB_NAME = 'perpetua';

export interface StockRow {
  productId: string;
  locationId: string;
  onHand: number;
}

export interface OutboxRow {
  eventId: string;
  seq: number;
  status: 'pending' | 'rejected';
  attempts: number;
  lastError?: string;
  rejectedReason?: string;
}

export interface MetaRow {
  key: string;
  value: unknown;
}

/**
 * Up to CATALOG_CHUNK_SIZE products in one record. IndexedDB in Chromium costs a fixed amount per
 * record (a few thousand records/s on a loaded tablet, whatever their size), so a 100,000-product
 * catalog stored one product per record took minutes to import and seconds to read; as 100 records
 * it takes about a second to write and well under one to read back. The catalog is only ever read
 * whole (into the in-memory index), so nothing needs an IndexedDB index on products.
 */
export interface CatalogChunk {
  /** 1, 2, 3…: chunk order is the catalog's order (the Sell screen's first tiles come from chunk 1). */
  id: number;
  products: ProductSnapshot[];
}

export const CATALOG_CHUNK_SIZE = 1000;

export interface LocationRow {
  id: string;
  storeId: string;
  name: string;
}

export interface ParkedCart {
  id: string;
  parkedAt: string;
  label: string;
  cart: Cart;
}

export type PerpetuaDb = Dexie & {
  catalogChunks: EntityTable<CatalogChunk, 'id'>;
  locations: EntityTable<LocationRow, 'id'>;
  events: EntityTable<LedgerEvent, 'id'>;
  outbox: EntityTable<OutboxRow, 'eventId'>;
  stock: Dexie.Table<StockRow, [string, string]>;
  parked: EntityTable<ParkedCart, 'id'>;
  meta: EntityTable<MetaRow, 'key'>;
};

export function openDb(name: string = DB_NAME): PerpetuaDb {
  // 'strict' makes Chromium flush to disk before a transaction reports complete: a recorded sale
  // survives a power cut. Other browsers ignore the hint and are strict already.
  const db = new Dexie(name, { chromeTransactionDurability: 'strict' }) as PerpetuaDb;
  db.version(1).stores({
    products: 'id, sku, *barcodes, name',
    locations: 'id',
    events: 'id, [deviceId+seq], hlc, kind, recordedAt',
    outbox: 'eventId, seq, status',
    stock: '[productId+locationId], productId, locationId',
    parked: 'id',
    meta: 'key',
  });
  // ---- Version 2 (issue 3): the catalog moves from one record per product (`products`, with
  // indexes on sku, barcodes and name) to chunk records of 1,000 products (`catalogChunks`). The
  // upgrade copies every stored product into chunks, in key order, then the old table is dropped.
  // Self-contained: it touches no other table, so another version's change to other tables can be
  // declared beside it (renumber this one if needed; the upgrade does not depend on its number).
  db.version(2).stores({ catalogChunks: 'id', products: null }).upgrade(moveProductsIntoChunks);
  return db;
}

async function moveProductsIntoChunks(tx: Transaction): Promise<void> {
  const products = (await tx.table('products').toArray()) as ProductSnapshot[];
  const chunks: CatalogChunk[] = [];
  for (let i = 0; i < products.length; i += CATALOG_CHUNK_SIZE) {
    chunks.push({ id: chunks.length + 1, products: products.slice(i, i + CATALOG_CHUNK_SIZE) });
  }
  if (chunks.length > 0) await tx.table('catalogChunks').bulkAdd(chunks);
}

export async function getMeta<T>(db: PerpetuaDb, key: string): Promise<T | undefined> {
  const row = await db.meta.get(key);
  return row?.value as T | undefined;
}

export async function setMeta(db: PerpetuaDb, key: string, value: unknown): Promise<void> {
  await db.meta.put({ key, value });
}
