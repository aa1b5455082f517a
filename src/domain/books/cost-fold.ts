/**
 * The cost fold: stock, cost and COGS per product × location, folded entry by entry.
 *
 * - Every stock-affecting event line becomes an entry in a *stream* (streams.ts): one stream per
 *   product × location, plus one per transfer × product for goods in transit. A stream keeps its
 *   entries in canonical order and a `CostPosition` (FIFO layers or moving average) after the last one.
 * - Applying an event that is newest in its streams folds just its entries onto the current
 *   positions: O(lines) per event. An event that sorts before existing entries (a sale made offline,
 *   synced later) is inserted in place and only the streams it touches are re-folded.
 * - A few entries take their value from another stream: a transfer-in from goods in transit, goods
 *   in transit from the transfer-out, a return or void from the COGS of the sale line. A re-fold that
 *   changes such a value re-folds the streams that read it. Reads only ever look backwards in
 *   canonical order, so this settles.
 *
 * This is the hot path of a full fold (a million events): no allocation per event beyond the entries.
 */
import { assertNever } from '../assert-never.ts';
import { CostPosition, type ValuationMethod } from '../cost-position.ts';
import { AMOUNT, CORRECTION, EntryStore, EntryTable, QTY, QTY_AFTER, SHORT_QTY, VALUE, type EntryRole } from '../entry-table.ts';
import type { EventOf, LedgerEvent, SaleLine } from '../events.ts';
import { roundHalfAwayFromZero } from '../money.ts';
import { saleLineIndexOf } from '../sale-lines.ts';
import { compareEvents } from '../order.ts';
import { insertSorted, type IdIndex } from './event-index.ts';
import { findEntry, insertionIndex, isAtEnd, qtyAsAt, type EntryRef, type Stream } from './streams.ts';

export class CostFold {
  /** The entries of every stream. */
  private readonly entryStore = new EntryStore();

  /** The event of an entry's row (see EntryTable.row). */
  eventOfRow(row: number): LedgerEvent {
    return this.entryStore.event(row);
  }

  /** How many entry rows there are. */
  get entryRows(): number {
    return this.entryStore.size;
  }
  /** Every stream, in creation order, for queries that visit them all. */
  readonly streams: Stream[] = [];
  /** productId → every stream of the product (stock and transit). */
  readonly products = new Map<string, Stream[]>();
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
  private readonly catalogCosts = new Map<string, { event: LedgerEvent; cost: number }[]>();
  private readonly catalogReaders = new Map<string, Set<Stream>>();
  private readonly queue: Stream[] = [];
  private refolded = 0;

  /** `byId`: the books' event index, for the sale a void or return refers to. */
  constructor(
    readonly method: ValuationMethod,
    private readonly byId: IdIndex,
  ) {}

  /** Entries folded again because an event arrived late (for tests and the benchmark). */
  get refoldedEntries(): number {
    return this.refolded;
  }

  /** Adds the entries of an event that has just joined the event index; `newest`: it sorts after every other. */
  project(event: LedgerEvent, newest: boolean): void {
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
        // No stock and nothing posted: it only names a place (the books keep the names).
        return;
      case 'store-settings-changed':
        // No stock and nothing posted: the books keep the settings (store-settings.ts).
        return;
      case 'reorder-levels-set':
        // No stock and nothing posted: the books keep the levels (reorder-levels.ts).
        return;
      case 'supplier-lead-time-set':
        // No stock and nothing posted: replenishment reads it (replenishment/lead-times.ts).
        return;
      case 'staff-member-defined':
      case 'pin-rejected':
        // No stock and nothing posted: the books keep the staff (staff.ts); the audit trail reads both.
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
        // read these events, and a shift's close posts its cash difference (journal.ts).
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
  entriesOf(event: LedgerEvent): EntryRef[] {
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
      case 'store-settings-changed':
      case 'reorder-levels-set':
      case 'supplier-lead-time-set':
      case 'staff-member-defined':
      case 'pin-rejected':
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
  settle(): void {
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
    this.refolded += entries.length;
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
          // A count taken before its approval adjusts by counted − on hand when it was taken, so
          // what moved between counting and approving (a delivery, a sale) is kept.
          const countedAt = counted.kind === 'count-session-approved' ? counted.lines[lineIndex]?.countedAt : undefined;
          const expected = countedAt === undefined ? stream.position.qty : qtyAsAt(entries, countedAt, i);
          this.changeBy(stream, i, line.countedQty - expected);
        }
        break;
      }
      case 'adjustment': {
        const line = (event as EventOf<'stock-adjusted'>).lines[lineIndex];
        if (line) this.changeBy(stream, i, line.qty);
        break;
      }
      case 'dispatch':
      case 'transfer-in': {
        // Goods moved on at the cost they left with: sent stock into transit, or transit into stock.
        const moved = event as EventOf<'transfer-out' | 'transfer-in'>;
        const line = moved.lines[lineIndex];
        const source = moved.kind === 'transfer-out' ? this.stock(stream.productId, moved.locationId) : this.transit(moved.transferId, stream.productId);
        const amount = this.readAmount(stream, source, moved, lineIndex) ?? 0;
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

  existingStock(productId: string, locationId: string): Stream | undefined {
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
    const ofProduct = this.products.get(productId);
    if (ofProduct) ofProduct.push(stream);
    else this.products.set(productId, [stream]);
    const index = transit ? this.transitIndex : this.stockIndex;
    const byProduct = index.get(placeId) ?? new Map<string, Stream>();
    byProduct.set(productId, stream);
    index.set(placeId, byProduct);
    return stream;
  }
}
