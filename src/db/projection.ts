/**
 * The device's projections, kept in memory: the domain `Books` (the books computed from the ledger)
 * folded from every event in the local ledger (own and pulled). It gives on-hand, valuation, COGS and
 * the journal, and it alone writes what the screens keep of it in IndexedDB: the on-hand cache
 * (`stock`, read before the projection is folded after a start), the catalog chunks, the
 * locations table and the store settings (meta 'storeSettings', read at start so the first sale is
 * priced by the store's settings). Each is derived from the books and rebuilt from them when it differs.
 */
import { Books, type ValuationMethod } from '../domain/books/index.ts';
import type { LedgerEvent, ProductSnapshot, StoreSettings } from '../domain/events.ts';
import { applyCatalogEvent } from '../domain/catalog-events.ts';
import { storeSettingsChangesOf } from '../domain/store-settings.ts';
import { getMeta, setMeta, type LocationRow, type PerpetuaDb, type StockRow } from './db.ts';
import { DEMO_STORE_ID } from '../domain/demo-store.ts';
import type { CatalogIndex } from './catalog.ts';
import { storeProducts } from './catalog-store.ts';
import { eventsOfPages, readAllEvents } from './event-store.ts';
import { bulkPutInSlices } from './put-in-slices.ts';

/**
 * How often a pull with more pages to come rewrites the on-hand cache (LocalProjection.repairOnHandSoon).
 * Only a first sync of a big store has many pages, and its stock is marked as still syncing: every
 * 5 s keeps it moving on screen, where every 2 s cost a 1,000,000-event first sync ~2.5 s of the
 * page's time (each rewrite puts every product × location, ~2,000 rows, ~160 ms).
 */
export const PULL_ON_HAND_INTERVAL_MS = 5000;

export class LocalProjection {
  private booksValue: Books;
  private readonly listeners = new Set<(applied: readonly LedgerEvent[]) => void>();
  private refreshing: Promise<void> | null = null;
  private caching: Promise<void> = Promise.resolve();
  /** The newest pulled page folded in so far: a refresh reads only the pages after it. */
  private lastPage = -Infinity;
  /** When the on-hand cache was last rewritten whole, and the rewrite waiting for its turn (repairOnHandSoon). */
  private lastOnHandRepairAt = -Infinity;
  private onHandTimer: ReturnType<typeof setTimeout> | null = null;

  private constructor(
    private readonly db: PerpetuaDb,
    private readonly catalog: CatalogIndex,
    readonly method: ValuationMethod,
    events: LedgerEvent[],
  ) {
    this.booksValue = Books.fromEvents(events, { valuation: method });
  }

  /** Folds the books by the store's valuation method, or by `defaultMethod` while the store never chose one. */
  static async open(db: PerpetuaDb, catalog: CatalogIndex, defaultMethod: ValuationMethod = 'fifo'): Promise<LocalProjection> {
    const lastPage = (await db.pulled.orderBy('cursor').lastKey()) as number | undefined;
    const events = await readAllEvents(db);
    const method = storeSettingsChangesOf(events).valuation ?? defaultMethod;
    const projection = new LocalProjection(db, catalog, method, events);
    // A page written after the read above is refolded by the next refresh (applying twice is a no-op).
    projection.lastPage = lastPage ?? -Infinity;
    await projection.repairCaches(projection.booksValue.events());
    await projection.repairStoreSettings();
    return projection;
  }

  get books(): Books {
    return this.booksValue;
  }

  /**
   * `listener` runs after each change with the events just applied (already in the books), so a
   * view kept beside the books (the owner's sales figures) can follow them without a re-scan.
   */
  subscribe(listener: (applied: readonly LedgerEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** This device just recorded `event` (already committed to IndexedDB). */
  applyOwn(event: LedgerEvent): void {
    this.booksValue.apply(event);
    if (event.kind === 'store-settings-changed') void this.repairStoreSettings().catch((error: unknown) => console.error('The store settings could not be cached; the next start caches them.', error));
    this.notify([event]);
    const touched = this.booksValue.movementsOf(event.id);
    if (touched.length > 0) this.cacheOnHand(touched);
  }

  /**
   * Writes the books' on-hand of the places `touched` into the cache, after the event's own
   * transaction and apart from it (the sale only writes what must be atomic). Queued, so the cache
   * is written in the order things happened; each write takes the books' numbers when it runs.
   */
  private cacheOnHand(touched: readonly { productId: string; locationId: string }[]): void {
    this.caching = this.caching
      .then(() => this.db.stock.bulkPut(touched.map((t) => ({ productId: t.productId, locationId: t.locationId, onHand: this.booksValue.onHand(t.productId, t.locationId) }))))
      .then(
        () => undefined,
        (error: unknown) => console.error('The on-hand cache could not be written; the projection rewrites it at the next start.', error),
      );
  }

  /** Resolves once the on-hand cache is written for everything applied so far. */
  cached(): Promise<void> {
    return this.caching;
  }

  /**
   * Makes the on-hand cache what the books say, row for row, rows the books do not have removed.
   * In the cache's queue: the books' numbers are taken after every write asked for before.
   */
  private repairOnHand(): Promise<void> {
    this.lastOnHandRepairAt = Date.now();
    // This rewrite takes the books as they are when it runs: one waiting is no longer needed.
    if (this.onHandTimer !== null) clearTimeout(this.onHandTimer);
    this.onHandTimer = null;
    const key = (row: { productId: string; locationId: string }) => `${row.productId}|${row.locationId}`;
    const repair = async () => {
      const cached = await this.db.stock.toArray();
      const levels = new Map<string, StockRow>();
      for (const v of this.booksValue.stockLevels()) levels.set(key(v), { productId: v.productId, locationId: v.locationId, onHand: v.qty });
      const cachedByKey = new Map(cached.map((row) => [key(row), row.onHand]));
      const changed = [...levels.values()].filter((row) => cachedByKey.get(key(row)) !== row.onHand);
      const stale = cached.filter((row) => !levels.has(key(row))).map((row): [string, string] => [row.productId, row.locationId]);
      // A first start writes every product × location: in slices, not one long task (issue 19).
      await bulkPutInSlices(this.db.stock, changed);
      if (stale.length > 0) await this.db.stock.bulkDelete(stale);
    };
    this.caching = this.caching.then(repair).catch((error: unknown) => console.error('The on-hand cache could not be rebuilt; the next start tries again.', error));
    return this.caching;
  }

  /**
   * Folds a page this context has just pulled and stored, from memory (src/sync/pull.ts
   * OnPageStored): reading back what was just written cost a new device of a big store about a
   * tenth of its first sync. Pages come in cursor order, so once this one is folded none before it
   * is missing; a refresh running meanwhile applies nothing twice (the books skip known ids).
   */
  async applyPulled(events: readonly LedgerEvent[], cursor: number, options: { morePages?: boolean } = {}): Promise<void> {
    // One id lookup per event: `apply` skips what the books have (a page a refresh folded first).
    const fresh = events.filter((e) => this.booksValue.apply(e).status === 'applied');
    if (cursor > this.lastPage) this.lastPage = cursor;
    if (fresh.length === 0) return;
    await this.repairCaches(fresh, { onHandSoon: options.morePages === true });
    this.notify(fresh);
  }

  /** Folds in events that reached the local ledger from elsewhere (a pull, another tab). */
  refresh(): Promise<void> {
    this.refreshing ??= this.refreshNow().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async refreshNow(): Promise<void> {
    // Own events (another tab's sales) are one row each; pulled ones only in pages not folded yet.
    const [own, pages] = await this.db.transaction('r', this.db.events, this.db.pulled, () =>
      Promise.all([this.db.events.toArray(), this.db.pulled.where('cursor').above(this.lastPage).toArray()]),
    );
    const fresh = [...own, ...(await eventsOfPages(pages))].filter((e) => !this.booksValue.has(e.id));
    const newest = pages[pages.length - 1];
    // Pages may have been folded from memory (applyPulled) while these were read: never step back.
    if (newest && newest.cursor > this.lastPage) this.lastPage = newest.cursor;
    if (fresh.length === 0) return;
    for (const event of fresh) this.booksValue.apply(event);
    await this.repairCaches(fresh);
    this.notify(fresh);
  }

  /**
   * Brings the on-hand cache, the catalog and the locations table in line with the books for what
   * `events` touched (the on-hand cache whole: a late event can change any quantity).
   */
  private async repairCaches(events: LedgerEvent[], options: { onHandSoon?: boolean } = {}): Promise<void> {
    // Products first: a device that shows what it pulled (the store's settings, its stock) must
    // already find those products when the next barcode is scanned.
    await this.repairCatalog(events);
    if (events.some((e) => e.kind === 'location-defined')) await this.repairLocations(events);
    if (events.some((e) => e.kind === 'store-settings-changed')) await this.repairStoreSettings();
    if (options.onHandSoon) this.repairOnHandSoon();
    else await this.repairOnHand();
  }

  /**
   * The on-hand cache's rewrite while a pull has more pages to come: at most once every
   * PULL_ON_HAND_INTERVAL_MS, the last one at most that long after the page that asked. Each
   * rewrite reads and writes every product × location; once per page of a 1,000,000-event first
   * sync that cost the page 5 s (bench/README.md). The books are folded at once all the same, and
   * the last page of a run rewrites the cache at once.
   */
  private repairOnHandSoon(): void {
    if (this.onHandTimer !== null) return;
    const wait = this.lastOnHandRepairAt + PULL_ON_HAND_INTERVAL_MS - Date.now();
    if (wait <= 0) {
      void this.repairOnHand();
      return;
    }
    this.onHandTimer = setTimeout(() => {
      this.onHandTimer = null;
      void this.repairOnHand();
    }, wait);
  }

  /** Writes the products `events` define or change into the stored catalog and the in-memory index. */
  private async repairCatalog(events: LedgerEvent[]): Promise<void> {
    const products = new Map<string, ProductSnapshot>();
    for (const event of events) {
      // A change to a product these events did not define changes the one the device already has.
      if (event.kind === 'product-changed' && !products.has(event.productId)) {
        const known = this.catalog.get(event.productId);
        if (known) products.set(known.id, known);
      }
      applyCatalogEvent(products, event);
    }
    const changedProducts = [...products.values()].filter((p) => JSON.stringify(this.catalog.get(p.id)) !== JSON.stringify(p));
    if (changedProducts.length === 0) return;
    const placed = await this.db.transaction('rw', this.db.catalogChunks, () => storeProducts(this.db, changedProducts, this.catalog));
    for (const product of changedProducts) this.catalog.put(product, placed.get(product.id));
  }

  /**
   * Writes the books' locations where the table differs: one this device just defined or renamed,
   * one pulled from the owner's device, or a rename that sorts later in ledger order.
   */
  async repairLocations(events: LedgerEvent[]): Promise<void> {
    const storeIds = new Map(events.flatMap((e) => (e.kind === 'location-defined' ? [[e.location.id, e.storeId] as const] : [])));
    await this.db.transaction('rw', this.db.locations, async () => {
      const stored = await this.db.locations.toArray();
      const byId = new Map(stored.map((row) => [row.id, row]));
      const fallbackStoreId = stored[0]?.storeId ?? DEMO_STORE_ID;
      const changed: LocationRow[] = this.booksValue
        .locations()
        .filter((l) => byId.get(l.id)?.name !== l.name)
        .map((l) => ({ ...l, storeId: byId.get(l.id)?.storeId ?? storeIds.get(l.id) ?? fallbackStoreId }));
      if (changed.length > 0) await this.db.locations.bulkPut(changed);
    });
  }

  /** Writes the books' store settings to meta 'storeSettings' when the cached ones differ. */
  async repairStoreSettings(): Promise<void> {
    const settings = this.booksValue.storeSettings();
    const cached = await getMeta<StoreSettings>(this.db, 'storeSettings');
    if (JSON.stringify(cached) !== JSON.stringify(settings)) await setMeta(this.db, 'storeSettings', settings);
  }

  private notify(applied: readonly LedgerEvent[]): void {
    for (const listener of this.listeners) listener(applied);
  }
}
