/**
 * Scopes: events grouped by the sale, transfer, purchase order, count session or shift they refer to,
 * for the store-operation projections (purchase-orders.ts, count-sessions.ts, shifts.ts, …). Each
 * scope's index is built on its first query, then kept up to date: the fold itself never pays for it.
 */
import { assertNever } from '../assert-never.ts';
import type { LedgerEvent } from '../events.ts';
import { compareEvents, compareStrings } from '../order.ts';
import { insertSorted } from './event-index.ts';

/**
 * Events grouped by what they refer to, for the store-operation projections. 'receipt' finds a sale
 * by its receipt number (in capitals) without a pass over every event.
 */
export type EventScope = 'sale' | 'transfer' | 'purchase-order' | 'count-session' | 'shift' | 'receipt';

const NO_SCOPES: readonly (readonly [EventScope, string])[] = [];

export class ScopeIndex {
  private readonly scopes = new Map<EventScope, Map<string, LedgerEvent[]>>();
  /** False until the first query: until then applying an event skips the scopes altogether. */
  used = false;

  /** `ordered`: every event applied so far, in canonical order (read only when a scope is first built). */
  constructor(private readonly ordered: () => readonly LedgerEvent[]) {}

  /** The events of one scope id, in ledger order (a copy). */
  eventsFor(scope: EventScope, id: string): LedgerEvent[] {
    return [...(this.index(scope).get(id) ?? [])];
  }

  /** The ids seen in a scope, sorted. */
  idsOf(scope: EventScope): string[] {
    return [...this.index(scope).keys()].sort(compareStrings);
  }

  /** Adds a newly applied event to every scope built so far. */
  add(event: LedgerEvent): void {
    for (const [scope, id] of scopesOf(event)) {
      const index = this.scopes.get(scope);
      if (index === undefined) continue;
      const list = index.get(id);
      if (list) insertSorted(list, event, compareEvents);
      else index.set(id, [event]);
    }
  }

  private index(scope: EventScope): Map<string, LedgerEvent[]> {
    let index = this.scopes.get(scope);
    if (index === undefined) {
      index = new Map();
      this.scopes.set(scope, index);
      this.used = true;
      for (const event of this.ordered()) {
        for (const [s, id] of scopesOf(event)) {
          if (s !== scope) continue;
          const list = index.get(id);
          if (list) list.push(event);
          else index.set(id, [event]);
        }
      }
    }
    return index;
  }
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
    case 'store-settings-changed':
    case 'reorder-levels-set':
    case 'supplier-lead-time-set':
    case 'staff-member-defined':
    case 'pin-rejected':
    case 'opening-balance':
    case 'stock-adjusted':
      return NO_SCOPES;
    default:
      return assertNever(event);
  }
}
