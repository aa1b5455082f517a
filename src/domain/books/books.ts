/**
 * The books: stock, cost and COGS per product × location, computed from the ledger's events in
 * canonical order (order.ts). This class applies events (once each, in any arrival order) and answers
 * queries; the work is done by its parts:
 * - event-index.ts: events by id, and canonical order;
 * - cost-fold.ts: the cost fold per SKU × location, re-folding what a late event changes;
 * - scopes.ts: events grouped by sale, transfer, purchase order, count session and shift;
 * - stock-queries.ts: on hand, valuation, in transit, oversells, movements.
 * The journal (journal.ts, outside this folder) is derived from the events and the entries'
 * outcomes when asked for, so it always matches the stock and never needs patching.
 *
 * Idempotence: an event id seen before changes nothing. Determinism: every number is a function of
 * the set of events, not of the order they arrived in.
 */
import type { ValuationMethod } from '../cost-position.ts';
import type { EventOf, LedgerEvent } from '../events.ts';
import { locationsFrom, withDefinition, type LocationDefinition, type StoreLocation } from '../locations.ts';
import { compareEvents, stampedSince } from '../order.ts';
import { reorderLevelsOf, type ReorderLevel, type ReorderLevelsSet } from '../reorder-levels.ts';
import { StaffRoster } from '../staff.ts';
import { storeSettingsChangesOf, withDefaults, type StoreSettings, type StoreSettingsChange, type StoreSettingsChanges } from '../store-settings.ts';
import { CostFold } from './cost-fold.ts';
import { IdIndex, hashString, insertSorted } from './event-index.ts';
import { ScopeIndex, type EventScope } from './scopes.ts';
import * as stock from './stock-queries.ts';
import type { EntryOutcome, InTransit, Movement, SaleLineCost, StockActivity, StockAsAt, StockEntryVisitor, Valuation } from './stock-queries.ts';

export interface BooksOptions {
  /** The store's valuation method. */
  valuation: ValuationMethod;
  /** When set, events in another currency are rejected. */
  currency?: string;
}

export type ApplyResult =
  | { status: 'applied' }
  | { status: 'duplicate' }
  | { status: 'rejected'; error: string };

const APPLIED: ApplyResult = Object.freeze({ status: 'applied' });
const DUPLICATE: ApplyResult = Object.freeze({ status: 'duplicate' });

export class Books {
  readonly method: ValuationMethod;
  private readonly currency: string | undefined;
  private readonly byId = new IdIndex();
  /**
   * All events in canonical order, or undefined while they arrived in that order: then the id
   * index's arrival list is the same sequence. Built on the first late event or the first query
   * that needs it, then kept up to date. Issue 4: the full fold never builds it, which spares a
   * million-item array (its growth cost ~0.15 s in page faults, see chunked-list.ts).
   */
  private ordered: LedgerEvent[] | undefined;
  private readonly fold: CostFold;
  private readonly scopes = new ScopeIndex(() => this.orderedEvents());
  /** The latest definition of each location, in canonical order (locations.ts). */
  private locationDefinitions = new Map<string, LocationDefinition>();
  /** The owner's store-settings changes (a handful: folded when asked, store-settings.ts). */
  private settingsChanges: StoreSettingsChange[] = [];
  private saleSeen = false;
  /** The owner's reorder-level events, and their fold once asked for (reorder-levels.ts). */
  private reorderSets: ReorderLevelsSet[] = [];
  private readonly roster = new StaffRoster();
  private reorderLevelsFolded: Map<string, ReorderLevel> | undefined;

  constructor(options: BooksOptions) {
    this.method = options.valuation;
    this.currency = options.currency;
    this.fold = new CostFold(options.valuation, this.byId);
  }

  /** Builds the books from a batch (sorted first, so the fold is one pass of appends). */
  static fromEvents(events: Iterable<LedgerEvent>, options: BooksOptions): Books {
    const list = Array.isArray(events) ? (events as LedgerEvent[]) : [...events];
    // Stored events usually come back already in ledger order (an index on hlc). The order is checked
    // while folding rather than in a pass of its own, so each event is read from memory once (issue 4:
    // a separate pass cost ~0.2 s of the 1M-event fold). An event out of order means starting again
    // from a sorted copy: at worst the work of the prefix is done twice.
    const books = Books.sizedFor(list.length, options);
    let previous: LedgerEvent | undefined;
    for (const event of list) {
      if (previous !== undefined && compareEvents(previous, event) > 0) return Books.foldSorted([...list].sort(compareEvents), options);
      books.applyValidated(event, true);
      previous = event;
    }
    return books;
  }

  private static sizedFor(count: number, options: BooksOptions): Books {
    const books = new Books(options);
    books.byId.reserve(count);
    return books;
  }

  private static foldSorted(ordered: LedgerEvent[], options: BooksOptions): Books {
    const books = Books.sizedFor(ordered.length, options);
    // In a sorted batch every event is the newest so far: no comparison per event and per stream.
    for (const event of ordered) books.applyValidated(event, true);
    return books;
  }

  // ---- applying events --------------------------------------------------------------------------

  /** Applies an event that has passed `parseEvent`. Applying the same id again changes nothing. */
  apply(event: LedgerEvent): ApplyResult {
    return this.applyValidated(event, false);
  }

  /** `knownNewest`: the caller knows the event sorts after every event applied so far. */
  private applyValidated(event: LedgerEvent, knownNewest: boolean): ApplyResult {
    const hash = hashString(event.id);
    const known = this.byId.get(event.id, hash);
    if (known) {
      if (known.hlc !== event.hlc || known.kind !== event.kind || known.deviceId !== event.deviceId) {
        return { status: 'rejected', error: `id: event ${event.id} was already recorded with different content` };
      }
      return DUPLICATE;
    }
    if (this.currency !== undefined && event.currency !== this.currency) {
      return {
        status: 'rejected',
        error: `currency: this store keeps its books in ${this.currency}, the event is in ${event.currency}`,
      };
    }
    const last = this.ordered ? this.ordered[this.ordered.length - 1] : this.byId.last();
    const newest = knownNewest || last === undefined || compareEvents(last, event) <= 0;
    // Before the event joins the id index: `orderedEvents` may build the list from it.
    if (!newest) insertSorted(this.orderedEvents(), event, compareEvents);
    else if (this.ordered) this.ordered.push(event);
    this.byId.add(event, hash);
    this.fold.project(event, newest);
    this.fold.settle();
    // No stock and nothing posted: a location definition only names a place.
    if (event.kind === 'location-defined') this.locationDefinitions = withDefinition(this.locationDefinitions, event);
    // No stock and nothing posted either: the store's settings, read by `storeSettings()`.
    if (event.kind === 'store-settings-changed') this.settingsChanges = [...this.settingsChanges, event];
    if (event.kind === 'sale') this.saleSeen = true;
    // No stock and nothing posted: the store's staff, read by `staff()`.
    if (event.kind === 'staff-member-defined') this.roster.apply(event);
    if (event.kind === 'reorder-levels-set') {
      this.reorderSets = [...this.reorderSets, event];
      this.reorderLevelsFolded = undefined;
    }
    if (this.scopes.used) this.scopes.add(event);
    return APPLIED;
  }

  /** All events in canonical order. */
  private orderedEvents(): LedgerEvent[] {
    return (this.ordered ??= this.byId.toArray());
  }

  // ---- events -----------------------------------------------------------------------------------

  get size(): number {
    return this.byId.size;
  }

  has(eventId: string): boolean {
    return this.byId.has(eventId);
  }

  /** An event by id (undefined when not applied). */
  getEvent(eventId: string): LedgerEvent | undefined {
    return this.byId.get(eventId);
  }

  /** Events in canonical order (a copy). */
  events(): LedgerEvent[] {
    return [...this.orderedEvents()];
  }

  /** The last event in canonical order (undefined for empty books). */
  newestEvent(): LedgerEvent | undefined {
    const ordered = this.orderedEvents();
    return ordered[ordered.length - 1];
  }

  /**
   * The events stamped at or after `hlc` (an HLC string, or any prefix of one such as its wall-time
   * digits), in canonical order: a binary search, then a copy of just those. For figures over the
   * last days or weeks (stock-health.ts) without copying a year of events.
   */
  eventsSince(hlc: string): LedgerEvent[] {
    return stampedSince(this.orderedEvents(), hlc);
  }

  /**
   * The events that refer to one sale, transfer, purchase order, count session or shift, in ledger
   * order. For a sale: its voids and returns (the sale itself is `getEvent`). For a shift: the
   * shift's own events and the sales, voids and returns that name it.
   */
  eventsFor(scope: EventScope, id: string): LedgerEvent[] {
    return this.scopes.eventsFor(scope, id);
  }

  /** The ids seen in a scope, sorted. */
  idsOf(scope: EventScope): string[] {
    return this.scopes.idsOf(scope);
  }

  /** The first void of a sale that comes after it in ledger order reverses it; later ones do nothing. */
  isEffectiveVoid(voidEvent: EventOf<'sale-voided'>): boolean {
    return this.fold.isEffectiveVoid(voidEvent);
  }

  /** The first approval of a count session in ledger order is the count; later ones change nothing. */
  isEffectiveApproval(approval: EventOf<'count-session-approved'>): boolean {
    return this.fold.isEffectiveApproval(approval);
  }

  /** The store's locations: the default two, plus those added, each with its latest name. */
  locations(): StoreLocation[] {
    return locationsFrom(this.locationDefinitions);
  }

  /** The store's settings: the defaults with the fields its owner set, latest in ledger order winning. */
  storeSettings(): StoreSettings {
    return withDefaults(this.storeSettingsChanges());
  }

  /** Only the fields the store's owner has set (e.g. to tell a valuation set from the default). */
  storeSettingsChanges(): StoreSettingsChanges {
    return storeSettingsChangesOf(this.settingsChanges);
  }

  /** Each product × location's reorder point and order-up-to level, by `reorderKey`, latest in ledger order winning. */
  reorderLevels(): ReadonlyMap<string, ReorderLevel> {
    return (this.reorderLevelsFolded ??= reorderLevelsOf(this.reorderSets));
  }

  /** The store's staff members (staff.ts), each as defined latest in ledger order, and as at any event. */
  staff(): StaffRoster {
    return this.roster;
  }

  /** Whether any sale was ever recorded: it fixes the currency and the valuation method (store-settings.ts). */
  hasSales(): boolean {
    return this.saleSeen;
  }

  // ---- stock and cost ---------------------------------------------------------------------------

  /** How much work late events have caused so far: entries re-folded in total. */
  foldStats(): { refoldedEntries: number; streams: number } {
    return { refoldedEntries: this.fold.refoldedEntries, streams: this.fold.streams.length };
  }

  onHand(productId: string, locationId: string): number {
    return stock.onHand(this.fold, productId, locationId);
  }

  /** When a product × location first had a movement and last sold (for dead stock); undefined when it never moved. */
  stockActivity(productId: string, locationId: string): StockActivity | undefined {
    return stock.stockActivity(this.fold, productId, locationId);
  }

  /** On hand as at the moment `hlc`: after every movement stamped at or before it. */
  onHandAsAt(productId: string, locationId: string, hlc: string): number {
    return stock.onHandAsAt(this.fold, productId, locationId, hlc);
  }

  /** Quantity and value of every product × location as at the moment `hlc` (stock-at-date.ts reads it). */
  stockAsAt(hlc: string): StockAsAt[] {
    return stock.stockAsAt(this.fold, hlc);
  }

  valuationOf(productId: string, locationId: string): Valuation {
    return stock.valuationOf(this.fold, productId, locationId);
  }

  /** Every product × location that has had stock movements, sorted by product, then location. */
  stockLevels(): Valuation[] {
    return stock.stockLevels(this.fold);
  }

  /** Total stock value at all locations (the Inventory account balance), whole minor units. */
  inventoryValue(): number {
    return stock.inventoryValue(this.fold);
  }

  /** Goods sent and not (yet) received, per transfer and product. */
  inTransit(): InTransit[] {
    return stock.inTransit(this.fold);
  }

  /** Stock movements of a product at every location, in ledger order. */
  movements(productId: string): Movement[] {
    return stock.movements(this.fold, productId);
  }

  /** One product × location's stock entries in ledger order, one call each (stock-queries.ts). */
  forEachStockEntry(productId: string, locationId: string, visit: StockEntryVisitor): void {
    stock.forEachStockEntry(this.fold, productId, locationId, visit);
  }

  /** The event of the stock entry `forEachStockEntry` named by `row`. */
  eventOfEntry(row: number): LedgerEvent {
    return this.fold.eventOfRow(row);
  }

  /** How many entry rows the books hold: rows are numbered 0 … entryRows − 1 in the order they were made. */
  entryRows(): number {
    return this.fold.entryRows;
  }

  /** Every product × location with stock entries, unsorted. */
  stockKeys(): { productId: string; locationId: string }[] {
    return stock.stockKeys(this.fold);
  }

  /** COGS of each line of a sale, as posted (oversold units at their provisional cost). */
  saleCogs(saleId: string): SaleLineCost[] | undefined {
    const sale = this.byId.get(saleId);
    return sale?.kind === 'sale' ? stock.saleCogs(this.fold, sale) : undefined;
  }

  /** The COGS of every sale line stamped at or after `hlc`, by sale id and line (see stock-queries.ts). */
  saleLineCogsSince(hlc: string): Map<string, number[]> {
    return stock.saleLineCogsSince(this.fold, hlc);
  }

  /** The stock movements one event caused (empty for catalog events or an unmatched void). */
  movementsOf(eventId: string): Movement[] {
    const event = this.byId.get(eventId);
    return event ? stock.movementsOf(this.fold, event) : [];
  }

  /** What each entry of an event did, in stock and in transit (empty for an event without entries). */
  entryOutcomesOf(eventId: string): EntryOutcome[] {
    const event = this.byId.get(eventId);
    return event ? stock.entryOutcomesOf(this.fold, event) : [];
  }

  /** Sale lines and other outgoing movements that took more than was on hand. */
  oversells(): Movement[] {
    return stock.oversells(this.fold);
  }
}
