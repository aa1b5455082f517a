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
import { addToCart, emptyCart, priceCart, settle, type Cart } from '../../src/domain/cart.ts';
import type { LedgerEvent, ProductSnapshot } from '../../src/domain/events.ts';
import { makeCatalog, prng } from './catalog-gen.ts';

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

export interface SaleRun {
  sales: number;
  appMs: number[];
  rawMs: number[];
  /** The floor: the issue's own baseline, a raw 3-store write-only strict transaction (no reads). */
  floorMs: number[];
  linesPerSale: number;
  eventBytes: number;
  counts: { events: number; unsent: number };
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
const RAW_DEVICE = 'dev-bench-raw';
/** The floor's stock rows go to a location of their own, so it never overwrites the app's on-hand. */
const RAW_LOCATION = 'loc-bench-raw';
const FLOOR_SEQ_BASE = 1_000_000_000;

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

    const random = prng(7);
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
   * Alternates an app sale (priceCart → settle → recordEvent) with a raw IndexedDB transaction of the
   * same shape: the same 4 stores, strict durability, the same reads (sequence, clock, stock rows of
   * the lines) and writes (the event, an outbox row, the stock rows, 2 meta rows), and with the
   * floor (3 stores, writes only). Who goes first alternates, so load spikes hit all sides alike.
   */
  async saleBench(dbName: string, sales: number): Promise<SaleRun> {
    const db = openDb(dbName);
    await db.open();
    const random = prng(11);
    const pool = catalog.filter((p) => p.unit === 'each').slice(0, 2_000);
    await db.stock.bulkPut(pool.map((p) => ({ productId: p.id, locationId: CONTEXT.locationId, onHand: 1_000_000 })));
    const raw = await rawOpen(dbName);
    const rawSeq = { next: 1 };
    const floorSeq = { next: 1 };

    const makeCart = (): Cart => {
      let cart = emptyCart;
      const lines = 1 + Math.floor(random() * 5);
      for (let l = 0; l < lines; l++) {
        cart = addToCart(cart, pool[Math.floor(random() * pool.length)] as ProductSnapshot, 1 + Math.floor(random() * 3), uuidv7());
      }
      return cart;
    };

    const appSale = async (cart: Cart, i: number): Promise<{ ms: number; event: LedgerEvent }> => {
      const t = performance.now();
      const priced = priceCart(cart, true);
      const total = priced.totals.gross;
      const payment =
        i % 3 === 0 ? { card: total, cashReceived: 0 } : i % 3 === 1 ? { card: 0, cashReceived: Math.ceil(total / 500) * 500 } : { card: Math.floor(total / 2), cashReceived: total };
      const settled = settle(total, payment);
      if (!settled.ok) throw new Error(settled.error);
      const event = await recordEvent(db, CONTEXT, (seq) => ({
        kind: 'sale',
        receiptNo: `BNCH-${seq}`,
        pricesIncludeTax: true,
        lines: priced.lines,
        totals: priced.totals,
        tenders: settled.value.tenders,
        change: settled.value.change,
      }));
      return { ms: performance.now() - t, event };
    };

    const rawSale = (template: LedgerEvent): Promise<number> =>
      new Promise<number>((resolve, reject) => {
        const t = performance.now();
        const tx = raw.transaction(['events', 'unsent', 'stock', 'meta'], 'readwrite', { durability: 'strict' });
        const events = tx.objectStore('events');
        const unsent = tx.objectStore('unsent');
        const stock = tx.objectStore('stock');
        const meta = tx.objectStore('meta');
        const lines = 'lines' in template ? (template.lines as { productId: string; qty: number }[]) : [];
        let pending = 2 + lines.length;
        let seq = rawSeq.next;
        const rows: { productId: string; locationId: string; onHand: number }[] = [];
        const write = () => {
          const event = { ...template, id: uuidv7(), deviceId: RAW_DEVICE, seq, hlc: `${template.hlc}-raw`, receiptNo: `RAW-${seq}` };
          events.add(event);
          // Negative: `unsent` is keyed by sequence number, and the app's own sales use the positive ones.
          unsent.add({ seq: -seq, eventId: event.id, attempts: 0 });
          for (const row of rows) stock.put(row);
          meta.put({ key: 'raw:nextSeq', value: seq + 1 });
          meta.put({ key: 'raw:hlc', value: event.hlc });
        };
        const done = () => {
          if (--pending === 0) write();
        };
        const seqRequest = meta.get('raw:nextSeq');
        seqRequest.onsuccess = () => {
          seq = (seqRequest.result as { value: number } | undefined)?.value ?? seq;
          done();
        };
        meta.get('raw:hlc').onsuccess = done;
        for (const line of lines) {
          const request = stock.get([line.productId, template.locationId]);
          request.onsuccess = () => {
            const row = request.result as { productId: string; locationId: string; onHand: number } | undefined;
            rows.push({ productId: line.productId, locationId: template.locationId, onHand: (row?.onHand ?? 0) - line.qty });
            done();
          };
        }
        tx.oncomplete = () => {
          rawSeq.next = seq + 1;
          resolve(performance.now() - t);
        };
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error ?? new Error('raw transaction aborted'));
      });

    // What the issue quotes as its baseline: the event, an outbox row and the stock rows written
    // into 3 stores with nothing read first. No sale can commit faster than this through IndexedDB.
    const floorSale = (template: LedgerEvent): Promise<number> =>
      new Promise<number>((resolve, reject) => {
        const t = performance.now();
        const tx = raw.transaction(['events', 'unsent', 'stock'], 'readwrite', { durability: 'strict' });
        const seq = FLOOR_SEQ_BASE + floorSeq.next++; // apart from rawSale's sequence numbers
        const event = { ...template, id: uuidv7(), deviceId: RAW_DEVICE, seq, hlc: `${template.hlc}-raw`, receiptNo: `RAW-${seq}` };
        tx.objectStore('events').add(event);
        tx.objectStore('unsent').add({ seq: -seq, eventId: event.id, attempts: 0 });
        const lines = 'lines' in template ? (template.lines as { productId: string; qty: number }[]) : [];
        for (const line of lines) tx.objectStore('stock').put({ productId: line.productId, locationId: RAW_LOCATION, onHand: -seq });
        tx.oncomplete = () => resolve(performance.now() - t);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error ?? new Error('floor transaction aborted'));
      });

    // Warm-up: every path, not recorded.
    for (let i = 0; i < 30; i++) {
      const { event } = await appSale(makeCart(), i);
      await rawSale(event);
      await floorSale(event);
    }
    const appMs: number[] = [];
    const rawMs: number[] = [];
    const floorMs: number[] = [];
    let lineCount = 0;
    let eventBytes = 0;
    for (let i = 0; i < sales; i++) {
      const cart = makeCart();
      lineCount += cart.lines.length;
      if (i % 2 === 0) {
        const app = await appSale(cart, i);
        appMs.push(app.ms);
        rawMs.push(await rawSale(app.event));
        floorMs.push(await floorSale(app.event));
        eventBytes += JSON.stringify(app.event).length;
      } else {
        // The raw side needs a template of the same shape first: the previous app sale's lines
        // would do, but a fresh cart's are fairer; build it without timing, then run raw first.
        const priced = priceCart(cart, true);
        const template = { ...CONTEXT, id: uuidv7(), schema: 1, seq: 0, hlc: `${Date.now()}`, recordedAt: new Date().toISOString(), kind: 'sale', receiptNo: 'x', pricesIncludeTax: true, lines: priced.lines, totals: priced.totals, tenders: [{ method: 'card', amount: priced.totals.gross }], change: 0 } as LedgerEvent;
        floorMs.push(await floorSale(template));
        rawMs.push(await rawSale(template));
        const app = await appSale(cart, i);
        appMs.push(app.ms);
        eventBytes += JSON.stringify(app.event).length;
      }
    }
    const counts = { events: await db.events.count(), unsent: await db.unsent.count() };
    raw.close();
    db.close();
    return { sales, appMs, rawMs, floorMs, linesPerSale: lineCount / sales, eventBytes: Math.round(eventBytes / sales), counts };
  },

  /**
   * Removes what the raw sale baseline wrote into the app's database (its events, outbox rows and
   * meta keys), so the app never sees those rows. The app's own benchmark sales stay: they are real
   * sales of this device.
   */
  async removeRawRows(dbName: string): Promise<number> {
    const db = openDb(dbName);
    await db.open();
    const removed = await db.transaction('rw', [db.events, db.unsent, db.meta, db.stock], async () => {
      await db.stock.filter((row) => row.locationId === RAW_LOCATION).delete();
      const ids = (await db.events.where('[deviceId+seq]').between([RAW_DEVICE, 0], [RAW_DEVICE, Infinity]).primaryKeys()) as string[];
      await db.events.bulkDelete(ids);
      await db.unsent.where('seq').below(0).delete();
      await db.meta.bulkDelete(['raw:nextSeq', 'raw:hlc']);
      return ids.length;
    });
    db.close();
    return removed;
  },
};

window.perpetuaAppBench = api;
document.getElementById('status')?.setAttribute('data-ready', 'true');
