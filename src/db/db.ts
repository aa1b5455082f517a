/**
 * The device's local database. The ledger is the truth, in two parts: `events` holds the device's
 * own events (one row each, written with their `unsent` entry) and `pulled` holds what came from
 * the server, one row per pulled page (src/db/event-store.ts reads both as one ledger). `stock` is a
 * cache of the projection's on-hand (src/db/projection.ts alone writes it, from the books), for the
 * screens to show before the projection is folded after a start; `unsent` lists the device's own
 * events the server has not acknowledged yet, `setAside` the ones it refused; `catalogChunks` is the
 * catalog (the products the ledger defines), read once at start into the in-memory index
 * (catalog.ts). meta `hlc` is the clock after the newest pulled page (src/sync/pull.ts); the
 * device's next sequence number and clock are not stored: src/db/ledger-writer.ts reads them from
 * the ledger.
 */
import Dexie, { type EntityTable, type Transaction } from 'dexie';
import type { LedgerEvent, ProductSnapshot } from '../domain/events.ts';
import type { SavedCart } from '../domain/cart.ts';

export const DB_NAME = 'perpetua';

export interface StockRow {
  productId: string;
  locationId: string;
  onHand: number;
}

/**
 * One of this device's events waiting for the server's acknowledgement, keyed by the device's
 * sequence number: the queue drains in device order, and an acknowledged batch (consecutive
 * numbers) leaves it with one range delete.
 */
export interface UnsentRow {
  seq: number;
  eventId: string;
  /** Failed pushes so far (network down, server error). */
  attempts: number;
  lastError?: string;
}

/** An own event the server refused, kept with its reason until the owner puts it back in line. */
export interface SetAsideRow {
  eventId: string;
  seq: number;
  reason: string;
  attempts: number;
  lastError?: string;
}

/**
 * One page of a pull: every event the server sent after `after` up to `cursor`, as one record.
 * IndexedDB costs about the same per row however small the row (2,000–3,500 rows/s on a slow
 * tablet, with or without indexes), so the pulled history is stored per page, not per event.
 * `maxRecordedAt` (indexed) lets "today's sales" skip the pages that end before today.
 *
 * Since issue 19 a page keeps its events as one JSON text (`eventsJson`, an array of the validated
 * events): storing 5,000 events as objects costs IndexedDB a structured clone of every object and
 * field (~190 ms a page in Chromium, most of a 1,000,000-event first pull), a string is copied in
 * one piece. Pages written before keep `events` as objects and stay readable
 * (src/db/event-store.ts `eventsOfPage` reads both); the table's keys and indexes did not change,
 * so no schema version was needed.
 */
export type PulledPage = PulledPageAsSent | PulledPageText | PulledPageObjects;

interface PulledPageBounds {
  cursor: number;
  after: number;
  maxRecordedAt: string;
}

/**
 * A page kept as the server sent it: its JSON answer `{events, cursor, …}` as the Blob the fetch
 * made of it. Kept so only when every event in it validated and validation dropped nothing
 * (src/sync/pull.ts), so, like the text, it is read and parsed, not validated again.
 * Why a Blob: IndexedDB stores it as a file beside its database, handed over inside the browser,
 * where a 12 MB string is serialised by the page and written into the database itself. A new
 * device of a store of 1,000,000 events pulls about 600 MB: as strings that cost Chromium about
 * half the machine's CPU of the first sync, and each page's put took 7 to 10 times as long.
 */
export interface PulledPageAsSent extends PulledPageBounds {
  asSent: Blob;
}

/** The page format when a page cannot be kept as sent (an event unreadable, an old server): the validated events as one JSON array text. */
export interface PulledPageText extends PulledPageBounds {
  eventsJson: string;
}

/** The page format before issue 19 (read, never written any more). */
export interface PulledPageObjects extends PulledPageBounds {
  events: LedgerEvent[];
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
  /** Read back with `cartFromSaved`: a cart parked before percentage discounts holds plain amounts. */
  cart: SavedCart;
}

export type PerpetuaDb = Dexie & {
  catalogChunks: EntityTable<CatalogChunk, 'id'>;
  locations: EntityTable<LocationRow, 'id'>;
  events: EntityTable<LedgerEvent, 'id'>;
  unsent: EntityTable<UnsentRow, 'seq'>;
  setAside: EntityTable<SetAsideRow, 'eventId'>;
  pulled: EntityTable<PulledPage, 'cursor'>;
  stock: Dexie.Table<StockRow, [string, string]>;
  parked: EntityTable<ParkedCart, 'id'>;
  meta: EntityTable<MetaRow, 'key'>;
};

/**
 * The first released schema, frozen: Dexie needs it to upgrade version 1 databases, and the upgrade
 * tests make version 1 databases with it.
 */
export const STORES_V1 = {
  products: 'id, sku, *barcodes, name',
  locations: 'id',
  events: 'id, [deviceId+seq], hlc, kind, recordedAt',
  outbox: 'eventId, seq, status',
  stock: '[productId+locationId], productId, locationId',
  parked: 'id',
  meta: 'key',
} as const;

export function openDb(name: string = DB_NAME): PerpetuaDb {
  // 'strict' makes Chromium flush to disk before a transaction reports complete: a recorded sale
  // survives a power cut. Other browsers ignore the hint and are strict already.
  const db = new Dexie(name, { chromeTransactionDurability: 'strict' }) as PerpetuaDb;
  db.version(1).stores(STORES_V1);
  // ---- Version 2 (issue 3): the catalog moves from one record per product (`products`, with
  // indexes on sku, barcodes and name) to chunk records of 1,000 products (`catalogChunks`). The
  // upgrade copies every stored product into chunks, in key order, then the old table is dropped.
  // Version 2 also changes the sync storage (issue 5, SYNC_PAGES_STORES_V2 below); the two touch
  // different tables and were released together, so they share one version and one upgrade.
  db.version(2)
    .stores({ catalogChunks: 'id', products: null, ...SYNC_PAGES_STORES_V2 })
    .upgrade(async (tx) => {
      await moveProductsIntoChunks(tx);
      await upgradeSyncPagesV2(tx);
    });
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

/**
 * Version 2, sync storage (issue 5): a drain of 10,000 sales and a pull of 100,000 events must each
 * take under 5 s, which one IndexedDB row per event cannot do.
 * - `outbox` (keyed by event id, indexes on seq and status) becomes `unsent` (keyed by seq, no
 *   index: a batch is read with one range and removed with one range delete) plus `setAside` for
 *   the events the server refused. IndexedDB cannot change a table's key, hence the new names.
 * - `pulled`: pulled events, one row per page. Events pulled by version 1 stay in `events`; the
 *   readers (src/db/event-store.ts) see both.
 */
export const SYNC_PAGES_STORES_V2 = {
  outbox: null,
  unsent: 'seq',
  setAside: 'eventId',
  pulled: 'cursor, maxRecordedAt',
};

interface OutboxRowV1 {
  eventId: string;
  seq: number;
  status: 'pending' | 'rejected';
  attempts: number;
  lastError?: string;
  rejectedReason?: string;
}

/** Moves version 1's outbox rows into `unsent` and `setAside`; nothing pending or refused is lost. */
export async function upgradeSyncPagesV2(tx: Transaction): Promise<void> {
  const rows = (await tx.table('outbox').toArray()) as OutboxRowV1[];
  const lastError = (row: OutboxRowV1) => (row.lastError === undefined ? {} : { lastError: row.lastError });
  const unsent: UnsentRow[] = rows
    .filter((row) => row.status === 'pending')
    .map((row) => ({ seq: row.seq, eventId: row.eventId, attempts: row.attempts, ...lastError(row) }));
  const setAside: SetAsideRow[] = rows
    .filter((row) => row.status === 'rejected')
    .map((row) => ({ eventId: row.eventId, seq: row.seq, reason: row.rejectedReason ?? 'No reason given', attempts: row.attempts, ...lastError(row) }));
  await tx.table('unsent').bulkPut(unsent);
  await tx.table('setAside').bulkPut(setAside);
}

export async function getMeta<T>(db: PerpetuaDb, key: string): Promise<T | undefined> {
  const row = await db.meta.get(key);
  return row?.value as T | undefined;
}

export async function setMeta(db: PerpetuaDb, key: string, value: unknown): Promise<void> {
  await db.meta.put({ key, value });
}
