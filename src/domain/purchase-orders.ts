/**
 * Purchase orders: what was ordered and what has come in against each order so far.
 *
 * Receipts are `goods-received` events carrying the order's `purchaseOrderId`; they move stock on
 * their own (the order itself has no stock effect). Quantities merge per product, whatever order
 * the events arrived in.
 *
 * Status, in this precedence: `closed` once a `purchase-order-closed` exists; `over-delivered` when
 * any product came in beyond what was ordered (or was not on the order); `received` when every line
 * is complete; `partially-received` when something came in; else `open`.
 */
import type { PurchaseOrderLine } from './events.ts';
import type { Books } from './books/index.ts';
import { compareStrings } from './order.ts';

export type PurchaseOrderStatus = 'open' | 'partially-received' | 'received' | 'over-delivered' | 'closed';

export interface PurchaseOrderLineStatus {
  productId: string;
  /** 0 for a product received against the order without being on it. */
  ordered: number;
  received: number;
  /** Still to come: ordered − received, never below 0. */
  outstanding: number;
  /** Received beyond the order: received − ordered, never below 0. */
  over: number;
  /** The order's unit cost; undefined for a product not on the order. */
  unitCost: number | undefined;
}

export interface PurchaseOrderView {
  purchaseOrderId: string;
  /** Undefined while only receipts referring to the order have arrived, not the order itself. */
  supplier: string | undefined;
  expectedAt: string | undefined;
  status: PurchaseOrderStatus;
  closedReason: string | undefined;
  /** Order lines first (in order), then products received that were not on the order. */
  lines: PurchaseOrderLineStatus[];
  /** Ids of the receipts against this order, in ledger order. */
  receiptIds: string[];
}

/** Every purchase order the books know of, by id. */
export function purchaseOrders(books: Books): PurchaseOrderView[] {
  return books.idsOf('purchase-order').map((id) => purchaseOrder(books, id) as PurchaseOrderView);
}

export function purchaseOrder(books: Books, purchaseOrderId: string): PurchaseOrderView | undefined {
  const events = books.eventsFor('purchase-order', purchaseOrderId);
  if (events.length === 0) return undefined;
  let orderLines: readonly PurchaseOrderLine[] = [];
  let supplier: string | undefined;
  let expectedAt: string | undefined;
  let closedReason: string | undefined;
  let created = false;
  const received = new Map<string, number>();
  const receiptIds: string[] = [];
  for (const event of events) {
    if (event.kind === 'purchase-order-created' && !created) {
      // The first version in ledger order is the order; a repeated create is ignored.
      created = true;
      orderLines = event.lines;
      supplier = event.supplier;
      expectedAt = event.expectedAt;
    } else if (event.kind === 'purchase-order-closed') {
      closedReason ??= event.reason;
    } else if (event.kind === 'goods-received') {
      receiptIds.push(event.id);
      for (const line of event.lines) received.set(line.productId, (received.get(line.productId) ?? 0) + line.qty);
    }
  }
  const lines = orderLines.map((line) => lineStatus(line.productId, line.qty, received.get(line.productId) ?? 0, line.unitCost));
  const onOrder = new Set(orderLines.map((line) => line.productId));
  const extras = [...received.keys()].filter((productId) => !onOrder.has(productId)).sort(compareStrings);
  for (const productId of extras) lines.push(lineStatus(productId, 0, received.get(productId) ?? 0, undefined));
  return { purchaseOrderId, supplier, expectedAt, status: statusOf(lines, closedReason !== undefined), closedReason, lines, receiptIds };
}

function lineStatus(productId: string, ordered: number, received: number, unitCost: number | undefined): PurchaseOrderLineStatus {
  return {
    productId,
    ordered,
    received,
    outstanding: Math.max(0, ordered - received),
    over: Math.max(0, received - ordered),
    unitCost,
  };
}

function statusOf(lines: readonly PurchaseOrderLineStatus[], closed: boolean): PurchaseOrderStatus {
  if (closed) return 'closed';
  if (lines.some((line) => line.over > 0)) return 'over-delivered';
  if (lines.length > 0 && lines.every((line) => line.outstanding === 0)) return 'received';
  if (lines.some((line) => line.received > 0)) return 'partially-received';
  return 'open';
}
