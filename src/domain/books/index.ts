/**
 * The perpetual-inventory projection: stock, cost and COGS per product × location, folded from the
 * ledger's events in canonical order (order.ts).
 *
 * Structure
 * - Every stock-affecting event line becomes an `Entry` in a *stream*: one stream per product ×
 *   location, plus one per transfer × product for goods in transit. A stream keeps its entries in
 *   canonical order and a `CostPosition` (FIFO layers or moving average) after the last one.
 * - Applying an event that is newest in its streams folds just its entries onto the current
 *   positions: O(lines) per event. An event that sorts before existing entries (a sale made offline,
 *   synced later) is inserted in place and only the streams it touches are re-folded.
 * - A few entries take their value from another stream: a transfer-in from goods in transit, goods
 *   in transit from the transfer-out, a return or void from the COGS of the sale line. A re-fold that
 *   changes such a value re-folds the streams that read it. Reads only ever look backwards in
 *   canonical order, so this settles.
 * - The journal is derived from the events and the entries' outcomes when asked for, so it always
 *   matches the stock projection and never needs patching.
 *
 * Idempotence: an event id seen before changes nothing. Determinism: every number is a function of
 * the set of events, not of the order they arrived in.
 */
import { ACCOUNTS, type AccountKey } from '../accounts.ts';
import { ChunkedList } from '../chunked-list.ts';
import { CostPosition, type CostLayer, type ValuationMethod } from '../cost-position.ts';
import { AMOUNT, CORRECTION, EntryStore, EntryTable, QTY, QTY_AFTER, SHORT_QTY, VALUE, type EntryField, type EntryRole } from '../entry-table.ts';
import type { EventOf, LedgerEvent, SaleLine } from '../events.ts';
import { roundHalfAwayFromZero } from '../money.ts';
import { locationsFrom, withDefinition, type LocationDefinition, type StoreLocation } from '../locations.ts';
import { compareEvents, compareStrings } from '../order.ts';
import { closingDifference } from '../shifts.ts';
import { refundTotal } from '../refunds.ts';
import { parseEvent } from '../validate.ts';

export type { ValuationMethod } from '../cost-position.ts';
export type { EntryRole } from '../entry-table.ts';

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

export interface Valuation {
  productId: string;
  locationId: string;
  method: ValuationMethod;
  qty: number;
  /** Whole minor units; equals this stream's share of the Inventory account. */
  value: number;
  /** Average cost, or value per unit on hand for FIFO; the last known cost when nothing is on hand. */
  unitCost: number | undefined;
  layers: CostLayer[];
  /** Units sold beyond stock, waiting for stock with a real cost. */
  oversoldQty: number;
  /** Provisional value of the oversold units. */
  oversoldValue: number;
}

export interface Movement {
  eventId: string;
  kind: LedgerEvent['kind'];
  role: EntryRole;
  hlc: string;
  productId: string;
  locationId: string;
  qty: number;
  qtyAfter: number;
  /** Signed change of the stock value. */
  value: number;
  /** Cost of the movement (COGS for a sale line). */
  amount: number;
  correction: number;
  oversoldQty: number;
}

export interface SaleLineCost {
  lineId: string;
  productId: string;
  qty: number;
  cogs: number;
  oversoldQty: number;
}

export interface InTransit {
  transferId: string;
  productId: string;
  fromLocationId: string | undefined;
  toLocationId: string | undefined;
  qty: number;
  value: number;
}

export interface JournalLine {
  account: AccountKey;
  code: string;
  debit: number;
  credit: number;
  productId?: string;
  locationId?: string;
}

export interface JournalEntry {
  eventId: string;
  kind: LedgerEvent['kind'];
  hlc: string;
  lines: JournalLine[];
}

export interface TrialBalanceRow {
  account: AccountKey;
  code: string;
  name: string;
  debit: number;
  credit: number;
  /** Debit minus credit. */
  balance: number;
}

export interface TrialBalance {
  rows: TrialBalanceRow[];
  totalDebit: number;
  totalCredit: number;
}

export interface TAccount {
  account: AccountKey;
  code: string;
  name: string;
  debits: { eventId: string; amount: number }[];
  credits: { eventId: string; amount: number }[];
  /** Debit minus credit. */
  balance: number;
}

/**
 * Events grouped by what they refer to, for the store-operation projections. 'receipt' finds a sale
 * by its receipt number (in capitals) without a pass over every event.
 */
export type EventScope = 'sale' | 'transfer' | 'purchase-order' | 'count-session' | 'shift' | 'receipt';

/** One entry of one stream; valid until the next event is applied. */
interface EntryRef {
  readonly stream: Stream;
  readonly index: number;
}

interface Stream {
  readonly transit: boolean;
  readonly productId: string;
  /** Location id for stock, transfer id for transit. */
  readonly placeId: string;
  readonly entries: EntryTable;
  position: CostPosition;
  /** Streams whose entries read values from this one (created on the first such read). */
  dependents: Set<Stream> | undefined;
  queued: boolean;
}


const APPLIED: ApplyResult = Object.freeze({ status: 'applied' });
const DUPLICATE: ApplyResult = Object.freeze({ status: 'duplicate' });
const NO_SCOPES: readonly (readonly [EventScope, string])[] = [];

export class Books {
  readonly method: ValuationMethod;
  private readonly currency: string | undefined;
  private readonly byId = new IdIndex();
  /** The entries of every stream. */
  private readonly entryStore = new EntryStore();
  /**
   * All events in canonical order, or undefined while they arrived in that order: then the id
   * index's arrival list is the same sequence. Built on the first late event or the first query
   * that needs it, then kept up to date. Issue 4: the full fold never builds it, which spares a
   * million-item array (its growth cost ~0.15 s in page faults, see chunked-list.ts).
   */
  private ordered: LedgerEvent[] | undefined;
  /** Every stream, in creation order, for queries that visit them all. */
  private readonly streams: Stream[] = [];
  /** productId → every stream of the product (stock and transit). */
  private readonly products = new Map<string, Stream[]>();
  /**
   * locationId → productId → stock stream. Found per event line, so it leads to the stream in one
   * lookup: a product-first index with a list of locations touched three more objects per line,
   * each a likely cache miss among 10,000 products (~0.5 s of the 1M-event fold, issue 4).
   */
  private readonly stockIndex = new Map<string, Map<string, Stream>>();
  /** transferId → productId → stream. */
  private readonly transitIndex = new Map<string, Map<string, Stream>>();
  private readonly voidsBySale = new Map<string, LedgerEvent[]>();
  private readonly approvalsBySession = new Map<string, EventOf<'count-session-approved'>[]>();
  /** Streams that looked for a sale that has not arrived yet. */
  private readonly waitingForSale = new Map<string, Set<Stream>>();
  /** The latest definition of each location, in canonical order (locations.ts). */
  private locationDefinitions = new Map<string, LocationDefinition>();
  private readonly catalogCosts = new Map<string, { event: LedgerEvent; cost: number }[]>();
  private readonly catalogReaders = new Map<string, Set<Stream>>();
  /** Built per scope on the first query, then kept up to date: the fold itself never pays for it. */
  private readonly scopes = new Map<EventScope, Map<string, LedgerEvent[]>>();
  private readonly queue: Stream[] = [];
  /** Entries folded again because an event arrived late (for tests and the benchmark). */
  private refoldedEntries = 0;

  constructor(options: BooksOptions) {
    this.method = options.valuation;
    this.currency = options.currency;
  }

  /** Builds a ledger from a batch (sorted first, so the fold is one pass of appends). */
  static fromEvents(events: Iterable<LedgerEvent>, options: BooksOptions): Books {
    const list = Array.isArray(events) ? (events as LedgerEvent[]) : [...events];
    // Stored events usually come back already in ledger order (an index on hlc). The order is checked
    // while folding rather than in a pass of its own, so each event is read from memory once (issue 4:
    // a separate pass cost ~0.2 s of the 1M-event fold). An event out of order means starting again
    // from a sorted copy: at worst the work of the prefix is done twice.
    const ledger = Books.sizedFor(list.length, options);
    let previous: LedgerEvent | undefined;
    for (const event of list) {
      if (previous !== undefined && compareEvents(previous, event) > 0) return Books.foldSorted([...list].sort(compareEvents), options);
      ledger.applyValidated(event, true);
      previous = event;
    }
    return ledger;
  }

  private static sizedFor(count: number, options: BooksOptions): Books {
    const ledger = new Books(options);
    ledger.byId.reserve(count);
    return ledger;
  }

  private static foldSorted(ordered: LedgerEvent[], options: BooksOptions): Books {
    const ledger = Books.sizedFor(ordered.length, options);
    // In a sorted batch every event is the newest so far: no comparison per event and per stream.
    for (const event of ordered) ledger.applyValidated(event, true);
    return ledger;
  }

  // ---- applying events --------------------------------------------------------------------------

  /** Validates untrusted input first; a rejected event changes nothing. */
  applyUnknown(input: unknown): ApplyResult {
    const parsed = parseEvent(input);
    if (!parsed.ok) return { status: 'rejected', error: parsed.error };
    return this.apply(parsed.event);
  }

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
    this.project(event, newest);
    this.settle();
    if (this.scopes.size > 0) this.addToScopes(event);
    return APPLIED;
  }

  /** All events in canonical order. */
  private orderedEvents(): LedgerEvent[] {
    return (this.ordered ??= this.byId.toArray());
  }

  private project(event: LedgerEvent, newest: boolean): void {
    switch (event.kind) {
      case 'product-defined':
        this.recordCatalogCost(event.product.id, event, event.product.cost);
        return;
      case 'products-defined':
        for (const product of event.products) this.recordCatalogCost(product.id, event, product.cost);
        return;
      case 'product-changed':
        if (event.changes.cost !== undefined) this.recordCatalogCost(event.productId, event, event.changes.cost);
        return;
      case 'location-defined':
        // No stock and nothing posted: it only names a place (see `locations`).
        this.locationDefinitions = withDefinition(this.locationDefinitions, event);
        return;
      case 'opening-balance':
        return this.addLineEntries(event, event.lines, 'opening', newest);
      case 'goods-received':
        return this.addLineEntries(event, event.lines, 'receipt', newest);
      case 'stock-counted':
        return this.addLineEntries(event, event.lines, 'count', newest);
      case 'count-session-approved': {
        const approvals = this.approvalsBySession.get(event.countSessionId) ?? [];
        // Only the first approval counts: another one may have just stopped or started counting.
        for (const other of approvals) this.enqueueStreamsOf(other);
        approvals.push(event);
        this.approvalsBySession.set(event.countSessionId, approvals);
        return this.addLineEntries(event, event.lines, 'count', newest);
      }
      case 'stock-adjusted':
        return this.addLineEntries(event, event.lines, 'adjustment', newest);
      case 'sale':
        this.addLineEntries(event, event.lines, 'sale', newest);
        // Both maps are usually empty: skip the two lookups per sale then.
        if (this.voidsBySale.size > 0) {
          const voids = this.voidsBySale.get(event.id);
          if (voids) for (const voidEvent of voids) this.addVoidEntries(voidEvent, event, false);
        }
        if (this.waitingForSale.size > 0) {
          this.enqueueAll(this.waitingForSale.get(event.id));
          this.waitingForSale.delete(event.id);
        }
        return;
      case 'sale-voided': {
        const voids = this.voidsBySale.get(event.saleId) ?? [];
        voids.push(event);
        this.voidsBySale.set(event.saleId, voids);
        const sale = this.byId.get(event.saleId);
        if (sale?.kind === 'sale') this.addVoidEntries(event, sale, newest);
        return;
      }
      case 'return':
        for (let i = 0; i < event.lines.length; i++) {
          const line = event.lines[i] as (typeof event.lines)[number];
          const role = line.disposition === 'restock' ? 'return-restock' : 'return-write-off';
          this.addEntry(this.stock(line.productId, event.locationId), event, i, role, newest);
        }
        return;
      case 'transfer-out':
        for (let i = 0; i < event.lines.length; i++) {
          const productId = (event.lines[i] as (typeof event.lines)[number]).productId;
          this.addEntry(this.stock(productId, event.locationId), event, i, 'transfer-out', newest);
          this.addEntry(this.transit(event.transferId, productId), event, i, 'dispatch', newest);
        }
        return;
      case 'transfer-in':
        for (let i = 0; i < event.lines.length; i++) {
          const productId = (event.lines[i] as (typeof event.lines)[number]).productId;
          this.addEntry(this.transit(event.transferId, productId), event, i, 'arrival', newest);
          this.addEntry(this.stock(productId, event.locationId), event, i, 'transfer-in', newest);
        }
        return;
      case 'purchase-order-created':
      case 'purchase-order-closed':
      case 'count-session-opened':
      case 'count-recorded':
      case 'shift-opened':
      case 'cash-moved':
      case 'shift-closed':
        // No stock effect; the projections in purchase-orders.ts, count-sessions.ts and shifts.ts
        // read these events, and a shift's close posts its cash difference (journalOf).
        return;
      default:
        return assertNever(event);
    }
  }

  private addLineEntries(event: LedgerEvent, lines: readonly { productId: string }[], role: EntryRole, newest: boolean): void {
    for (let i = 0; i < lines.length; i++) {
      this.addEntry(this.stock((lines[i] as { productId: string }).productId, event.locationId), event, i, role, newest);
    }
  }

  private addVoidEntries(voidEvent: LedgerEvent, sale: EventOf<'sale'>, newest: boolean): void {
    for (let i = 0; i < sale.lines.length; i++) {
      this.addEntry(this.stock((sale.lines[i] as SaleLine).productId, sale.locationId), voidEvent, i, 'void', newest);
    }
  }

  /** The entries an event made, found through its streams (no per-event index: it would cost a map entry per event). */
  private entriesOf(event: LedgerEvent): EntryRef[] {
    const found: EntryRef[] = [];
    const collect = (stream: Stream | undefined, line: number): void => {
      const index = stream ? findEntry(stream, event, line) : -1;
      if (stream && index >= 0) found.push({ stream, index });
    };
    switch (event.kind) {
      case 'opening-balance':
      case 'goods-received':
      case 'stock-counted':
      case 'count-session-approved':
      case 'stock-adjusted':
      case 'sale':
      case 'return':
        event.lines.forEach((line, i) => collect(this.existingStock(line.productId, event.locationId), i));
        break;
      case 'sale-voided': {
        const sale = this.byId.get(event.saleId);
        if (sale?.kind === 'sale') {
          sale.lines.forEach((line, i) => collect(this.existingStock(line.productId, sale.locationId), i));
        }
        break;
      }
      case 'transfer-out':
        event.lines.forEach((line, i) => {
          collect(this.existingStock(line.productId, event.locationId), i);
          collect(this.transitIndex.get(event.transferId)?.get(line.productId), i);
        });
        break;
      case 'transfer-in':
        event.lines.forEach((line, i) => {
          collect(this.transitIndex.get(event.transferId)?.get(line.productId), i);
          collect(this.existingStock(line.productId, event.locationId), i);
        });
        break;
      case 'product-defined':
      case 'products-defined':
      case 'product-changed':
      case 'location-defined':
      case 'purchase-order-created':
      case 'purchase-order-closed':
      case 'count-session-opened':
      case 'count-recorded':
      case 'shift-opened':
      case 'cash-moved':
      case 'shift-closed':
        break;
      default:
        assertNever(event);
    }
    return found;
  }

  private recordCatalogCost(productId: string, event: LedgerEvent, cost: number): void {
    const timeline = this.catalogCosts.get(productId) ?? [];
    insertSorted(timeline, { event, cost }, (a, b) => compareEvents(a.event, b.event));
    this.catalogCosts.set(productId, timeline);
    this.enqueueAll(this.catalogReaders.get(productId));
  }

  private addEntry(stream: Stream, event: LedgerEvent, line: number, role: EntryRole, newest: boolean): void {
    const entries = stream.entries;
    if (!stream.queued && (newest || isAtEnd(entries, event))) {
      // Newest in its stream: fold it onto the current position (the O(1) path).
      this.foldEntry(stream, entries.push(event, line, role));
      return;
    }
    entries.insertAt(insertionIndex(entries, event, line), event, line, role);
    this.enqueue(stream);
  }

  private enqueue(stream: Stream): void {
    if (stream.queued) return;
    stream.queued = true;
    this.queue.push(stream);
  }

  private enqueueAll(streams: Iterable<Stream> | undefined): void {
    if (streams) for (const stream of streams) this.enqueue(stream);
  }

  private enqueueStreamsOf(event: LedgerEvent): void {
    for (const { stream } of this.entriesOf(event)) this.enqueue(stream);
  }

  /** Re-folds queued streams until no value read by another stream changes any more. */
  private settle(): void {
    while (this.queue.length > 0) {
      const stream = this.queue.shift() as Stream;
      stream.queued = false;
      if (this.refold(stream)) this.enqueueAll(stream.dependents);
    }
  }

  /** Folds a stream from its first entry; true when an amount another stream may read changed. */
  private refold(stream: Stream): boolean {
    stream.position = new CostPosition(stream.transit ? 'average' : this.method);
    const entries = stream.entries;
    let changed = false;
    this.refoldedEntries += entries.length;
    for (let i = 0; i < entries.length; i++) {
      const before = entries.get(i, AMOUNT);
      this.foldEntry(stream, i);
      if (entries.get(i, AMOUNT) !== before) changed = true;
    }
    return changed;
  }

  // ---- folding one entry ------------------------------------------------------------------------

  private foldEntry(stream: Stream, i: number): void {
    const entries = stream.entries;
    entries.clear(i);
    const event = entries.event(i);
    const lineIndex = entries.line(i);
    const role = entries.role(i);
    switch (role) {
      case 'opening':
      case 'receipt': {
        const line = (event as EventOf<'opening-balance' | 'goods-received'>).lines[lineIndex];
        if (line) this.bringIn(stream, i, line.qty, roundHalfAwayFromZero(line.qty * line.unitCost), line.unitCost);
        break;
      }
      case 'sale':
      case 'transfer-out':
      case 'arrival': {
        const line = (event as EventOf<'sale' | 'transfer-out' | 'transfer-in'>).lines[lineIndex];
        if (line) this.takeOut(stream, i, line.qty);
        break;
      }
      case 'void':
        this.foldVoid(stream, i, event as EventOf<'sale-voided'>);
        break;
      case 'return-restock':
      case 'return-write-off':
        this.foldReturn(stream, i, event as EventOf<'return'>);
        break;
      case 'count': {
        const counted = event as EventOf<'stock-counted' | 'count-session-approved'>;
        const line = counted.lines[lineIndex];
        if (line && (counted.kind === 'stock-counted' || this.isEffectiveApproval(counted))) {
          this.changeBy(stream, i, line.countedQty - stream.position.qty);
        }
        break;
      }
      case 'adjustment': {
        const line = (event as EventOf<'stock-adjusted'>).lines[lineIndex];
        if (line) this.changeBy(stream, i, line.qty);
        break;
      }
      case 'dispatch': {
        const out = event as EventOf<'transfer-out'>;
        const line = out.lines[lineIndex];
        const amount = this.readAmount(stream, this.stock(stream.productId, out.locationId), out, lineIndex) ?? 0;
        if (line) this.bringIn(stream, i, line.qty, amount, amount / line.qty);
        break;
      }
      case 'transfer-in': {
        const arrival = event as EventOf<'transfer-in'>;
        const line = arrival.lines[lineIndex];
        const amount = this.readAmount(stream, this.transit(arrival.transferId, stream.productId), arrival, lineIndex) ?? 0;
        if (line) this.bringIn(stream, i, line.qty, amount, amount / line.qty);
        break;
      }
      default:
        assertNever(role);
    }
    entries.set(i, QTY_AFTER, stream.position.qty);
  }

  private bringIn(stream: Stream, i: number, qty: number, value: number, unitCost: number): void {
    const correction = stream.position.putIn(qty, value, unitCost);
    const entries = stream.entries;
    entries.set(i, QTY, qty);
    entries.set(i, AMOUNT, value);
    // The stock takes the provisional value of any shortfall filled plus the rest at the incoming cost.
    entries.set(i, VALUE, value - correction);
    entries.set(i, CORRECTION, correction);
  }

  private takeOut(stream: Stream, i: number, qty: number): void {
    const position = stream.position;
    const fallback = position.lastKnownCost() === undefined ? this.catalogCost(stream, stream.entries.event(i)) : undefined;
    const value = position.takeOut(qty, fallback);
    const entries = stream.entries;
    entries.set(i, QTY, -qty);
    entries.set(i, AMOUNT, value);
    entries.set(i, VALUE, -value);
    entries.set(i, SHORT_QTY, position.lastShortQty);
  }

  /** Counts and adjustments: gains come in at the last known cost, losses go out like a sale. */
  private changeBy(stream: Stream, i: number, delta: number): void {
    if (delta > 0) {
      const cost = this.knownCost(stream, stream.entries.event(i));
      this.bringIn(stream, i, delta, roundHalfAwayFromZero(delta * cost), cost);
    } else if (delta < 0) {
      this.takeOut(stream, i, -delta);
    }
  }

  private foldVoid(stream: Stream, i: number, voidEvent: EventOf<'sale-voided'>): void {
    const sale = this.byId.get(voidEvent.saleId);
    if (sale?.kind !== 'sale' || !this.isEffectiveVoid(voidEvent)) return;
    const lineIndex = stream.entries.line(i);
    const line = sale.lines[lineIndex];
    const amount = this.readAmount(stream, stream, sale, lineIndex);
    if (!line || amount === undefined) return;
    // The goods come back at exactly the cost the sale took out.
    this.bringIn(stream, i, line.qty, amount, amount / line.qty);
  }

  private foldReturn(stream: Stream, i: number, returned: EventOf<'return'>): void {
    const lineIndex = stream.entries.line(i);
    const line = returned.lines[lineIndex];
    if (!line) return;
    const unitCost = this.returnUnitCost(stream, returned, lineIndex);
    const value = roundHalfAwayFromZero(line.qty * unitCost);
    if (stream.entries.role(i) === 'return-restock') {
      this.bringIn(stream, i, line.qty, value, unitCost);
    } else {
      // Written off: the cost moves from COGS to shrinkage; nothing comes back on the shelf.
      stream.entries.set(i, AMOUNT, value);
    }
  }

  /** The unit COGS of the returned sale line, or the last known cost for a return without receipt. */
  private returnUnitCost(stream: Stream, returned: EventOf<'return'>, lineIndex: number): number {
    const line = returned.lines[lineIndex];
    if (line && returned.saleId !== undefined) {
      const sale = this.byId.get(returned.saleId);
      if (sale === undefined) {
        const waiting = this.waitingForSale.get(returned.saleId) ?? new Set<Stream>();
        waiting.add(stream);
        this.waitingForSale.set(returned.saleId, waiting);
      } else if (sale.kind === 'sale' && compareEvents(sale, returned) < 0) {
        const saleLineIndex = saleLineIndexOf(sale, line);
        const saleLine = sale.lines[saleLineIndex];
        if (saleLine && saleLine.productId === line.productId) {
          const amount = this.readAmount(stream, this.stock(saleLine.productId, sale.locationId), sale, saleLineIndex);
          if (amount !== undefined) return amount / saleLine.qty;
        }
      }
    }
    return this.knownCost(stream, returned);
  }

  /** The first void of a sale that comes after it in ledger order reverses it; later ones do nothing. */
  isEffectiveVoid(voidEvent: EventOf<'sale-voided'>): boolean {
    const sale = this.byId.get(voidEvent.saleId);
    if (sale?.kind !== 'sale' || compareEvents(sale, voidEvent) >= 0) return false;
    for (const other of this.voidsBySale.get(voidEvent.saleId) ?? []) {
      if (other !== voidEvent && compareEvents(sale, other) < 0 && compareEvents(other, voidEvent) < 0) return false;
    }
    return true;
  }

  /** The first approval of a count session in ledger order is the count; later ones change nothing. */
  isEffectiveApproval(approval: EventOf<'count-session-approved'>): boolean {
    for (const other of this.approvalsBySession.get(approval.countSessionId) ?? []) {
      if (other !== approval && compareEvents(other, approval) < 0) return false;
    }
    return true;
  }

  private knownCost(stream: Stream, event: LedgerEvent): number {
    return stream.position.lastKnownCost() ?? this.catalogCost(stream, event) ?? 0;
  }

  /** The product's catalog cost as of `event` in ledger order. */
  private catalogCost(reader: Stream, event: LedgerEvent): number | undefined {
    const readers = this.catalogReaders.get(reader.productId) ?? new Set<Stream>();
    readers.add(reader);
    this.catalogReaders.set(reader.productId, readers);
    const timeline = this.catalogCosts.get(reader.productId);
    if (!timeline) return undefined;
    let found: number | undefined;
    for (const item of timeline) {
      if (compareEvents(item.event, event) >= 0) break;
      found = item.cost;
    }
    return found;
  }

  /** Reads the amount of another stream's entry, and remembers to re-fold `reader` when that stream changes. */
  private readAmount(reader: Stream, source: Stream, event: LedgerEvent, line: number): number | undefined {
    if (source !== reader) (source.dependents ??= new Set()).add(reader);
    const index = findEntry(source, event, line);
    return index >= 0 ? source.entries.get(index, AMOUNT) : undefined;
  }

  private stock(productId: string, locationId: string): Stream {
    return this.existingStock(productId, locationId) ?? this.createStream(false, productId, locationId);
  }

  private transit(transferId: string, productId: string): Stream {
    return this.transitIndex.get(transferId)?.get(productId) ?? this.createStream(true, productId, transferId);
  }

  private existingStock(productId: string, locationId: string): Stream | undefined {
    return this.stockIndex.get(locationId)?.get(productId);
  }

  private createStream(transit: boolean, productId: string, placeId: string): Stream {
    const stream: Stream = {
      transit,
      productId,
      placeId,
      entries: new EntryTable(this.entryStore),
      position: new CostPosition(transit ? 'average' : this.method),
      dependents: undefined,
      queued: false,
    };
    this.streams.push(stream);
    pushTo(this.products, productId, stream);
    const index = transit ? this.transitIndex : this.stockIndex;
    const byProduct = index.get(placeId) ?? new Map<string, Stream>();
    byProduct.set(productId, stream);
    index.set(placeId, byProduct);
    return stream;
  }

  // ---- events by what they refer to -------------------------------------------------------------

  /** An event by id (undefined when not applied). */
  getEvent(eventId: string): LedgerEvent | undefined {
    return this.byId.get(eventId);
  }

  /**
   * The events that refer to one sale, transfer, purchase order, count session or shift, in ledger
   * order. For a sale: its voids and returns (the sale itself is `getEvent`). For a shift: the
   * shift's own events and the sales, voids and returns that name it.
   */
  eventsFor(scope: EventScope, id: string): LedgerEvent[] {
    return [...(this.scopeIndex(scope).get(id) ?? [])];
  }

  /** The ids seen in a scope, sorted. */
  idsOf(scope: EventScope): string[] {
    return [...this.scopeIndex(scope).keys()].sort(compareStrings);
  }

  private scopeIndex(scope: EventScope): Map<string, LedgerEvent[]> {
    let index = this.scopes.get(scope);
    if (index === undefined) {
      index = new Map();
      this.scopes.set(scope, index);
      for (const event of this.orderedEvents()) {
        for (const [s, id] of scopesOf(event)) if (s === scope) pushTo(index, id, event);
      }
    }
    return index;
  }

  private addToScopes(event: LedgerEvent): void {
    for (const [scope, id] of scopesOf(event)) {
      const index = this.scopes.get(scope);
      if (index === undefined) continue;
      const list = index.get(id);
      if (list) insertSorted(list, event, compareEvents);
      else index.set(id, [event]);
    }
  }

  // ---- queries: stock and cost ------------------------------------------------------------------

  /** How much work late events have caused so far: entries re-folded in total. */
  foldStats(): { refoldedEntries: number; streams: number } {
    return { refoldedEntries: this.refoldedEntries, streams: this.streams.length };
  }

  get size(): number {
    return this.byId.size;
  }

  has(eventId: string): boolean {
    return this.byId.has(eventId);
  }

  /** Events in canonical order (a copy). */
  events(): LedgerEvent[] {
    return [...this.orderedEvents()];
  }

  /** The store's locations: the default two, plus those added, each with its latest name. */
  locations(): StoreLocation[] {
    return locationsFrom(this.locationDefinitions);
  }

  onHand(productId: string, locationId: string): number {
    return this.existingStock(productId, locationId)?.position.qty ?? 0;
  }

  valuationOf(productId: string, locationId: string): Valuation {
    const position = this.existingStock(productId, locationId)?.position ?? new CostPosition(this.method);
    const shortfall = position.shortfall();
    return {
      productId,
      locationId,
      method: this.method,
      qty: position.qty,
      value: position.value,
      unitCost: position.unitCost(),
      layers: position.remainingLayers(),
      oversoldQty: shortfall.qty,
      oversoldValue: shortfall.value,
    };
  }

  /** Every product × location that has had stock movements, sorted by product, then location. */
  stockLevels(): Valuation[] {
    const levels: Valuation[] = [];
    for (const stream of this.streams) {
      if (!stream.transit) levels.push(this.valuationOf(stream.productId, stream.placeId));
    }
    return levels.sort((a, b) => compareStrings(a.productId, b.productId) || compareStrings(a.locationId, b.locationId));
  }

  /** Total stock value at all locations (the Inventory account balance), whole minor units. */
  inventoryValue(): number {
    let total = 0;
    for (const stream of this.streams) if (!stream.transit) total += stream.position.value;
    return total;
  }

  /** Goods sent and not (yet) received, per transfer and product. */
  inTransit(): InTransit[] {
    const result: InTransit[] = [];
    for (const stream of this.streams) {
      if (!stream.transit || (stream.position.qty === 0 && stream.position.value === 0)) continue;
      const out = firstEventWithRole(stream, 'dispatch') as EventOf<'transfer-out'> | undefined;
      const arrival = firstEventWithRole(stream, 'arrival') as EventOf<'transfer-in'> | undefined;
      result.push({
        transferId: stream.placeId,
        productId: stream.productId,
        fromLocationId: out?.locationId ?? arrival?.fromLocationId,
        toLocationId: arrival?.locationId ?? out?.toLocationId,
        qty: stream.position.qty,
        value: stream.position.value,
      });
    }
    return result.sort(
      (a, b) => compareStrings(a.transferId, b.transferId) || compareStrings(a.productId, b.productId),
    );
  }

  /** Stock movements of a product at every location, in ledger order. */
  movements(productId: string): Movement[] {
    const refs: EntryRef[] = [];
    for (const stream of this.products.get(productId) ?? []) {
      if (stream.transit) continue;
      for (let index = 0; index < stream.entries.length; index++) refs.push({ stream, index });
    }
    return refs.sort(compareRefs).map(toMovement);
  }

  /** COGS of each line of a sale, as posted (oversold units at their provisional cost). */
  saleCogs(saleId: string): SaleLineCost[] | undefined {
    const sale = this.byId.get(saleId);
    if (sale?.kind !== 'sale') return undefined;
    return sale.lines.map((line, i) => {
      const stream = this.existingStock(line.productId, sale.locationId);
      const index = stream ? findEntry(stream, sale, i) : -1;
      const get = (field: EntryField): number => (stream && index >= 0 ? stream.entries.get(index, field) : 0);
      return { lineId: line.lineId, productId: line.productId, qty: line.qty, cogs: get(AMOUNT), oversoldQty: get(SHORT_QTY) };
    });
  }

  /** The stock movements one event caused (empty for catalog events or an unmatched void). */
  movementsOf(eventId: string): Movement[] {
    const event = this.byId.get(eventId);
    return event ? this.entriesOf(event).filter((ref) => !ref.stream.transit).map(toMovement) : [];
  }

  /** Sale lines and other outgoing movements that took more than was on hand. */
  oversells(): Movement[] {
    const found: EntryRef[] = [];
    for (const stream of this.streams) {
      if (stream.transit) continue;
      for (let index = 0; index < stream.entries.length; index++) {
        if (stream.entries.get(index, SHORT_QTY) > 0) found.push({ stream, index });
      }
    }
    return found.sort(compareRefs).map(toMovement);
  }

  // ---- queries: the journal ---------------------------------------------------------------------

  journal(): JournalEntry[] {
    const entries: JournalEntry[] = [];
    for (const event of this.orderedEvents()) {
      const entry = this.journalOf(event.id);
      if (entry && entry.lines.length > 0) entries.push(entry);
    }
    return entries;
  }

  /** The balanced double-entry lines an event posts (debits equal credits). */
  journalOf(eventId: string): JournalEntry | undefined {
    const event = this.byId.get(eventId);
    if (!event) return undefined;
    const lines: JournalLine[] = [];
    const post = (account: AccountKey, amount: number, productId?: string, locationId?: string): void => {
      if (amount === 0) return;
      const line: JournalLine = {
        account,
        code: ACCOUNTS[account].code,
        debit: amount > 0 ? amount : 0,
        credit: amount < 0 ? -amount : 0,
      };
      if (productId !== undefined) line.productId = productId;
      if (locationId !== undefined) line.locationId = locationId;
      lines.push(line);
    };
    this.postMoney(event, post);
    for (const ref of this.entriesOf(event)) postCost(ref, post);
    return { eventId, kind: event.kind, hlc: event.hlc, lines };
  }

  private postMoney(event: LedgerEvent, post: (account: AccountKey, amount: number) => void): void {
    if (event.kind === 'sale') {
      postSaleMoney(event, 1, post);
    } else if (event.kind === 'sale-voided') {
      const sale = this.byId.get(event.saleId);
      if (sale?.kind === 'sale' && this.isEffectiveVoid(event)) postSaleMoney(sale, -1, post);
    } else if (event.kind === 'return') {
      const refund = refundTotal(event.lines);
      const tax = event.lines.reduce((sum, l) => sum + l.tax, 0);
      post('returns', refund - tax);
      post('salesTaxPayable', tax);
      // A cash refund is rounded to the drawer's coins; the difference is cash given up or kept.
      const rounding = event.cashRounding ?? 0;
      post(event.refundMethod === 'cash' ? 'cash' : 'cardClearing', -(refund + rounding));
      post('cashOverShort', rounding);
    } else if (event.kind === 'shift-closed') {
      // Drawer counted against expected: the difference is real cash gained or lost (shifts.ts).
      const difference = closingDifference(this, event) ?? 0;
      post('cash', difference);
      post('cashOverShort', -difference);
    }
  }

  trialBalance(): TrialBalance {
    const sums = new Map<AccountKey, { debit: number; credit: number }>();
    for (const entry of this.journal()) {
      for (const line of entry.lines) {
        const sum = sums.get(line.account) ?? { debit: 0, credit: 0 };
        sum.debit += line.debit;
        sum.credit += line.credit;
        sums.set(line.account, sum);
      }
    }
    const rows = (Object.keys(ACCOUNTS) as AccountKey[])
      .filter((account) => sums.has(account))
      .map((account) => {
        const sum = sums.get(account) ?? { debit: 0, credit: 0 };
        const { code, name } = ACCOUNTS[account];
        return { account, code, name, debit: sum.debit, credit: sum.credit, balance: sum.debit - sum.credit };
      });
    return {
      rows,
      totalDebit: rows.reduce((s, r) => s + r.debit, 0),
      totalCredit: rows.reduce((s, r) => s + r.credit, 0),
    };
  }

  /** Debit minus credit of one account. */
  balanceOf(account: AccountKey): number {
    return this.trialBalance().rows.find((r) => r.account === account)?.balance ?? 0;
  }

  tAccount(account: AccountKey): TAccount {
    const debits: TAccount['debits'] = [];
    const credits: TAccount['credits'] = [];
    for (const entry of this.journal()) {
      for (const line of entry.lines) {
        if (line.account !== account) continue;
        if (line.debit > 0) debits.push({ eventId: entry.eventId, amount: line.debit });
        if (line.credit > 0) credits.push({ eventId: entry.eventId, amount: line.credit });
      }
    }
    const { code, name } = ACCOUNTS[account];
    const balance = debits.reduce((s, d) => s + d.amount, 0) - credits.reduce((s, c) => s + c.amount, 0);
    return { account, code, name, debits, credits, balance };
  }
}

// ---- helpers ------------------------------------------------------------------------------------

/**
 * Events by id: an open-addressing hash table (linear probing) over an append-only event array.
 * Issue 4: a `Map` of a million string keys cost ~1 s of CPU in the full fold on the 2-core VM
 * (growing and rehashing its backing store, survivor copying); this table costs a fraction of that
 * and can be sized up front for a batch. Each slot holds the id's hash next to the event's position,
 * so a probe reads one cache line and only touches an event whose hash matches: the fold looks up a
 * million ids that are not there yet, and each avoided cache miss is ~0.1 s of the total. Only
 * add / get / has / size are needed: events are never removed.
 */
class IdIndex {
  /** In arrival order. */
  private readonly events = new ChunkedList<LedgerEvent>();
  /** Two numbers per slot: the id's hash, then the event's position in `events` + 1 (0 = empty). The slot count is a power of two; at most half are used. */
  private slots = new Int32Array(2 * 32);

  get size(): number {
    return this.events.length;
  }

  /** Makes room for `count` more events without growing on the way. */
  reserve(count: number): void {
    const needed = this.events.length + count;
    if (needed * 2 > this.slots.length / 2) this.rehash(needed * 2);
  }

  /** `hash`: `hashString(id)`, when the caller has it already. */
  get(id: string, hash = hashString(id)): LedgerEvent | undefined {
    const slots = this.slots;
    const mask = (slots.length >>> 1) - 1;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const position = slots[2 * i + 1] as number;
      if (position === 0) return undefined;
      if (slots[2 * i] === hash) {
        const event = this.events.at(position - 1);
        if (event.id === id) return event;
      }
    }
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  /** The event added last. */
  last(): LedgerEvent | undefined {
    return this.events.last();
  }

  /** Every event, in arrival order. */
  toArray(): LedgerEvent[] {
    return this.events.toArray();
  }

  /** Adds an event whose id is not in the index yet. */
  add(event: LedgerEvent, hash = hashString(event.id)): void {
    if ((this.events.length + 1) * 2 > this.slots.length / 2) this.rehash(this.slots.length);
    const position = this.events.push(event);
    this.place(this.slots, hash, position + 1);
  }

  private place(slots: Int32Array, hash: number, position: number): void {
    const mask = (slots.length >>> 1) - 1;
    let i = hash & mask;
    while (slots[2 * i + 1] !== 0) i = (i + 1) & mask;
    slots[2 * i] = hash;
    slots[2 * i + 1] = position;
  }

  private rehash(minSlots: number): void {
    let size = this.slots.length / 2;
    while (size < minSlots) size *= 2;
    const old = this.slots;
    this.slots = new Int32Array(2 * size);
    for (let k = 0; k < old.length; k += 2) {
      if (old[k + 1] !== 0) this.place(this.slots, old[k] as number, old[k + 1] as number);
    }
  }
}

/** FNV-1a over UTF-16 code units, with a final avalanche so linear probing sees well-spread bits. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h;
}

type Post = (account: AccountKey, amount: number, productId?: string, locationId?: string) => void;

function postSaleMoney(sale: EventOf<'sale'>, sign: 1 | -1, post: Post): void {
  let cash = 0;
  let card = 0;
  for (const tender of sale.tenders) {
    if (tender.method === 'cash') cash += tender.amount;
    else card += tender.amount;
  }
  post('cash', sign * cash);
  post('cardClearing', sign * card);
  post('revenue', -sign * sale.totals.net);
  post('salesTaxPayable', -sign * sale.totals.tax);
  // The cash tender is rounded to the drawer's coins; the difference is cash gained or given up.
  post('cashOverShort', -sign * (sale.cashRounding ?? 0));
}

/** The cost side of one entry; each event's entries together balance. */
function postCost(ref: EntryRef, post: Post): void {
  const { stream, index } = ref;
  const { productId, placeId } = stream;
  const entries = stream.entries;
  const p = (account: AccountKey, amount: number): void => post(account, amount, productId, placeId);
  const stockAccount: AccountKey = stream.transit ? 'inventoryInTransit' : 'inventory';
  // Incoming entries: the stock account takes the provisional value of any shortfall filled plus the
  // rest at the incoming cost; the difference for the filled units is a COGS correction.
  const bringIn = (source: AccountKey | undefined): void => {
    p(stockAccount, entries.get(index, VALUE));
    p('cogs', entries.get(index, CORRECTION));
    if (source) p(source, -entries.get(index, AMOUNT));
  };
  const role = entries.role(index);
  switch (role) {
    case 'opening':
      return bringIn('openingBalanceEquity');
    case 'receipt':
      return bringIn('goodsReceivedNotInvoiced');
    case 'void':
    case 'return-restock':
      return bringIn('cogs');
    case 'dispatch':
    case 'transfer-in':
      // The counterpart is the sender's (or the transit's) credit in the same event.
      return bringIn(undefined);
    case 'sale':
      p('cogs', entries.get(index, AMOUNT));
      return p(stockAccount, -entries.get(index, AMOUNT));
    case 'transfer-out':
    case 'arrival':
      return p(stockAccount, -entries.get(index, AMOUNT));
    case 'return-write-off':
      p('inventoryShrinkage', entries.get(index, AMOUNT));
      return p('cogs', -entries.get(index, AMOUNT));
    case 'count':
    case 'adjustment':
      if (entries.get(index, QTY) > 0) return bringIn('inventoryShrinkage');
      p('inventoryShrinkage', entries.get(index, AMOUNT));
      return p(stockAccount, -entries.get(index, AMOUNT));
    default:
      return assertNever(role);
  }
}

function toMovement(ref: EntryRef): Movement {
  const { stream, index } = ref;
  const entries = stream.entries;
  const event = entries.event(index);
  return {
    eventId: event.id,
    kind: event.kind,
    role: entries.role(index),
    hlc: event.hlc,
    productId: stream.productId,
    locationId: stream.placeId,
    qty: entries.get(index, QTY),
    qtyAfter: entries.get(index, QTY_AFTER),
    value: entries.get(index, VALUE),
    amount: entries.get(index, AMOUNT),
    correction: entries.get(index, CORRECTION),
    oversoldQty: entries.get(index, SHORT_QTY),
  };
}

function compareRefs(a: EntryRef, b: EntryRef): number {
  return (
    compareEvents(a.stream.entries.event(a.index), b.stream.entries.event(b.index)) ||
    a.stream.entries.line(a.index) - b.stream.entries.line(b.index)
  );
}

/** True when an entry of `event` belongs after every entry of the table. */
function isAtEnd(entries: EntryTable, event: LedgerEvent): boolean {
  const last = entries.lastEvent();
  return last === undefined || compareEvents(last, event) <= 0;
}

/** Where an entry of (`event`, `line`) goes to keep the table in ledger order (after equal ones). */
function insertionIndex(entries: EntryTable, event: LedgerEvent, line: number): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((compareEvents(entries.event(mid), event) || entries.line(mid) - line) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the entry of (`event`, `line`) in the stream, or −1. */
function findEntry(stream: Stream, event: LedgerEvent, line: number): number {
  const entries = stream.entries;
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareEvents(entries.event(mid), event) < 0) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < entries.length; i++) {
    if (entries.event(i).id !== event.id) break;
    if (entries.line(i) === line) return i;
  }
  return -1;
}

function firstEventWithRole(stream: Stream, role: EntryRole): LedgerEvent | undefined {
  for (let i = 0; i < stream.entries.length; i++) if (stream.entries.role(i) === role) return stream.entries.event(i);
  return undefined;
}

/**
 * The sale line a return line refers to: by line id, or else the first line of the same product.
 * `returnableQty` (returns.ts) matches lines the same way, so what it allows is what gets costed.
 */
export function saleLineIndexOf(sale: EventOf<'sale'>, line: { productId: string; saleLineId?: string }): number {
  return sale.lines.findIndex((l) => (line.saleLineId !== undefined ? l.lineId === line.saleLineId : l.productId === line.productId));
}

/** The sale, transfer, purchase order, count session or shift an event belongs to. */
function scopesOf(event: LedgerEvent): readonly (readonly [EventScope, string])[] {
  switch (event.kind) {
    case 'sale': {
      const receipt = ['receipt', event.receiptNo.toUpperCase()] as const;
      return event.shiftId === undefined ? [receipt] : [receipt, ['shift', event.shiftId]];
    }
    case 'sale-voided':
      return event.shiftId === undefined ? [['sale', event.saleId]] : [['sale', event.saleId], ['shift', event.shiftId]];
    case 'return': {
      const scopes: [EventScope, string][] = [];
      if (event.saleId !== undefined) scopes.push(['sale', event.saleId]);
      if (event.shiftId !== undefined) scopes.push(['shift', event.shiftId]);
      return scopes;
    }
    case 'transfer-out':
    case 'transfer-in':
      return [['transfer', event.transferId]];
    case 'goods-received':
      return event.purchaseOrderId === undefined ? NO_SCOPES : [['purchase-order', event.purchaseOrderId]];
    case 'purchase-order-created':
    case 'purchase-order-closed':
      return [['purchase-order', event.purchaseOrderId]];
    case 'stock-counted':
      return event.countSessionId === undefined ? NO_SCOPES : [['count-session', event.countSessionId]];
    case 'count-session-opened':
    case 'count-recorded':
    case 'count-session-approved':
      return [['count-session', event.countSessionId]];
    case 'shift-opened':
    case 'cash-moved':
    case 'shift-closed':
      return [['shift', event.shiftId]];
    case 'product-defined':
    case 'products-defined':
    case 'product-changed':
    case 'location-defined':
    case 'opening-balance':
    case 'stock-adjusted':
      return NO_SCOPES;
    default:
      return assertNever(event);
  }
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Inserts keeping the array sorted; appending the newest item is O(1). */
function insertSorted<T>(items: T[], item: T, compare: (a: T, b: T) => number): void {
  const last = items[items.length - 1];
  if (last === undefined || compare(last, item) <= 0) {
    items.push(item);
    return;
  }
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(items[mid] as T, item) <= 0) lo = mid + 1;
    else hi = mid;
  }
  items.splice(lo, 0, item);
}

function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
