/**
 * Runs inside Chromium, driven by bench/sync/drain.bench.ts; exposes `window.perpetuaSyncBench`.
 * Served under /bench/ on the sync server's own origin, so it talks to the server the way the app
 * does (same origin, the app's transport) and works on IndexedDB databases of that origin. Every
 * step uses the app's own modules: openDb, seedDemoStoreIfEmpty, enrollThisDevice, recordEvent,
 * drainOutbox, pullNewEvents, all under the app's sync Web Lock.
 */
import { openDb, type PerpetuaDb } from '../../src/db/db.ts';
import { countEvents, readAllEvents } from '../../src/db/event-store.ts';
import { loadCatalog } from '../../src/db/catalog.ts';
import { LocalProjection } from '../../src/db/projection.ts';
import { Books } from '../../src/domain/books/index.ts';
import { uuidv7 } from '../../src/db/ids.ts';
import { recordEvent, type RecordingContext } from '../../src/db/ledger.ts';
import { seedDemoStoreIfEmpty } from '../../src/db/seed.ts';
import { addToCart, emptyCart, priceCart, settle, type Cart } from '../../src/domain/cart.ts';
import type { ProductSnapshot } from '../../src/domain/events.ts';
import { DEMO_CURRENCY, DEMO_LOCATIONS, DEMO_STORE_ID } from '../../src/domain/demo-store.ts';
import { DEMO_PRODUCTS } from '../../src/domain/demo-catalog.ts';
import { parseEvent } from '../../src/domain/validate.ts';
import { drainOutbox } from '../../src/sync/drain.ts';
import { enrollThisDevice } from '../../src/sync/enroll.ts';
import { withSyncLock } from '../../src/sync/lock.ts';
import { pageOf, pullNewEvents } from '../../src/sync/pull.ts';
import { countOutbox } from '../../src/sync/status.ts';
import { transportFromMeta } from '../../src/sync/sync-once.ts';
import type { SyncTransport } from '../../src/sync/transport.ts';
import { seededRandom } from '../../tests/seeded-random.ts';

/** Time spent waiting on the server (HTTP round trips, JSON parse included), apart from local work. */
export interface NetworkTime {
  pushMs: number;
  pushes: number;
  pullMs: number;
  pulls: number;
}

function timed(transport: SyncTransport, into: NetworkTime): SyncTransport {
  return {
    async push(events) {
      const t = performance.now();
      try {
        return await transport.push(events);
      } finally {
        into.pushMs += performance.now() - t;
        into.pushes += 1;
      }
    },
    async pull(after, limit, options) {
      const t = performance.now();
      try {
        return await transport.pull(after, limit, options);
      } finally {
        into.pullMs += performance.now() - t;
        into.pulls += 1;
      }
    },
  };
}
const noTime = (): NetworkTime => ({ pushMs: 0, pushes: 0, pullMs: 0, pulls: 0 });

export interface PreparedDevice {
  deviceId: string;
  storeId: string;
  eventsInDb: number;
}

export interface RecordRun {
  sales: number;
  recordMs: number;
  pending: number;
}

export interface DrainRun {
  pendingBefore: number;
  drainMs: number;
  acknowledged: number;
  rejected: number;
  batches: number;
  pendingAfter: number;
  /** The same sync round's pull that follows the drain (it fetches the drained events back). */
  pullAfterMs: number;
  pulledAfter: number;
  network: NetworkTime;
}

/** Where a pull page's browser time goes: one page fetched, validated and written on its own. */
export interface PullProbe {
  events: number;
  fetchMs: number;
  validateMs: number;
  /** One strict IndexedDB transaction with the whole page as one record (the app's way), into a scratch database. */
  writeMs: number;
  /** The same page as one row per event with plain IndexedDB put() calls (no Dexie, the layout before pages), strict and relaxed durability. */
  rawStrictMs: number;
  rawRelaxedMs: number;
  /** Plain put() into a store with no secondary index ('parked'): what the events indexes cost. */
  rawNoIndexMs: number;
  /** The same page fetched and parsed by hand, its body read with response.text() / blob().text(). */
  viaTextMs: number;
  viaBlobMs: number;
}

/** bench/sync/newdevice.bench.ts: a fresh device paired with a big store, pulling and folding. */
export interface NewDeviceRun {
  pairMs: number;
  /** From paired to a sale of a known product committed, while the history comes in. */
  firstSaleMs: number;
  /** From paired to the whole history pulled (pages committed). */
  pullMs: number;
  /** From paired to the projection folded over everything pulled and its on-hand cache written. */
  correctStockMs: number;
  pulled: number;
  unreadable: number;
  pages: number;
  /** Of pullMs: waiting on the server's answers (HTTP, server work, JSON.parse). */
  pullWaitMs: number;
  /** Response bytes the transport received (decompressed: Content-Length is not read). */
  /** Pull answers as sent (compressed, with headers) and decoded (Resource Timing). */
  bytesOnWire: number;
  bytesDecoded: number;
  /** The on-hand cache the screens show (`stock` table): product, location, on-hand. */
  shownStock: [string, string, number][];
  /** The same books refolded from scratch from the device's whole ledger (Books.fromEvents). */
  fullFoldStock: [string, string, number][];
  fullFoldMs: number;
  eventsInLedger: number;
}

export interface PullRun {
  pullMs: number;
  pulled: number;
  unreadable: number;
  eventsInDb: number;
  cursor: string;
  network: NetworkTime;
}

/**
 * The bytes of the pull answers since `clearPullTimings`, from Resource Timing: on the wire
 * (compressed, with headers) and decoded. Read after the run, so counting costs the run nothing
 * (re-serialising each page to measure it cost ~35 ms a page of 5,000 events).
 */
function pullBytes(): { wire: number; decoded: number } {
  let wire = 0;
  let decoded = 0;
  for (const entry of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
    if (!entry.name.includes('/api/v1/sync/pull')) continue;
    wire += entry.transferSize;
    decoded += entry.decodedBodySize;
  }
  return { wire, decoded };
}

function clearPullTimings(): void {
  performance.setResourceTimingBufferSize(100_000);
  performance.clearResourceTimings();
}

const databases = new Map<string, PerpetuaDb>();

async function database(name: string): Promise<PerpetuaDb> {
  let db = databases.get(name);
  if (!db) {
    db = openDb(name);
    await db.open();
    databases.set(name, db);
  }
  return db;
}

const api = {
  /** A device as the app makes one on first start (demo seed, device id), paired with the server. */
  async prepare(dbName: string, serverUrl: string, deviceName: string): Promise<PreparedDevice> {
    const db = await database(dbName);
    await seedDemoStoreIfEmpty(db);
    if (!(await db.meta.get('deviceId'))) await db.meta.put({ key: 'deviceId', value: `dev-${uuidv7()}` });
    const enrollment = await enrollThisDevice(db, { serverUrl, deviceName });
    return { deviceId: enrollment.deviceId, storeId: enrollment.storeId, eventsInDb: await countEvents(db) };
  },

  /** `sales` sales recorded one by one with the app's recordEvent (each its own strict transaction). */
  async record(dbName: string, sales: number): Promise<RecordRun> {
    const db = await database(dbName);
    const deviceId = String((await db.meta.get('deviceId'))?.value);
    const context: RecordingContext = { storeId: DEMO_STORE_ID, locationId: DEMO_LOCATIONS[0].id, deviceId, userId: 'Bench', currency: DEMO_CURRENCY };
    const random = seededRandom(7);
    const pool = DEMO_PRODUCTS.filter((p) => p.unit === 'each');
    const started = performance.now();
    for (let i = 0; i < sales; i++) {
      let cart: Cart = emptyCart;
      const lines = 1 + Math.floor(random() * 3);
      for (let l = 0; l < lines; l++) cart = addToCart(cart, pool[Math.floor(random() * pool.length)] as ProductSnapshot, 1 + Math.floor(random() * 2), uuidv7());
      const priced = priceCart(cart, true);
      const settled = settle(priced.totals.gross, [{ method: 'cash' as const, amount: Math.ceil(priced.totals.gross / 500) * 500 }], { currency: 'EUR', cashStep: 1 });
      if (!settled.ok) throw new Error(settled.error);
      await recordEvent(db, context, (seq) => ({
        kind: 'sale',
        receiptNo: `SYNC-${seq}`,
        pricesIncludeTax: true,
        lines: priced.lines,
        totals: priced.totals,
        tenders: settled.value.tenders,
        change: settled.value.change,
      }));
    }
    const recordMs = performance.now() - started;
    return { sales, recordMs, pending: (await countOutbox(db)).pending };
  },

  /** The outbox drained to the server (what syncOnce does first), then that round's pull. */
  async drain(dbName: string): Promise<DrainRun> {
    const db = await database(dbName);
    return withSyncLock(async () => {
      const pendingBefore = (await countOutbox(db)).pending;
      const network = noTime();
      const transport = timed(await transportFromMeta(db), network);
      const t0 = performance.now();
      const drained = await drainOutbox(db, transport);
      const t1 = performance.now();
      const pendingAfter = (await countOutbox(db)).pending;
      const t2 = performance.now();
      const pulled = await pullNewEvents(db, transport);
      const t3 = performance.now();
      return {
        pendingBefore,
        drainMs: t1 - t0,
        acknowledged: drained.acknowledged,
        rejected: drained.rejected,
        batches: drained.batches,
        pendingAfter,
        pullAfterMs: t3 - t2,
        pulledAfter: pulled.pulled,
        network,
      };
    });
  },

  /** A fresh device's first pull of the store's whole history, with the app's page size. */
  async pull(dbName: string): Promise<PullRun> {
    const db = await database(dbName);
    return withSyncLock(async () => {
      const network = noTime();
      const transport = timed(await transportFromMeta(db), network);
      const t0 = performance.now();
      const report = await pullNewEvents(db, transport);
      const pullMs = performance.now() - t0;
      return { pullMs, pulled: report.pulled, unreadable: report.unreadable, eventsInDb: await countEvents(db), cursor: report.cursor, network };
    });
  },
};

const withProbe = {
  ...api,
  /**
   * The app's first start against a big store: demo seed, paired, then the pull with the projection
   * folding each page as it is stored (LocalProjection.refresh), and one sale recorded as soon as
   * the device is paired. Returns the timings and what the device shows.
   */
  async newDevice(dbName: string, serverUrl: string): Promise<NewDeviceRun> {
    const t0 = performance.now();
    const db = await database(dbName);
    await seedDemoStoreIfEmpty(db);
    if (!(await db.meta.get('deviceId'))) await db.meta.put({ key: 'deviceId', value: `dev-${uuidv7()}` });
    const enrollment = await enrollThisDevice(db, { serverUrl, deviceName: 'New till' });
    const paired = performance.now();
    const catalog = await loadCatalog(db);
    const projection = await LocalProjection.open(db, catalog);
    const network = noTime();
    const transport = timed(await transportFromMeta(db), network);
    clearPullTimings();
    const pulling = withSyncLock(async () => {
      const report = await pullNewEvents(db, transport, { onPageStored: (progress, page) => void projection.applyPulled(page.events, page.cursor, { morePages: !progress.done }) });
      return { report, at: performance.now() };
    });
    // A cashier sells a known product (from the catalog the device already has) while the history comes in.
    const demo = DEMO_PRODUCTS.find((p) => p.unit === 'each');
    const product = demo && catalog.get(demo.id);
    if (!product) throw new Error('the demo catalog has no product sold by the piece');
    const context: RecordingContext = { storeId: enrollment.storeId, locationId: DEMO_LOCATIONS[0].id, deviceId: enrollment.deviceId, userId: 'Bench', currency: DEMO_CURRENCY };
    const priced = priceCart(addToCart(emptyCart, product, 1, uuidv7()), true);
    const settled = settle(priced.totals.gross, [{ method: 'card' as const, amount: priced.totals.gross }], { currency: 'EUR', cashStep: 1 });
    if (!settled.ok) throw new Error(settled.error);
    const sale = await recordEvent(db, context, (seq) => ({
      kind: 'sale',
      receiptNo: `NEW-${seq}`,
      pricesIncludeTax: true,
      lines: priced.lines,
      totals: priced.totals,
      tenders: settled.value.tenders,
      change: settled.value.change,
    }));
    projection.applyOwn(sale);
    const sold = performance.now();
    const { report, at: pulledAt } = await pulling;
    await projection.refresh(); // the pages stored after the last refresh began
    await projection.refresh();
    await projection.cached();
    const correct = performance.now();
    const shownStock = (await db.stock.toArray()).map((r): [string, string, number] => [r.productId, r.locationId, r.onHand]);
    const f0 = performance.now();
    const all = await readAllEvents(db);
    const full = Books.fromEvents(all, { valuation: projection.method });
    const fullFoldMs = performance.now() - f0;
    const fullFoldStock = full.stockLevels().map((l): [string, string, number] => [l.productId, l.locationId, l.qty]);
    return {
      pairMs: paired - t0,
      firstSaleMs: sold - paired,
      pullMs: pulledAt - paired,
      correctStockMs: correct - paired,
      pulled: report.pulled,
      unreadable: report.unreadable,
      pages: network.pulls,
      pullWaitMs: network.pullMs,
      bytesOnWire: pullBytes().wire,
      bytesDecoded: pullBytes().decoded,
      shownStock,
      fullFoldStock,
      fullFoldMs,
      eventsInLedger: all.length,
    };
  },

  /** The server's GET /api/v1/stock, asked with this device's token: product, location, on-hand. */
  async serverStock(dbName: string): Promise<[string, string, number][]> {
    const db = await database(dbName);
    const token = String((await db.meta.get('deviceToken'))?.value ?? '');
    const response = await fetch('/api/v1/stock', { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`GET /api/v1/stock answered ${response.status}`);
    const body = (await response.json()) as { stock: { productId: string; locationId: string; onHand: number }[] };
    return body.stock.map((r): [string, string, number] => [r.productId, r.locationId, r.onHand]);
  },

  /** Pushes the outbox (the sale made while pulling), so the server's stock includes it. */
  async drainOnly(dbName: string): Promise<number> {
    const db = await database(dbName);
    return withSyncLock(async () => (await drainOutbox(db, await transportFromMeta(db))).acknowledged);
  },

  /** One page fetched, validated and written on its own: where a pull page's time goes. */
  async probe(dbName: string, limit: number): Promise<PullProbe> {
    const db = await database(dbName);
    const transport = await transportFromMeta(db);
    const t0 = performance.now();
    const page = await transport.pull('0', limit);
    const t1 = performance.now();
    const events = page.events.flatMap((e) => {
      const parsed = parseEvent(e);
      return parsed.ok ? [parsed.event] : [];
    });
    const t2 = performance.now();
    const scratch = await database(`${dbName}-probe`);
    await scratch.transaction('rw', scratch.pulled, scratch.meta, async () => {
      await scratch.pulled.put(pageOf(events, '0', page.cursor));
      await scratch.meta.put({ key: 'syncCursor', value: page.cursor });
    });
    const t3 = performance.now();
    const raw = async (name: string, durability: 'strict' | 'relaxed', storeName = 'events') => {
      const target = await database(name);
      const idb = target.backendDB();
      const started = performance.now();
      await new Promise<void>((resolve, reject) => {
        const tx = idb.transaction([storeName, 'meta'], 'readwrite', { durability });
        const store = tx.objectStore(storeName);
        for (const event of events) store.put(event);
        tx.objectStore('meta').put({ key: 'syncCursor', value: page.cursor });
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error ?? new Error('transaction failed'));
        tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
      });
      return performance.now() - started;
    };
    const rawStrictMs = await raw(`${dbName}-probe-strict`, 'strict');
    const rawRelaxedMs = await raw(`${dbName}-probe-relaxed`, 'relaxed');
    const rawNoIndexMs = await raw(`${dbName}-probe-noindex`, 'strict', 'parked');
    // The same page read by hand both ways (fetch, body, JSON.parse): why the transport reads blob().
    const token = String((await db.meta.get('deviceToken'))?.value ?? '');
    const readBy = async (body: (response: Response) => Promise<string>) => {
      const started = performance.now();
      const response = await fetch(`/api/v1/sync/pull?after=0&limit=${limit}`, { headers: { authorization: `Bearer ${token}` } });
      JSON.parse(await body(response));
      return performance.now() - started;
    };
    const viaTextMs = await readBy((response) => response.text());
    const viaBlobMs = await readBy(async (response) => (await response.blob()).text());
    return { viaTextMs, viaBlobMs, events: events.length, fetchMs: t1 - t0, validateMs: t2 - t1, writeMs: t3 - t2, rawStrictMs, rawRelaxedMs, rawNoIndexMs };
  },
};

export type SyncBenchApi = typeof withProbe;
(window as unknown as { perpetuaSyncBench: SyncBenchApi }).perpetuaSyncBench = withProbe;
const status = document.getElementById('status');
if (status) status.textContent = 'ready';
