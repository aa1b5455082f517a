/**
 * Runs inside Chromium, driven by bench/app/app.bench.ts. Exposes `window.perpetuaAppBench`; every
 * function returns raw samples (milliseconds) and the driver computes the percentiles.
 *
 * The page is served on the built app's own origin (under /bench/), so it works on the app's own
 * database: the import fills it, and the app start benchmark then opens the app on it.
 */
import { importCatalog, checkProducts, recordingContextFromDb } from '../../src/db/catalog-import.ts';
import { CatalogIndex, loadCatalog } from '../../src/db/catalog.ts';
import { openDb } from '../../src/db/db.ts';
import { uuidv7 } from '../../src/db/ids.ts';
import { recordEvent, type RecordingContext } from '../../src/db/ledger.ts';
import { attachJournal, openOpfsJournal } from '../../src/db/journal.ts';
import { addToCart, emptyCart, priceCart, settle, type Cart } from '../../src/domain/cart.ts';
import type { LedgerEvent, ProductSnapshot } from '../../src/domain/events.ts';
import { makeCatalog } from './catalog-gen.ts';
import { seededRandom } from '../../tests/seeded-random.ts';

export interface ImportRun {
  products: number;
  batchSize: number;
  checkMs: number;
  importMs: number;
  batchMs: number[];
  counts: { products: number; chunks: number; events: number; unsent: number };
}

export interface LookupRun {
  catalogProducts: number;
  loadCatalogMs: number;
  readRowsMs: number;
  buildIndexMs: number;
  lookups: number;
  hits: number;
  appMs: number[];
  appBatchMeanUs: number;
  rawMs: number[];
  rawHits: number;
}


export interface PageInfo {
  userAgent: string;
  crossOriginIsolated: boolean;
  timerResolutionMs: number;
}

declare global {
  interface Window {
    perpetuaAppBench: typeof api;
  }
}

/** This device's recording context, from the app's own database (set by `useAppDevice`). */
let CONTEXT: RecordingContext = {
  storeId: 'demo-store',
  locationId: 'loc-floor',
  deviceId: 'dev-bench-app',
  userId: 'bench',
  currency: 'EUR',
};

let catalog: ProductSnapshot[] = [];
/** The sale benchmark's state between calls (the driver alternates sales with the bare page). */
let saleDb: ReturnType<typeof openDb> | null = null;
let saleCatalog: CatalogIndex | null = null;
let salePool: ProductSnapshot[] = [];
let saleRandom = seededRandom(11);

function deleteDb(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    // 'blocked' also fires while a just-closed connection finishes its last transaction; the
    // deletion then proceeds, and success follows.
  });
}

function rawOpen(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function countProducts(db: ReturnType<typeof openDb>): Promise<number> {
  let n = 0;
  await db.catalogChunks.each((chunk) => void (n += chunk.products.length));
  return n;
}

function smallestTimerStep(): number {
  let step = Infinity;
  for (let i = 0; i < 50; i++) {
    const a = performance.now();
    let b = performance.now();
    while (b === a) b = performance.now();
    step = Math.min(step, b - a);
  }
  return step;
}

const api = {
  info(): PageInfo {
    return { userAgent: navigator.userAgent, crossOriginIsolated: globalThis.crossOriginIsolated, timerResolutionMs: smallestTimerStep() };
  },

  /**
   * Reads this device's recording context from the database the app made on its first start
   * (device id, settings, locations); later benchmarks record as this device.
   */
  async useAppDevice(dbName = 'perpetua'): Promise<{ deviceId: string; products: number }> {
    const db = openDb(dbName);
    await db.open();
    CONTEXT = await recordingContextFromDb(db, 'EUR');
    const products = await countProducts(db);
    db.close();
    return { deviceId: CONTEXT.deviceId, products };
  },

  /** Builds the catalog in the page (sending 100k products over CDP would cost more than building them). */
  makeCatalog(count: number): number {
    catalog = makeCatalog(count);
    return catalog.length;
  },

  /** importCatalog of the whole generated catalog into the app's database (made by openAppSession). */
  async importBench(dbName: string, batchSize: number): Promise<ImportRun> {
    const db = openDb(dbName);
    await db.open();
    // Validation alone, for the breakdown (importCatalog repeats it: it is part of the import).
    const c0 = performance.now();
    checkProducts(catalog);
    const checkMs = performance.now() - c0;
    const batchMs: number[] = [];
    const t0 = performance.now();
    let last = t0;
    await importCatalog(
      db,
      catalog,
      () => {
        const now = performance.now();
        batchMs.push(now - last);
        last = now;
      },
      { context: CONTEXT, batchSize },
    );
    const importMs = performance.now() - t0;
    const counts = { products: await countProducts(db), chunks: await db.catalogChunks.count(), events: await db.events.count(), unsent: await db.unsent.count() };
    db.close();
    return { products: catalog.length, batchSize, checkMs, importMs, batchMs, counts };
  },

  /**
   * The import's raw IndexedDB baseline: the same rows (chunk records of 1,000 products, one
   * products-defined event and one outbox row per chunk, 2 meta rows per batch) into a database with
   * the same schema, same batches, strict durability, with the bare API. Shows what importCatalog
   * adds (validation, Dexie).
   */
  async rawImportBench(dbName: string, batchSize: number, count: number): Promise<{ ms: number; products: number; batchMs: number[] }> {
    await deleteDb(dbName);
    const schema = openDb(dbName);
    await schema.open();
    schema.close();
    const raw = await rawOpen(dbName);
    const batchMs: number[] = [];
    const t0 = performance.now();
    let seq = 1;
    const subset = catalog.slice(0, count);
    for (let start = 0; start < subset.length; start += batchSize) {
      const b0 = performance.now();
      const slice = subset.slice(start, start + batchSize);
      await new Promise<void>((resolve, reject) => {
        const tx = raw.transaction(['catalogChunks', 'events', 'unsent', 'meta'], 'readwrite', { durability: 'strict' });
        const chunks = tx.objectStore('catalogChunks');
        const events = tx.objectStore('events');
        const unsent = tx.objectStore('unsent');
        const nowMs = Date.now();
        const recordedAt = new Date(nowMs).toISOString();
        for (let c = 0; c < slice.length; c += 1_000) {
          const products = slice.slice(c, c + 1_000);
          const id = uuidv7(nowMs);
          chunks.add({ id: seq, products });
          events.add({ id, schema: 1, ...CONTEXT, seq, hlc: `${String(nowMs).padStart(15, '0')}-${seq.toString(36).padStart(6, '0')}-${CONTEXT.deviceId}`, recordedAt, kind: 'products-defined', products });
          unsent.add({ seq, eventId: id, attempts: 0 });
          seq++;
        }
        tx.objectStore('meta').put({ key: 'nextSeq', value: seq });
        tx.objectStore('meta').put({ key: 'hlc', value: 'x' });
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      batchMs.push(performance.now() - b0);
    }
    const ms = performance.now() - t0;
    raw.close();
    await deleteDb(dbName);
    return { ms, products: subset.length, batchMs };
  },

  /**
   * CatalogIndex.byCode against what the same lookup costs in IndexedDB now that the catalog is
   * stored in chunks: a get of the chunk record holding the code (its key known) and a search of its
   * products, one readonly transaction each, same codes.
   */
  async lookupBench(dbName: string, lookups: number): Promise<LookupRun> {
    const db = openDb(dbName);
    await db.open();
    const l0 = performance.now();
    const index = await loadCatalog(db);
    const loadCatalogMs = performance.now() - l0;
    // Where loadCatalog's time goes: reading the chunk records, or building the maps.
    const r0 = performance.now();
    const rows = await db.catalogChunks.toArray();
    const readRowsMs = performance.now() - r0;
    const i0 = performance.now();
    new CatalogIndex().fill(rows);
    const buildIndexMs = performance.now() - i0;
    db.close();

    const random = seededRandom(7);
    const codes: string[] = [];
    for (let i = 0; i < lookups; i++) {
      const product = catalog[Math.floor(random() * catalog.length)] as ProductSnapshot;
      codes.push(product.barcodes[Math.floor(random() * product.barcodes.length)] as string);
    }
    // Warm up both paths (JIT, IndexedDB's caches) on other codes.
    for (let i = 0; i < 500; i++) index.byCode((catalog[i] as ProductSnapshot).barcodes[0] as string);

    const appMs: number[] = new Array<number>(lookups);
    let hits = 0;
    for (let i = 0; i < lookups; i++) {
      const t = performance.now();
      const found = index.byCode(codes[i] as string);
      appMs[i] = performance.now() - t;
      if (found) hits++;
    }
    const b0 = performance.now();
    for (let i = 0; i < lookups; i++) index.byCode(codes[i] as string);
    const appBatchMeanUs = ((performance.now() - b0) * 1000) / lookups;

    const raw = await rawOpen(dbName);
    const chunkOfCode = new Map<string, number>();
    for (const product of catalog) for (const code of product.barcodes) chunkOfCode.set(code, index.chunkOf(product.id) ?? 0);
    const rawGet = (code: string) =>
      new Promise<unknown>((resolve, reject) => {
        const request = raw.transaction('catalogChunks', 'readonly').objectStore('catalogChunks').get(chunkOfCode.get(code) ?? 0);
        request.onsuccess = () => resolve((request.result as { products: ProductSnapshot[] } | undefined)?.products.find((p) => p.barcodes.includes(code)));
        request.onerror = () => reject(request.error);
      });
    for (let i = 0; i < 200; i++) await rawGet((catalog[catalog.length - 1 - i] as ProductSnapshot).barcodes[0] as string);
    const rawMs: number[] = new Array<number>(lookups);
    let rawHits = 0;
    for (let i = 0; i < lookups; i++) {
      const t = performance.now();
      const found = await rawGet(codes[i] as string);
      rawMs[i] = performance.now() - t;
      if (found) rawHits++;
    }
    raw.close();
    return { catalogProducts: index.size, loadCatalogMs, readRowsMs, buildIndexMs, lookups, hits, appMs, appBatchMeanUs, rawMs, rawHits };
  },

  /**
   * Opens the app's database for the sale benchmark with its catalog loaded into memory, as the
   * till has it (the generated 100k catalog the import wrote); the sales pick from its products.
   */
  async prepareSales(dbName: string): Promise<{ catalogProducts: number }> {
    saleDb = openDb(dbName);
    await saleDb.open();
    // As on the till (openAppContext): every own event is also copied to the Origin Private File
    // System before its transaction (src/db/journal.ts), so the sale's time includes that write.
    const journal = await openOpfsJournal(`journal-${dbName}`);
    if (!journal) throw new Error('This browser gives no Origin Private File System: the sale would be timed without its backup copy.');
    attachJournal(saleDb, journal);
    saleCatalog = await loadCatalog(saleDb);
    salePool = saleCatalog.all().filter((p) => p.unit === 'each' && p.active).slice(0, 2_000);
    saleRandom = seededRandom(11);
    // The generated array (for the import and the lookups) is not the till's: the till holds the
    // catalog once, in its index.
    catalog = [];
    return { catalogProducts: saleCatalog.size };
  },

  /**
   * One sale as the Sell screen completes it: a cart of 1–5 lines priced (priceCart), settled
   * (cash / card / split), recorded (recordEvent: the backup copy, then the transaction that also
   * removes the saved cart), timed until its transaction has committed.
   * The recorded event comes back as the bare page's template (the same row shape).
   */
  async appSale(i: number): Promise<{ ms: number; lines: number; event: LedgerEvent }> {
    const db = saleDb;
    if (!db) throw new Error('prepareSales() first');
    let cart: Cart = emptyCart;
    const lines = 1 + Math.floor(saleRandom() * 5);
    for (let l = 0; l < lines; l++) {
      cart = addToCart(cart, salePool[Math.floor(saleRandom() * salePool.length)] as ProductSnapshot, 1 + Math.floor(saleRandom() * 3), uuidv7());
    }
    const t = performance.now();
    const priced = priceCart(cart, true);
    const total = priced.totals.gross;
    const payment =
      i % 3 === 0 ? [{ method: 'card' as const, amount: total }] : i % 3 === 1 ? [{ method: 'cash' as const, amount: Math.ceil(total / 500) * 500 }] : [{ method: 'card' as const, amount: Math.floor(total / 2) }, { method: 'cash' as const, amount: total }];
    const settled = settle(total, payment, { currency: 'EUR', cashStep: 1 });
    if (!settled.ok) throw new Error(settled.error);
    // As the Sell screen records it: the saved cart is removed in the sale's own transaction.
    const event = await recordEvent(db, CONTEXT, (receipt) => ({
      kind: 'sale',
      receiptNo: `BNCH-${receipt}`,
      pricesIncludeTax: true,
      lines: priced.lines,
      totals: priced.totals,
      tenders: settled.value.tenders,
      change: settled.value.change,
    }), Date.now(), { clearsMeta: 'cart' });
    return { ms: performance.now() - t, lines: cart.lines.length, event };
  },

  async finishSales(): Promise<{ events: number; unsent: number }> {
    const db = saleDb;
    if (!db) throw new Error('prepareSales() first');
    const counts = { events: await db.events.count(), unsent: await db.unsent.count() };
    db.close();
    saleDb = null;
    saleCatalog = null;
    return counts;
  },
};

window.perpetuaAppBench = api;
document.getElementById('status')?.setAttribute('data-ready', 'true');
