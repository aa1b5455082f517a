/**
 * Stock queries over the cost fold: what is on hand and what it is worth, goods in transit, oversells,
 * and the movements behind them. Each reads the streams as they are after the last applied event.
 */
import { CostPosition, type CostLayer, type ValuationMethod } from '../cost-position.ts';
import { AMOUNT, CORRECTION, QTY, QTY_AFTER, SHORT_QTY, VALUE, type EntryField, type EntryRole } from '../entry-table.ts';
import type { EventOf, LedgerEvent } from '../events.ts';
import { compareStrings } from '../order.ts';
import type { CostFold } from './cost-fold.ts';
import { compareRefs, findEntry, firstEventWithRole, qtyAsAt, type EntryRef } from './streams.ts';

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

/** What one entry of an event did to one stream: the journal posts its cost side from this. */
export interface EntryOutcome {
  role: EntryRole;
  /** Goods in transit: `placeId` is then the transfer id. */
  transit: boolean;
  productId: string;
  /** Location id for stock, transfer id for transit. */
  placeId: string;
  qty: number;
  /** Signed change of the stock value. */
  value: number;
  /** Cost of the movement (COGS for a sale line, the incoming value for a receipt). */
  amount: number;
  correction: number;
}

/** When a stream's stock first moved and when it last sold, as the events' `recordedAt` (ISO wall clock). */
export interface StockActivity {
  firstMovedAt: string;
  /** The latest sale in ledger order (a voided one too: it was a sale); undefined when never sold here. */
  lastSoldAt: string | undefined;
}

export function onHand(fold: CostFold, productId: string, locationId: string): number {
  return fold.existingStock(productId, locationId)?.position.qty ?? 0;
}

/** Scans back from the newest entry: a selling product finds its last sale in a few steps. */
export function stockActivity(fold: CostFold, productId: string, locationId: string): StockActivity | undefined {
  const entries = fold.existingStock(productId, locationId)?.entries;
  if (!entries || entries.length === 0) return undefined;
  let lastSoldAt: string | undefined;
  for (let i = entries.length - 1; i >= 0 && lastSoldAt === undefined; i--) if (entries.role(i) === 'sale') lastSoldAt = entries.event(i).recordedAt;
  return { firstMovedAt: entries.event(0).recordedAt, lastSoldAt };
}

/** On hand as at a moment: after every movement stamped at or before `hlc` (a count's review). */
export function onHandAsAt(fold: CostFold, productId: string, locationId: string, hlc: string): number {
  const stream = fold.existingStock(productId, locationId);
  return stream ? qtyAsAt(stream.entries, hlc, stream.entries.length) : 0;
}

/** One product × location as at a moment: what the stream held after its last entry at or before it. */
export interface StockAsAt {
  productId: string;
  locationId: string;
  qty: number;
  /** Whole minor units: the stream's value (its share of the Inventory account) as at that moment. */
  value: number;
}

/**
 * Every product × location with a movement at or before `hlc`, as at that moment, sorted by product,
 * then location. Exact from the ledger: the entries are in ledger order, so the quantity is the
 * entry's own `QTY_AFTER` and the value the sum of the entries' signed value changes up to it (the
 * fold keeps the position's value equal to that sum, cost-fold.ts). Entries after the moment cannot
 * change an earlier entry: every entry is folded from the ones before it in ledger order.
 */
export function stockAsAt(fold: CostFold, hlc: string): StockAsAt[] {
  const rows: StockAsAt[] = [];
  for (const stream of fold.streams) {
    if (stream.transit) continue;
    const entries = stream.entries;
    let value = 0;
    let count = 0;
    for (; count < entries.length && compareStrings(entries.event(count).hlc, hlc) <= 0; count++) value += entries.get(count, VALUE);
    if (count === 0) continue;
    rows.push({ productId: stream.productId, locationId: stream.placeId, qty: entries.get(count - 1, QTY_AFTER), value });
  }
  return rows.sort((a, b) => compareStrings(a.productId, b.productId) || compareStrings(a.locationId, b.locationId));
}

export function valuationOf(fold: CostFold, productId: string, locationId: string): Valuation {
  const position = fold.existingStock(productId, locationId)?.position ?? new CostPosition(fold.method);
  const shortfall = position.shortfall();
  return {
    productId,
    locationId,
    method: fold.method,
    qty: position.qty,
    value: position.value,
    unitCost: position.unitCost(),
    layers: position.remainingLayers(),
    oversoldQty: shortfall.qty,
    oversoldValue: shortfall.value,
  };
}

/** Every product × location that has had stock movements, sorted by product, then location. */
export function stockLevels(fold: CostFold): Valuation[] {
  const levels: Valuation[] = [];
  for (const stream of fold.streams) {
    if (!stream.transit) levels.push(valuationOf(fold, stream.productId, stream.placeId));
  }
  return levels.sort((a, b) => compareStrings(a.productId, b.productId) || compareStrings(a.locationId, b.locationId));
}

/** Total stock value at all locations (the Inventory account balance), whole minor units. */
export function inventoryValue(fold: CostFold): number {
  let total = 0;
  for (const stream of fold.streams) if (!stream.transit) total += stream.position.value;
  return total;
}

/** Goods sent and not (yet) received, per transfer and product. */
export function inTransit(fold: CostFold): InTransit[] {
  const result: InTransit[] = [];
  for (const stream of fold.streams) {
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
  return result.sort((a, b) => compareStrings(a.transferId, b.transferId) || compareStrings(a.productId, b.productId));
}

/** One stock entry as `forEachStockEntry` hands it over (read it before the next event is applied). */
export type StockEntryVisitor = (event: LedgerEvent, line: number, role: EntryRole, qty: number, qtyAfter: number) => void;

/**
 * Visits one product × location's stock entries in ledger order without making a `Movement` each:
 * replenishment reads a year of them for every product × location (issue 16).
 */
export function forEachStockEntry(fold: CostFold, productId: string, locationId: string, visit: StockEntryVisitor): void {
  const entries = fold.existingStock(productId, locationId)?.entries;
  if (!entries) return;
  for (let i = 0; i < entries.length; i++) visit(entries.event(i), entries.line(i), entries.role(i), entries.get(i, QTY), entries.get(i, QTY_AFTER));
}

/** Every product × location with stock entries, unsorted. */
export function stockKeys(fold: CostFold): { productId: string; locationId: string }[] {
  const keys: { productId: string; locationId: string }[] = [];
  for (const stream of fold.streams) if (!stream.transit) keys.push({ productId: stream.productId, locationId: stream.placeId });
  return keys;
}

/** Stock movements of a product at every location, in ledger order. */
export function movements(fold: CostFold, productId: string): Movement[] {
  const refs: EntryRef[] = [];
  for (const stream of fold.products.get(productId) ?? []) {
    if (stream.transit) continue;
    for (let index = 0; index < stream.entries.length; index++) refs.push({ stream, index });
  }
  return refs.sort(compareRefs).map(toMovement);
}

/** COGS of each line of a sale, as posted (oversold units at their provisional cost). */
export function saleCogs(fold: CostFold, sale: EventOf<'sale'>): SaleLineCost[] {
  return sale.lines.map((line, i) => {
    const stream = fold.existingStock(line.productId, sale.locationId);
    const index = stream ? findEntry(stream, sale, i) : -1;
    const get = (field: EntryField): number => (stream && index >= 0 ? stream.entries.get(index, field) : 0);
    return { lineId: line.lineId, productId: line.productId, qty: line.qty, cogs: get(AMOUNT), oversoldQty: get(SHORT_QTY) };
  });
}

/**
 * The COGS of every sale line stamped at or after `hlc`, by sale id and line index: one walk back over
 * each stream's newest entries, instead of a binary search per line (`saleCogs`), for figures over a
 * window such as the owner's two months of a year's ledger.
 */
export function saleLineCogsSince(fold: CostFold, hlc: string): Map<string, number[]> {
  const bySale = new Map<string, number[]>();
  for (const stream of fold.streams) {
    if (stream.transit) continue;
    const entries = stream.entries;
    for (let i = entries.length - 1; i >= 0; i--) {
      const event = entries.event(i);
      if (event.hlc < hlc) break;
      if (entries.role(i) !== 'sale') continue;
      let lines = bySale.get(event.id);
      if (!lines) bySale.set(event.id, (lines = []));
      lines[entries.line(i)] = entries.get(i, AMOUNT);
    }
  }
  return bySale;
}

/** The stock movements one event caused (empty for catalog events or an unmatched void). */
export function movementsOf(fold: CostFold, event: LedgerEvent): Movement[] {
  return fold.entriesOf(event).filter((ref) => !ref.stream.transit).map(toMovement);
}

/** What each entry of an event did, in stock and in transit, in the order the event's lines go. */
export function entryOutcomesOf(fold: CostFold, event: LedgerEvent): EntryOutcome[] {
  return fold.entriesOf(event).map(({ stream, index }) => ({
    role: stream.entries.role(index),
    transit: stream.transit,
    productId: stream.productId,
    placeId: stream.placeId,
    qty: stream.entries.get(index, QTY),
    value: stream.entries.get(index, VALUE),
    amount: stream.entries.get(index, AMOUNT),
    correction: stream.entries.get(index, CORRECTION),
  }));
}

/** Sale lines and other outgoing movements that took more than was on hand. */
export function oversells(fold: CostFold): Movement[] {
  const found: EntryRef[] = [];
  for (const stream of fold.streams) {
    if (stream.transit) continue;
    for (let index = 0; index < stream.entries.length; index++) {
      if (stream.entries.get(index, SHORT_QTY) > 0) found.push({ stream, index });
    }
  }
  return found.sort(compareRefs).map(toMovement);
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
