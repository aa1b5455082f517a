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
import { ACCOUNTS, type AccountKey } from './accounts.ts';
import { CostPosition, type CostLayer, type ValuationMethod } from './cost-position.ts';
import type { EventOf, LedgerEvent, SaleLine } from './events.ts';
import { roundHalfAwayFromZero } from './money.ts';
import { compareEvents, compareStrings } from './order.ts';
import { parseEvent } from './validate.ts';

export type { ValuationMethod } from './cost-position.ts';

export interface LedgerOptions {
  /** The store's valuation method. */
  valuation: ValuationMethod;
  /** When set, events in another currency are rejected. */
  currency?: string;
}

export type ApplyResult =
  | { status: 'applied' }
  | { status: 'duplicate' }
  | { status: 'rejected'; error: string };

/** What an entry does to its stream. */
export type EntryRole =
  | 'opening'
  | 'receipt'
  | 'sale'
  | 'void'
  | 'return-restock'
  | 'return-write-off'
  | 'count'
  | 'adjustment'
  | 'transfer-out'
  | 'transfer-in'
  /** Transit stream: goods leave the sender and enter transit. */
  | 'dispatch'
  /** Transit stream: goods leave transit at the receiver. */
  | 'arrival';

interface Stream {
  readonly transit: boolean;
  readonly productId: string;
  /** Location id for stock, transfer id for transit. */
  readonly placeId: string;
  readonly entries: Entry[];
  position: CostPosition;
  /** Streams whose entries read values from this one. */
  readonly dependents: Set<Stream>;
  queued: boolean;
}

interface Entry {
  readonly event: LedgerEvent;
  /** Index of the line within the event (for voids: within the voided sale). */
  readonly line: number;
  readonly role: EntryRole;
  readonly stream: Stream;
  /** Signed change of the quantity. */
  qty: number;
  qtyAfter: number;
  /** Signed change of the stream's value (Inventory or In transit). */
  value: number;
  /** The movement's own value, ≥ 0: the cost taken out, or the value brought in. */
  amount: number;
  /** COGS correction of a shortfall filled by this entry (incoming entries only). */
  correction: number;
  /** Units sold or moved beyond the stock on hand (an oversell). */
  shortQty: number;
}

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

const APPLIED: ApplyResult = Object.freeze({ status: 'applied' });
const DUPLICATE: ApplyResult = Object.freeze({ status: 'duplicate' });

export class Ledger {
  readonly method: ValuationMethod;
  private readonly currency: string | undefined;
  private readonly byId = new Map<string, LedgerEvent>();
  /** All events in canonical order. */
  private readonly ordered: LedgerEvent[] = [];
  /** Every stream, in creation order, for queries that visit them all. */
  private readonly streams: Stream[] = [];
  /** productId → locationId → stream. Nested maps: no key string to build per lookup. */
  private readonly stockIndex = new Map<string, Map<string, Stream>>();
  /** transferId → productId → stream. */
  private readonly transitIndex = new Map<string, Map<string, Stream>>();
  private readonly streamsByProduct = new Map<string, Stream[]>();
  private readonly voidsBySale = new Map<string, LedgerEvent[]>();
  /** Streams that looked for a sale that has not arrived yet. */
  private readonly waitingForSale = new Map<string, Set<Stream>>();
  private readonly catalogCosts = new Map<string, { event: LedgerEvent; cost: number }[]>();
  private readonly catalogReaders = new Map<string, Set<Stream>>();
  private readonly queue: Stream[] = [];
  /** Entries folded again because an event arrived late (for tests and the benchmark). */
  private refoldedEntries = 0;

  constructor(options: LedgerOptions) {
    this.method = options.valuation;
    this.currency = options.currency;
  }

  /** Builds a ledger from a batch (sorted first, so the fold is one pass of appends). */
  static fromEvents(events: Iterable<LedgerEvent>, options: LedgerOptions): Ledger {
    const ledger = new Ledger(options);
    const list = Array.isArray(events) ? (events as LedgerEvent[]) : [...events];
    // Stored events usually come back already in ledger order (an index on hlc): skip the sort then.
    let sorted = true;
    for (let i = 1; i < list.length && sorted; i++) sorted = compareEvents(list[i - 1] as LedgerEvent, list[i] as LedgerEvent) <= 0;
    const ordered = sorted ? list : [...list].sort(compareEvents);
    for (const event of ordered) ledger.apply(event);
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
    const known = this.byId.get(event.id);
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
    this.byId.set(event.id, event);
    insertSorted(this.ordered, event, compareEvents);
    this.project(event);
    this.settle();
    return APPLIED;
  }

  private project(event: LedgerEvent): void {
    switch (event.kind) {
      case 'product-defined':
        this.recordCatalogCost(event.product.id, event, event.product.cost);
        return;
      case 'product-changed':
        if (event.changes.cost !== undefined) this.recordCatalogCost(event.productId, event, event.changes.cost);
        return;
      case 'opening-balance':
        return this.addLineEntries(event, event.lines, 'opening');
      case 'goods-received':
        return this.addLineEntries(event, event.lines, 'receipt');
      case 'stock-counted':
        return this.addLineEntries(event, event.lines, 'count');
      case 'stock-adjusted':
        return this.addLineEntries(event, event.lines, 'adjustment');
      case 'sale':
        this.addLineEntries(event, event.lines, 'sale');
        for (const voidEvent of this.voidsBySale.get(event.id) ?? []) this.addVoidEntries(voidEvent, event);
        this.enqueueAll(this.waitingForSale.get(event.id));
        this.waitingForSale.delete(event.id);
        return;
      case 'sale-voided': {
        const voids = this.voidsBySale.get(event.saleId) ?? [];
        voids.push(event);
        this.voidsBySale.set(event.saleId, voids);
        const sale = this.byId.get(event.saleId);
        if (sale?.kind === 'sale') this.addVoidEntries(event, sale);
        return;
      }
      case 'return':
        for (let i = 0; i < event.lines.length; i++) {
          const line = event.lines[i] as (typeof event.lines)[number];
          const role = line.disposition === 'restock' ? 'return-restock' : 'return-write-off';
          this.addEntry(this.stock(line.productId, event.locationId), event, i, role);
        }
        return;
      case 'transfer-out':
        for (let i = 0; i < event.lines.length; i++) {
          const productId = (event.lines[i] as (typeof event.lines)[number]).productId;
          this.addEntry(this.stock(productId, event.locationId), event, i, 'transfer-out');
          this.addEntry(this.transit(event.transferId, productId), event, i, 'dispatch');
        }
        return;
      case 'transfer-in':
        for (let i = 0; i < event.lines.length; i++) {
          const productId = (event.lines[i] as (typeof event.lines)[number]).productId;
          this.addEntry(this.transit(event.transferId, productId), event, i, 'arrival');
          this.addEntry(this.stock(productId, event.locationId), event, i, 'transfer-in');
        }
        return;
      default:
        return assertNever(event);
    }
  }

  private addLineEntries(event: LedgerEvent, lines: readonly { productId: string }[], role: EntryRole): void {
    for (let i = 0; i < lines.length; i++) {
      this.addEntry(this.stock((lines[i] as { productId: string }).productId, event.locationId), event, i, role);
    }
  }

  private addVoidEntries(voidEvent: LedgerEvent, sale: EventOf<'sale'>): void {
    for (let i = 0; i < sale.lines.length; i++) {
      this.addEntry(this.stock((sale.lines[i] as SaleLine).productId, sale.locationId), voidEvent, i, 'void');
    }
  }

  /** The entries an event made, found through its streams (no per-event index: it would cost a map entry per event). */
  private entriesOf(event: LedgerEvent): Entry[] {
    const found: Entry[] = [];
    const collect = (stream: Stream | undefined, line: number): void => {
      const entry = stream ? findEntry(stream, event, line) : undefined;
      if (entry) found.push(entry);
    };
    switch (event.kind) {
      case 'product-defined':
      case 'product-changed':
        break;
      case 'opening-balance':
      case 'goods-received':
      case 'stock-counted':
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

  private addEntry(stream: Stream, event: LedgerEvent, line: number, role: EntryRole): void {
    const entry: Entry = { event, line, role, stream, qty: 0, qtyAfter: 0, value: 0, amount: 0, correction: 0, shortQty: 0 };
    const entries = stream.entries;
    const last = entries[entries.length - 1];
    if (!stream.queued && (last === undefined || compareEvents(last.event, event) <= 0)) {
      // Newest in its stream: fold it onto the current position (the O(1) path).
      entries.push(entry);
      this.foldEntry(stream, entry);
      return;
    }
    insertSorted(entries, entry, compareEntries);
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
    let changed = false;
    this.refoldedEntries += stream.entries.length;
    for (const entry of stream.entries) {
      const before = entry.amount;
      this.foldEntry(stream, entry);
      if (entry.amount !== before) changed = true;
    }
    return changed;
  }

  // ---- folding one entry ------------------------------------------------------------------------

  private foldEntry(stream: Stream, entry: Entry): void {
    entry.qty = 0;
    entry.value = 0;
    entry.amount = 0;
    entry.correction = 0;
    entry.shortQty = 0;
    const event = entry.event;
    switch (entry.role) {
      case 'opening':
      case 'receipt': {
        const line = (event as EventOf<'opening-balance' | 'goods-received'>).lines[entry.line];
        if (line) this.bringIn(stream, entry, line.qty, roundHalfAwayFromZero(line.qty * line.unitCost), line.unitCost);
        break;
      }
      case 'sale':
      case 'transfer-out':
      case 'arrival': {
        const line = (event as EventOf<'sale' | 'transfer-out' | 'transfer-in'>).lines[entry.line];
        if (line) this.takeOut(stream, entry, line.qty);
        break;
      }
      case 'void':
        this.foldVoid(stream, entry, event as EventOf<'sale-voided'>);
        break;
      case 'return-restock':
      case 'return-write-off':
        this.foldReturn(stream, entry, event as EventOf<'return'>);
        break;
      case 'count': {
        const line = (event as EventOf<'stock-counted'>).lines[entry.line];
        if (line) this.changeBy(stream, entry, line.countedQty - stream.position.qty);
        break;
      }
      case 'adjustment': {
        const line = (event as EventOf<'stock-adjusted'>).lines[entry.line];
        if (line) this.changeBy(stream, entry, line.qty);
        break;
      }
      case 'dispatch': {
        const out = event as EventOf<'transfer-out'>;
        const line = out.lines[entry.line];
        const source = this.readEntry(stream, this.stock(stream.productId, out.locationId), out, entry.line);
        if (line) this.bringIn(stream, entry, line.qty, source?.amount ?? 0, (source?.amount ?? 0) / line.qty);
        break;
      }
      case 'transfer-in': {
        const arrival = event as EventOf<'transfer-in'>;
        const line = arrival.lines[entry.line];
        const source = this.readEntry(stream, this.transit(arrival.transferId, stream.productId), arrival, entry.line);
        if (line) this.bringIn(stream, entry, line.qty, source?.amount ?? 0, (source?.amount ?? 0) / line.qty);
        break;
      }
      default:
        assertNever(entry.role);
    }
    entry.qtyAfter = stream.position.qty;
  }

  private bringIn(stream: Stream, entry: Entry, qty: number, value: number, unitCost: number): void {
    const incoming = stream.position.putIn(qty, value, unitCost);
    entry.qty = qty;
    entry.amount = value;
    entry.value = incoming.stockValue;
    entry.correction = incoming.correction;
  }

  private takeOut(stream: Stream, entry: Entry, qty: number): void {
    const fallback = stream.position.lastKnownCost() === undefined ? this.catalogCost(stream, entry.event) : undefined;
    const outgoing = stream.position.takeOut(qty, fallback);
    entry.qty = -qty;
    entry.amount = outgoing.value;
    entry.value = -outgoing.value;
    entry.shortQty = outgoing.shortQty;
  }

  /** Counts and adjustments: gains come in at the last known cost, losses go out like a sale. */
  private changeBy(stream: Stream, entry: Entry, delta: number): void {
    if (delta > 0) {
      const cost = this.knownCost(stream, entry.event);
      this.bringIn(stream, entry, delta, roundHalfAwayFromZero(delta * cost), cost);
    } else if (delta < 0) {
      this.takeOut(stream, entry, -delta);
    }
  }

  private foldVoid(stream: Stream, entry: Entry, voidEvent: EventOf<'sale-voided'>): void {
    const sale = this.byId.get(voidEvent.saleId);
    if (sale?.kind !== 'sale' || !this.isEffectiveVoid(voidEvent)) return;
    const line = sale.lines[entry.line];
    const saleEntry = this.readEntry(stream, stream, sale, entry.line);
    if (!line || !saleEntry) return;
    // The goods come back at exactly the cost the sale took out.
    this.bringIn(stream, entry, line.qty, saleEntry.amount, saleEntry.amount / line.qty);
  }

  private foldReturn(stream: Stream, entry: Entry, returned: EventOf<'return'>): void {
    const line = returned.lines[entry.line];
    if (!line) return;
    const unitCost = this.returnUnitCost(stream, returned, entry.line);
    const value = roundHalfAwayFromZero(line.qty * unitCost);
    if (entry.role === 'return-restock') {
      this.bringIn(stream, entry, line.qty, value, unitCost);
    } else {
      // Written off: the cost moves from COGS to shrinkage; nothing comes back on the shelf.
      entry.amount = value;
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
        const saleLineIndex = sale.lines.findIndex((l) =>
          line.saleLineId !== undefined ? l.lineId === line.saleLineId : l.productId === line.productId,
        );
        const saleLine = sale.lines[saleLineIndex];
        if (saleLine && saleLine.productId === line.productId) {
          const source = this.readEntry(stream, this.stock(saleLine.productId, sale.locationId), sale, saleLineIndex);
          if (source) return source.amount / saleLine.qty;
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

  /** Reads another stream's entry, and remembers to re-fold `reader` when that stream changes. */
  private readEntry(reader: Stream, source: Stream, event: LedgerEvent, line: number): Entry | undefined {
    if (source !== reader) source.dependents.add(reader);
    return findEntry(source, event, line);
  }

  private stock(productId: string, locationId: string): Stream {
    return this.existingStock(productId, locationId) ?? this.createStream(false, productId, locationId);
  }

  private transit(transferId: string, productId: string): Stream {
    return this.transitIndex.get(transferId)?.get(productId) ?? this.createStream(true, productId, transferId);
  }

  private existingStock(productId: string, locationId: string): Stream | undefined {
    return this.stockIndex.get(productId)?.get(locationId);
  }

  private createStream(transit: boolean, productId: string, placeId: string): Stream {
    const stream: Stream = {
      transit,
      productId,
      placeId,
      entries: [],
      position: new CostPosition(transit ? 'average' : this.method),
      dependents: new Set(),
      queued: false,
    };
    this.streams.push(stream);
    const [outer, inner] = transit ? [this.transitIndex, placeId] : [this.stockIndex, productId];
    const byKey = outer.get(inner) ?? new Map<string, Stream>();
    byKey.set(transit ? productId : placeId, stream);
    outer.set(inner, byKey);
    const ofProduct = this.streamsByProduct.get(productId);
    if (ofProduct) ofProduct.push(stream);
    else this.streamsByProduct.set(productId, [stream]);
    return stream;
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
    return [...this.ordered];
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
      const out = stream.entries.find((e) => e.role === 'dispatch')?.event as EventOf<'transfer-out'> | undefined;
      const arrival = stream.entries.find((e) => e.role === 'arrival')?.event as EventOf<'transfer-in'> | undefined;
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
    const movements: { entry: Entry; movement: Movement }[] = [];
    for (const stream of this.streamsByProduct.get(productId) ?? []) {
      if (stream.transit) continue;
      for (const entry of stream.entries) movements.push({ entry, movement: toMovement(entry) });
    }
    movements.sort((a, b) => compareEntries(a.entry, b.entry));
    return movements.map((m) => m.movement);
  }

  /** COGS of each line of a sale, as posted (oversold units at their provisional cost). */
  saleCogs(saleId: string): SaleLineCost[] | undefined {
    const sale = this.byId.get(saleId);
    if (sale?.kind !== 'sale') return undefined;
    return sale.lines.map((line, i) => {
      const stream = this.existingStock(line.productId, sale.locationId);
      const found = stream ? findEntry(stream, sale, i) : undefined;
      return { lineId: line.lineId, productId: line.productId, qty: line.qty, cogs: found?.amount ?? 0, oversoldQty: found?.shortQty ?? 0 };
    });
  }

  /** The stock movements one event caused (empty for catalog events or an unmatched void). */
  movementsOf(eventId: string): Movement[] {
    const event = this.byId.get(eventId);
    return event ? this.entriesOf(event).filter((e) => !e.stream.transit).map(toMovement) : [];
  }

  /** Sale lines and other outgoing movements that took more than was on hand. */
  oversells(): Movement[] {
    const found: { entry: Entry; movement: Movement }[] = [];
    for (const stream of this.streams) {
      for (const entry of stream.entries) {
        if (entry.shortQty > 0 && !stream.transit) found.push({ entry, movement: toMovement(entry) });
      }
    }
    found.sort((a, b) => compareEntries(a.entry, b.entry));
    return found.map((f) => f.movement);
  }

  // ---- queries: the journal ---------------------------------------------------------------------

  journal(): JournalEntry[] {
    const entries: JournalEntry[] = [];
    for (const event of this.ordered) {
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
    for (const entry of this.entriesOf(event)) postCost(entry, post);
    return { eventId, kind: event.kind, hlc: event.hlc, lines };
  }

  private postMoney(event: LedgerEvent, post: (account: AccountKey, amount: number) => void): void {
    if (event.kind === 'sale') {
      postSaleMoney(event, 1, post);
    } else if (event.kind === 'sale-voided') {
      const sale = this.byId.get(event.saleId);
      if (sale?.kind === 'sale' && this.isEffectiveVoid(event)) postSaleMoney(sale, -1, post);
    } else if (event.kind === 'return') {
      const refund = event.lines.reduce((sum, l) => sum + l.refund, 0);
      const tax = event.lines.reduce((sum, l) => sum + l.tax, 0);
      post('returns', refund - tax);
      post('salesTaxPayable', tax);
      post(event.refundMethod === 'cash' ? 'cash' : 'cardClearing', -refund);
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
}

/** The cost side of one entry; each event's entries together balance. */
function postCost(entry: Entry, post: Post): void {
  const { productId, placeId } = entry.stream;
  const p = (account: AccountKey, amount: number): void => post(account, amount, productId, placeId);
  const stockAccount: AccountKey = entry.stream.transit ? 'inventoryInTransit' : 'inventory';
  // Incoming entries: the stock account takes the provisional value of any shortfall filled plus the
  // rest at the incoming cost; the difference for the filled units is a COGS correction.
  const bringIn = (source: AccountKey | undefined): void => {
    p(stockAccount, entry.value);
    p('cogs', entry.correction);
    if (source) p(source, -entry.amount);
  };
  switch (entry.role) {
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
      p('cogs', entry.amount);
      return p(stockAccount, -entry.amount);
    case 'transfer-out':
    case 'arrival':
      return p(stockAccount, -entry.amount);
    case 'return-write-off':
      p('inventoryShrinkage', entry.amount);
      return p('cogs', -entry.amount);
    case 'count':
    case 'adjustment':
      if (entry.qty > 0) return bringIn('inventoryShrinkage');
      p('inventoryShrinkage', entry.amount);
      return p(stockAccount, -entry.amount);
    default:
      return assertNever(entry.role);
  }
}

function toMovement(entry: Entry): Movement {
  return {
    eventId: entry.event.id,
    kind: entry.event.kind,
    role: entry.role,
    hlc: entry.event.hlc,
    productId: entry.stream.productId,
    locationId: entry.stream.placeId,
    qty: entry.qty,
    qtyAfter: entry.qtyAfter,
    value: entry.value,
    amount: entry.amount,
    correction: entry.correction,
    oversoldQty: entry.shortQty,
  };
}

function compareEntries(a: Entry, b: Entry): number {
  return compareEvents(a.event, b.event) || a.line - b.line;
}

function findEntry(stream: Stream, event: LedgerEvent, line: number): Entry | undefined {
  const entries = stream.entries;
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareEvents((entries[mid] as Entry).event, event) < 0) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < entries.length; i++) {
    const entry = entries[i] as Entry;
    if (entry.event.id !== event.id) break;
    if (entry.line === line) return entry;
  }
  return undefined;
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
