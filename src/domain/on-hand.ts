/**
 * How one event changes on-hand quantities, for a device that appends its own newest event and keeps
 * an on-hand cache beside its ledger. (The full projection with late events is the books, in books/;
 * this is the cheap path for "the event I just recorded is the newest one".)
 */
import { assertNever } from './assert-never.ts';
import type { LedgerEvent, SaleLine } from './events.ts';

export interface OnHandDelta {
  productId: string;
  locationId: string;
  delta: number;
}

export interface OnHandContext {
  /** The sale a void refers to, when this device has it. */
  sale(saleId: string): { locationId: string; lines: Pick<SaleLine, 'productId' | 'qty'>[] } | undefined;
  onHand(productId: string, locationId: string): number;
}

export function onHandDeltas(event: LedgerEvent, context: OnHandContext): OnHandDelta[] {
  const at = (productId: string, delta: number, locationId = event.locationId): OnHandDelta => ({ productId, locationId, delta });
  switch (event.kind) {
    case 'product-defined':
    case 'products-defined':
    case 'product-changed':
    case 'location-defined':
      return [];
    case 'opening-balance':
    case 'goods-received':
    case 'transfer-in':
      return event.lines.map((l) => at(l.productId, l.qty));
    case 'stock-adjusted':
      return event.lines.map((l) => at(l.productId, l.qty));
    case 'sale':
    case 'transfer-out':
      return event.lines.map((l) => at(l.productId, -l.qty));
    case 'sale-voided': {
      const sale = context.sale(event.saleId);
      return sale ? sale.lines.map((l) => at(l.productId, l.qty, sale.locationId)) : [];
    }
    case 'return':
      return event.lines.filter((l) => l.disposition === 'restock').map((l) => at(l.productId, l.qty));
    case 'stock-counted':
    case 'count-session-approved':
      return event.lines.map((l) => at(l.productId, l.countedQty - context.onHand(l.productId, event.locationId)));
    case 'purchase-order-created':
    case 'purchase-order-closed':
    case 'count-session-opened':
    case 'count-recorded':
    case 'shift-opened':
    case 'cash-moved':
    case 'shift-closed':
      return [];
    default:
      return assertNever(event, 'event kind');
  }
}
