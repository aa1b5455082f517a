/**
 * The device's local database. The ledger is the truth, in two parts: `events` holds the device's
 * own events (one row each, written with their `unsent` entry) and `pulled` holds what came from
 * the server, one row per pulled page (src/db/event-store.ts reads both as one ledger). `stock` is a
 * cache of the on-hand projection kept in the same transactions as the events that change it;
 * `unsent` lists the device's own events the server has not acknowledged yet, `setAside` the ones
 * it refused.
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
 */
export interface PulledPage {
  cursor: number;
  after: number;
  maxRecordedAt: string;
  events: LedgerEvent[];
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
  unsent: EntityTable<UnsentRow, 'seq'>;
  setAside: EntityTable<SetAsideRow, 'eventId'>;
  pulled: EntityTable<PulledPage, 'cursor'>;
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
  db.version(2).stores(SYNC_PAGES_STORES_V2).upgrade(upgradeSyncPagesV2);
  return db;
}

/**
 * Version 2, sync storage (issue 5): a drain of 10,000 sales and a pull of 100,000 events must each
 * take under 5 s, which one IndexedDB row per event cannot do.
 * - `outbox` (keyed by event id, indexes on seq and status) becomes `unsent` (keyed by seq, no
 *   index: a batch is read with one range and removed with one range delete) plus `setAside` for
 *   the events the server refused. IndexedDB cannot change a table's key, hence the new names.
 * - `pulled`: pulled events, one row per page. Events pulled by version 1 stay in `events`; the
 *   readers (src/db/event-store.ts) see both.
 * Self-contained so it can be merged with other version-2 changes into one version.
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
