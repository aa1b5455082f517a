/**
 * The replenishment planner (issue 16): from the books, each product × location's demand history,
 * forecast, lead time and levels, and the suggested transfers and purchases, kept up to date event by
 * event.
 *
 * A series is a product × location with stock entries, a pinned level, goods on order or goods in
 * transit to it. For each:
 * - history (demand-history.ts) → forecast (`forecastSeries`, `FORECAST_HORIZON` days, weekly season);
 *   a series that never had demand in the window gets no forecast, said plainly;
 * - lead time of the product's default supplier (lead-times.ts);
 * - computed levels (`policyLevels`, reviewed daily, at the store's service level); the owner's pins
 *   (`reorder-levels-set`) override either number, and the computed one moves so that
 *   orderUpTo ≥ reorderPoint;
 * - on hand, on order (open purchase orders for that location) and in transit to it.
 * Suggestions (suggestions.ts) are kept per product and worked out again, when the plan is asked for,
 * for the products whose series or terms changed since the last plan.
 *
 * Incremental: `update` re-forecasts only the series whose stock entries the applied events touched;
 * events that change levels but not demand (settings, lead times, pins, catalog) recompute the levels
 * of the series concerned from their kept history and forecast. A new business date (or time zone)
 * recomputes everything, since every series' window moves.
 */
import type { Books } from '../books/index.ts';
import { StoreClock } from '../calendar.ts';
import { applyCatalogEvent } from '../catalog-events.ts';
import type { EventOf, LedgerEvent, ProductSnapshot, StoreSettings } from '../events.ts';
import { forecastSeries } from '../forecasting/index.ts';
import type { Forecast } from '../forecasting/types.ts';
import { compareEvents, compareStrings } from '../order.ts';
import { purchaseOrder } from '../purchase-orders.ts';
import { reorderKey } from '../reorder-levels.ts';
import { insertSorted } from '../books/event-index.ts';
import { BusinessDays, DemandReader, HISTORY_DAYS } from './demand-history.ts';
import { learnedLeadTimes, leadTimeOf, leadTimeOverrides, type LearnedLeadTime } from './lead-times.ts';
import { policyLevels } from './policy.ts';
import { assemble, suggestForProduct, type ProductSuggestions, type ProductTerms } from './suggestions.ts';
import type { DemandHistory, LeadTime, PolicyLevels, ReplenishmentPlan, SeriesPlan } from './types.ts';

export type * from './types.ts';

/**
 * Days forecast ahead: four weeks, beyond the store's default lead time (7 days) plus a day's review
 * for nearly every supplier, and a month for the screen to show. The policy reads what it needs of it.
 */
export const FORECAST_HORIZON = 28;
/** A weekly profile for daily series (the forecaster decides whether the history shows one). */
export const SEASON_LENGTH = 7;

const NO_DEMAND = `No sales here in the last ${HISTORY_DAYS} days: nothing to forecast from, so no level is computed (pin one by hand to be reminded).`;

/** What the planner keeps per series: the history and forecast are reused until stock moves there. */
interface SeriesState {
  history: DemandHistory | undefined;
  forecast: Forecast;
  plan: SeriesPlan;
}

/** What the last `update` recomputed, for the benchmark and the tests. */
export interface UpdateStats {
  /** Series whose history was read again and forecast again. */
  reforecast: number;
  /** Series whose levels, position or terms were recomputed from the kept forecast. */
  relevelled: number;
  /** True when everything was recomputed (a new business date or time zone). */
  rebuilt: boolean;
}

const CATALOG_KINDS: ReadonlySet<string> = new Set(['product-defined', 'products-defined', 'product-changed']);

export class ReplenishmentPlanner {
  private clock!: StoreClock;
  /** The store's settings, read again when they change (a fold of the owner's changes each time). */
  private settings!: StoreSettings;
  private days!: BusinessDays;
  private reader!: DemandReader;
  private asOf = '';
  private asOfDay = 0;
  /** Catalog events per product, in ledger order, and the product they make. */
  private catalogEvents = new Map<string, LedgerEvent[]>();
  private products = new Map<string, ProductSnapshot>();
  /** The latest goods received per product in ledger order, and its unit cost. */
  private lastReceipt = new Map<string, { event: LedgerEvent; unitCost: number }>();
  private leadTimeSets: LedgerEvent[] = [];
  private overrides = new Map<string, number>();
  private learned = new Map<string, LearnedLeadTime>();
  /** Outstanding per open purchase order, by series key; and their sum per series key. */
  private onOrderByOrder = new Map<string, Map<string, number>>();
  private onOrder = new Map<string, number>();
  private inTransit = new Map<string, number>();
  /** Series keys with stock entries (streams never go away). */
  private stocked = new Set<string>();
  private series = new Map<string, SeriesState>();
  private locationsOf = new Map<string, Set<string>>();
  /** Each product's suggestions, worked out again for the products whose series or terms changed. */
  private suggestionsOf = new Map<string, ProductSuggestions>();
  private dirtyProducts = new Set<string>();
  /** Series keys in the plan's order (product name, product, location); undefined when it must be sorted again. */
  private order: string[] | undefined;
  private cachedPlan: ReplenishmentPlan | undefined;
  private stats: UpdateStats = { reforecast: 0, relevelled: 0, rebuilt: true };

  /** `now`: an ISO instant; the plan is for its business date in the store's time zone. */
  constructor(
    private readonly books: Books,
    now: string,
  ) {
    this.rebuild(now);
  }

  /** Events just applied to the books: only the series they touch are recomputed. */
  update(applied: readonly LedgerEvent[], now: string): void {
    if (this.books.storeSettings().timeZone !== this.settings.timeZone) return this.rebuild(now);
    if (this.clock.of(now)?.date !== this.asOf) return this.rebuild(now);
    const reforecast = new Set<string>();
    const relevel = new Set<string>();
    let learnedChanged = false;
    let transitChanged = false;
    for (const event of applied) {
      if (CATALOG_KINDS.has(event.kind)) {
        for (const productId of this.addCatalogEvent(event)) for (const key of this.keysOfProduct(productId)) relevel.add(key);
        continue;
      }
      switch (event.kind) {
        case 'goods-received':
          this.noteReceipt(event);
          this.touchStock(event, reforecast);
          if (event.purchaseOrderId !== undefined) {
            for (const key of this.refreshOrder(event.purchaseOrderId)) relevel.add(key);
            learnedChanged = true;
          }
          break;
        case 'purchase-order-created':
        case 'purchase-order-closed':
          for (const key of this.refreshOrder(event.purchaseOrderId)) relevel.add(key);
          learnedChanged = true;
          break;
        case 'supplier-lead-time-set':
          insertSorted(this.leadTimeSets, event, compareEvents);
          this.overrides = leadTimeOverrides(this.leadTimeSets);
          for (const key of this.keysOfSupplier(event.supplier)) relevel.add(key);
          break;
        case 'reorder-levels-set':
          for (const line of event.lines) relevel.add(reorderKey(line.productId, line.locationId));
          break;
        case 'store-settings-changed':
          this.settings = this.books.storeSettings();
          for (const key of this.series.keys()) relevel.add(key);
          break;
        case 'transfer-out':
        case 'transfer-in':
          this.touchStock(event, reforecast);
          transitChanged = true;
          break;
        case 'count-session-approved':
          // Only a session's first approval counts: an earlier one arriving late undoes a later one's lines.
          for (const approval of this.books.eventsFor('count-session', event.countSessionId)) if (approval.kind === 'count-session-approved') this.touchStock(approval, reforecast);
          break;
        case 'opening-balance':
        case 'sale':
        case 'sale-voided':
        case 'return':
        case 'stock-counted':
        case 'stock-adjusted':
          this.touchStock(event, reforecast);
          break;
        default:
          break;
      }
    }
    if (learnedChanged) for (const key of this.refreshLearned()) relevel.add(key);
    if (transitChanged) for (const key of this.refreshInTransit()) relevel.add(key);
    for (const key of reforecast) this.computeSeries(key, true);
    let relevelled = 0;
    for (const key of relevel) {
      if (reforecast.has(key)) continue;
      this.computeSeries(key, false);
      relevelled++;
    }
    this.stats = { reforecast: reforecast.size, relevelled, rebuilt: false };
    // Lead times and the settings reach the plan's supplier groups even where no series changed.
    if (reforecast.size > 0 || relevel.size > 0 || learnedChanged || applied.some((e) => e.kind === 'supplier-lead-time-set' || e.kind === 'store-settings-changed')) this.cachedPlan = undefined;
  }

  plan(): ReplenishmentPlan {
    if (this.cachedPlan && this.dirtyProducts.size === 0 && this.order) return this.cachedPlan;
    for (const productId of this.dirtyProducts) {
      const locations = [...(this.locationsOf.get(productId) ?? [])].map((locationId) => this.series.get(reorderKey(productId, locationId))?.plan as SeriesPlan);
      const suggestions = suggestForProduct(this.termsOf(productId), locations);
      if (suggestions.transfers.length === 0 && suggestions.lines.length === 0) this.suggestionsOf.delete(productId);
      else this.suggestionsOf.set(productId, suggestions);
    }
    this.dirtyProducts.clear();
    if (!this.order) {
      // Names looked up once per series, not twice per comparison.
      this.order = [...this.series.entries()]
        .map(([key, { plan }]) => ({ key, name: this.products.get(plan.productId)?.name ?? plan.productId, productId: plan.productId, locationId: plan.locationId }))
        .sort((a, b) => compareStrings(a.name, b.name) || compareStrings(a.productId, b.productId) || compareStrings(a.locationId, b.locationId))
        .map((entry) => entry.key);
    }
    const series = this.order.map((key) => this.series.get(key)?.plan as SeriesPlan);
    const { transfers, purchases } = assemble(this.suggestionsOf.values(), (productId) => this.termsOf(productId), (supplier) => this.leadTimeOfSupplier(supplier));
    this.cachedPlan = { asOf: this.asOf, series, transfers, purchases };
    return this.cachedPlan;
  }

  seriesPlan(productId: string, locationId: string): SeriesPlan | undefined {
    return this.series.get(reorderKey(productId, locationId))?.plan;
  }

  /** The series a product × location's plan was computed from (the screen's chart). */
  demandHistory(productId: string, locationId: string): DemandHistory | undefined {
    return this.series.get(reorderKey(productId, locationId))?.history;
  }

  /** What the last `update` (or the construction) recomputed. */
  lastUpdate(): UpdateStats {
    return this.stats;
  }

  // ---- building ---------------------------------------------------------------------------------

  private rebuild(now: string): void {
    this.settings = this.books.storeSettings();
    // The clock remembers each day's offset: kept across a new business date in the same zone.
    if (this.clock?.timeZone !== this.settings.timeZone) this.clock = new StoreClock(this.settings.timeZone);
    this.days = new BusinessDays(this.clock);
    const today = this.clock.of(now);
    this.asOf = today?.date ?? now.slice(0, 10);
    this.asOfDay = today?.day ?? 0;
    this.reader = new DemandReader(this.books, this.days, this.asOfDay);
    this.catalogEvents = new Map();
    this.products = new Map();
    this.lastReceipt = new Map();
    this.leadTimeSets = [];
    this.onOrderByOrder = new Map();
    this.onOrder = new Map();
    this.inTransit = new Map();
    this.stocked = new Set();
    this.series = new Map();
    this.locationsOf = new Map();
    this.suggestionsOf = new Map();
    this.dirtyProducts = new Set();
    this.order = undefined;
    this.cachedPlan = undefined;

    // In ledger order: the catalog folds in one pass, and each product's events are filed for a
    // later refold of that product alone (a late change).
    for (const event of this.books.events()) {
      if (CATALOG_KINDS.has(event.kind)) {
        applyCatalogEvent(this.products, event);
        for (const productId of productIdsOf(event)) {
          const list = this.catalogEvents.get(productId);
          if (list) list.push(event);
          else this.catalogEvents.set(productId, [event]);
        }
      } else if (event.kind === 'goods-received') this.noteReceipt(event);
      else if (event.kind === 'supplier-lead-time-set') this.leadTimeSets.push(event);
    }
    this.overrides = leadTimeOverrides(this.leadTimeSets);
    this.learned = learnedLeadTimes(this.books, this.days);
    for (const id of this.books.idsOf('purchase-order')) this.refreshOrder(id);
    this.refreshInTransit();
    const keys = new Set<string>();
    for (const { productId, locationId } of this.books.stockKeys()) {
      const key = reorderKey(productId, locationId);
      this.stocked.add(key);
      keys.add(key);
    }
    for (const key of this.books.reorderLevels().keys()) keys.add(key);
    for (const key of this.onOrder.keys()) keys.add(key);
    for (const key of this.inTransit.keys()) keys.add(key);
    for (const key of keys) this.computeSeries(key, true);
    this.stats = { reforecast: this.series.size, relevelled: 0, rebuilt: true };
  }

  /** Works a series out again: its history and forecast too when `reforecast` (or when not kept). */
  private computeSeries(key: string, reforecast: boolean): void {
    const [productId, locationId] = key.split('\u0000') as [string, string];
    const pin = this.books.reorderLevels().get(key);
    const onOrder = this.onOrder.get(key) ?? 0;
    const inTransit = this.inTransit.get(key) ?? 0;
    if (!this.stocked.has(key) && pin === undefined && onOrder === 0 && inTransit === 0) {
      this.dropSeries(key, productId, locationId);
      return;
    }
    let state = this.series.get(key);
    let history = state?.history;
    let forecast = state?.forecast;
    if (reforecast || forecast === undefined) {
      history = this.reader.read(productId, locationId);
      forecast = forecastOf(history);
    }
    const product = this.products.get(productId);
    const supplier = product?.supplier || undefined;
    const leadTime = this.leadTimeOfSupplier(supplier ?? '');
    const computed: PolicyLevels | undefined =
      forecast.kind === 'forecast' && history
        ? policyLevels({ history: history.days, forecast, leadTimePeriods: leadTime.days, reviewPeriods: 1, serviceLevel: this.settings.serviceLevel / 100 })
        : undefined;
    const levels = appliedLevels(computed, pin?.reorderPoint, pin?.orderUpTo);
    const plan: SeriesPlan = {
      productId,
      locationId,
      forecast,
      historyDays: history?.days.length ?? 0,
      stockOutDays: history?.stockOutDays.length ?? 0,
      supplier,
      leadTime,
      computed,
      reorderPoint: levels.reorderPoint,
      orderUpTo: levels.orderUpTo,
      pinned: { reorderPoint: pin?.reorderPoint !== undefined, orderUpTo: pin?.orderUpTo !== undefined },
      onHand: this.books.onHand(productId, locationId),
      onOrder,
      inTransit,
    };
    state = { history, forecast, plan };
    if (!this.series.has(key)) this.order = undefined;
    this.series.set(key, state);
    this.dirtyProducts.add(productId);
    let locations = this.locationsOf.get(productId);
    if (!locations) this.locationsOf.set(productId, (locations = new Set()));
    locations.add(locationId);
  }

  private dropSeries(key: string, productId: string, locationId: string): void {
    if (!this.series.delete(key)) return;
    this.order = undefined;
    this.dirtyProducts.add(productId);
    const locations = this.locationsOf.get(productId);
    locations?.delete(locationId);
    if (locations?.size === 0) this.locationsOf.delete(productId);
  }

  // ---- what events change -----------------------------------------------------------------------

  /** Marks the series an event's stock entries are in. */
  private touchStock(event: LedgerEvent, reforecast: Set<string>): void {
    for (const movement of this.books.movementsOf(event.id)) {
      const key = reorderKey(movement.productId, movement.locationId);
      this.stocked.add(key);
      reforecast.add(key);
    }
  }

  private noteReceipt(event: EventOf<'goods-received'>): void {
    for (const line of event.lines) {
      const known = this.lastReceipt.get(line.productId);
      if (known && compareEvents(known.event, event) > 0) continue;
      this.lastReceipt.set(line.productId, { event, unitCost: line.unitCost });
      this.dirtyProducts.add(line.productId);
      this.cachedPlan = undefined;
    }
  }

  /** Files a catalog event under its products and folds them again; returns the products. */
  private addCatalogEvent(event: LedgerEvent): string[] {
    const ids = productIdsOf(event);
    for (const productId of ids) {
      const list = this.catalogEvents.get(productId);
      if (list) insertSorted(list, event, compareEvents);
      else this.catalogEvents.set(productId, [event]);
      this.refoldProduct(productId);
      this.dirtyProducts.add(productId);
    }
    // A name may have changed: the plan's order.
    this.order = undefined;
    this.cachedPlan = undefined;
    return ids;
  }

  /** A product as its catalog events make it, in ledger order (`applyCatalogEvent`, the catalog's one rule). */
  private refoldProduct(productId: string): void {
    const folded = new Map<string, ProductSnapshot>();
    for (const event of this.catalogEvents.get(productId) ?? []) applyCatalogEvent(folded, event);
    const product = folded.get(productId);
    if (product) this.products.set(productId, product);
    else this.products.delete(productId);
  }

  /** Works out what one purchase order still brings; returns the series whose on-order changed. */
  private refreshOrder(purchaseOrderId: string): string[] {
    const before = this.onOrderByOrder.get(purchaseOrderId) ?? new Map<string, number>();
    const after = new Map<string, number>();
    const created = this.books.eventsFor('purchase-order', purchaseOrderId).find((e) => e.kind === 'purchase-order-created');
    const view = purchaseOrder(this.books, purchaseOrderId);
    if (created && view && view.status !== 'closed') {
      for (const line of view.lines) {
        if (line.outstanding <= 0) continue;
        const key = reorderKey(line.productId, created.locationId);
        after.set(key, (after.get(key) ?? 0) + line.outstanding);
      }
    }
    const changed: string[] = [];
    for (const key of new Set([...before.keys(), ...after.keys()])) {
      const delta = (after.get(key) ?? 0) - (before.get(key) ?? 0);
      if (delta === 0) continue;
      changed.push(key);
      const total = (this.onOrder.get(key) ?? 0) + delta;
      if (total === 0) this.onOrder.delete(key);
      else this.onOrder.set(key, total);
    }
    if (after.size > 0) this.onOrderByOrder.set(purchaseOrderId, after);
    else this.onOrderByOrder.delete(purchaseOrderId);
    return changed;
  }

  /** Learns the lead times again; returns the series of suppliers whose learned lead time changed. */
  private refreshLearned(): string[] {
    const before = this.learned;
    this.learned = learnedLeadTimes(this.books, this.days);
    const keys: string[] = [];
    for (const supplier of new Set([...before.keys(), ...this.learned.keys()])) {
      const a = before.get(supplier);
      const b = this.learned.get(supplier);
      if (a?.days !== b?.days || a?.orders !== b?.orders) keys.push(...this.keysOfSupplier(supplier));
    }
    return keys;
  }

  /** Reads goods in transit again; returns the series whose in-transit changed. */
  private refreshInTransit(): string[] {
    const before = this.inTransit;
    const after = new Map<string, number>();
    for (const line of this.books.inTransit()) {
      if (line.toLocationId === undefined || line.qty <= 0) continue;
      const key = reorderKey(line.productId, line.toLocationId);
      after.set(key, (after.get(key) ?? 0) + line.qty);
    }
    this.inTransit = after;
    return [...new Set([...before.keys(), ...after.keys()])].filter((key) => before.get(key) !== after.get(key));
  }

  private keysOfProduct(productId: string): string[] {
    return [...(this.locationsOf.get(productId) ?? [])].map((locationId) => reorderKey(productId, locationId));
  }

  private keysOfSupplier(supplier: string): string[] {
    const keys: string[] = [];
    for (const productId of this.locationsOf.keys()) if ((this.products.get(productId)?.supplier ?? '') === supplier) keys.push(...this.keysOfProduct(productId));
    return keys;
  }

  private leadTimeOfSupplier(supplier: string): LeadTime {
    return leadTimeOf(supplier, this.overrides, this.learned, this.settings.defaultLeadTimeDays);
  }

  private termsOf(productId: string): ProductTerms | undefined {
    const product = this.products.get(productId);
    if (!product) return undefined;
    return {
      productId,
      name: product.name,
      active: product.active,
      supplier: product.supplier ?? '',
      packSize: product.packSize ?? 1,
      minOrderQty: product.minOrderQty ?? 1,
      unitCost: this.lastReceipt.get(productId)?.unitCost ?? product.cost,
    };
  }
}

/** The forecast of a history; none, said plainly, when nothing was ever demanded in it. */
function forecastOf(history: DemandHistory | undefined): Forecast {
  if (!history || !hasDemand(history.days)) return { kind: 'none', reason: NO_DEMAND };
  return forecastSeries(history.days, { horizon: FORECAST_HORIZON, seasonLength: SEASON_LENGTH });
}

function hasDemand(days: readonly (number | null)[]): boolean {
  for (const units of days) if (units !== null && units > 0) return true;
  return false;
}

/**
 * The levels that apply: a pinned number as the owner set it, the computed one otherwise; where the
 * two would cross, the computed one moves (a pin is never changed).
 */
export function appliedLevels(computed: PolicyLevels | undefined, pinnedPoint: number | undefined, pinnedUpTo: number | undefined): { reorderPoint: number | undefined; orderUpTo: number | undefined } {
  let reorderPoint = pinnedPoint ?? computed?.reorderPoint;
  let orderUpTo = pinnedUpTo ?? computed?.orderUpTo;
  if (reorderPoint !== undefined && orderUpTo !== undefined && orderUpTo < reorderPoint) {
    if (pinnedUpTo === undefined) orderUpTo = reorderPoint;
    else if (pinnedPoint === undefined) reorderPoint = orderUpTo;
  }
  return { reorderPoint, orderUpTo };
}

function productIdsOf(event: LedgerEvent): string[] {
  if (event.kind === 'product-defined') return [event.product.id];
  if (event.kind === 'products-defined') return [...new Set(event.products.map((p) => p.id))];
  if (event.kind === 'product-changed') return [event.productId];
  return [];
}
