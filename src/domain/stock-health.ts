/**
 * Stock health and shrinkage (issue 15, item 1): what the owner's Today screen says about the stock,
 * computed from the books and a `now` given by the caller (no clock here).
 *
 * Definitions (each figure is per product × location unless it says otherwise):
 * - **Value at cost**: the books' valuation of the stream (FIFO layers or moving average, less the
 *   provisional value of any oversold units): per location it sums to that location's share of the
 *   Inventory account.
 * - **Out of stock**: on hand exactly 0 at a location where the product has had stock movements
 *   (received, counted, sold…): a product never stocked there is not "out".
 * - **Oversold**: on hand below 0; the books value the shortfall provisionally and the next delivery
 *   trues it up (`Valuation.oversoldQty`).
 * - **Sold** over a window: the units of the sale lines recorded in the window at that location,
 *   minus the units returned there in the window (whichever sale they came from); a voided sale is
 *   left out whenever its void was recorded. Below 0 (more returned than sold) counts as 0.
 * - **Average daily sales**: sold over the last `coverDays` (28) days ÷ `coverDays`.
 * - **Days of cover**: on hand ÷ average daily sales; undefined ("no sales") when the average is 0,
 *   and 0 when nothing is on hand.
 * - **Sell-through**: sold ÷ (sold + on hand) over the same window, a fraction 0…1; undefined when
 *   both are 0. Negative on hand counts as 0.
 * - **Slow mover**: on hand above 0 and a sell-through over the last `slowMoverDays` (30) days below
 *   `slowMoverSellThrough` (20 %): in a month it sold less than a quarter of what is still there.
 * - **ABC** (per product, all locations together): net revenue excl. tax over the last `abcDays` (56,
 *   8 weeks): sale lines' `net` minus returns' refund less their tax, voided sales left out. Products
 *   sorted by revenue, highest first (ties: by product id). A product is A while the revenue of the
 *   products before it is under 80 % of the total, B while under 95 %, else C; a product with no
 *   (or negative) revenue is C. Tie rule: a product with the same revenue as the one before it takes
 *   that one's class, so equal revenues never fall into different classes.
 * - **Shrinkage** for a period: count variances (the books' adjustment of each counted line: counted
 *   − on hand, valued at cost), stock adjustments by reason, and returned goods written off, each
 *   with its quantity (negative: goods lost) and its value at cost (negative: value lost).
 *
 * Dates: a window is the events whose `recordedAt` lies in [now − days, now]; a shrinkage period is
 * [from, to). Both are instants, so the caller turns "today" into the store's midnight.
 *
 * Speed (the owner benchmark: 10,000 products × 2 locations, 1,000,000 events): one walk over the
 * newest events only (`Books.eventsSince`, from a day before the earliest window: an HLC is never
 * behind the wall clock its device recorded `recordedAt` from), comparing `recordedAt` as strings,
 * and one read of the stock levels. No per-product scan of the ledger.
 */
import type { Books, Valuation } from './books/index.ts';
import type { Period } from './business-periods.ts';
import type { EventOf, LedgerEvent, Minor } from './events.ts';
import { compareEvents, compareStrings } from './order.ts';

export const DAY_MS = 86_400_000;

export interface StockHealthOptions {
  /** Window of the average daily sales, days of cover and sell-through. */
  coverDays: number;
  /** Window of the slow-mover test. */
  slowMoverDays: number;
  /** A product × location selling through less than this fraction in `slowMoverDays` is a slow mover. */
  slowMoverSellThrough: number;
  /** Window of the ABC classes. */
  abcDays: number;
}

export const DEFAULT_STOCK_HEALTH_OPTIONS: StockHealthOptions = {
  coverDays: 28,
  slowMoverDays: 30,
  slowMoverSellThrough: 0.2,
  abcDays: 56,
};

export type AbcClass = 'A' | 'B' | 'C';

/** One product at one location. */
export interface StockHealthLine {
  productId: string;
  locationId: string;
  onHand: number;
  /** At cost, whole minor units (negative when oversold beyond the layers' value). */
  value: Minor;
  /** Units sold beyond stock, waiting for a delivery. */
  oversoldQty: number;
  /** Sold over the last `coverDays`, net of returns, never below 0. */
  sold: number;
  averageDailySales: number;
  daysOfCover: number | undefined;
  sellThrough: number | undefined;
  /** Sold over the last `slowMoverDays`, net of returns, never below 0. */
  soldForSlowMover: number;
  slowMover: boolean;
  abc: AbcClass;
}

export interface LocationValue {
  locationId: string;
  value: Minor;
}

export interface AbcProduct {
  productId: string;
  /** Net revenue excl. tax over the last `abcDays`. */
  revenue: Minor;
  abc: AbcClass;
}

export interface StockHealth {
  /** Value at cost per location that has stock streams, sorted by location id. */
  locations: LocationValue[];
  totalValue: Minor;
  /** Every product × location with stock movements, sorted by product, then location. */
  lines: StockHealthLine[];
  outOfStock: StockHealthLine[];
  oversold: StockHealthLine[];
  slowMovers: StockHealthLine[];
  /** Every product with stock movements or revenue, highest revenue first. */
  abc: AbcProduct[];
  abcCounts: Record<AbcClass, number>;
}

/** What the Today screen's tiles show: the figures without the lists behind them. */
export interface StockHealthSummary {
  locations: LocationValue[];
  totalValue: Minor;
  outOfStock: number;
  oversold: number;
  slowMovers: number;
  abcCounts: Record<AbcClass, number>;
}

/** The tiles' figures of a full stock health. */
export function summaryOf(health: StockHealth): StockHealthSummary {
  const { locations, totalValue, abcCounts } = health;
  return { locations, totalValue, outOfStock: health.outOfStock.length, oversold: health.oversold.length, slowMovers: health.slowMovers.length, abcCounts };
}

/** Units sold per product × location, and revenue per product, over the windows. */
interface SalesWindows {
  soldForCover: Map<string, number>;
  soldForSlowMover: Map<string, number>;
  revenue: Map<string, Minor>;
}

const key = (productId: string, locationId: string): string => `${productId}\u0000${locationId}`;

/**
 * The events that may have been recorded at or after `fromMs`, in ledger order: those stamped no
 * earlier than a day before it. A device's HLC is never behind the clock its `recordedAt` came from;
 * the day's margin is for events stamped elsewhere. Each caller still checks `recordedAt`.
 */
function eventsFrom(books: Books, fromMs: number): LedgerEvent[] {
  const wallMs = Math.max(0, fromMs - DAY_MS);
  // An HLC starts with its wall time in 15 digits (hlc.ts): that prefix sorts like the stamps.
  return books.eventsSince(String(wallMs).padStart(15, '0'));
}

/**
 * An instant as a string that sorts like time: `recordedAt` itself when the device wrote it as
 * `toISOString` does (every device of this app), else the same instant in that form.
 */
function instantKey(recordedAt: string): string {
  return recordedAt.length === 24 && recordedAt.endsWith('Z') ? recordedAt : new Date(Date.parse(recordedAt)).toISOString();
}

const isoOf = (ms: number): string => new Date(ms).toISOString();

function add(map: Map<string, number>, k: string, amount: number): void {
  map.set(k, (map.get(k) ?? 0) + amount);
}

function salesWindows(books: Books, nowMs: number, options: StockHealthOptions): SalesWindows {
  const coverFrom = nowMs - options.coverDays * DAY_MS;
  const slowFrom = nowMs - options.slowMoverDays * DAY_MS;
  const abcFrom = nowMs - options.abcDays * DAY_MS;
  const windows: SalesWindows = { soldForCover: new Map(), soldForSlowMover: new Map(), revenue: new Map() };
  const [coverKey, slowKey, abcKey, nowKey] = [coverFrom, slowFrom, abcFrom, nowMs].map(isoOf) as [string, string, string, string];
  const recent = eventsFrom(books, Math.min(coverFrom, slowFrom, abcFrom));
  // A void always follows its sale in ledger order, so walking backwards meets it first.
  const voided = new Set<string>();
  for (let i = recent.length - 1; i >= 0; i--) {
    const event = recent[i] as LedgerEvent;
    if (event.kind === 'sale-voided') {
      voided.add(event.saleId);
      continue;
    }
    if (event.kind !== 'sale' && event.kind !== 'return') continue;
    if (event.kind === 'sale' && voided.has(event.id)) continue;
    const at = instantKey(event.recordedAt);
    if (at > nowKey || at < abcKey) continue;
    const sign = event.kind === 'sale' ? 1 : -1;
    for (const line of event.lines) {
      const k = key(line.productId, event.locationId);
      if (at >= coverKey) add(windows.soldForCover, k, sign * line.qty);
      if (at >= slowKey) add(windows.soldForSlowMover, k, sign * line.qty);
      add(windows.revenue, line.productId, 'net' in line ? line.net : -(line.refund - line.tax));
    }
  }
  return windows;
}

/** Highest revenue first; equal revenues by product id. */
const byRevenue = (a: { productId: string; revenue: Minor }, b: { productId: string; revenue: Minor }): number =>
  b.revenue - a.revenue || compareStrings(a.productId, b.productId);

/**
 * Visits products already sorted `byRevenue` with their class (see the definitions at the top),
 * allocating nothing: the tracker walks 10,000 products after every sale.
 */
function walkClasses(products: readonly { productId: string; revenue: Minor }[], visit: (productId: string, revenue: Minor, abc: AbcClass) => void): void {
  let total = 0;
  for (const p of products) if (p.revenue > 0) total += p.revenue;
  let before = 0;
  let previous: { revenue: Minor; abc: AbcClass } | undefined;
  for (const p of products) {
    let abc: AbcClass;
    if (previous !== undefined && previous.revenue === p.revenue) abc = previous.abc;
    // Whole minor units: compared as integers, so 80 % is exactly 80 %.
    else if (p.revenue <= 0) abc = 'C';
    else if (before * 100 < total * 80) abc = 'A';
    else if (before * 100 < total * 95) abc = 'B';
    else abc = 'C';
    visit(p.productId, p.revenue, abc);
    before += Math.max(p.revenue, 0);
    if (previous === undefined) previous = { revenue: p.revenue, abc };
    else {
      previous.revenue = p.revenue;
      previous.abc = abc;
    }
  }
}

/** The classes of products already sorted `byRevenue`. */
function classify(products: readonly { productId: string; revenue: Minor }[]): AbcProduct[] {
  const classed: AbcProduct[] = [];
  walkClasses(products, (productId, revenue, abc) => classed.push({ productId, revenue, abc }));
  return classed;
}

/** ABC classes by revenue (see the definitions at the top). */
export function abcClasses(revenueByProduct: ReadonlyMap<string, Minor>): AbcProduct[] {
  const products = [...revenueByProduct].map(([productId, revenue]) => ({ productId, revenue }));
  return classify(products.sort(byRevenue));
}

/** Where `item` is, or would go, in a list sorted `byRevenue` (binary search). */
function rankOf(ranked: readonly { productId: string; revenue: Minor }[], item: { productId: string; revenue: Minor }): number {
  let low = 0;
  let high = ranked.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (byRevenue(ranked[middle] as { productId: string; revenue: Minor }, item) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Days of cover: on hand ÷ average daily sales (see the definitions at the top). */
export function daysOfCover(onHand: number, averageDailySales: number): number | undefined {
  if (onHand <= 0) return 0;
  return averageDailySales > 0 ? onHand / averageDailySales : undefined;
}

/** Sell-through: sold ÷ (sold + on hand), negative figures counted as 0. */
export function sellThrough(sold: number, onHand: number): number | undefined {
  const s = Math.max(sold, 0);
  const total = s + Math.max(onHand, 0);
  return total > 0 ? s / total : undefined;
}

/** One product × location's line from its stock level, the sales windows and its ABC class. */
function healthLine(level: Valuation, windows: SalesWindows, options: StockHealthOptions, abc: AbcClass): StockHealthLine {
  const k = key(level.productId, level.locationId);
  const sold = Math.max(windows.soldForCover.get(k) ?? 0, 0);
  const soldForSlowMover = Math.max(windows.soldForSlowMover.get(k) ?? 0, 0);
  const averageDailySales = sold / options.coverDays;
  const slowThrough = sellThrough(soldForSlowMover, level.qty);
  return {
    productId: level.productId,
    locationId: level.locationId,
    onHand: level.qty,
    value: level.value,
    oversoldQty: level.oversoldQty,
    sold,
    averageDailySales,
    daysOfCover: daysOfCover(level.qty, averageDailySales),
    sellThrough: sellThrough(sold, level.qty),
    soldForSlowMover,
    slowMover: level.qty > 0 && slowThrough !== undefined && slowThrough < options.slowMoverSellThrough,
    abc,
  };
}

/** Revenue per product for ABC: every stocked product (0 without sales), then the window's revenue. */
function revenueForAbc(levels: Iterable<Valuation>, windows: SalesWindows): Map<string, Minor> {
  const revenue = new Map<string, Minor>();
  for (const level of levels) revenue.set(level.productId, 0);
  for (const [productId, amount] of windows.revenue) revenue.set(productId, amount);
  return revenue;
}

/** The figures over all lines (in stock-level order: product, then location). */
function assemble(lines: StockHealthLine[], abc: AbcProduct[]): StockHealth {
  const valueByLocation = new Map<string, Minor>();
  for (const line of lines) add(valueByLocation, line.locationId, line.value);
  const locations = [...valueByLocation]
    .map(([locationId, value]) => ({ locationId, value }))
    .sort((a, b) => compareStrings(a.locationId, b.locationId));
  const abcCounts: Record<AbcClass, number> = { A: 0, B: 0, C: 0 };
  for (const p of abc) abcCounts[p.abc]++;
  return {
    locations,
    totalValue: locations.reduce((sum, l) => sum + l.value, 0),
    lines,
    outOfStock: lines.filter((l) => l.onHand === 0),
    oversold: lines.filter((l) => l.onHand < 0),
    slowMovers: lines.filter((l) => l.slowMover),
    abc,
    abcCounts,
  };
}

/** The stock's health as at `nowMs` (ms since the epoch). */
export function stockHealth(books: Books, nowMs: number, options: StockHealthOptions = DEFAULT_STOCK_HEALTH_OPTIONS): StockHealth {
  const windows = salesWindows(books, nowMs, options);
  const levels: Valuation[] = books.stockLevels();
  const abc = abcClasses(revenueForAbc(levels, windows));
  const classOf = new Map(abc.map((p) => [p.productId, p.abc]));
  return assemble(
    levels.map((level) => healthLine(level, windows, options, classOf.get(level.productId) ?? 'C')),
    abc,
  );
}

/**
 * Kinds that move no stock and earn no revenue: the tracker only notes them as the newest event.
 * Any kind not listed here and not a sale, return or void (a delivery, a count, a transfer, a change
 * of valuation method…) makes it rebuild, so a kind added later is safe by default.
 */
const NO_STOCK_EFFECT: ReadonlySet<string> = new Set([
  'product-defined',
  'products-defined',
  'product-changed',
  'location-defined',
  'purchase-order-created',
  'purchase-order-closed',
  'count-session-opened',
  'count-recorded',
  'shift-opened',
  'cash-moved',
  'shift-closed',
]);

/** Places in the lines list, kept sorted, so a flagged list comes out in the lines' order unsorted. */
class SortedPlaces {
  readonly list: number[] = [];

  /** Adds or removes place `i`: a binary search and at most one splice. */
  mark(i: number, on: boolean): void {
    let low = 0;
    let high = this.list.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.list[middle] as number) < i) low = middle + 1;
      else high = middle;
    }
    const present = this.list[low] === i;
    if (on && !present) this.list.splice(low, 0, i);
    else if (!on && present) this.list.splice(low, 1);
  }
}

/**
 * The stock's health kept up to date as events arrive (the Today screen; the owner benchmark's
 * "each later sale in < 5 ms"). A sale, return or void that lands at the end of the ledger updates
 * only its products' lines, the windows' tallies and the ABC classes. Everything else rebuilds from
 * the books: a late event (it may re-cost streams that read from its own, e.g. through a transfer),
 * a delivery, count or transfer, a stream the books did not have, and the windows sliding (after
 * `REBUILD_AFTER_MS`, or a clock that went back).
 *
 * Between rebuilds the windows keep the start they had at the last rebuild and also count events
 * recorded after it: `health` equals `stockHealth(books, anchorMs)` for a ledger whose events were
 * recorded no later than the anchor (tests/domain/stock-health-tracker.property.test.ts).
 */
export class StockHealthTracker {
  static readonly REBUILD_AFTER_MS = 3_600_000;
  private anchorMs = 0;
  private windows: SalesWindows = { soldForCover: new Map(), soldForSlowMover: new Map(), revenue: new Map() };
  private windowKeys = { cover: '', slow: '', abc: '' };
  /** Stock level per product × location, in the books' order (product, then location). */
  private levels = new Map<string, Valuation>();
  /** The lines in the books' order, each key's place in it, and what the figures over them need. */
  private lineList: StockHealthLine[] = [];
  private indexOf = new Map<string, number>();
  private valueByLocation = new Map<string, Minor>();
  private flagged = { outOfStock: new SortedPlaces(), oversold: new SortedPlaces(), slowMovers: new SortedPlaces() };
  private keysOfProduct = new Map<string, string[]>();
  private classOf = new Map<string, AbcClass>();
  /** Revenue per product for ABC, and the products sorted `byRevenue`: a sale moves one entry. */
  private revenue = new Map<string, Minor>();
  private ranked: { productId: string; revenue: Minor }[] = [];
  private dirty = new Set<string>();
  private newest: LedgerEvent | undefined;
  private cached: StockHealth | undefined;
  private cachedSummary: StockHealthSummary | undefined;

  constructor(
    private readonly books: Books,
    nowMs: number,
    private readonly options: StockHealthOptions = DEFAULT_STOCK_HEALTH_OPTIONS,
  ) {
    this.rebuild(nowMs);
  }

  /** How many times the tracker computed everything from the books (the tests check it follows sales without). */
  rebuilds = 0;

  /** When the windows were last computed from the books. */
  get anchor(): number {
    return this.anchorMs;
  }

  /** Follows the events the books just applied (any order; already in the books). */
  apply(applied: readonly LedgerEvent[], nowMs: number): void {
    if (nowMs < this.anchorMs || nowMs - this.anchorMs >= StockHealthTracker.REBUILD_AFTER_MS) return this.rebuild(nowMs);
    for (const event of [...applied].sort(compareEvents)) {
      if (!this.follow(event)) return this.rebuild(nowMs);
    }
  }

  /** The tiles' figures: after a sale, a walk over the products' classes and nothing re-sorted or copied. */
  summary(): StockHealthSummary {
    if (this.cachedSummary) return this.cachedSummary;
    const abcCounts = this.settle();
    const locations = [...this.valueByLocation]
      .map(([locationId, value]) => ({ locationId, value }))
      .sort((a, b) => compareStrings(a.locationId, b.locationId));
    this.cachedSummary = {
      locations,
      totalValue: locations.reduce((sum, l) => sum + l.value, 0),
      outOfStock: this.flagged.outOfStock.list.length,
      oversold: this.flagged.oversold.list.length,
      slowMovers: this.flagged.slowMovers.list.length,
      abcCounts,
    };
    return this.cachedSummary;
  }

  /** Every line and list (a list the owner opens). */
  health(): StockHealth {
    if (this.cached) return this.cached;
    const { locations, totalValue, abcCounts } = this.summary();
    const pick = (places: SortedPlaces) => places.list.map((i) => this.lineList[i] as StockHealthLine);
    this.cached = {
      locations,
      totalValue,
      lines: this.lineList.slice(),
      outOfStock: pick(this.flagged.outOfStock),
      oversold: pick(this.flagged.oversold),
      slowMovers: pick(this.flagged.slowMovers),
      abc: classify(this.ranked),
      abcCounts,
    };
    return this.cached;
  }

  /** Brings the classes and the changed lines up to date; the class counts. */
  private settle(): Record<AbcClass, number> {
    const abcCounts: Record<AbcClass, number> = { A: 0, B: 0, C: 0 };
    walkClasses(this.ranked, (productId, _revenue, abc) => {
      abcCounts[abc]++;
      if (this.classOf.get(productId) === abc) return;
      this.classOf.set(productId, abc);
      for (const k of this.keysOfProduct.get(productId) ?? []) this.dirty.add(k);
    });
    for (const k of this.dirty) {
      const level = this.levels.get(k) as Valuation;
      this.setLine(k, healthLine(level, this.windows, this.options, this.classOf.get(level.productId) ?? 'C'));
    }
    this.dirty.clear();
    return abcCounts;
  }

  /** Puts a line in its place and keeps the location totals and the flagged lists in step. */
  private setLine(k: string, line: StockHealthLine): void {
    const i = this.indexOf.get(k) as number;
    const old = this.lineList[i];
    if (old) add(this.valueByLocation, old.locationId, -old.value);
    add(this.valueByLocation, line.locationId, line.value);
    this.lineList[i] = line;
    this.flagged.outOfStock.mark(i, line.onHand === 0);
    this.flagged.oversold.mark(i, line.onHand < 0);
    this.flagged.slowMovers.mark(i, line.slowMover);
  }

  private rebuild(nowMs: number): void {
    this.rebuilds++;
    this.anchorMs = nowMs;
    this.windows = salesWindows(this.books, nowMs, this.options);
    const isoFrom = (days: number) => isoOf(nowMs - days * DAY_MS);
    this.windowKeys = { cover: isoFrom(this.options.coverDays), slow: isoFrom(this.options.slowMoverDays), abc: isoFrom(this.options.abcDays) };
    this.levels = new Map();
    this.keysOfProduct = new Map();
    this.indexOf = new Map();
    for (const level of this.books.stockLevels()) {
      const k = key(level.productId, level.locationId);
      this.indexOf.set(k, this.levels.size);
      this.levels.set(k, level);
      const keys = this.keysOfProduct.get(level.productId);
      if (keys) keys.push(k);
      else this.keysOfProduct.set(level.productId, [k]);
    }
    // Filled by `health`: `dirty` holds every key.
    this.lineList = new Array<StockHealthLine>(this.levels.size);
    this.valueByLocation = new Map();
    this.flagged = { outOfStock: new SortedPlaces(), oversold: new SortedPlaces(), slowMovers: new SortedPlaces() };
    this.classOf = new Map();
    this.revenue = revenueForAbc(this.levels.values(), this.windows);
    this.ranked = [...this.revenue].map(([productId, revenue]) => ({ productId, revenue })).sort(byRevenue);
    this.dirty = new Set(this.levels.keys());
    this.newest = this.books.newestEvent();
    this.cached = undefined;
    this.cachedSummary = undefined;
  }

  /** Takes one appended event into the tallies; false when only a rebuild can. */
  private follow(event: LedgerEvent): boolean {
    if (this.newest !== undefined && compareEvents(event, this.newest) <= 0) return false;
    this.newest = event;
    if (NO_STOCK_EFFECT.has(event.kind)) return true;
    this.cached = undefined;
    this.cachedSummary = undefined;
    if (event.kind === 'sale' || event.kind === 'return') {
      this.tally(event, event.kind === 'sale' ? 1 : -1);
      return event.lines.every((line) => this.refresh(line.productId, event.locationId));
    }
    if (event.kind === 'sale-voided') {
      const sale = this.books.getEvent(event.saleId);
      if (sale?.kind !== 'sale') return true;
      // Only a sale's first void (in ledger order) takes it out; a later one changes nothing. The
      // books may already hold a later void of the same batch.
      const earlierVoid = this.books.eventsFor('sale', sale.id).some((e) => e.kind === 'sale-voided' && compareEvents(e, event) < 0);
      if (!earlierVoid) this.tally(sale, -1);
      return sale.lines.every((line) => this.refresh(line.productId, sale.locationId) && this.refresh(line.productId, event.locationId));
    }
    return false;
  }

  /** Adds (or takes out) a sale's or return's lines in the windows it was recorded in. */
  private tally(event: EventOf<'sale'> | EventOf<'return'>, sign: 1 | -1): void {
    const at = instantKey(event.recordedAt);
    if (at < this.windowKeys.abc) return;
    for (const line of event.lines) {
      const k = key(line.productId, event.locationId);
      if (at >= this.windowKeys.cover) add(this.windows.soldForCover, k, sign * line.qty);
      if (at >= this.windowKeys.slow) add(this.windows.soldForSlowMover, k, sign * line.qty);
      const amount = sign * ('net' in line ? line.net : line.refund - line.tax);
      add(this.windows.revenue, line.productId, amount);
      this.rerank(line.productId, amount);
    }
  }

  /** Moves a product to its new place by revenue: two binary searches, not a sort of every product. */
  private rerank(productId: string, amount: Minor): void {
    const before = this.revenue.get(productId);
    const after = (before ?? 0) + amount;
    this.revenue.set(productId, after);
    if (before !== undefined) this.ranked.splice(rankOf(this.ranked, { productId, revenue: before }), 1);
    const entry = { productId, revenue: after };
    this.ranked.splice(rankOf(this.ranked, entry), 0, entry);
  }

  /** Re-reads one stream's stock level; false for a stream the tracker did not have. */
  private refresh(productId: string, locationId: string): boolean {
    const k = key(productId, locationId);
    if (!this.levels.has(k)) return false;
    this.levels.set(k, this.books.valuationOf(productId, locationId));
    this.dirty.add(k);
    return true;
  }
}

// ---- shrinkage -----------------------------------------------------------------------------------

export type ShrinkageReason = 'count' | 'damage' | 'theft' | 'expiry' | 'found' | 'correction' | 'return-write-off';

export const SHRINKAGE_REASONS: readonly ShrinkageReason[] = ['count', 'damage', 'theft', 'expiry', 'found', 'correction', 'return-write-off'];

const SHRINKAGE_KINDS: ReadonlySet<LedgerEvent['kind']> = new Set(['stock-counted', 'count-session-approved', 'stock-adjusted', 'return']);

export interface ShrinkageLine {
  eventId: string;
  recordedAt: string;
  reason: ShrinkageReason;
  productId: string;
  locationId: string;
  /** Signed: negative when goods were lost (a count short, damage), positive when found. */
  qty: number;
  /** Signed, at cost, whole minor units. */
  value: Minor;
}

export interface ShrinkageByReason {
  reason: ShrinkageReason;
  /** Lines of that reason in the period. */
  lines: number;
  /** Signed sum of the quantities (in each product's own unit). */
  qty: number;
  value: Minor;
}

export interface Shrinkage {
  /** In ledger order. */
  lines: ShrinkageLine[];
  /** Every reason, in `SHRINKAGE_REASONS` order, with zeros for those without lines. */
  byReason: ShrinkageByReason[];
  /** The net value lost (negative) or found (positive). */
  totalValue: Minor;
}

/** Count variances, adjustments by reason and returns written off, recorded in `period`. */
export function shrinkage(books: Books, period: Period): Shrinkage {
  const lines: ShrinkageLine[] = [];
  const [fromKey, toKey] = [isoOf(period.fromMs), isoOf(period.toMs)];
  for (const event of eventsFrom(books, period.fromMs)) {
    if (!SHRINKAGE_KINDS.has(event.kind)) continue;
    const at = instantKey(event.recordedAt);
    if (at < fromKey || at >= toKey) continue;
    const base = { eventId: event.id, recordedAt: event.recordedAt, locationId: event.locationId };
    if (event.kind === 'stock-counted' || event.kind === 'count-session-approved' || event.kind === 'stock-adjusted') {
      const reason = event.kind === 'stock-adjusted' ? event.reason : 'count';
      // The books know the adjustment each line made (counted − on hand) and its cost.
      for (const outcome of books.entryOutcomesOf(event.id)) {
        if (outcome.qty === 0 && outcome.value === 0) continue;
        lines.push({ ...base, reason, productId: outcome.productId, qty: outcome.qty, value: outcome.value });
      }
    } else if (event.kind === 'return') {
      // One entry per return line, in line order: a written-off line's cost moves to shrinkage.
      const outcomes = books.entryOutcomesOf(event.id);
      event.lines.forEach((line, i) => {
        const outcome = outcomes[i];
        if (line.disposition !== 'write-off' || outcome?.productId !== line.productId) return;
        lines.push({ ...base, reason: 'return-write-off', productId: line.productId, qty: -line.qty, value: -outcome.amount });
      });
    }
  }
  const byReason = SHRINKAGE_REASONS.map((reason) => {
    const ofReason = lines.filter((l) => l.reason === reason);
    return {
      reason,
      lines: ofReason.length,
      qty: ofReason.reduce((sum, l) => sum + l.qty, 0),
      value: ofReason.reduce((sum, l) => sum + l.value, 0),
    };
  });
  return { lines, byReason, totalValue: lines.reduce((sum, l) => sum + l.value, 0) };
}
