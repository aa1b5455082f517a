/**
 * The device's local database. The ledger (`events`) is the truth; `stock` is a cache of the
 * on-hand projection kept in the same transactions as the events that change it; `outbox` lists the
 * device's own events the server has not acknowledged yet.
 */
import Dexie, { type EntityTable } from 'dexie';
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
  products: EntityTable<ProductSnapshot, 'id'>;
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
  return db;
}

export async function getMeta<T>(db: PerpetuaDb, key: string): Promise<T | undefined> {
  const row = await db.meta.get(key);
  return row?.value as T | undefined;
}

export async function setMeta(db: PerpetuaDb, key: string, value: unknown): Promise<void> {
  await db.meta.put({ key, value });
}
