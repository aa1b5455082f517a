/**
 * Builds valid ledger events for tests: envelopes with per-device sequence numbers, HLC stamps from
 * a given wall time, and deterministic UUIDv7 ids, so every test run sees the very same events.
 */
import { EVENT_SCHEMA_VERSION, type ApprovedCountLine, type EventBody, type LedgerEvent, type SaleLine, type TenderMethod, type UncountedProducts } from '../../../src/domain/events.ts';
import { HLC_ZERO, hlcNow, type HlcState } from '../../../src/domain/hlc.ts';

export const STORE = 'store-1';
export const CURRENCY = 'EUR';

let idCounter = 0;

/** A UUIDv7 whose time part is `ms` and whose other bits are a counter (unique within a run). */
export function testUuidV7(ms: number): string {
  idCounter++;
  const time = ms.toString(16).padStart(12, '0');
  const n = idCounter.toString(16).padStart(15, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${n.slice(0, 3)}-8${n.slice(3, 6)}-${n.slice(3, 15)}`;
}

export interface EventOptions {
  /** Device wall clock in ms when the event is recorded. */
  at?: number;
  locationId?: string;
}

export class Device {
  private seq = 0;
  private clock: HlcState = HLC_ZERO;
  private wall: number;

  constructor(
    readonly deviceId: string,
    readonly locationId = 'loc-1',
    startMs = 1_700_000_000_000,
  ) {
    this.wall = startMs;
  }

  event(body: EventBody, options: EventOptions = {}): LedgerEvent {
    this.wall = options.at ?? this.wall + 1000;
    const { state, stamp } = hlcNow(this.clock, this.wall, this.deviceId);
    this.clock = state;
    this.seq++;
    return {
      id: testUuidV7(this.wall),
      schema: EVENT_SCHEMA_VERSION,
      storeId: STORE,
      locationId: options.locationId ?? this.locationId,
      deviceId: this.deviceId,
      seq: this.seq,
      hlc: stamp,
      recordedAt: new Date(this.wall).toISOString(),
      userId: 'user-1',
      currency: CURRENCY,
      ...body,
    } as LedgerEvent;
  }

  product(id: string, cost: number, options?: EventOptions): LedgerEvent {
    return this.event(
      {
        kind: 'product-defined',
        product: { id, name: `Product ${id}`, sku: `SKU-${id}`, barcodes: [], price: 1000, cost, currency: CURRENCY, taxRateBp: 2000, unit: 'each', active: true },
      },
      options,
    );
  }

  receive(lines: { productId: string; qty: number; unitCost: number }[], options?: EventOptions): LedgerEvent {
    return this.event({ kind: 'goods-received', supplier: 'Supplier', reference: 'DN-1', lines }, options);
  }

  opening(lines: { productId: string; qty: number; unitCost: number }[], options?: EventOptions): LedgerEvent {
    return this.event({ kind: 'opening-balance', lines }, options);
  }

  /** A sale at `unitPrice` (net) per unit plus 20 % tax, paid in full with one tender. */
  sale(
    lines: { productId: string; qty: number; unitPrice?: number }[],
    options?: EventOptions & { tender?: TenderMethod; shiftId?: string; cashRounding?: number },
  ): LedgerEvent {
    const rounding = options?.cashRounding ?? 0;
    const saleLines: SaleLine[] = lines.map((l, i) => {
      const unitPrice = l.unitPrice ?? 1000;
      const net = l.qty * unitPrice;
      const tax = Math.round((net * 2000) / 10000);
      return {
        lineId: `line-${i + 1}`,
        productId: l.productId,
        sku: `SKU-${l.productId}`,
        name: `Product ${l.productId}`,
        qty: l.qty,
        unit: 'each',
        unitPrice,
        lineDiscount: 0,
        cartDiscountShare: 0,
        taxRateBp: 2000,
        net,
        tax,
        gross: net + tax,
      };
    });
    const net = saleLines.reduce((s, l) => s + l.net, 0);
    const tax = saleLines.reduce((s, l) => s + l.tax, 0);
    return this.event(
      {
        kind: 'sale',
        receiptNo: `R-${this.seq + 1}`,
        pricesIncludeTax: false,
        lines: saleLines,
        totals: { net, tax, gross: net + tax, discount: 0 },
        tenders: [{ method: options?.tender ?? 'cash', amount: net + tax + rounding }],
        change: 0,
        ...(rounding === 0 ? {} : { cashRounding: rounding }),
        ...(options?.shiftId === undefined ? {} : { shiftId: options.shiftId }),
      },
      options,
    );
  }

  voidSale(saleId: string, options?: EventOptions & { shiftId?: string }): LedgerEvent {
    return this.event(
      {
        kind: 'sale-voided',
        saleId,
        reason: 'Customer changed their mind',
        ...(options?.shiftId === undefined ? {} : { shiftId: options.shiftId }),
      },
      options,
    );
  }

  /** Refund of `refundPerUnit` incl. 20 % tax per unit. */
  returnGoods(
    lines: { productId: string; qty: number; disposition?: 'restock' | 'write-off'; saleLineId?: string; refundPerUnit?: number }[],
    options?: EventOptions & { saleId?: string; shiftId?: string; refundMethod?: TenderMethod; cashRounding?: number },
  ): LedgerEvent {
    return this.event(
      {
        kind: 'return',
        ...(options?.saleId === undefined ? {} : { saleId: options.saleId }),
        ...(options?.shiftId === undefined ? {} : { shiftId: options.shiftId }),
        managerApproved: true,
        refundMethod: options?.refundMethod ?? 'cash',
        ...(options?.cashRounding === undefined ? {} : { cashRounding: options.cashRounding }),
        lines: lines.map((l) => {
          const refund = l.qty * (l.refundPerUnit ?? 1200);
          return {
            productId: l.productId,
            qty: l.qty,
            refund,
            tax: Math.round(refund / 6),
            disposition: l.disposition ?? 'restock',
            ...(l.saleLineId === undefined ? {} : { saleLineId: l.saleLineId }),
          };
        }),
      },
      options,
    );
  }

  count(lines: { productId: string; countedQty: number }[], options?: EventOptions): LedgerEvent {
    return this.event({ kind: 'stock-counted', lines }, options);
  }

  adjust(
    reason: 'damage' | 'theft' | 'expiry' | 'found' | 'correction',
    lines: { productId: string; qty: number }[],
    options?: EventOptions,
  ): LedgerEvent {
    return this.event({ kind: 'stock-adjusted', reason, lines }, options);
  }

  transferOut(transferId: string, toLocationId: string, lines: { productId: string; qty: number }[], options?: EventOptions): LedgerEvent {
    return this.event({ kind: 'transfer-out', transferId, toLocationId, lines }, options);
  }

  transferIn(transferId: string, fromLocationId: string, lines: { productId: string; qty: number }[], options?: EventOptions): LedgerEvent {
    return this.event({ kind: 'transfer-in', transferId, fromLocationId, lines }, options);
  }

  // ---- store operations (issue 7) ----

  purchaseOrder(purchaseOrderId: string, lines: { productId: string; qty: number; unitCost: number }[], options?: EventOptions): LedgerEvent {
    return this.event({ kind: 'purchase-order-created', purchaseOrderId, supplier: 'Supplier', expectedAt: '2024-05-01', lines }, options);
  }

  closePurchaseOrder(purchaseOrderId: string, options?: EventOptions): LedgerEvent {
    return this.event({ kind: 'purchase-order-closed', purchaseOrderId, reason: 'Supplier cannot deliver the rest' }, options);
  }

  receiveAgainst(purchaseOrderId: string, lines: { productId: string; qty: number; unitCost: number }[], options?: EventOptions): LedgerEvent {
    return this.event({ kind: 'goods-received', supplier: 'Supplier', reference: 'DN-2', purchaseOrderId, lines }, options);
  }

  openCount(countSessionId: string, options?: EventOptions & { blind?: boolean; productIds?: string[]; uncounted?: UncountedProducts }): LedgerEvent {
    return this.event(
      {
        kind: 'count-session-opened',
        countSessionId,
        name: 'Aisle 3',
        blind: options?.blind ?? true,
        ...(options?.productIds === undefined ? {} : { productIds: options.productIds }),
        ...(options?.uncounted === undefined ? {} : { uncounted: options.uncounted }),
      },
      options,
    );
  }

  recordCount(countSessionId: string, productId: string, qty: number, options?: EventOptions): LedgerEvent {
    return this.event({ kind: 'count-recorded', countSessionId, productId, qty }, options);
  }

  approveCount(countSessionId: string, lines: ApprovedCountLine[], options?: EventOptions): LedgerEvent {
    return this.event({ kind: 'count-session-approved', countSessionId, lines }, options);
  }

  openShift(shiftId: string, float: number, options?: EventOptions): LedgerEvent {
    return this.event({ kind: 'shift-opened', shiftId, float }, options);
  }

  moveCash(shiftId: string, amount: number, options?: EventOptions): LedgerEvent {
    return this.event({ kind: 'cash-moved', shiftId, amount, reason: amount > 0 ? 'Change from the safe' : 'Drop to the safe' }, options);
  }

  closeShift(shiftId: string, countedCash: number, options?: EventOptions): LedgerEvent {
    return this.event({ kind: 'shift-closed', shiftId, countedCash }, options);
  }
}
