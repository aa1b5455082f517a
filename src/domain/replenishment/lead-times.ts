/**
 * Lead time per supplier (issue 16, item 3): how many days its orders take to arrive.
 *
 * - Learned from purchase orders: from the order's business date (its `purchase-order-created`
 *   `recordedAt`) to the business date of the first goods received against it (the first
 *   `goods-received` with that `purchaseOrderId` in ledger order), in whole days. A supplier's lead
 *   time is the median of its last `LEARN_FROM_ORDERS` received orders (latest receipts in ledger
 *   order): one late delivery does not move it, a supplier that got slower shows within a few orders.
 *   A median of an even count is the mean of the middle two, rounded half up; a same-day delivery
 *   counts as one day (orders are reviewed once a day).
 * - The owner's `supplier-lead-time-set` overrides it (latest in ledger order; null goes back to the
 *   learned one).
 * - Else the store's `defaultLeadTimeDays`.
 */
import type { Books } from '../books/index.ts';
import type { EventOf, LedgerEvent } from '../events.ts';
import { compareEvents } from '../order.ts';
import { MAX_LEAD_TIME_DAYS } from '../store-settings.ts';
import type { BusinessDays } from './demand-history.ts';
import type { LeadTime } from './types.ts';

export const LEARN_FROM_ORDERS = 5;

export interface LearnedLeadTime {
  days: number;
  orders: number;
}

/** One received purchase order: its supplier, how long it took, and its first receipt (for order). */
interface ReceivedOrder {
  supplier: string;
  days: number;
  receipt: LedgerEvent;
}

/** The learned lead time of every supplier with a received purchase order. */
export function learnedLeadTimes(books: Books, days: BusinessDays): Map<string, LearnedLeadTime> {
  const bySupplier = new Map<string, ReceivedOrder[]>();
  for (const id of books.idsOf('purchase-order')) {
    const received = receivedOrder(books.eventsFor('purchase-order', id), days);
    if (!received) continue;
    const list = bySupplier.get(received.supplier) ?? [];
    list.push(received);
    bySupplier.set(received.supplier, list);
  }
  const learned = new Map<string, LearnedLeadTime>();
  for (const [supplier, orders] of bySupplier) {
    const last = orders.sort((a, b) => compareEvents(a.receipt, b.receipt)).slice(-LEARN_FROM_ORDERS);
    learned.set(supplier, { days: median(last.map((order) => order.days)), orders: last.length });
  }
  return learned;
}

/** A purchase order's events (ledger order) as a received order, or undefined while nothing came. */
function receivedOrder(events: readonly LedgerEvent[], days: BusinessDays): ReceivedOrder | undefined {
  const created = events.find((e): e is EventOf<'purchase-order-created'> => e.kind === 'purchase-order-created');
  const receipt = events.find((e) => e.kind === 'goods-received');
  if (!created || !receipt) return undefined;
  const elapsed = days.of(receipt.recordedAt) - days.of(created.recordedAt);
  if (Number.isNaN(elapsed)) return undefined;
  return { supplier: created.supplier, days: clampDays(elapsed), receipt };
}

/** Median of whole days, the mean of the middle two rounded half up for an even count. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[mid] as number;
  return Math.round(((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2);
}

function clampDays(days: number): number {
  return Math.min(MAX_LEAD_TIME_DAYS, Math.max(1, days));
}

/** The owner's lead time per supplier: the latest `supplier-lead-time-set` in ledger order, nulls left out. */
export function leadTimeOverrides(events: Iterable<LedgerEvent>): Map<string, number> {
  const sets = [...events].filter((e): e is EventOf<'supplier-lead-time-set'> => e.kind === 'supplier-lead-time-set').sort(compareEvents);
  const latest = new Map<string, number | null>();
  for (const event of sets) latest.set(event.supplier, event.leadTimeDays);
  const overrides = new Map<string, number>();
  for (const [supplier, days] of latest) if (days !== null) overrides.set(supplier, days);
  return overrides;
}

/** What applies to a supplier: the owner's, else the learned, else the store's default. */
export function leadTimeOf(supplier: string, overrides: ReadonlyMap<string, number>, learned: ReadonlyMap<string, LearnedLeadTime>, defaultDays: number): LeadTime {
  const set = overrides.get(supplier);
  if (set !== undefined) return { days: set, source: 'supplier-set', orders: 0 };
  const fromOrders = supplier === '' ? undefined : learned.get(supplier);
  if (fromOrders) return { days: fromOrders.days, source: 'learned', orders: fromOrders.orders };
  return { days: defaultDays, source: 'store-default', orders: 0 };
}
